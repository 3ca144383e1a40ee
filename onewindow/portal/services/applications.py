"""网上申报: a citizen saves a draft (fields and files per checklist line), removes a file, discards a draft,
and submits it — which creates the case (channel online, status submitted) with its attachments.

Drafts are portal rows, not cases in status draft: see the docstring of onewindow/portal/models.py.

Every call is all-or-nothing: the uploads are content-checked and, on submit, the application is checked
complete *before* any file is written, and a failure leaves the draft exactly as it was. A draft is named
by the form's token, so a double-clicked or retried submit finds the submitted draft and answers with the
case it created, never a second one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record
from onewindow.cases.models import ApplicantKind, Case, Channel, MaterialState
from onewindow.cases.services.attachments import attachment_add, private_storage
from onewindow.cases.services.intake import Applicant, case_intake
from onewindow.cases.services.notify import notify_applicant
from onewindow.citizens.session import citizen_actor
from onewindow.core import pii
from onewindow.core.errors import Conflict, NotFound, ValidationFailed
from onewindow.portal.models import Application, ApplicationStatus
from onewindow.portal.selectors import Offer
from onewindow.portal.services.files import (
    check_uploads,
    delete_files_after_commit,
    discard_stored,
    still_matches,
    store,
    upload_field,
)

TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class ApplicationInput:
    """What the form sends. A blank ID number or phone keeps the one already stored (or the citizen's own):
    the page shows those masked and never echoes them back."""

    applicant_kind: str = ApplicantKind.PERSON
    applicant_name: str = ""
    applicant_id_number: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    address: str = ""
    request_summary: str = ""
    village_code: str = ""
    declared: bool = False


def _locked_draft(*, citizen, offer: Offer, token: str) -> Application:
    """The draft this form edits, locked: by its token, else the citizen's open draft of the item, else new."""
    if not TOKEN.match(token or ""):
        raise ValidationFailed("表单已失效，请刷新页面后重新填写", code="application.bad_token")
    drafts = Application.objects.select_for_update()
    application = drafts.filter(token=token).first()
    if application is not None and application.citizen_id != citizen.pk:
        raise NotFound()
    if application is None:
        application = drafts.filter(
            citizen=citizen, town=offer.town, item=offer.item, status=ApplicationStatus.DRAFT
        ).first()
    if application is None:
        try:
            with transaction.atomic():
                Application.objects.create(
                    citizen=citizen,
                    town=offer.town,
                    item=offer.item,
                    guide=offer.guide,
                    token=token,
                    applicant_name=citizen.name,
                    address=citizen.address,
                )
        except IntegrityError:
            pass  # the same form posted twice at once, or a draft opened in another tab: use that one
        application = (
            drafts.filter(token=token, citizen=citizen).first()
            or drafts.filter(citizen=citizen, town=offer.town, item=offer.item, status=ApplicationStatus.DRAFT).first()
        )
        if application is None:
            raise Conflict("草稿保存冲突，请刷新页面后重试", code="application.conflict")
    if application.town_id != offer.town.pk or application.item_id != offer.item.pk:
        raise NotFound()
    return application


def _clean_fields(application: Application, data: ApplicationInput, offer: Offer, citizen) -> dict:
    """The draft's new field values; formats checked for what was typed (completeness only on submit)."""
    errors = {}
    kind = data.applicant_kind if data.applicant_kind in ApplicantKind.values else None
    if kind is None:
        errors["applicant_kind"] = "请选择申请人类型（个人或企业）"
    values = {
        "applicant_kind": kind or ApplicantKind.PERSON,
        "applicant_name": (data.applicant_name or "").strip(),
        "contact_name": (data.contact_name or "").strip(),
        "address": (data.address or "").strip(),
        "request_summary": (data.request_summary or "").strip(),
        "declared": bool(data.declared),
        "village": None,
    }
    for field, limit, label in (
        ("applicant_name", 100, "申请人名称"),
        ("contact_name", 50, "联系人"),
        ("address", 200, "联系地址"),
        ("request_summary", 300, "申请事由"),
    ):
        if len(values[field]) > limit:
            errors[field] = f"{label}不能超过{limit}个字"
    typed_id = (data.applicant_id_number or "").strip()
    if typed_id:
        try:
            values["applicant_id_number"] = (
                pii.validate_credit_code(typed_id)
                if kind == ApplicantKind.ENTERPRISE
                else pii.validate_id_number(typed_id)
            )
        except ValidationFailed as exc:
            errors["applicant_id_number"] = exc.message
    elif kind != application.applicant_kind and application.applicant_id_number:
        values["applicant_id_number"] = ""  # a person's ID number is not an enterprise's credit code
    typed_phone = (data.contact_phone or "").strip()
    if typed_phone:
        try:
            values["contact_phone"] = pii.validate_mobile(typed_phone)
        except ValidationFailed as exc:
            errors["contact_phone"] = exc.message
    if data.village_code:
        village = offer.town.children.filter(code=data.village_code, level="village", is_active=True).first()
        if village is None:
            errors["village"] = "所选村（社区）不属于本镇街"
        values["village"] = village
    if errors:
        raise ValidationFailed(fields=errors)
    return values


def _applicant(application: Application, values: dict, citizen) -> Applicant:
    """The applicant as the case will record it; a person applying without typing an ID number is the citizen."""
    kind = values["applicant_kind"]
    id_number = values.get("applicant_id_number", application.applicant_id_number)
    if not id_number and kind == ApplicantKind.PERSON:
        id_number = citizen.id_number
    phone = values.get("contact_phone", application.contact_phone) or citizen.mobile
    return Applicant(
        kind=kind,
        name=values["applicant_name"],
        id_number=id_number,
        phone=phone,
        contact_name=values["contact_name"] or (citizen.name if kind == ApplicantKind.ENTERPRISE else ""),
        address=values["address"],
    )


def _check_complete(application, values, offer, uploads, citizen) -> tuple[Applicant, set[int]]:
    """Submit needs the applicant's details, a file for every required material and the declaration."""
    errors = {}
    try:
        applicant = _applicant(application, values, citizen).cleaned()
    except ValidationFailed as exc:
        errors.update(exc.fields)
        applicant = None
    have = {f.material_position for f in application.files.all() if still_matches(f, offer)}
    have |= {position for position, files in uploads.items() if files}
    for material in offer.guide.materials.all():
        if material.required and material.position not in have:
            errors[upload_field(material.position)] = f"请上传必要材料“{material.name}”"
    if not values["declared"]:
        errors["declared"] = "请阅读并勾选承诺：所填信息及材料真实有效"
    if errors:
        raise ValidationFailed("申请尚不完整，请按提示补充后再提交", code="application.incomplete", fields=errors)
    return applicant, have


def _apply(application: Application, values: dict, offer: Offer) -> None:
    for field, value in values.items():
        setattr(application, field, value)
    application.guide = offer.guide
    application.save()


def _audit(application: Application, citizen, action: AuditAction, summary: str, after: dict) -> None:
    record(
        actor=citizen_actor(citizen),
        action=action,
        target=application,
        before=None,
        after={"item": application.item.code, **after},
        town=application.town,
        summary=summary,
    )


def application_save(
    *, citizen, offer: Offer, token: str, data: ApplicationInput, uploads: dict[int, list] | None = None
) -> Application:
    """保存草稿: the fields as typed and the new files; resumable from 我的办件."""
    uploads = {p: list(f) for p, f in (uploads or {}).items() if f}
    stored: list[str] = []
    try:
        with transaction.atomic():
            application = _locked_draft(citizen=citizen, offer=offer, token=token)
            if application.status != ApplicationStatus.DRAFT:
                raise Conflict("该申请已提交，请在“我的办件”中查看办理进度", code="application.submitted")
            values = _clean_fields(application, data, offer, citizen)
            check_uploads(application, offer, uploads)
            _apply(application, values, offer)
            added = store(application, offer, uploads, stored)
            _audit(
                application, citizen, AuditAction.APPLICATION_DRAFT_SAVED, "保存网上申报草稿", {"files_added": added}
            )
    except BaseException:
        discard_stored(stored)
        raise
    return application


def application_submit(
    *, citizen, offer: Offer, token: str, data: ApplicationInput, uploads: dict[int, list] | None = None
) -> Case:
    """提交申请: the complete application becomes a case (网上申报, 待受理) with every file attached to its
    checklist line; the applicant gets a text with the case number and query code (after commit)."""
    uploads = {p: list(f) for p, f in (uploads or {}).items() if f}
    stored: list[str] = []
    try:
        with transaction.atomic():
            application = _locked_draft(citizen=citizen, offer=offer, token=token)
            if application.status == ApplicationStatus.SUBMITTED:
                return application.case  # the same form submitted again: the case it already created
            values = _clean_fields(application, data, offer, citizen)
            check_uploads(application, offer, uploads)
            applicant, positions = _check_complete(application, values, offer, uploads, citizen)
            _apply(application, values, offer)
            store(application, offer, uploads, stored)
            case = _create_case(application, offer, applicant, positions, citizen)
    except BaseException:
        discard_stored(stored)
        raise
    return case


def _create_case(application: Application, offer: Offer, applicant: Applicant, positions, citizen) -> Case:
    actor = citizen_actor(citizen)
    case = case_intake(
        actor=actor,
        citizen=citizen,
        item=offer.item,
        town=offer.town,
        applicant=applicant,
        channel=Channel.ONLINE,
        materials={position: MaterialState.RECEIVED for position in positions},
        village=application.village,
        request_summary=application.request_summary,
        idempotency_key=application.token,
    )
    files = [f for f in application.files.all() if still_matches(f, offer)]
    storage = private_storage()
    for draft_file in files:
        with storage.open(draft_file.storage_name, "rb") as handle:
            upload = File(handle, name=draft_file.original_name)
            upload.content_type = draft_file.content_type
            attachment_add(
                actor=actor, case=case, upload=upload, material_position=draft_file.material_position, citizen=citizen
            )
    names = [f.storage_name for f in application.files.all()]
    application.files.all().delete()
    delete_files_after_commit(names)
    application.status, application.case, application.submitted_at = ApplicationStatus.SUBMITTED, case, timezone.now()
    application.save(update_fields=["status", "case", "submitted_at", "updated_at"])
    _audit(
        application,
        citizen,
        AuditAction.APPLICATION_SUBMITTED,
        f"{case.number} 提交网上申报",
        {"case": case.number, "files": len(files)},
    )
    notify_applicant(case, "submitted")
    return case


@transaction.atomic
def application_file_remove(*, citizen, application: Application, file_id: int) -> None:
    """Removes one file from the citizen's own draft."""
    application = Application.objects.select_for_update().filter(pk=application.pk, citizen=citizen).first()
    if application is None or application.status != ApplicationStatus.DRAFT:
        raise NotFound()
    draft_file = application.files.filter(pk=file_id).first()
    if draft_file is None:
        raise NotFound()
    draft_file.delete()
    delete_files_after_commit([draft_file.storage_name])
    _audit(
        application,
        citizen,
        AuditAction.APPLICATION_FILE_REMOVED,
        "删除网上申报草稿中的材料",
        {"material": draft_file.material_name},
    )


@transaction.atomic
def application_discard(*, citizen, application: Application) -> None:
    """删除草稿: the draft and its files are gone; nothing was ever submitted."""
    application = Application.objects.select_for_update().filter(pk=application.pk, citizen=citizen).first()
    if application is None or application.status != ApplicationStatus.DRAFT:
        raise NotFound()
    _audit(application, citizen, AuditAction.APPLICATION_DRAFT_DISCARDED, "删除网上申报草稿", {})
    delete_files_after_commit([f.storage_name for f in application.files.all()])
    application.delete()
