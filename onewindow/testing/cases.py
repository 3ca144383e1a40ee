"""Cases for tests: applicants with valid identifiers, a clock to move 'today', intake through the services."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from onewindow.cases.models import Channel, MaterialState
from onewindow.cases.services.intake import Applicant, case_intake
from onewindow.core.pii import id_check_char
from onewindow.testing.catalog import make_item, sample_spec


def id_number(first17: str = "37082919560101001") -> str:
    return first17 + id_check_char(first17)


PERSON = Applicant(kind="person", name="张桂英", id_number=id_number(), phone="13805371234", address="嘉祥街道一村")


@dataclass
class Clock:
    """'Now' for the services under test; tests move it day by day."""

    day: date
    at: time = time(9, 30)

    def now(self):
        return timezone.make_aware(datetime.combine(self.day, self.at))

    def advance(self, days: int = 1) -> date:
        self.day += timedelta(days=days)
        return self.day

    def minutes(self, n: int) -> None:
        """Moves the time of day on by n minutes (same day)."""
        moved = datetime.combine(self.day, self.at) + timedelta(minutes=n)
        self.day, self.at = moved.date(), moved.time()


@pytest.fixture
def clock(monkeypatch, calendar_2020_2026):
    """Pins today to Tuesday 2026-09-01 (the calendar knows 2020–2026, so deadlines stay in range)."""
    current = Clock(date(2026, 9, 1))
    monkeypatch.setattr(timezone, "now", current.now)
    return current


def offered_item(world, code="370829-DB-001", **spec_overrides):
    """sample_spec (stages: 入户调查 by social, then 联合审核 by social + labour) published in town A at window 2."""
    spec = sample_spec(**spec_overrides) if spec_overrides else None
    return make_item(code, spec=spec, adopt_in=[world.a.region], window=world.a.windows[1])


ALL_REQUIRED = {1: MaterialState.RECEIVED, 2: MaterialState.RECEIVED, 3: MaterialState.RECEIVED}


def receive(world, item, *, actor=None, materials=None, applicant=PERSON, **kwargs):
    """A walk-in application received at town A's front desk (materials 1–3 of sample_spec are required)."""
    return case_intake(
        actor=actor or world.user("a", "front_clerk"),
        item=item,
        town=world.a.region,
        applicant=applicant,
        channel=kwargs.pop("channel", Channel.WINDOW),
        materials=ALL_REQUIRED if materials is None else materials,
        **kwargs,
    )
