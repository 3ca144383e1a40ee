"""The director's hall pages: statistics (with the Excel download), tidal windows, the staffing planner.

A center director sees their own town's center only (another center answers 404, like a missing one);
the county administrator may pick any center from the index page.
"""

from __future__ import annotations

import io
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from onewindow.core.errors import Conflict, Forbidden, ValidationFailed
from onewindow.core.parsing import int_or_none
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role, one_or_not_found
from onewindow.hall import planner, stats
from onewindow.hall.models import QueueCategory, TidalEvent
from onewindow.hall.services import tidal
from onewindow.hall.services.calling import WINDOW_ROLES
from onewindow.org.models import ServiceCenter, User, Window

MANAGERS = frozenset({Role.COUNTY_ADMIN, Role.CENTER_DIRECTOR})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _centers(actor):
    if effective_role(actor) not in MANAGERS:
        raise Forbidden("只有中心主任和县行政审批服务局管理员可以查看大厅管理页面")
    return (
        ServiceCenter.objects.visible_to(actor)
        .filter(kind=ServiceCenter.Kind.TOWN_CENTER, hall_settings__isnull=False)
        .select_related("town")
        .order_by("region__code")
    )


def managed_center(actor, center_id: int) -> ServiceCenter:
    return one_or_not_found(_centers(actor), pk=center_id)


@login_required
@require_GET
def hall_manage(request):
    """Entry point: a director goes straight to their center; the county admin picks one."""
    centers = list(_centers(request.user))
    if effective_role(request.user) == Role.CENTER_DIRECTOR and len(centers) == 1:
        return redirect("hall-tidal", centers[0].pk)
    return render(request, "hall/manage/index.html", {"centers": centers})


# --- statistics -------------------------------------------------------------------------------------------


def _period(request) -> tuple[str, date]:
    period = request.GET.get("period", stats.DAY)
    if period not in (stats.DAY, stats.MONTH):
        raise ValidationFailed(fields={"period": "统计周期只能是按日或按月"})
    raw = request.GET.get("date", "")
    if not raw:
        return period, timezone.localdate()
    try:
        return period, date.fromisoformat(raw[:10] if period == stats.DAY else raw[:7] + "-01")
    except ValueError as exc:
        raise ValidationFailed("日期格式应为 年-月-日，例如 2026-09-01", fields={"date": "日期格式有误"}) from exc


def _minutes(seconds):
    return "—" if seconds is None else f"{seconds / 60:.1f}"


def _row(f: stats.Figures) -> dict:
    rate = "—" if f.no_show_rate is None else f"{f.no_show_rate * 100:.1f}%"
    return {
        "label": f.label,
        "tickets": f.tickets,
        "called": f.called,
        "done": f.done,
        "no_show": f.no_show,
        "no_show_rate": rate,
        "wait_mean": _minutes(f.wait_mean),
        "wait_p90": _minutes(f.wait_p90),
        "service_mean": _minutes(f.service_mean),
        "estimate_count": f.estimate_count,
        "estimate_mae": _minutes(f.estimate_mae),
        "estimate_bias": _minutes(f.estimate_bias),
    }


def _heat_rows(result: stats.HallStats) -> list[tuple[str, list[dict]]]:
    top = result.heat_max or 1
    rows = []
    for label, counts in result.heat:
        cells = []
        for n in counts:
            level = n / top
            cells.append({"n": n, "alpha": f"{0.08 + 0.82 * level:.2f}" if n else "0", "dark": level > 0.55})
        rows.append((label, cells))
    return rows


@login_required
@require_GET
def hall_stats(request, center_id: int):
    center = managed_center(request.user, center_id)
    period, day = _period(request)
    result = stats.hall_stats(center, period=period, day=day)
    before, after = stats.previous_and_next(period, day)
    fmt = "%Y-%m-%d" if period == stats.DAY else "%Y-%m"
    context = {
        "center": center,
        "period": period,
        "day": day,
        "date_value": day.strftime(fmt),
        "before": before.strftime(fmt),
        "after": after.strftime(fmt),
        "result": result,
        "total": _row(result.total),
        "by_category": [_row(f) for f in result.by_category],
        "by_window": [_row(f) for f in result.by_window],
        "by_staff": [_row(f) for f in result.by_staff],
        "by_day": [_row(f) for f in result.by_day],
        "heat": _heat_rows(result),
        "xlsx_url": f"{reverse('hall-stats-xlsx', args=[center.pk])}?period={period}&date={day.strftime(fmt)}",
    }
    return render(request, "hall/manage/stats.html", context)


