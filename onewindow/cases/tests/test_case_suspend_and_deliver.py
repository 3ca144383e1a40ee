"""Special procedures stop the clock; extensions need the director; output waits for 容缺 materials."""

from datetime import date

import pytest

from onewindow.audit.services import SYSTEM
from onewindow.cases.flow import Status, Step
from onewindow.cases.models import NoticeKind, TaskStatus
from onewindow.cases.services.acceptance import case_accept, case_accept_with_deficiency
from onewindow.cases.services.output import (
    case_deliver,
    case_receive_deficient,
    case_revoke,
    case_terminate_overdue_deficiency,
    case_withdraw,
)
from onewindow.cases.services.review import case_decide, task_approve
from onewindow.cases.services.suspension import case_extend, case_resume, case_suspend
from onewindow.core.errors import Conflict, Forbidden, ValidationFailed
from onewindow.org.models import User
from onewindow.org.services import save_staff
from onewindow.testing.cases import offered_item, receive
from onewindow.testing.world import PASSWORD

pytestmark = pytest.mark.django_db


def approve_all(world, case):
    labour = next(d for d in world.a.departments if d.code == "labour")
    labour_reviewer = save_staff(
        actor=world.county_admin,
        password=PASSWORD,
        user=User(username="a_labour", name="人社所", role="reviewer", town=world.a.region, department=labour),
    )
    reviewers = {"social": world.user("a", "reviewer"), "labour": labour_reviewer}
    while task := case.tasks.filter(status=TaskStatus.PENDING).first():
        task_approve(actor=reviewers[task.department.code], task=task)
    return case_decide(actor=world.user("a", "coordinator"), case=case, certificate_number="DB-001")


def test_suspension_moves_the_deadline_by_exactly_the_paused_working_days(world, clock):
    case = case_accept(actor=world.user("a", "front_clerk"), case=receive(world, offered_item(world)))
    assert case.deadline == date(2026, 9, 21)
    task_due = case.tasks.get(status=TaskStatus.PENDING).due_on
    case_suspend(actor=world.user("a", "reviewer"), case=case, procedure="公示", reason="低保对象公示", expected_days=5)
    clock.day = date(2026, 9, 8)  # Tue → next Tue: 5 working days
    case = case_resume(actor=world.user("a", "reviewer"), case=case, result="公示无异议")
    assert case.status == Status.IN_REVIEW and case.suspended_days == 5
    assert case.deadline == date(2026, 9, 29)  # 9-25 is the Mid-Autumn holiday
    assert case.tasks.get(status=TaskStatus.PENDING).due_on > task_due
    assert [s for s in case.steps.values_list("step_code", flat=True) if s][-2:] == [
        Step.SPECIAL_STARTED,
        Step.SPECIAL_ENDED,
    ]


def test_only_the_director_extends_and_never_past_the_legal_limit(world, clock):
    case = case_accept(actor=world.user("a", "front_clerk"), case=receive(world, offered_item(world)))
    with pytest.raises(Forbidden):
        case_extend(actor=world.user("a", "coordinator"), case=case, days=3, reason="需补充调查")
    with pytest.raises(Conflict):
        case_extend(actor=world.user("a", "center_director"), case=case, days=16, reason="需补充调查")  # 15 + 16 > 30
    case = case_extend(actor=world.user("a", "center_director"), case=case, days=3, reason="需补充调查")
    assert case.deadline == date(2026, 9, 24) and case.extended_days == 3


def test_result_waits_for_the_deficient_material(world, clock):
    clerk = world.user("a", "front_clerk")
    case = receive(world, offered_item(world), materials={1: "received", 2: "received"})
    case = case_accept_with_deficiency(actor=clerk, case=case, deficient=[3], due=date(2026, 9, 15))
    case = approve_all(world, case)
    assert case.steps.filter(step_code=Step.APPROVED_WITH_DEFICIENCY).exists()
    output = world.user("a", "output_clerk")
    with pytest.raises(Conflict) as caught:
        case_deliver(actor=output, case=case, method="pickup", recipient_name="张桂英", identity_checked=True)
    assert caught.value.code == "case.deficiency_outstanding"
    case_receive_deficient(actor=output, case=case, positions=[3])
    with pytest.raises(ValidationFailed) as caught:
        case_deliver(actor=output, case=case, method="pickup", recipient_name="张桂英")
    assert "identity_checked" in caught.value.fields
    with pytest.raises(ValidationFailed):
        case_deliver(actor=output, case=case, method="mail", tracking_number="123")
    case = case_deliver(actor=output, case=case, method="mail", tracking_number="1187654321098")
    assert case.status == Status.DELIVERED and case.notices.filter(kind=NoticeKind.DELIVERY_RECEIPT).exists()


def test_unreviewed_case_cannot_be_delivered(world, clock):
    case = case_accept(actor=world.user("a", "front_clerk"), case=receive(world, offered_item(world)))
    with pytest.raises(Conflict) as caught:
        case_deliver(actor=world.user("a", "output_clerk"), case=case, method="electronic")
    assert caught.value.code == "case.illegal_transition"


def test_overdue_deficiency_terminates_the_case(world, clock):
    clerk = world.user("a", "front_clerk")
    case = receive(world, offered_item(world), materials={1: "received", 2: "received"})
    case = case_accept_with_deficiency(actor=clerk, case=case, deficient=[3], due=date(2026, 9, 4))
    with pytest.raises(Conflict):
        case_terminate_overdue_deficiency(actor=SYSTEM, case=case)
    clock.day = date(2026, 9, 7)
    case = case_terminate_overdue_deficiency(actor=SYSTEM, case=case)
    assert case.status == Status.TERMINATED and case.notices.filter(kind=NoticeKind.TERMINATION).exists()
    assert not case.tasks.filter(status=TaskStatus.PENDING).exists()


def test_withdraw_before_and_revoke_after_acceptance(world, clock):
    clerk = world.user("a", "front_clerk")
    item = offered_item(world)
    early = case_withdraw(actor=clerk, case=receive(world, item), reason="申请人主动撤回")
    assert early.status == Status.WITHDRAWN
    accepted = case_accept(actor=clerk, case=receive(world, item))
    with pytest.raises(Conflict):
        case_withdraw(actor=clerk, case=accepted, reason="申请人主动撤回")
    revoked = case_revoke(actor=clerk, case=accepted, reason="申请人书面申请撤销")
    assert revoked.status == Status.REVOKED and revoked.steps.filter(step_code=Step.REVOKED).exists()
