"""Synthetic ticket history for statistics and planner tests: rows written with bulk_create, as a past
month of a hall would look (arrival, call and finish times chosen by the test)."""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from onewindow.hall.models import Ticket, TicketSource, TicketStatus

CALLED = (TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.TRANSFERRED)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class History:
    def __init__(self, center):
        self.center = center
        self.sequence: dict[tuple, int] = defaultdict(int)
        self.rows: list[Ticket] = []

    def add(
        self,
        category,
        arrived: datetime,
        *,
        wait: float | None = 5,
        service: float | None = 6,
        status: str = TicketStatus.DONE,
        window=None,
        staff=None,
        estimated_minutes: float | None = None,
    ) -> Ticket:
        """One ticket; wait and service in minutes (ignored where the status says it never got there)."""
        day = timezone.localdate(arrived)
        self.sequence[(category.pk, day)] += 1
        sequence = self.sequence[(category.pk, day)]
        called = arrived + timedelta(minutes=wait) if status in CALLED and wait is not None else None
        finished = None
        if status == TicketStatus.DONE and called is not None:
            finished = called + timedelta(minutes=service)
        elif status in (TicketStatus.NO_SHOW, TicketStatus.TRANSFERRED):
            finished = called
        ticket = Ticket(
            center=self.center,
            category=category,
            day=day,
            sequence=sequence,
            number=f"{category.prefix}{sequence:03d}",
            source=TicketSource.KIOSK,
            status=status,
            arrived_at=arrived,
            called_at=called,
            finished_at=finished,
            window=window if called else None,
            staff=staff if called else None,
            estimated_wait_seconds=None if estimated_minutes is None else int(estimated_minutes * 60),
            follow_token=secrets.token_urlsafe(16)[:22],
        )
        self.rows.append(ticket)
        return ticket

    def save(self) -> list[Ticket]:
        saved = Ticket.objects.bulk_create(self.rows, batch_size=1000)
        self.rows = []
        return saved
