"""An overdue 限期整改 alerts the town's directors once a day until it is done (the scheduler runs the sweep)."""

from datetime import date

import pytest
from django.core.management import call_command

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.core.models import Notification
from onewindow.feedback.models import Outcome, ProblemKind
from onewindow.feedback.services.rectification import rectification_callback
from onewindow.feedback.services.rectification_work import (
    rectification_choose_outcome,
    rectification_complete,
    sweep_rectifications,
)
from onewindow.feedback.tests.rectification_support import bad_rating, delivered_case

pytestmark = pytest.mark.django_db
# fixtures shared with the other rectification tests

ALERT = "差评整改已超期"


@pytest.fixture
def by_deadline(world, clock, reasoned_item):
    director = world.user("a", "center_director")
    r = bad_rating(delivered_case(world, reasoned_item)).rectification
    rectification_callback(actor=director, rectification=r, reached=True, valid=True, summary="属实")
    return rectification_choose_outcome(
        actor=director, rectification=r, outcome=Outcome.BY_DEADLINE, problem_kind=ProblemKind.BOTTLENECK
    )


def alerts(world):
    return Notification.objects.filter(user=world.user("a", "center_director"), title=ALERT).count()


def test_alerted_once_per_day_while_overdue(world, clock, by_deadline):
    assert by_deadline.deadline == date(2026, 9, 8)
    clock.day = date(2026, 9, 8)  # the last day: not overdue yet
    assert sweep_rectifications() == []
    clock.day = date(2026, 9, 9)
    assert sweep_rectifications() == [by_deadline.pk]
    assert sweep_rectifications() == []  # the same day again
    assert alerts(world) == 1
    assert Notification.objects.filter(user=world.user("b", "center_director"), title=ALERT).count() == 0
    clock.day = date(2026, 9, 10)
    assert sweep_rectifications() == [by_deadline.pk]
    assert alerts(world) == 2
    by_deadline.refresh_from_db()
    assert by_deadline.overdue_alerted_on == date(2026, 9, 10)
    assert AuditEvent.objects.filter(action=AuditAction.RECTIFICATION_OVERDUE_ALERTED).count() == 2

    rectification_complete(actor=world.user("a", "center_director"), rectification=by_deadline, measures="已整改")
    clock.day = date(2026, 9, 11)
    assert sweep_rectifications() == []


def test_the_scheduler_runs_the_sweep(world, clock, by_deadline):
    clock.day = date(2026, 9, 9)
    call_command("scheduler", "--once")  # the immediate task backend runs it inline
    assert alerts(world) == 1


def test_the_overdue_filter_lists_it(client, world, clock, by_deadline):
    client.force_login(world.user("a", "center_director"))
    assert f"/feedback/rectifications/{by_deadline.pk}/" not in client.get("/feedback/rectifications/?overdue=1").text
    clock.day = date(2026, 9, 9)
    client.force_login(world.user("a", "center_director"))  # a new day: the idle timeout ended the session
    page = client.get("/feedback/rectifications/?overdue=1").text
    assert f"/feedback/rectifications/{by_deadline.pk}/" in page and "已超期" in page
