"""The citizen's own online cases: answer a one-time correction notice by uploading the missing items and
resubmitting (the same case goes back to the front desk's pre-review queue), or withdraw before acceptance.
Each is confirmed by text (cases.services.notify)."""

from __future__ import annotations

from django.db import transaction

from onewindow.cases import flow
from onewindow.cases.models import Case
from onewindow.cases.services.acceptance import case_supplement, lock_citizens_case
from onewindow.cases.services.attachments import attachment_add
from onewindow.cases.services.notify import notify_applicant
from onewindow.cases.services.output import case_withdraw
from onewindow.citizens.session import citizen_actor
from onewindow.core.errors import ValidationFailed
from onewindow.portal.selectors import correction_items
from onewindow.portal.services.files import MAX_FILES_PER_MATERIAL, file_error, upload_field


@transaction.atomic
def my_case_supplement(*, citizen, case: Case, uploads: dict[int, list]) -> Case:
    """补正: a file for every item the one-time notice named, checked before anything is stored; then the
    case is resubmitted (补正结束) with a timeline entry."""
    actor = citizen_actor(citizen)
    case = lock_citizens_case(case, actor, citizen)  # another person's case: 404
    flow.check(case, flow.Action.SUPPLEMENT)
    wanted = {m.position: m for m in correction_items(case)}
    uploads = {p: list(f) for p, f in uploads.items() if f}
    errors = {}
    for position, files in uploads.items():
        field = upload_field(position)
        if position not in wanted:
            errors[field] = "这一项材料不需要补正"
            continue
        if len(files) > MAX_FILES_PER_MATERIAL:
            errors[field] = f"每项材料最多上传{MAX_FILES_PER_MATERIAL}个文件"
        if problem := file_error(files, field):
            errors[field] = problem
    for position, material in wanted.items():
        if position not in uploads and upload_field(position) not in errors:
            errors[upload_field(position)] = f"请上传需补正的材料“{material.name}”"
    if errors:
        raise ValidationFailed(
            "补正材料不完整或有误，请按提示重新选择文件", code="supplement.incomplete", fields=errors
        )
    for position, files in uploads.items():
        for upload in files:
            attachment_add(actor=actor, case=case, upload=upload, material_position=position, citizen=citizen)
    case = case_supplement(actor=actor, case=case, received=sorted(uploads), citizen=citizen)
    notify_applicant(case, "resubmitted")
    return case


@transaction.atomic
def my_case_withdraw(*, citizen, case: Case, reason: str) -> Case:
    """撤回申请 before acceptance, with a reason; confirmed by text."""
    case = case_withdraw(actor=citizen_actor(citizen), case=case, reason=reason, citizen=citizen)
    notify_applicant(case, "withdrawn")
    return case
