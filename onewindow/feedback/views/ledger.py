"""问题台账 (堵点、难点、卡点): the list with its filters and the staff's own findings, one entry with its status
changes, and the monthly 专项汇总 of a town as Excel and PDF."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from onewindow.catalog import selectors as catalog
from onewindow.catalog.views.documents import content_disposition
from onewindow.core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from onewindow.core.parsing import int_or_none
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role
from onewindow.feedback import selectors_supervision as selectors
from onewindow.feedback.models import ProblemKind, ProblemSource, ProblemStatus
from onewindow.feedback.reports import build_summary_pdf, build_summary_xlsx, load_problem_summary, summary_filename
from onewindow.feedback.services import ledger as service
from onewindow.org.models import Department, Region

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_LIMIT = 500


def _readers_only(user) -> None:
    if effective_role(user) not in service.LEDGER_READERS:
        raise Forbidden("只有中心主任、出件窗口人员、督办员和县局管理员可以查看问题台账")


def _towns(user):
    """The towns whose ledger the user may read: all for the county, else their own."""
    if effective_role(user) == Role.COUNTY_ADMIN or (effective_role(user) == Role.SUPERVISOR and user.town_id is None):
        return list(catalog.public_towns())
    return [user.town] if user.town_id else []


def _summary_town(user, code_or_id) -> Region:
    towns = _towns(user)
    if len(towns) == 1 and not code_or_id:
        return towns[0]
    if not code_or_id:
        raise ValidationFailed("请先选择镇街", fields={"town": "请选择镇街"})
    for town in towns:
        if town.code == str(code_or_id):
            return town
    raise NotFound()  # another town's ledger answers like a missing one


def _list_context(request, filters) -> dict:
    user = request.user
    rows = list(selectors.ledger_entries(user, filters).order_by("-recorded_at", "-pk")[: LIST_LIMIT + 1])
    scope = selectors.ledger_for(user)
    month = filters.month or timezone.localdate().replace(day=1)
    towns = _towns(user)
    summary_town = next((t for t in towns if t.pk == filters.town_id), towns[0] if len(towns) == 1 else None)
    summary_query = urlencode({"month": f"{month:%Y-%m}", "town": summary_town.code}) if summary_town else ""
    return {
        "rows": rows[:LIST_LIMIT],
        "truncated": len(rows) > LIST_LIMIT,
        "filters": filters,
        "month_value": f"{filters.month:%Y-%m}" if filters.month else "",
        "summary_month": month,
        "summary_town": summary_town,
        "summary_query": summary_query,
        "kinds": ProblemKind.choices,
        "sources": ProblemSource.choices,
        "statuses": ProblemStatus.choices,
        "towns": towns if len(towns) > 1 else [],
        "items": catalog.items_for(user)
        .filter(pk__in=scope.exclude(item=None).values("item_id"))
        .order_by("name")
        .values_list("pk", "name"),
        "departments": Department.objects.visible_to(user).order_by("kind", "name").values_list("pk", "name"),
        "can_record": effective_role(user) in service.LEDGER_EDITORS,
        "record_items": list(catalog.public_items(user.town).order_by("name").values_list("pk", "name"))
        if user.town_id
        else [],
        "record_towns": towns if effective_role(user) == Role.COUNTY_ADMIN else [],
        "form": {},
        "errors": {},
    }


def _record(request):
    user, post = request.user, request.POST
    town = None
    if effective_role(user) == Role.COUNTY_ADMIN:
        town = next((t for t in _towns(user) if t.pk == int_or_none(post.get("town"))), None)
    item_id, department_id = int_or_none(post.get("item")), int_or_none(post.get("department"))
    item = catalog.items_for(user).filter(pk=item_id).first() if item_id else None
    department = Department.objects.visible_to(user).filter(pk=department_id).first() if department_id else None
    if (item_id and item is None) or (department_id and department is None):
        raise ValidationFailed(fields={"item" if item_id and item is None else "department": "选择无效"})
    return service.problem_record_by_staff(
        actor=user,
        town=town,
        kind=post.get("kind", ""),
        description=post.get("description", ""),
        item=item,
        department=department,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ledger(request):
    _readers_only(request.user)
    if request.method == "POST":
        try:
            entry = _record(request)
        except DomainError as error:
            if error.status == 404:
                raise
            context = _list_context(request, selectors.LedgerFilters())
            context.update(form=request.POST, errors=error.fields, error_message=error.full_message)
            return render(request, "feedback/ledger.html", context, status=error.status)
        messages.success(request, f"已登记{entry.get_kind_display()}问题。")
        return redirect("feedback:ledger")
    return render(
        request, "feedback/ledger.html", _list_context(request, selectors.LedgerFilters.from_query(request.GET))
    )


@login_required
@require_http_methods(["GET", "POST"])
def ledger_entry(request, pk: int):
    _readers_only(request.user)
    entry = selectors.ledger_entry_get(request.user, pk)
    context = {
        "e": entry,
        "next_statuses": [
            (s, ProblemStatus(s).label)
            for s in ProblemStatus.values
            if s in service.ALLOWED_STATUS_CHANGES[entry.status]
        ],
        "can_edit": effective_role(request.user) in service.LEDGER_EDITORS,
        "form": {},
        "errors": {},
    }
    if request.method == "POST":
        try:
            entry = service.problem_set_status(
                actor=request.user,
                entry=entry,
                status=request.POST.get("status", ""),
                measures=request.POST.get("measures", ""),
            )
        except DomainError as error:
            if error.status == 404:
                raise
            context.update(form=request.POST, errors=error.fields, error_message=error.full_message)
            return render(request, "feedback/ledger_entry.html", context, status=error.status)
        messages.success(request, f"已改为“{entry.get_status_display()}”。")
        return redirect("feedback:ledger-entry", pk)
    return render(request, "feedback/ledger_entry.html", context)


def _summary(request, extension: str) -> HttpResponse:
    _readers_only(request.user)
    town = _summary_town(request.user, request.GET.get("town", ""))
    month_text = request.GET.get("month") or f"{timezone.localdate():%Y-%m}"
    summary = load_problem_summary(town, selectors.parse_month(month_text))
    if extension == "pdf":
        content, content_type = build_summary_pdf(summary), PDF
    else:
        content, content_type = build_summary_xlsx(summary), XLSX
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        summary_filename(summary, extension),
        f"problem-summary-{town.code}-{summary.month:%Y-%m}.{extension}",
        inline=extension == "pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def ledger_summary_pdf(request):
    return _summary(request, "pdf")


@login_required
@require_safe
def ledger_summary_xlsx(request):
    return _summary(request, "xlsx")


urlpatterns = [
    path("feedback/ledger/", ledger, name="ledger"),
    path("feedback/ledger/<int:pk>/", ledger_entry, name="ledger-entry"),
    path("feedback/ledger/summary.pdf", ledger_summary_pdf, name="ledger-summary-pdf"),
    path("feedback/ledger/summary.xlsx", ledger_summary_xlsx, name="ledger-summary-xlsx"),
]
