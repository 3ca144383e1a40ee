"""Files in a 网上申报 draft or a correction: checked by content and size against the checklist line they
are posted for (field `material_<position>`), stored privately, and removed only after the transaction commits."""

from __future__ import annotations

import contextlib
import hashlib

from django.conf import settings
from django.db import transaction

from onewindow.cases.services.attachments import private_storage
from onewindow.core.errors import ValidationFailed
from onewindow.core.uploads import CONTENT_TYPES, check_upload, storage_name
from onewindow.portal.models import Application, ApplicationFile
from onewindow.portal.selectors import Offer

MAX_FILES_PER_MATERIAL = 10
MAX_FILES = 50  # below the case's attachment limit (cases.services.attachments.MAX_ATTACHMENTS)


def upload_field(position: int) -> str:
    return f"material_{position}"


def uploads_by_position(files) -> dict[int, list]:
    """The files of a form (request.FILES) posted under material_<position>; any other field name lands
    under position 0, which no checklist has, so it is refused rather than ignored."""
    uploads: dict[int, list] = {}
    for key in files:
        suffix = key.removeprefix("material_")
        position = int(suffix) if key.startswith("material_") and suffix.isdigit() else 0
        uploads.setdefault(position, []).extend(files.getlist(key))
    return uploads


def file_error(files, field: str) -> str:
    """The first content or size problem among one checklist line's files, as the form shows it; "" if none."""
    for upload in files:
        try:
            check_upload(upload, max_bytes=settings.ONEWINDOW_ATTACHMENT_MAX_BYTES, field=field)
        except ValidationFailed as exc:
            return f"“{upload.name}”：{exc.fields[field]}"
    return ""


def check_uploads(application: Application, offer: Offer, uploads: dict[int, list]) -> None:
    """Every new file content-checked and size-limited, against a line of the checklist, within the limits."""
    positions = {m.position for m in offer.guide.materials.all()}
    counts: dict[int, int] = {}
    for f in application.files.all():
        counts[f.material_position] = counts.get(f.material_position, 0) + 1
    errors = {}
    for position, files in uploads.items():
        field = upload_field(position)
        if position not in positions:
            errors[field] = "办事指南中没有这一项材料"
            continue
        if problem := file_error(files, field):
            errors[field] = problem
        counts[position] = counts.get(position, 0) + len(files)
        if counts[position] > MAX_FILES_PER_MATERIAL:
            errors[field] = f"每项材料最多上传{MAX_FILES_PER_MATERIAL}个文件"
    if sum(counts.values()) > MAX_FILES:
        errors["files"] = f"一次申请最多上传{MAX_FILES}个文件"
    if errors:
        raise ValidationFailed(
            "上传的材料有误，请按提示修改后重新选择文件", code="application.bad_upload", fields=errors
        )


def still_matches(file: ApplicationFile, offer: Offer) -> bool:
    """A draft file counts for a checklist line of the current guide when position and name still agree
    (a guide republished since the draft was saved may have reordered its materials)."""
    return any(
        m.position == file.material_position and m.name == file.material_name for m in offer.guide.materials.all()
    )


def store(application: Application, offer: Offer, uploads: dict[int, list], stored: list[str]) -> int:
    """Writes checked files into the draft; each storage name is appended to `stored` at once, so the caller
    can remove them if its transaction fails after all."""
    names = {m.position: m.name for m in offer.guide.materials.all()}
    storage = private_storage()
    count = 0
    for position, files in uploads.items():
        for upload in files:
            extension = check_upload(upload, max_bytes=settings.ONEWINDOW_ATTACHMENT_MAX_BYTES)
            digest = hashlib.sha256()
            upload.seek(0)
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            name = storage.save(storage_name(f"portal/drafts/{application.pk}", extension), upload)
            stored.append(name)
            ApplicationFile.objects.create(
                application=application,
                material_position=position,
                material_name=names[position],
                storage_name=name,
                original_name=(upload.name or "材料")[-200:],
                content_type=CONTENT_TYPES[extension],
                size=upload.size,
                sha256=digest.hexdigest(),
            )
            count += 1
    return count


def discard_stored(names: list[str]) -> None:
    storage = private_storage()
    for name in names:
        with contextlib.suppress(OSError):  # an orphan in private storage harms nobody; operations sweep it
            storage.delete(name)


def delete_files_after_commit(names: list[str]) -> None:
    transaction.on_commit(lambda: discard_stored(names))
