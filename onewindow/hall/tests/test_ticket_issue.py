"""Taking a ticket: numbering per category and day, people ahead and wait, closed categories and hours."""

from datetime import time

import pytest

from onewindow.audit.services import PUBLIC
from onewindow.core.errors import Conflict, ValidationFailed
from onewindow.hall.models import Ticket
from onewindow.hall.services.tickets import ticket_issue

pytestmark = pytest.mark.django_db


def test_numbers_run_per_category_and_restart_each_day(world, hall, clock):
    a1 = ticket_issue(actor=PUBLIC, category=hall["A"])
    a2 = ticket_issue(actor=PUBLIC, category=hall["A"])
    c1 = ticket_issue(actor=PUBLIC, category=hall["C"])
    assert (a1.number, a2.number, c1.number) == ("A001", "A002", "C001")
    assert a2.people_ahead == 1 and a2.estimated_wait_seconds > 0
    clock.advance(1)  # Wednesday
    assert ticket_issue(actor=PUBLIC, category=hall["A"]).number == "A001"
    assert Ticket.objects.filter(number="A001").count() == 2  # yesterday's stays in the history


def test_a_closed_category_or_hall_gives_a_chinese_reason_and_no_ticket(world, hall, clock):
    hall["B"].is_open = False
    hall["B"].save()
    with pytest.raises(Conflict) as caught:
        ticket_issue(actor=PUBLIC, category=hall["B"])
    assert "暂停取号" in caught.value.message
    clock.at = time(12, 30)  # lunch break
    with pytest.raises(Conflict) as caught:
        ticket_issue(actor=PUBLIC, category=hall["A"])
    assert caught.value.code == "hall.closed" and "08:30-12:00" in caught.value.message
    clock.day = clock.day.replace(day=5)  # Saturday 2026-09-05
    clock.at = time(9, 30)
    with pytest.raises(Conflict):
        ticket_issue(actor=PUBLIC, category=hall["A"])
    assert not Ticket.objects.exists()


def test_green_channel_needs_an_enabled_kind_and_a_valid_id(world, hall, clock):
    with pytest.raises(ValidationFailed):
        ticket_issue(actor=PUBLIC, category=hall["A"], priority="vip")
    with pytest.raises(ValidationFailed):
        ticket_issue(actor=PUBLIC, category=hall["A"], priority="elderly", id_number="123")
    ticket = ticket_issue(actor=PUBLIC, category=hall["A"], priority="elderly")
    assert ticket.priority == "elderly"
