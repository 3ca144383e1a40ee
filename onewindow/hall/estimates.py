"""Wait estimates: people ahead × recent service time ÷ open windows serving the category.

Service time is a moving average of the category's recent finished tickets (the same hour of day when there
are enough of them), with outliers capped at three times the median so one 40-minute 宅基地 case does not
double everyone's estimate.
"""

from __future__ import annotations

import statistics
from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from onewindow.hall.models import Ticket, TicketStatus, WindowQueue

DEFAULT_SERVICE_SECONDS = 6 * 60
SAMPLE = 40
MIN_SAME_HOUR = 8


def _capped_mean(durations: list[float]) -> float:
    cap = 3 * statistics.median(durations)
    return statistics.fmean(min(d, cap) for d in durations)


def service_seconds(category, *, now=None) -> float:
    now = now or timezone.now()
    since = now - timedelta(days=28)
    recent = (
        Ticket.objects.filter(
            category=category, status=TicketStatus.DONE, finished_at__gte=since, called_at__isnull=False
        )
        .annotate(took=F("finished_at") - F("called_at"))
        .order_by("-finished_at")
        .values_list("took", "called_at")[: SAMPLE * 4]
    )
    rows = [(took.total_seconds(), called) for took, called in recent if took and took.total_seconds() > 0]
    hour = timezone.localtime(now).hour
    same_hour = [d for d, called in rows if timezone.localtime(called).hour == hour][:SAMPLE]
    if len(same_hour) >= MIN_SAME_HOUR:
        return _capped_mean(same_hour)
    if rows:
        return _capped_mean([d for d, _ in rows[:SAMPLE]])
    return float(DEFAULT_SERVICE_SECONDS)


def serving_windows(category) -> int:
    return WindowQueue.objects.filter(category=category, window__is_open=True).count()


def wait_seconds(category, people_ahead: int, *, now=None) -> int:
    windows = max(1, serving_windows(category))
    return int(people_ahead * service_seconds(category, now=now) / windows)


def people_ahead(ticket: Ticket) -> int:
    """Waiting tickets of the same category that will be called before this one (arrival, then number)."""
    waiting = Ticket.objects.filter(
        center_id=ticket.center_id, day=ticket.day, category_id=ticket.category_id, status=TicketStatus.WAITING
    ).exclude(pk=ticket.pk)
    before = Q(arrived_at__lt=ticket.arrived_at) | Q(arrived_at=ticket.arrived_at, pk__lt=ticket.pk)
    if ticket.priority:
        return waiting.exclude(priority="").filter(before).count()
    return waiting.filter(before).count() + waiting.exclude(priority="").exclude(before).count()
