"""What an uploaded document (样表、空白表格、结果样本、办件附件) may be: checked by extension AND by content.

The extension alone proves nothing (an .exe renamed .pdf), and the content alone would let a
Word file pose as a picture; both must name the same kind. Names are generated: the user's file
name never reaches the storage path.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import PurePath

from onewindow.core.errors import ValidationFailed

# extension → (content kind, label shown to staff)
ALLOWED_EXTENSIONS = {
    ".pdf": "pdf",
    ".doc": "ole",
    ".xls": "ole",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
}
# What a checked file is served as: decided by its checked extension, never by what the browser declared.
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
ALLOWED_LABEL = "PDF、Word（doc/docx）、Excel（xls/xlsx）、JPG、PNG"
ACCEPT_ATTRIBUTE = ",".join(ALLOWED_EXTENSIONS)

_KIND_LABEL = {
    "pdf": "PDF文件",
    "ole": "Word/Excel 97-2003 文件",
    "docx": "Word（docx）文件",
    "xlsx": "Excel（xlsx）文件",
    "jpeg": "JPG图片",
    "png": "PNG图片",
}
_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"PK\x03\x04", "zip"),
)
_EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xce", b"#!")
_HEAD_BYTES = 16


def _open_xml_kind(upload) -> str | None:
    """docx or xlsx by the parts an Office Open XML package must contain; None for any other zip."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def content_kind(upload) -> str | None:
    """The kind of file the bytes say it is (pdf/ole/docx/xlsx/jpeg/png), or None."""
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return _open_xml_kind(upload) if kind == "zip" else kind
    return None


def _is_executable(upload) -> bool:
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    return any(head.startswith(signature) for signature in _EXECUTABLE_SIGNATURES)


def check_upload(upload, *, max_bytes: int, field: str = "file") -> str:
    """The file's extension (lower case, with dot) when it is an allowed attachment; else
    ValidationFailed with a Chinese message under `field`."""

    def refuse(message: str, code: str):
        raise ValidationFailed(message, code=code, fields={field: message})

    if upload is None:
        refuse("请选择要上传的文件", "upload.missing")
    size = upload.size or 0
    if size == 0:
        refuse("文件是空的，请重新选择", "upload.empty")
    if size > max_bytes:
        refuse(
            f"文件大小{_megabytes(size)}，超过上限{_megabytes(max_bytes)}，请压缩后再上传",
            "upload.too_large",
        )
    extension = PurePath(upload.name or "").suffix.lower()
    expected = ALLOWED_EXTENSIONS.get(extension)
    if expected is None:
        refuse(f"不支持“{extension or '无扩展名'}”格式，只能上传{ALLOWED_LABEL}", "upload.bad_extension")
    if _is_executable(upload):
        refuse(
            f"该文件实际是可执行程序，不是{_KIND_LABEL[expected]}，已拒绝上传",
            "upload.executable",
        )
    actual = content_kind(upload)
    if actual != expected:
        refuse(
            f"文件内容与扩展名“{extension}”不符（不是有效的{_KIND_LABEL[expected]}），请上传真实的{ALLOWED_LABEL}文件",
            "upload.content_mismatch",
        )
    return ".jpg" if extension == ".jpeg" else extension


def storage_name(folder: str, extension: str) -> str:
    """A fresh, unguessable name under `folder`: nothing of the user's path or name is kept."""
    return f"{folder}/{uuid.uuid4().hex}{extension}"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
