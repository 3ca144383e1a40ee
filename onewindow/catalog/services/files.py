"""Attaching sample forms, blank forms and result samples to an item's DRAFT guide.

Published versions are never changed, so files go onto the draft and reach the public when the draft
is published. A replaced file is kept on disk: earlier versions (and the cases accepted under them)
may still point at it.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import NamedTuple

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.selectors import draft_of
from onewindow.catalog.services.permissions import require_item_manager
from onewindow.core.errors import Conflict, ValidationFailed
from onewindow.core.uploads import check_upload, storage_name


class FileKind(NamedTuple):
    field: str  # on GuideMaterial (sample, blank) or GuideVersion (result)
    folder: str  # in storage
    label: str  # for staff
    short_label: str  # in the public download's file name


FILE_KINDS = {
    "sample": FileKind("sample_file", "catalog/forms", "样表（示范文本）", "样表"),
    "blank": FileKind("blank_file", "catalog/forms", "空白表格", "空白表格"),
    "result": FileKind("result_sample", "catalog/results", "结果样本", "结果样本"),
}


@transaction.atomic
def guide_attach_file(*, actor, item: ServiceItem, target: int | None, kind: str, upload):
    """Stores `upload` as the draft's result sample (kind "result", target None) or as the sample or
    blank form (kind "sample"/"blank") of the draft material at position `target` (序号, from 1).
    Returns the object that now holds the file (the GuideVersion or the GuideMaterial)."""
    item = ServiceItem.objects.select_for_update(of=("self",)).select_related("owner_town").get(pk=item.pk)
    require_item_manager(actor, item.owner_town_id)
    if kind not in FILE_KINDS:
        raise ValidationFailed(fields={"kind": "文件类别无效"}, code="guide_file.bad_kind")
    field_name, folder, label, _ = FILE_KINDS[kind]
    draft = draft_of(item)
    if draft is None:
        raise Conflict("只能给指南草稿上传文件：请先点“修改指南”生成新的草稿", code="guide_file.no_draft")
    if kind == "result":
        holder, where = draft, label
    else:
        holder = draft.materials.filter(position=target).first() if isinstance(target, int) else None
        if holder is None:
            raise ValidationFailed(fields={"target": "草稿中没有这项申请材料"}, code="guide_file.no_material")
        where = f"材料“{holder.name}”的{label}"
    extension = check_upload(upload, max_bytes=settings.ONEWINDOW_GUIDE_FILE_MAX_BYTES)
    previous = getattr(holder, field_name).name or ""
    saved = default_storage.save(storage_name(folder, extension), upload)
    getattr(holder, field_name).name = saved
    holder.save(update_fields=[field_name])
    record(
        actor=actor,
        action=AuditAction.GUIDE_FILE_ATTACHED,
        target=draft,
        before={"file": previous} if previous else None,
        after={
            "kind": kind,
            "material": None if kind == "result" else holder.position,
            "file": saved,
            "original_name": PurePath(upload.name or "").name[:120],
            "size": upload.size,
        },
        town=item.owner_town,
        summary=f"《{draft.name}》第{draft.version}版上传{where}",
    )
    return holder
