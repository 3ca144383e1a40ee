"""Working-day arithmetic against the State Council's real holiday schedules (国务院办公厅通知)."""

import random
from datetime import date, datetime, timedelta

import chinese_calendar
import pytest

from onewindow.core.calendar import (
    CalendarNotCovered,
    add_working_days,
    invalidate_cache,
    is_workday,
    working_days_between,
)
from onewindow.core.models import CalendarDay, CalendarVersion

pytestmark = pytest.mark.django_db


def _days(first: date, last: date):
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


WORKDAYS_ON_WEEKENDS = [
    date(2020, 4, 26),  # Sunday, 劳动节调休
    date(2020, 5, 9),  # Saturday, 劳动节调休
    date(2020, 9, 27),  # Sunday, 国庆节、中秋节调休
    date(2020, 10, 10),  # Saturday, 国庆节、中秋节调休
    date(2024, 2, 4),  # Sunday, 春节调休
    date(2024, 2, 18),  # Sunday, 春节调休
    date(2024, 9, 29),  # Sunday, 国庆节调休
    date(2024, 10, 12),  # Saturday, 国庆节调休
]
HOLIDAYS = [
    *_days(date(2020, 5, 1), date(2020, 5, 5)),
    *_days(date(2020, 10, 1), date(2020, 10, 8)),
    *_days(date(2024, 2, 10), date(2024, 2, 17)),
    *_days(date(2024, 10, 1), date(2024, 10, 7)),
]


@pytest.mark.parametrize("day", WORKDAYS_ON_WEEKENDS, ids=str)
def test_makeup_weekend_days_are_workdays(calendar_2020_2026, day):
    assert is_workday(day)
    assert CalendarDay.objects.get(date=day).kind == "makeup_workday"


@pytest.mark.parametrize("day", HOLIDAYS, ids=str)
def test_statutory_holidays_are_days_off(calendar_2020_2026, day):
    assert not is_workday(day)
    row = CalendarDay.objects.get(date=day)
    assert row.kind == "holiday"
    assert row.name in {"劳动节", "国庆节", "中秋节", "春节"}


def test_ordinary_weekdays_and_weekends(calendar_2020_2026):
    assert is_workday(date(2020, 9, 30))  # Wednesday
    assert not is_workday(date(2020, 9, 26))  # Saturday
    assert CalendarDay.objects.get(date=date(2020, 9, 26)).kind == "weekend"


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2020, 9, 30), 1, date(2020, 10, 9)),  # over 国庆中秋 8 days off
        (date(2020, 9, 25), 1, date(2020, 9, 27)),  # Friday → the make-up Sunday
        (date(2020, 4, 30), 1, date(2020, 5, 6)),
        (date(2020, 4, 30), 4, date(2020, 5, 9)),  # the 4th is the make-up Saturday
        (date(2024, 2, 8), 1, date(2024, 2, 9)),
        (date(2024, 2, 9), 1, date(2024, 2, 18)),  # over 春节
        (date(2024, 9, 27), 1, date(2024, 9, 29)),
        (date(2024, 10, 1), 1, date(2024, 10, 8)),  # counting from a holiday
        (date(2020, 10, 1), 0, date(2020, 10, 1)),  # n == 0 is the start itself, even on a holiday
        (date(2020, 12, 31), 1, date(2021, 1, 4)),  # across a year boundary (元旦 + weekend)
    ],
    ids=str,
)
def test_add_working_days(calendar_2020_2026, start, n, expected):
    assert add_working_days(start, n) == expected


def test_twenty_working_days_from_acceptance(calendar_2020_2026):
    # A 20-working-day 承诺件 accepted on 2020-09-28 runs over 国庆中秋.
    assert add_working_days(date(2020, 9, 28), 20) == date(2020, 11, 2)
    assert working_days_between(date(2020, 9, 28), date(2020, 11, 2)) == 20


