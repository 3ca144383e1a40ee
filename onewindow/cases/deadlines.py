"""Deadline colours (DESIGN §3): green, yellow when one working day is left, red when overdue."""

from __future__ import annotations

from datetime import date

from django.db import models

from onewindow.core.calendar import CalendarNotCovered, working_days_between


class DeadlineState(models.TextChoices):
    GREEN = "green", "正常"
    YELLOW = "yellow", "即将到期"
    RED = "red", "已超期"


def deadline_state(deadline: date | None, today: date) -> str | None:
    if deadline is None:
        return None
    if today > deadline:
        return DeadlineState.RED
    try:
        left = working_days_between(today, deadline)
    except CalendarNotCovered:
        return DeadlineState.GREEN  # the deadline is in a year nobody maintained yet: far away by definition
    return DeadlineState.YELLOW if left <= 1 else DeadlineState.GREEN


def working_days_left(deadline: date | None, today: date) -> int | None:
    if deadline is None:
        return None
    try:
        return working_days_between(today, deadline)
    except CalendarNotCovered:
        return None
