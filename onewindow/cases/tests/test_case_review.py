"""Back-office review: stages in order, joint stages in parallel, return, deny, decide, reassign."""

import pytest

from onewindow.cases.flow import Status, Step
from onewindow.cases.models import NoticeKind, ReviewTask, TaskStatus
from onewindow.cases.services.acceptance import case_accept
from onewindow.cases.services.review import (
    case_decide,
    case_resend,
    task_approve,
    task_deny,
    task_reassign,
    task_return,
)
from onewindow.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from onewindow.org.models import User
from onewindow.org.services import save_staff
from onewindow.testing.cases import offered_item, receive
from onewindow.testing.world import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def labour_reviewer(world):
    labour = next(d for d in world.a.departments if d.code == "labour")
    return save_staff(
        actor=world.county_admin,
        user=User(username="a_labour", name="人社所审批员", role="reviewer", town=world.a.region, department=labour),
        password=PASSWORD,
    )


@pytest.fixture
def accepted(world, clock):
    return case_accept(actor=world.user("a", "front_clerk"), case=receive(world, offered_item(world)))


def pending(case, code):
    return case.tasks.get(status=TaskStatus.PENDING, department__code=code)


def test_joint_stage_completes_only_when_every_department_agrees(world, accepted, labour_reviewer):
    social = world.user("a", "reviewer")
    task_approve(actor=social, task=pending(accepted, "social"), opinion="入户调查属实")
    # the joint stage opens for both departments at once
    assert set(accepted.tasks.filter(status=TaskStatus.PENDING).values_list("department__code", flat=True)) == {
        "social",
        "labour",
    }
    task_approve(actor=social, task=pending(accepted, "social"))
    with pytest.raises(Conflict) as caught:
        case_decide(actor=social, case=accepted, certificate_number="DB-2026-001")
    assert caught.value.code == "case.review_unfinished"
    task_approve(actor=labour_reviewer, task=pending(accepted, "labour"), opinion="无就业收入")
    case = case_decide(actor=social, case=accepted, certificate_number="DB-2026-001")
    assert case.status == Status.DECIDED and case.decision == "approved" and case.certificate_number == "DB-2026-001"
    assert case.steps.filter(step_code=Step.APPROVED).exists()
    assert case.notices.filter(kind=NoticeKind.DECISION).exists()


def test_reviewer_of_another_department_cannot_act(world, accepted, labour_reviewer):
    with pytest.raises(Forbidden):
        task_approve(actor=labour_reviewer, task=pending(accepted, "social"))
    with pytest.raises(NotFound):
        task_approve(actor=world.user("b", "reviewer"), task=pending(accepted, "social"))
    assert pending(accepted, "social").status == TaskStatus.PENDING


def test_a_task_is_decided_once(world, accepted):
    social = world.user("a", "reviewer")
    task = pending(accepted, "social")
    task_approve(actor=social, task=task)
    with pytest.raises(Conflict):
        task_approve(actor=social, task=task)


def test_return_goes_back_to_the_front_desk_and_resend_restarts_that_stage(world, accepted, labour_reviewer):
    social = world.user("a", "reviewer")
    task_approve(actor=social, task=pending(accepted, "social"))
    with pytest.raises(ValidationFailed):
        task_return(actor=labour_reviewer, task=pending(accepted, "labour"), reason="")
    task_return(actor=labour_reviewer, task=pending(accepted, "labour"), reason="缺少近三个月银行流水")
    accepted.refresh_from_db()
    assert accepted.status == Status.RETURNED
    assert not accepted.tasks.filter(status__in=[TaskStatus.PENDING, TaskStatus.WAITING]).exists()
    case_resend(actor=world.user("a", "front_clerk"), case=accepted, note="已补银行流水")
    round2 = accepted.tasks.filter(round=2)
    assert set(round2.values_list("stage_name", "status")) == {("联合审核", TaskStatus.PENDING)}


def test_deny_decides_the_case_as_not_approved(world, accepted):
    social = world.user("a", "reviewer")
    with pytest.raises(ValidationFailed):
        task_deny(actor=social, task=pending(accepted, "social"), opinion="")
    task_deny(actor=social, task=pending(accepted, "social"), opinion="家庭人均收入高于低保标准")
    accepted.refresh_from_db()
    assert accepted.status == Status.DECIDED and accepted.decision == "denied"
    assert accepted.steps.filter(step_code=Step.DENIED).exists()
    assert not accepted.tasks.filter(status=TaskStatus.WAITING).exists()


def test_coordinator_reassigns_within_the_town(world, accepted, labour_reviewer):
    coordinator = world.user("a", "coordinator")
    task = pending(accepted, "social")
    with pytest.raises(Forbidden):
        task_reassign(actor=world.user("a", "reviewer"), task=task, assignee=world.user("a", "reviewer"))
    with pytest.raises(ValidationFailed):
        task_reassign(actor=coordinator, task=task, assignee=labour_reviewer)  # not of that department
    labour = labour_reviewer.department
    task_reassign(actor=coordinator, task=task, department=labour, reason="分工调整")
    assert ReviewTask.objects.get(pk=task.pk).department == labour
    with pytest.raises(ValidationFailed):
        task_reassign(actor=coordinator, task=task, department=world.b.departments[0])


def test_coordinator_chases_the_department(world, accepted):
    from onewindow.cases.services.review import task_chase
    from onewindow.core.models import Notification

    task = pending(accepted, "social")
    with pytest.raises(Forbidden):
        task_chase(actor=world.user("a", "front_clerk"), task=task)
    assert task_chase(actor=world.user("a", "coordinator"), task=task, message="今天下班前办结") == 1
    note = Notification.objects.get(user=world.user("a", "reviewer"), kind="chase")
    assert accepted.number in note.title and "今天下班前办结" in note.body
    assert accepted.steps.filter(action="chase").exists()