def test_working_days_between_matches_a_day_by_day_count(calendar_2020_2026):
    # Independent oracle: the package itself, asked day by day (once, as running totals).
    first, last = date(2020, 1, 1), date(2026, 12, 31)
    days = _days(first, last)
    workdays_up_to = {}
    total = 0
    for day in days:
        total += chinese_calendar.is_workday(day)
        workdays_up_to[day] = total
    rng = random.Random(20201001)
    for _ in range(2000):
        a, b = rng.choice(days), rng.choice(days)
        assert working_days_between(a, b) == workdays_up_to[b] - workdays_up_to[a], (a, b)


def test_add_working_days_inverts_working_days_between(calendar_2020_2026):
    rng = random.Random(20240210)
    for _ in range(300):
        start = date(2020, 1, 1) + timedelta(days=rng.randint(0, 365 * 5))
        n = rng.randint(0, 200)
        end = add_working_days(start, n)
        assert working_days_between(start, end) == n
        assert working_days_between(end, start) == -n
        if n:
            assert is_workday(end)
            assert working_days_between(start, end - timedelta(days=1)) == n - 1


def test_uncovered_year_is_an_error_not_a_guess(calendar_2020_2026):
    with pytest.raises(CalendarNotCovered) as raised:
        add_working_days(date(2026, 12, 25), 10)
    assert raised.value.code == "calendar.not_covered"
    assert raised.value.year == 2027
    assert raised.value.message == "2027年的工作日历尚未维护，请联系县行政审批服务局管理员补录节假日安排"
    with pytest.raises(CalendarNotCovered):
        is_workday(date(2027, 1, 4))
    with pytest.raises(CalendarNotCovered):
        working_days_between(date(2026, 12, 1), date(2027, 1, 10))
    with pytest.raises(CalendarNotCovered) as raised:
        is_workday(date(2019, 12, 31))
    assert raised.value.year == 2019


def test_answers_inside_the_covered_years_up_to_their_last_day(calendar_2020_2026):
    assert add_working_days(date(2026, 12, 28), 3) == date(2026, 12, 31)
    # Counting from the last day of 2019 only needs 2020.
    assert add_working_days(date(2019, 12, 31), 1) == date(2020, 1, 2)


def test_empty_calendar_covers_nothing(db):
    with pytest.raises(CalendarNotCovered):
        add_working_days(date(2024, 3, 1), 1)


def test_rejects_datetimes_and_negative_counts(calendar_2020_2026):
    with pytest.raises(TypeError):
        add_working_days(datetime(2020, 10, 1, 9, 0), 1)
    with pytest.raises(ValueError):
        add_working_days(date(2020, 10, 1), -1)


def test_snapshot_answers_without_queries_once_loaded(calendar_2020_2026, django_assert_num_queries):
    with django_assert_num_queries(3):  # version stamp, covered years, workdays
        add_working_days(date(2020, 9, 30), 1)
    with django_assert_num_queries(0):
        for _ in range(1000):
            add_working_days(date(2020, 9, 30), 15)
            working_days_between(date(2020, 1, 1), date(2026, 12, 31))
            is_workday(date(2024, 2, 18))


def test_another_process_change_is_seen_after_the_recheck_interval(calendar_2020_2026, settings):
    assert add_working_days(date(2020, 10, 9), 1) == date(2020, 10, 10)
    # Another process marks the make-up Saturday off and stamps a new version (simulated with raw updates).
    CalendarDay.objects.filter(date=date(2020, 10, 10)).update(is_workday=False, kind="weekend")
    CalendarVersion.objects.update(stamp="00000000-0000-0000-0000-000000000001")
    settings.ONEWINDOW_CALENDAR_RECHECK_SECONDS = 3600
    assert add_working_days(date(2020, 10, 9), 1) == date(2020, 10, 10)  # still within the interval
    settings.ONEWINDOW_CALENDAR_RECHECK_SECONDS = 0
    assert add_working_days(date(2020, 10, 9), 1) == date(2020, 10, 12)


def test_unchanged_stamp_keeps_the_snapshot(calendar_2020_2026, settings, django_assert_num_queries):
    settings.ONEWINDOW_CALENDAR_RECHECK_SECONDS = 0
    invalidate_cache()
    is_workday(date(2020, 1, 2))
    with django_assert_num_queries(1):  # only the stamp is re-read
        is_workday(date(2020, 1, 2))
