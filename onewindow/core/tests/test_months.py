"""Months typed into report filters: "2026-11" in, the month's first day and local-time bounds out."""

from datetime import date

import pytest

from onewindow.core.errors import ValidationFailed
from onewindow.core.months import month_bounds, next_month, parse_month


def test_a_month_is_read_with_or_without_a_day_and_blank_takes_the_default():
    assert parse_month("2026-11") == parse_month(" 2026-11-27 ") == date(2026, 11, 1)
    assert parse_month("", default=date(2026, 9, 17)) == date(2026, 9, 1)


@pytest.mark.parametrize("value", ["", "九月", "2026-13", "2026/11", "1999-12", "2026-11x"])
def test_anything_else_is_a_chinese_error(value):
    with pytest.raises(ValidationFailed) as error:
        parse_month(value)
    assert "月份格式" in error.value.message


def test_bounds_are_local_midnights_and_december_rolls_over():
    start, end = month_bounds(date(2026, 12, 5))
    assert (start.isoformat(), end.isoformat()) == ("2026-12-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00")
    assert next_month(date(2026, 1, 1)) == date(2026, 2, 1)
