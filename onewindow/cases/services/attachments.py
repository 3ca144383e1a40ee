"""Applicants' documents attached to a case: checked by content, size-limited, stored privately."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import transaction

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record
from onewindow.cases.flow import TERMINAL
from onewindow.cases.models import Attachment, Case
from onewindow.cases.services.common import actor_user, lock_case
from onewindow.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from onewindow.core.roles import READ_ONLY_ROLES, Role
from onewindow.core.scoping import effective_role
from onewindow.core.uploads import CONTENT_TYPES, check_upload, storage_name

MAX_ATTACHMENTS = 100


def private_storage() -> FileSystemStorage:
    # Outside MEDIA_ROOT: no web server path leads here; only the scoped download view reads it.
    return FileSystemStorage(location=settings.ONEWINDOW_PRIVATE_DIR, base_url=None)


@transaction.atomic
def attachment_add(*, actor, case: Case, upload, material_position: int | None = None, citizen=None) -> Attachment:
    """A file for the case (against a checklist line when given). Staff upload within their scope; a citizen
    (actor not a staff account) only to a case linked to them — `citizen` is then required."""
    if effective_role(actor) in READ_ONLY_ROLES | {Role.DEVICE}:
        raise Forbidden("您没有上传办件附件的权限")
    case = lock_case(case, actor)
    if actor_user(actor) is None and (citizen is None or case.citizen_id != citizen.pk):
        raise NotFound()  # not the citizen's own case: the same answer as a missing one
    if case.status in TERMINAL:
        raise Conflict("办件已结束，不能再上传附件", code="case.closed")
    extension = check_upload(upload, max_bytes=settings.ONEWINDOW_ATTACHMENT_MAX_BYTES)
    material = None
    if material_position is not None:
        material = case.materials.filter(position=material_position).first()
        if material is None:
            raise ValidationFailed(fields={"material": "办件材料清单中没有这一项"})
    if case.attachments.count() >= MAX_ATTACHMENTS:
        raise Conflict(f"每个办件最多上传{MAX_ATTACHMENTS}个附件", code="case.too_many_attachments")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = private_storage().save(storage_name(f"cases/{case.town.code}/{case.number}", extension), upload)
    # If the transaction rolls back, the file is orphaned, never referenced: harmless, and swept by operations.
    attachment = Attachment.objects.create(
        case=case,
        material=material,
        storage_name=name,
        original_name=(upload.name or "附件")[-200:],
        content_type=CONTENT_TYPES[extension],
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor_user(actor),
    )
    record(
        actor=actor,
        action=AuditAction.ATTACHMENT_UPLOADED,
        target=attachment,
        before=None,
        after={
            "case": case.number,
            "material": material.name if material else None,
            "size": upload.size,
            "sha256": attachment.sha256,
        },
        town=case.town,
        summary=f"{case.number} 上传附件",
    )
    return attachment


def attachment_open(attachment: Attachment):
    return private_storage().open(attachment.storage_name, "rb")
