"""Window actions: call next in profile order, green channel without starvation, recall/no-show, transfer,
hold, finish — and nobody finishes another window's ticket."""

import pytest

from onewindow.audit.services import PUBLIC
from onewindow.core.errors import Conflict
from onewindow.hall.models import TicketStatus
from onewindow.hall.services.calling import (
    call_next,
    ticket_finish,
    ticket_hold,
    ticket_no_show,
    ticket_recall,
    ticket_resume,
    ticket_start,
    ticket_transfer,
)
from onewindow.hall.services.tickets import ticket_issue
from onewindow.org.services import window_set_open

pytestmark = pytest.mark.django_db


def issue(hall, prefix, **kwargs):
    return ticket_issue(actor=PUBLIC, category=hall[prefix], **kwargs)


def test_a_window_calls_its_own_category_first(world, hall, clock):
    clerk = world.user("a", "front_clerk")
    c1 = issue(hall, "C")
    clock.minutes(1)
    a1 = issue(hall, "A")
    medical, comprehensive = world.a.windows[0], world.a.windows[1]
    assert call_next(actor=clerk, window=medical) == a1  # window 1 serves A only
    ticket_finish(actor=clerk, ticket=a1, window=medical)
    assert call_next(actor=clerk, window=medical) is None
    assert call_next(actor=world.user("a", "center_director"), window=comprehensive) == c1


def test_green_channel_goes_first_but_never_starves_the_queue(world, hall, clock):
    clerk, window = world.user("a", "front_clerk"), world.a.windows[0]
    normal = issue(hall, "A")
    clock.minutes(1)
    elders = [issue(hall, "A", priority="elderly") for _ in range(3)]
    called = []
    for _ in range(4):
        ticket = call_next(actor=clerk, window=window)
        called.append(ticket)
        ticket_finish(actor=clerk, ticket=ticket, window=window)
    # two priority calls in a row (priority_ratio = 2), then the waiting normal ticket, then the last elder
    assert called == [elders[0], elders[1], normal, elders[2]]


def test_a_normal_ticket_waiting_too_long_is_called_before_priority(world, hall, clock):
    clerk, window = world.user("a", "front_clerk"), world.a.windows[0]
    normal = issue(hall, "A")
    clock.minutes(31)
    issue(hall, "A", priority="disabled")
    assert call_next(actor=clerk, window=window) == normal


def test_recall_then_no_show(world, hall, clock):
    clerk, window = world.user("a", "front_clerk"), world.a.windows[0]
    issue(hall, "A")
    ticket = call_next(actor=clerk, window=window)
    with pytest.raises(Conflict) as caught:
        ticket_no_show(actor=clerk, ticket=ticket, window=window)
    assert caught.value.code == "hall.recall_first"
    ticket_recall(actor=clerk, ticket=ticket, window=window)
    ticket_recall(actor=clerk, ticket=ticket, window=window)
    assert ticket_no_show(actor=clerk, ticket=ticket, window=window).status == TicketStatus.NO_SHOW


def test_transfer_keeps_the_arrival_time(world, hall, clock):
    clerk, medical = world.user("a", "front_clerk"), world.a.windows[0]
    first = issue(hall, "A")
    clock.minutes(5)
    later_c = issue(hall, "C")
    call_next(actor=clerk, window=medical)
    moved = ticket_transfer(actor=clerk, ticket=first, window=medical, category=hall["C"])
    assert moved.number == "C002" and moved.arrived_at == first.arrived_at
    assert call_next(actor=clerk, window=world.a.windows[1]) == moved  # ahead of C001, who came later
    assert later_c.status == TicketStatus.WAITING


def test_hold_and_resume_and_busy_window(world, hall, clock):
    clerk, window = world.user("a", "front_clerk"), world.a.windows[0]
    issue(hall, "A")
    issue(hall, "A")
    first = call_next(actor=clerk, window=window)
    with pytest.raises(Conflict) as caught:
        call_next(actor=clerk, window=window)
    assert caught.value.code == "hall.window_busy"
    ticket_start(actor=clerk, ticket=first, window=window)
    ticket_hold(actor=clerk, ticket=first, window=window, reason="去复印")
    second = call_next(actor=clerk, window=window)
    ticket_finish(actor=clerk, ticket=second, window=window)
    assert ticket_resume(actor=clerk, ticket=first, window=window).status == TicketStatus.SERVING


def test_closed_window_and_other_windows_ticket_are_refused(world, hall, clock):
    clerk = world.user("a", "front_clerk")
    issue(hall, "A")
    tidal = world.a.windows[2]
    with pytest.raises(Conflict) as caught:
        call_next(actor=clerk, window=tidal)
    assert caught.value.code == "hall.window_closed"
    ticket = call_next(actor=clerk, window=world.a.windows[0])
    window_set_open(actor=world.user("a", "center_director"), window=tidal, is_open=True)
    with pytest.raises(Conflict) as caught:
        ticket_finish(actor=clerk, ticket=ticket, window=tidal)
    assert caught.value.code == "hall.not_this_window"
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED
