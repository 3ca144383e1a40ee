"""Several windows pressing 'call next' at the same moment on PostgreSQL: nobody is called twice."""

import threading
from collections import Counter

import pytest
from django.db import connection

from onewindow.audit.services import PUBLIC
from onewindow.hall.models import Ticket, TicketStatus
from onewindow.hall.services.calling import call_next, ticket_finish
from onewindow.hall.services.tickets import ticket_issue
from onewindow.org.models import User
from onewindow.org.services import save_staff, window_set_open
from onewindow.testing.world import PASSWORD

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

TICKETS = 30


def test_concurrent_calls_claim_each_ticket_once(world, hall, clock):
    window_set_open(actor=world.user("a", "center_director"), window=world.a.windows[2], is_open=True)
    for _ in range(TICKETS):
        ticket_issue(actor=PUBLIC, category=hall["A"])
    clerks = [
        save_staff(
            actor=world.county_admin,
            password=PASSWORD,
            user=User(username=f"window{n}", name=f"窗口员{n}", role="front_clerk", town=world.a.region),
        )
        for n in range(3)
    ]
    start, calls, errors = threading.Barrier(3), [], []

    def work(clerk, window):
        try:
            start.wait()
            while (ticket := call_next(actor=clerk, window=window)) is not None:
                calls.append((ticket.pk, window.pk))
                ticket_finish(actor=clerk, ticket=ticket, window=window)
        except Exception as exc:  # the main thread reports it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(c, w)) for c, w in zip(clerks, world.a.windows, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(calls) == TICKETS and max(Counter(pk for pk, _ in calls).values()) == 1
    assert len({w for _, w in calls}) > 1  # the windows really worked in parallel
    assert Ticket.objects.filter(status=TicketStatus.DONE).count() == TICKETS
