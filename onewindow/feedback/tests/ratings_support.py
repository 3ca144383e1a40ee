"""Services to rate in the rating tests, produced through the services as the hall and the front desk would:
a ticket served and finished at a window, a 即办件 completed in one visit, a promised case delivered."""

import pytest

from onewindow.audit.models import AuditEvent
from onewindow.audit.services import PUBLIC
from onewindow.cases.flow import Action
from onewindow.cases.models import TaskStatus
from onewindow.cases.services.acceptance import case_accept, case_complete_instantly
from onewindow.cases.services.output import case_deliver
from onewindow.cases.services.review import case_decide, task_approve
from onewindow.core.roles import Role
from onewindow.core.sms import LocmemSmsBackend
from onewindow.feedback.models import Rating, Rectification
from onewindow.hall.services.calling import call_next, ticket_finish
from onewindow.hall.services.tickets import ticket_issue
from onewindow.org.models import User
from onewindow.org.services import save_staff
from onewindow.testing.cases import offered_item, receive
from onewindow.testing.world import PASSWORD

RATER_MOBILE = "13905370001"


@pytest.fixture
def sms(settings):
    settings.ONEWINDOW_SMS_BACKEND = "onewindow.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    return LocmemSmsBackend


@pytest.fixture
def instant_item(world, clock):
    return offered_item(world, "370829-JB-001", handling_type="instant", promised_limit_days=0, stages=[])


def serve(world, hall, clock, *, window=None, prefix="A", clerk=None, minutes=5):
    """A ticket of town A called at `window` (1号 医保 by default), served for a few minutes and finished."""
    window = window or world.a.windows[0]
    clerk = clerk or world.user("a", Role.FRONT_CLERK)
    ticket_issue(actor=PUBLIC, category=hall[prefix])
    ticket = call_next(actor=clerk, window=window)
    clock.minutes(minutes)
    return ticket_finish(actor=clerk, ticket=ticket, window=window)


def instant_case(world, item, **kwargs):
    """A 即办件 accepted, decided and handed over at town A's front desk in one visit."""
    return case_complete_instantly(actor=world.user("a", Role.FRONT_CLERK), case=receive(world, item, **kwargs))


def step_of(case, action=Action.COMPLETE_INSTANTLY):
    return case.steps.get(action=action)


def delivered_case(world, clock):
    """A promised case (低保) accepted, approved by both departments, decided and handed out at the output window."""
    case = case_accept(actor=world.user("a", Role.FRONT_CLERK), case=receive(world, offered_item(world)))
    labour = next(d for d in world.a.departments if d.code == "labour")
    labour_reviewer = save_staff(
        actor=world.county_admin,
        password=PASSWORD,
        user=User(username="a_labour", name="人社所", role="reviewer", town=world.a.region, department=labour),
    )
    reviewers = {"social": world.user("a", Role.REVIEWER), "labour": labour_reviewer}
    while task := case.tasks.filter(status=TaskStatus.PENDING).first():
        task_approve(actor=reviewers[task.department.code], task=task)
    case = case_decide(actor=world.user("a", Role.COORDINATOR), case=case, certificate_number="DB-001")
    return case_deliver(
        actor=world.user("a", Role.OUTPUT_CLERK),
        case=case,
        method="pickup",
        recipient_name="张桂英",
        identity_checked=True,
    )


def counts() -> tuple[int, int, int]:
    """What a refused rating must leave unchanged: ratings, rectifications, audit events."""
    return Rating.objects.count(), Rectification.objects.count(), AuditEvent.objects.count()
