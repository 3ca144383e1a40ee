"""Staffing planner: the next weeks' load per category and hour, and how many high-frequency windows to staff.

Forecast arrivals(category, day, hour) = profile × seasonal factor, where
- the profile is the mean number of arrivals in the same weekday and hour over the last 8 weeks (divided by
  the days of that weekday the hall was open, so a holiday Monday does not halve the Monday profile);
- the seasonal factor is S(target month) / S(months the profile was measured in). S(m) is the category's
  level (tickets per open day) in month m over the mean level of the year, taken from the last 12 full
  months when the center has that much history, otherwise from ONEWINDOW_HALL_SEASONAL_FACTORS (by
  default the 医保 payment season, September–December, is busier).
Each hour then goes through Erlang C for the category's target; the high-frequency windows (医保社保 and
民政优抚 together, 4–6 by policy) are recommended per half-day from the peak hour of that half.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings as django_settings
from django.db.models import Count, Min
from django.db.models.functions import ExtractHour, TruncMonth
from django.utils import timezone

from onewindow.core.calendar import CalendarNotCovered, is_workday
from onewindow.hall import estimates
from onewindow.hall.erlang import servers_needed
from onewindow.hall.models import HallSettings, QueueCategory, Ticket
from onewindow.org.models import ServiceCenter

PROFILE_WEEKS = 8
HIGH_FREQUENCY_CODES = ("medical_social", "civil_veterans")
HIGH_FREQUENCY_MIN, HIGH_FREQUENCY_MAX = 4, 6
# Used until a center has a year of its own history: {category code: {month: level vs the year's mean}}.
DEFAULT_SEASONAL_FACTORS = {"medical_social": {9: 1.3, 10: 1.3, 11: 1.4, 12: 1.5}}
WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


@dataclass
class HalfDay:
    label: str
    peak_by_category: dict[str, int]  # prefix → windows needed in the half's peak hour
    high_frequency_needed: int  # 医保社保 + 民政优抚 windows in their common peak hour
    recommended: int  # clamped to 4–6
    tidal: int  # what the clamp leaves uncovered: open tidal windows for it


@dataclass
class DayForecast:
    day: date
    calendar_known: bool
    arrivals: dict[str, list[float]]  # prefix → expected arrivals per hour of `Forecast.hours`
    windows: dict[str, list[int]]  # prefix → windows needed per hour
    halves: list[HalfDay] = field(default_factory=list)

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.day.weekday()]

    @property
    def total_arrivals(self) -> int:
        return round(sum(sum(row) for row in self.arrivals.values()))


@dataclass
class Forecast:
    center: ServiceCenter
    categories: list[QueueCategory]
    hours: list[int]
    days: list[DayForecast]
    seasonal_source: str  # "history" or "configured"
    history_days: int
    service_seconds: dict[str, float]
    factors: dict[str, dict[int, float]]  # prefix → {month: S}


def session_minutes(sessions) -> dict[int, int]:
    """Opening minutes in each clock hour: 08:30–12:00 gives hour 8 thirty minutes, 9–11 sixty."""
    minutes: dict[int, int] = defaultdict(int)
    for first, last in sessions:
        start = int(first[:2]) * 60 + int(first[3:5])
        end = int(last[:2]) * 60 + int(last[3:5])
        for minute in range(start, end):
            minutes[minute // 60] += 1
    return dict(sorted(minutes.items()))


def _profile(center, today) -> tuple[dict, int]:
    """(category_id, weekday, hour) → mean arrivals on an open day of that weekday; and the open days."""
    since = today - timedelta(weeks=PROFILE_WEEKS)
    rows = (
        Ticket.objects.filter(center=center, day__gte=since, day__lt=today)
        .annotate(hour=ExtractHour("arrived_at"))
        .values_list("category_id", "day", "hour")
        .annotate(n=Count("id"))
        .order_by()
    )
    totals: dict[tuple, int] = defaultdict(int)
    open_days: dict[int, set] = defaultdict(set)
    for category_id, day, hour, n in rows:
        totals[(category_id, day.weekday(), hour)] += n
        open_days[day.weekday()].add(day)
    profile = {key: n / len(open_days[key[1]]) for key, n in totals.items()}
    return profile, sum(len(days) for days in open_days.values())


def _month_shift(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _seasonal(center, categories, today) -> tuple[dict[int, dict[int, float]], str]:
    """category_id → {month: S}; from the last 12 full months when there are that many, else configured."""
    first = _month_shift(today, -12)
    this_month = today.replace(day=1)
    earliest = Ticket.objects.filter(center=center).aggregate(first=Min("day"))["first"]
    if earliest is not None and earliest <= first:
        tickets = Ticket.objects.filter(center=center, day__gte=first, day__lt=this_month)
        per_month = tickets.annotate(month=TruncMonth("day")).values_list("month").order_by()
        open_days = {m.month: n for m, n in per_month.annotate(n=Count("day", distinct=True))}
        if len(open_days) == 12:
            counts = per_month.values_list("category_id", "month").annotate(n=Count("id"))
            levels: dict[int, dict[int, float]] = defaultdict(dict)
            for category_id, month, n in counts:
                levels[category_id][month.month] = n / open_days[month.month]
            factors = {}
            for category in categories:
                level = levels.get(category.pk, {})
                mean = sum(level.values()) / 12
                factors[category.pk] = {m: (level.get(m, 0.0) / mean if mean else 1.0) for m in range(1, 13)}
            return factors, "history"
    configured = getattr(django_settings, "ONEWINDOW_HALL_SEASONAL_FACTORS", DEFAULT_SEASONAL_FACTORS)
    return {
        c.pk: {m: float(configured.get(c.code, {}).get(m, 1.0)) for m in range(1, 13)} for c in categories
    }, "configured"


def _days(start: date, weeks: int) -> list[tuple[date, bool]]:
    """Working days from start on; a year the calendar does not know falls back to Monday–Friday, flagged."""
    result = []
    for offset in range(weeks * 7):
        day = start + timedelta(days=offset)
        try:
            if is_workday(day):
                result.append((day, True))
        except CalendarNotCovered:
            if day.weekday() < 5:
                result.append((day, False))
    return result


def _halves(categories, hours, windows) -> list[HalfDay]:
    halves = []
    high = [c.prefix for c in categories if c.code in HIGH_FREQUENCY_CODES]
    for label, in_half in (("上午", lambda h: h < 12), ("下午", lambda h: h >= 12)):
        index = [i for i, h in enumerate(hours) if in_half(h)]
        if not index:
            continue
        peak = {c.prefix: max(windows[c.prefix][i] for i in index) for c in categories}
        needed = max(sum(windows[p][i] for p in high) for i in index) if high else 0
        recommended = min(max(needed, HIGH_FREQUENCY_MIN), HIGH_FREQUENCY_MAX)
        halves.append(HalfDay(label, peak, needed, recommended, max(0, needed - HIGH_FREQUENCY_MAX)))
    return halves


def forecast(center: ServiceCenter, *, weeks: int = 2, now=None) -> Forecast:
    """The next `weeks` weeks from tomorrow, per working day, category and opening hour."""
    now = now or timezone.now()
    weeks = min(max(weeks, 1), 4)
    today = timezone.localdate(now)
    settings = HallSettings.objects.get(center=center)
    minutes = session_minutes(settings.sessions)
    hours = list(minutes)
    categories = list(QueueCategory.objects.filter(center=center, is_open=True).order_by("position", "prefix"))
    profile, history_days = _profile(center, today)
    seasonal, source = _seasonal(center, categories, today)
    measured = [today - timedelta(days=d) for d in range(1, PROFILE_WEEKS * 7 + 1)]
    base = {c.pk: sum(seasonal[c.pk][d.month] for d in measured) / len(measured) for c in categories}
    service = {c.pk: estimates.service_seconds(c, now=now) for c in categories}

    days = []
    for day, known in _days(today + timedelta(days=1), weeks):
        arrivals, windows = {}, {}
        for c in categories:
            factor = seasonal[c.pk][day.month] / base[c.pk] if base[c.pk] else 1.0
            expected = [profile.get((c.pk, day.weekday(), h), 0.0) * factor for h in hours]
            arrivals[c.prefix] = expected
            target = (c.target_wait_minutes * 60, c.target_service_level / 100)
            windows[c.prefix] = [
                servers_needed(n * 60 / minutes[h], service[c.pk], *target)
                for n, h in zip(expected, hours, strict=True)
            ]
        forecast_day = DayForecast(day, known, arrivals, windows)
        forecast_day.halves = _halves(categories, hours, windows)
        days.append(forecast_day)
    return Forecast(
        center=center,
        categories=categories,
        hours=hours,
        days=days,
        seasonal_source=source,
        history_days=history_days,
        service_seconds={c.prefix: service[c.pk] for c in categories},
        factors={c.prefix: seasonal[c.pk] for c in categories},
    )
