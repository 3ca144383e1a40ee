"""Working-day arithmetic for 办理时限 (time limits counted in working days).

Reads the calendar tables into an immutable per-process snapshot: the sorted ordinals of every
workday in the covered years, and for each covered year the last year of the unbroken run of
covered years it belongs to. Every question is then answered with bisect, never a day-by-day loop.

A question that touches a year nobody has maintained raises CalendarNotCovered: a weekend-only
guess would silently move a legal deadline.

Freshness: the snapshot carries the CalendarVersion stamp it was built from. The stamp is re-read
from the database at most every ONEWINDOW_CALENDAR_RECHECK_SECONDS (default 5); the services that
change the calendar also drop this process's snapshot at once, so the writer sees its own change.
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings

from onewindow.core.errors import DomainError
from onewindow.core.models import CalendarDay, CalendarVersion, CalendarYear

DEFAULT_RECHECK_SECONDS = 5.0


class CalendarNotCovered(DomainError):
    status = 409
    code = "calendar.not_covered"

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"{year}年的工作日历尚未维护，请联系县行政审批服务局管理员补录节假日安排")


@dataclass(frozen=True)
class _Snapshot:
    stamp: object
    workdays: list[int]  # date ordinals, ascending
    run_end: dict[int, int]  # covered year -> last year of its unbroken run of covered years

    def last_covered_year(self, first_year: int) -> int:
        """The last year reachable from first_year without crossing an uncovered year."""
        if first_year not in self.run_end:
            raise CalendarNotCovered(first_year)
        return self.run_end[first_year]


# (snapshot, monotonic time of the last stamp check); replaced as a whole, so threads never see half.
_cache: tuple[_Snapshot, float] | None = None


def invalidate_cache() -> None:
    """Forget this process's snapshot; the next question reloads it. Called by the calendar services."""
    global _cache
    _cache = None


def _recheck_seconds() -> float:
    return float(getattr(settings, "ONEWINDOW_CALENDAR_RECHECK_SECONDS", DEFAULT_RECHECK_SECONDS))


def _current_stamp():
    stamps = CalendarVersion.objects.filter(pk=CalendarVersion.SINGLETON_ID).values_list("stamp", flat=True)
    return stamps.first()


def _load(stamp) -> _Snapshot:
    years = sorted(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
    run_end: dict[int, int] = {}
    for year in reversed(years):
        run_end[year] = run_end.get(year + 1, year)
    dates = CalendarDay.objects.filter(is_workday=True).order_by("date").values_list("date", flat=True)
    workdays = [d.toordinal() for d in dates if d.year in run_end]
    return _Snapshot(stamp=stamp, workdays=workdays, run_end=run_end)


def _snapshot() -> _Snapshot:
    global _cache
    now = time.monotonic()
    cached = _cache
    if cached is not None and now - cached[1] < _recheck_seconds():
        return cached[0]
    # Stamp first, rows second: rows newer than their stamp only cause one extra reload later,
    # rows older than their stamp would be trusted until the next change.
    stamp = _current_stamp()
    snapshot = cached[0] if cached is not None and cached[0].stamp == stamp else _load(stamp)
    _cache = (snapshot, now)
    return snapshot


def _check_date(value) -> None:
    # A datetime would silently use its UTC or naive date; callers convert with timezone.localdate().
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"expected a datetime.date, got {type(value).__name__}")


def _year_after(day: date) -> int:
    """The year of the day after `day` (without date arithmetic that overflows at date.max)."""
    return day.year + 1 if (day.month, day.day) == (12, 31) else day.year


def is_workday(day: date) -> bool:
    _check_date(day)
    snapshot = _snapshot()
    snapshot.last_covered_year(day.year)
    ordinal = day.toordinal()
    index = bisect_left(snapshot.workdays, ordinal)
    return index < len(snapshot.workdays) and snapshot.workdays[index] == ordinal


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start`; the start day itself is not counted (受理次日起算)."""
    _check_date(start)
    if n < 0:
        raise ValueError("n must be >= 0")
    if n == 0:
        return start
    snapshot = _snapshot()
    last_year = snapshot.last_covered_year(_year_after(start))
    index = bisect_right(snapshot.workdays, start.toordinal()) + n - 1
    if index >= len(snapshot.workdays) or date.fromordinal(snapshot.workdays[index]).year > last_year:
        raise CalendarNotCovered(last_year + 1)
    return date.fromordinal(snapshot.workdays[index])


def working_days_between(a: date, b: date) -> int:
    """Working days in (a, b]; negative when b is before a, so that
    working_days_between(a, add_working_days(a, n)) == n."""
    _check_date(a)
    _check_date(b)
    if a == b:
        return 0
    if b < a:
        return -working_days_between(b, a)
    snapshot = _snapshot()
    last_year = snapshot.last_covered_year(_year_after(a))
    if b.year > last_year:
        raise CalendarNotCovered(last_year + 1)
    return bisect_right(snapshot.workdays, b.toordinal()) - bisect_right(snapshot.workdays, a.toordinal())
