"""Excel import and export of the catalog (county admin: everything; a center director: own town)."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from onewindow.catalog.excel.template import MAX_UPLOAD_BYTES, XLSX_CONTENT_TYPE
from onewindow.catalog.services.importing import catalog_export, catalog_import, catalog_template
from onewindow.catalog.services.permissions import catalog_scope_town
from onewindow.core.scoping import one_or_not_found
from onewindow.org.models import Region


def _download(data: bytes, filename: str) -> FileResponse:
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


@login_required
@require_GET
def excel_export(request):
    """The catalog as .xlsx (?town=CODE: one town's; ?blank=1: the empty template)."""
    scope_town = catalog_scope_town(request.user)  # Forbidden for every other role
    if request.GET.get("blank"):
        return _download(catalog_template(), "事项目录导入模板.xlsx")
    code = request.GET.get("town", "").strip()
    town = one_or_not_found(Region.objects.towns(), code=code) if code else scope_town
    data = catalog_export(actor=request.user, town=town)
    return _download(data, f"事项目录_{town.name if town else '全县'}_{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def excel_import(request):
    scope_town = catalog_scope_town(request.user)
    report, problem, status = None, "", 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problem, status = "请选择要导入的Excel文件（.xlsx）。", 400
        else:
            report = catalog_import(actor=request.user, file=upload, dry_run=request.POST.get("dry_run") == "on")
            status = 200 if report.ok else 400
    context = {
        "scope_town": scope_town,
        "towns": Region.objects.towns().filter(is_active=True) if scope_town is None else [],
        "report": report,
        "problem": problem,
        "max_mb": f"{MAX_UPLOAD_BYTES / (1024 * 1024):g}",
    }
    return render(request, "catalog/excel/import.html", context, status=status)


urlpatterns = [
    path("catalog/staff/excel/", excel_import, name="excel-import"),
    path("catalog/staff/excel/export/", excel_export, name="excel-export"),
]