@login_required
@require_GET
def hall_stats_xlsx(request, center_id: int):
    center = managed_center(request.user, center_id)
    period, day = _period(request)
    result = stats.hall_stats(center, period=period, day=day)
    label = f"{day:%Y-%m-%d}" if period == stats.DAY else f"{day:%Y-%m}"
    data = stats.stats_workbook(result)
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=f"大厅统计-{center.name}-{label}.xlsx", content_type=XLSX
    )


# --- tidal windows ----------------------------------------------------------------------------------------


def _tidal_context(center: ServiceCenter) -> dict:
    open_events = {
        e.window_id: e
        for e in TidalEvent.objects.filter(window__center=center, closed_at__isnull=True).select_related(
            "category", "staff"
        )
    }
    windows = list(Window.objects.filter(center=center, kind=Window.Kind.TIDAL).order_by("number"))
    for window in windows:
        window.tidal_event = open_events.get(window.pk)
    pressures = tidal.center_pressure(center)
    return {
        "center": center,
        "pressures": pressures,
        "alerting": [p for p in pressures if p.crossed],
        "windows": windows,
        "free_windows": [w for w in windows if w.tidal_event is None],
        "categories": QueueCategory.objects.filter(center=center, is_open=True).order_by("position", "prefix"),
        "staff": User.objects.filter(town_id=center.town_id, is_active=True, role__in=WINDOW_ROLES).order_by(
            "role", "username"
        ),
        "events": tidal.tidal_events(center),
        "form": {},
        "errors": {},
    }


def _tidal_post(request, center: ServiceCenter):
    action = request.POST.get("action")
    window = Window.objects.filter(
        center=center, kind=Window.Kind.TIDAL, pk=int_or_none(request.POST.get("window"))
    ).first()
    if action == "close":
        if window is None:
            raise ValidationFailed(fields={"window": "请选择要关闭的潮汐窗口"})
        event = tidal.tidal_close(actor=request.user, window=window)
        return f"{event.window}已关闭，潮汐记录已保存。"
    if action != "open":
        raise ValidationFailed("请选择开启或关闭潮汐窗口")
    if window is None:
        raise ValidationFailed(fields={"window": "请选择本中心的潮汐窗口"})
    category = QueueCategory.objects.filter(center=center, pk=int_or_none(request.POST.get("category"))).first()
    staff = User.objects.filter(pk=int_or_none(request.POST.get("staff"))).first()
    event = tidal.tidal_open(
        actor=request.user, window=window, category=category, staff=staff, reason=request.POST.get("reason", "")
    )
    return f"{event.window}已开启，优先叫“{event.category.prefix} {event.category.name}”，{event.staff}值守。"


@login_required
@require_http_methods(["GET", "POST"])
def hall_tidal(request, center_id: int):
    center = managed_center(request.user, center_id)
    if request.method == "POST":
        try:
            done = _tidal_post(request, center)
        except (ValidationFailed, Conflict) as error:
            context = _tidal_context(center)
            context.update(form=request.POST, errors=error.fields, error_message=error.message)
            return render(request, "hall/manage/tidal.html", context, status=error.status)
        messages.success(request, done)
        return redirect("hall-tidal", center.pk)
    return render(request, "hall/manage/tidal.html", _tidal_context(center))


# --- planner ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def hall_planner(request, center_id: int):
    center = managed_center(request.user, center_id)
    weeks = int_or_none(request.GET.get("weeks")) or 2
    if not 1 <= weeks <= 4:
        raise ValidationFailed(fields={"weeks": "预测周数为 1 至 4 周"})
    result = planner.forecast(center, weeks=weeks)
    high = [c for c in result.categories if c.code in planner.HIGH_FREQUENCY_CODES]
    days = []
    for day in result.days:
        detail = [
            (c, [(f"{n:.1f}", w) for n, w in zip(day.arrivals[c.prefix], day.windows[c.prefix], strict=True)])
            for c in result.categories
        ]
        halves = [(h, [h.peak_by_category.get(c.prefix, 0) for c in high]) for h in day.halves]
        days.append({"day": day, "detail": detail, "halves": halves})
    context = {
        "days": days,
        "high": high,
        "center": center,
        "weeks": weeks,
        "result": result,
        "high_min": planner.HIGH_FREQUENCY_MIN,
        "high_max": planner.HIGH_FREQUENCY_MAX,
        "service_minutes": {p: f"{s / 60:.1f}" for p, s in result.service_seconds.items()},
        "uncovered": any(not d.calendar_known for d in result.days),
    }
    return render(request, "hall/manage/planner.html", context)
