"""好差评统计: the month's figures by window, staff, item or town, and the window ranking (排名)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from onewindow.core.errors import Forbidden, ValidationFailed
from onewindow.core.months import parse_month
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role
from onewindow.feedback import figures
from onewindow.org.models import Region

FIGURE_ROLES = frozenset({Role.COUNTY_ADMIN, Role.CENTER_DIRECTOR, Role.SUPERVISOR})
DIMENSION_LABELS = {"window": "按窗口", "staff": "按工作人员", "item": "按事项", "town": "按镇街"}


def figure_towns(actor, town_code: str | None):
    """The towns the actor may count (None: the whole county) after an optional choice of one town."""
    role = effective_role(actor)
    if role not in FIGURE_ROLES:
        raise Forbidden("只有中心主任、县行政审批服务局和督办员可以查看好差评统计")
    own = actor.town_id if role != Role.COUNTY_ADMIN else None
    if town_code:
        town = Region.objects.filter(level=Region.Level.TOWN, code=town_code).first()
        if town is None or (own is not None and town.pk != own):
            raise ValidationFailed(fields={"town": "请选择您管辖范围内的镇街"})
        return [town.pk]
    return [own] if own is not None else None


@login_required
@require_GET
def figures_page(request):
    towns = figure_towns(request.user, request.GET.get("town"))
    month = parse_month(request.GET.get("month"), default=timezone.localdate())
    by = request.GET.get("by") or "window"
    if by not in figures.DIMENSIONS:
        raise ValidationFailed(fields={"by": "统计维度只能是窗口、工作人员、事项或镇街"})
    rows = figures.month_figures(month=month, by=by, towns=towns)
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    context = {
        "month": month,
        "month_value": f"{month:%Y-%m}",
        "previous": f"{previous:%Y-%m}",
        "following": f"{following:%Y-%m}",
        "by": by,
        "dimensions": DIMENSION_LABELS,
        "rows": rows,
        # The month's totals are the town's (or county's), whatever the tab: a window tab leaves out what no window
        # served (e.g. a case step at the output desk), the totals must not.
        "total": _total(rows if by == "town" else figures.month_figures(month=month, by="town", towns=towns)),
        "ranking": figures.window_ranking(month=month, towns=towns),
        "min_to_rank": figures.MIN_RATINGS_TO_RANK,
        "towns": Region.objects.filter(level=Region.Level.TOWN).order_by("code")
        if effective_role(request.user) == Role.COUNTY_ADMIN or not request.user.town_id
        else [],
        "town_value": request.GET.get("town", ""),
    }
    return render(request, "feedback/figures.html", context)


def _total(rows: list[figures.Row]) -> figures.Row:
    total = figures.Row(key=None, label="合计")
    for row in rows:
        for name in ("services", "ratings", "active", "good", "bad", "real_name_bad", "called_back"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        for name in ("valid_bad", "rectified", "replied", "level_sum"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


urlpatterns = [path("feedback/figures/", figures_page, name="figures")]
