"""Calendar months as the reports, lists and exports use them: "2026-11" typed in, local-time bounds out."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from django.utils import timezone

from onewindow.core.errors import ValidationFailed

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(value: str | None, *, default: date | None = None) -> date:
    """ "2026-11" → date(2026, 11, 1); blank → `default`'s month when given; anything else a Chinese 400."""
    value = (value or "").strip()
    if not value and default is not None:
        return default.replace(day=1)
    match = _MONTH.match(value[:7] if len(value) > 7 and value[7:8] == "-" else value)
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        raise ValidationFailed("月份格式应为 年-月，例如 2026-11", fields={"month": "月份格式有误"})
    return date(int(match.group(1)), int(match.group(2)), 1)


def next_month(first: date) -> date:
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month of `month` as local-time instants [start, end), for filtering a DateTimeField."""
    first = month.replace(day=1)
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(first, time.min), zone),
        timezone.make_aware(datetime.combine(next_month(first), time.min), zone),
    )
