"""A hall for tests: town A's center set up with the default categories and window profiles."""

from datetime import date

import pytest

from onewindow.audit.services import SYSTEM
from onewindow.hall.models import QueueCategory
from onewindow.hall.services.setup import hall_setup_defaults
from onewindow.org.models import BusinessCategory
from onewindow.org.services import save_business_category


@pytest.fixture
def hall(world, clock):
    """Town A's hall on Tuesday 2026-09-01 at 09:30 (inside the morning session). Windows: 1 医保 (A first),
    2 综合受理 (C first, then A, B), 3 潮汐 (closed)."""
    for code, name in (
        ("social_security", "社保"),
        ("social_assistance", "低保五保"),
        ("veterans", "退役军人优抚"),
        ("comprehensive", "综合事项"),
    ):
        save_business_category(actor=SYSTEM, category=BusinessCategory(code=code, name=name))
    hall_setup_defaults(actor=SYSTEM, center=world.a.center)
    assert clock.day == date(2026, 9, 1)
    return {c.prefix: c for c in QueueCategory.objects.filter(center=world.a.center)}
