"""Scoped reads of 差评整改: the lists (town / department / county), a detail, the county's review queue, and the
rectification figures the 好差评 statistics count (实名差评回访率、整改率、回复率).

Scope: a director, coordinator, output clerk or supervisor sees the town's; a department reviewer the rectifications
of its department (谁办理、谁负责); the county admin (and a county supervisor) all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from onewindow.core import months
from onewindow.core.errors import ValidationFailed
from onewindow.core.months import month_bounds
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role, one_or_not_found
from onewindow.feedback.models import (
    BAD_LEVELS,
    Callback,
    CountyReview,
    Rating,
    Rectification,
    RectificationStatus,
    ReviewState,
)

LIST_ROLES = frozenset(
    {Role.COUNTY_ADMIN, Role.CENTER_DIRECTOR, Role.COORDINATOR, Role.OUTPUT_CLERK, Role.REVIEWER, Role.SUPERVISOR}
)
PAGE_SIZE = 50


def rectifications_for(actor) -> QuerySet:
    if effective_role(actor) not in LIST_ROLES:
        return Rectification.objects.none()
    return Rectification.objects.visible_to(actor)


def parse_month(value: str) -> date | None:
    """ "2026-09" → 2026-09-01; anything else → None (the list then shows every month)."""
    try:
        return months.parse_month(value)
    except ValidationFailed:
        return None


@dataclass
class RectificationPage:
    rows: list
    counts: dict[str, int]  # status → count, plus "overdue" and "all", within the month filter
    total: int  # rows matching every filter
    page: int
    pages: int
    filters: dict = field(default_factory=dict)


def rectification_list(
    actor, *, status: str = "", month: str = "", overdue: bool = False, page: int = 1, today: date | None = None
) -> RectificationPage:
    """Four queries whatever the page size: counts by status, the overdue count, the page's count and rows."""
    today = today or timezone.localdate()
    queryset = rectifications_for(actor)
    period = parse_month(month)
    if period:
        start, end = month_bounds(period)
        queryset = queryset.filter(opened_at__gte=start, opened_at__lt=end)
    counts = {row["status"]: row["n"] for row in queryset.order_by().values("status").annotate(n=Count("pk"))}
    counts["all"] = sum(counts.values())
    counts["overdue"] = queryset.overdue(today).count()
    if status in RectificationStatus.values:
        queryset = queryset.filter(status=status)
    if overdue:
        queryset = queryset.overdue(today)
    total = queryset.count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = list(
        queryset.select_related("rating", "rating__item", "rating__window", "department", "responsible_staff").order_by(
            "-opened_at", "-pk"
        )[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    )
    for row in rows:
        row.is_overdue = row.is_overdue_on(today)
    return RectificationPage(
        rows=rows,
        counts=counts,
        total=total,
        page=page,
        pages=pages,
        filters={"status": status if status in RectificationStatus.values else "", "month": month if period else ""},
    )


def open_count(actor) -> int:
    """Open rectifications the viewer answers for (the home tile)."""
    return rectifications_for(actor).open().count()


def rectification_detail(actor, pk) -> Rectification:
    queryset = rectifications_for(actor).select_related(
        "town",
        "department",
        "responsible_staff",
        "rating",
        "rating__case",
        "rating__case_step",
        "rating__ticket",
        "rating__window",
        "rating__staff",
        "rating__item",
        "rating__department",
    )
    queryset = queryset.prefetch_related(
        Prefetch("callbacks", queryset=Callback.objects.select_related("called_by")),
        Prefetch("reviews", queryset=CountyReview.objects.select_related("requested_by", "decided_by")),
    )
    return one_or_not_found(queryset, pk=pk)


def pending_reviews(actor) -> list[CountyReview]:
    """The county's queue: appeals and extensions waiting for a decision, oldest first."""
    if effective_role(actor) != Role.COUNTY_ADMIN:
        return []
    return list(
        CountyReview.objects.filter(state=ReviewState.PENDING)
        .select_related("rectification", "rectification__town", "requested_by")
        .order_by("requested_at", "pk")
    )


# --- Figures inputs ----------------------------------------------------------------------------------------
#
# Counted over bad ratings (差评), for whatever set of ratings the caller chooses (a town's month, a window…):
#   bad            差评
#   real_name_bad  实名差评 (not anonymous)
#   called_back    实名差评 with at least one callback that reached the rater. An attempt that did not get through
#                  is not a 回访: the target is 100 % of real-name raters actually spoken to.
#   invalid        declared invalid by the county on appeal (申诉通过: not counted against the unit)
#   rectified      整改 done: fixed now, a 限期整改 completed, or explained (rectified_at set)
#   replied        the rater was answered (答复) and the rectification closed
# Rates: 实名差评回访率 = called_back / real_name_bad; 整改率 = rectified / (bad − invalid);
# 回复率 = replied / (bad − invalid).

FIGURE_KEYS = ("bad", "real_name_bad", "called_back", "invalid", "rectified", "replied")


def _figure_aggregates() -> dict:
    def n(condition: Q) -> Count:
        return Count("pk", filter=condition, distinct=True)

    return {
        "bad": Count("pk", distinct=True),
        "real_name_bad": n(Q(anonymous=False)),
        "called_back": n(Q(anonymous=False, rectification__callbacks__reached=True)),
        "invalid": n(Q(rectification__status=RectificationStatus.INVALID)),
        "rectified": n(Q(rectification__rectified_at__isnull=False)),
        "replied": n(Q(rectification__replied_at__isnull=False)),
    }


def rectification_counts(ratings: QuerySet, *, by: str | None = None):
    """The counts above for `ratings` (a Rating queryset; non-bad ones are ignored); with `by` (e.g. "window",
    "staff", "item", "town"), a dict {value of by: counts} in one GROUP BY query."""
    bad = ratings.filter(level__in=BAD_LEVELS).order_by()
    if by is None:
        return bad.aggregate(**_figure_aggregates())
    return {row.pop(by): row for row in bad.values(by).annotate(**_figure_aggregates())}


def rectification_figures(*, town, year: int, month: int) -> dict:
    """A town's month (by the time the rating was given; town None = the whole county)."""
    start, end = month_bounds(date(year, month, 1))
    ratings = Rating.objects.filter(created_at__gte=start, created_at__lt=end)
    if town is not None:
        ratings = ratings.filter(town=town)
    return rectification_counts(ratings)
