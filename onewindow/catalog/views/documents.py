"""Generated documents of a town's published catalog, for anyone to download and print
(the catalog is public information, 向社会公开发布): the 一窗受理事项目录 (PDF and Excel), the
标准化受理材料指导手册 (PDF) and the 二维码便民服务墙 (PDF, A4 or A3 with ?paper=a3)."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import re_path
from django.views.decorators.http import require_safe

from onewindow.catalog import qr, selectors
from onewindow.catalog.documents import (
    build_catalog_pdf,
    build_catalog_xlsx,
    build_handbook_pdf,
    build_qrwall_pdf,
    document_filename,
    load_town_catalog,
)
from onewindow.core.errors import ValidationFailed

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A handbook of 40 items takes ~2 s of CPU to lay out; public, unauthenticated endpoints must not
# redo that per request. The key changes with the content, so the lifetime only bounds memory.
CACHE_SECONDS = 60 * 60
PAPERS = ("a4", "a3")


def content_disposition(filename: str, ascii_fallback: str, *, inline: bool) -> str:
    """RFC 6266 with an RFC 5987 `filename*` for the Chinese name and an ASCII name for old clients."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename)}"


def _document(request, town_code: str, name: str, *, paper: str = "a4") -> HttpResponse:
    town = selectors.public_town(town_code)
    catalog = load_town_catalog(town)
    qr_base = qr.absolute_url("/", request)  # QR targets are part of the content

    def url_for(item_code):
        return qr.guide_url(town.code, item_code, request)

    builders = {
        "catalog.pdf": lambda: build_catalog_pdf(catalog),
        "catalog.xlsx": lambda: build_catalog_xlsx(catalog),
        "handbook.pdf": lambda: build_handbook_pdf(catalog, url_for),
        "qr-wall.pdf": lambda: build_qrwall_pdf(catalog, url_for, paper=paper),
    }
    key = f"catalog-doc:{name}:{paper}:" + catalog.fingerprint(qr_base, settings.ONEWINDOW_CJK_FONT)
    content = cache.get(key)
    if content is None:
        content = builders[name]()
        cache.set(key, content, CACHE_SECONDS)
    stem, _, extension = name.rpartition(".")
    content_type = PDF if extension == "pdf" else XLSX
    response = HttpResponse(content, content_type=content_type)
    # PDFs open in the browser to print; the workbook downloads.
    response["Content-Disposition"] = content_disposition(
        document_filename(catalog, name, paper=paper),
        f"{stem}-{town.code}{'-a3' if paper == 'a3' else ''}.{extension}",
        inline=content_type == PDF,
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def catalog_pdf(request, town_code):
    return _document(request, town_code, "catalog.pdf")


@require_safe
def catalog_xlsx(request, town_code):
    return _document(request, town_code, "catalog.xlsx")


@require_safe
def handbook_pdf(request, town_code):
    return _document(request, town_code, "handbook.pdf")


@require_safe
def qrwall_pdf(request, town_code):
    paper = (request.GET.get("paper") or "a4").lower()
    if paper not in PAPERS:
        raise ValidationFailed("纸张规格只能是A4或A3", fields={"paper": "纸张规格只能是A4或A3"}, code="documents.paper")
    return _document(request, town_code, "qr-wall.pdf", paper=paper)


_TOWN = r"^guide/(?P<town_code>[0-9]{12})/documents/"
urlpatterns = [
    re_path(_TOWN + r"catalog\.pdf$", catalog_pdf, name="doc-catalog-pdf"),
    re_path(_TOWN + r"catalog\.xlsx$", catalog_xlsx, name="doc-catalog-xlsx"),
    re_path(_TOWN + r"handbook\.pdf$", handbook_pdf, name="doc-handbook-pdf"),
    re_path(_TOWN + r"qr-wall\.pdf$", qrwall_pdf, name="doc-qrwall-pdf"),
]
