"""Acceptance decisions: accept, 容缺受理, one-time correction notice, reject, 即办件."""

from datetime import date

import pytest

from onewindow.cases.flow import Status, Step
from onewindow.cases.models import Case, MaterialState, NoticeKind, TaskStatus
from onewindow.cases.services.acceptance import (
    case_accept,
    case_accept_with_deficiency,
    case_complete_instantly,
    case_reject,
    case_request_correction,
    case_supplement,
)
from onewindow.core.errors import Conflict, Forbidden, ValidationFailed
from onewindow.core.sms import LocmemSmsBackend
from onewindow.testing.cases import PERSON, offered_item, receive

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sms(settings):
    settings.ONEWINDOW_SMS_BACKEND = "onewindow.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    return LocmemSmsBackend


def test_accept_starts_the_clock_and_the_first_stage(world, clock, django_capture_on_commit_callbacks, sms):
    # given
    clerk = world.user("a", "front_clerk")
    case = receive(world, offered_item(world))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        case = case_accept(actor=clerk, case=case)
    # then: 15 working days from Tue 2026-09-01, counting Sunday 09-20 (a 调休 make-up workday)
    assert case.status == Status.IN_REVIEW and case.contact_clerk == clerk
    assert case.deadline == date(2026, 9, 21)
    tasks = list(case.tasks.order_by("stage_position", "department__code"))
    assert [(t.stage_name, t.department.code, t.status) for t in tasks] == [
        ("入户调查", "social", TaskStatus.PENDING),
        ("联合审核", "labour", TaskStatus.WAITING),
        ("联合审核", "social", TaskStatus.WAITING),
    ]
    assert tasks[0].due_on == date(2026, 9, 10)  # 7 working days
    assert list(case.steps.values_list("step_code", flat=True)) == [
        Step.RECEIVED,
        Step.WINDOW_ACCEPTED,
        Step.DEPARTMENT_ACCEPTED,
    ]
    assert case.notices.get().kind == NoticeKind.ACCEPTANCE
    [text] = sms.outbox
    assert case.number in text.text and case.query_code in text.text and PERSON.id_number not in text.text


def test_accept_refuses_while_a_required_material_is_missing(world, clock):
    case = receive(world, offered_item(world), materials={1: "received", 2: "received"})
    with pytest.raises(Conflict) as caught:
        case_accept(actor=world.user("a", "front_clerk"), case=case)
    assert "家庭收入证明" in caught.value.message
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and not case.tasks.exists() and not case.notices.exists()


def test_accept_with_deficiency_only_for_allowed_materials(world, clock):
    clerk = world.user("a", "front_clerk")
    case = receive(world, offered_item(world), materials={1: "received", 3: "received"})  # 户口簿 missing
    with pytest.raises(Conflict) as caught:
        case_accept_with_deficiency(actor=clerk, case=case, deficient=[2], due=date(2026, 9, 10))
    assert caught.value.code == "material.deficiency_not_allowed"
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.materials.get(position=2).state == MaterialState.MISSING


def test_accept_with_deficiency_due_within_the_promised_limit(world, clock):
    clerk = world.user("a", "front_clerk")
    case = receive(world, offered_item(world), materials={1: "received", 2: "received"})
    with pytest.raises(ValidationFailed) as caught:
        case_accept_with_deficiency(actor=clerk, case=case, deficient=[3], due=date(2026, 10, 30))
    assert "承诺办结期限" in caught.value.fields["due"]
    case = case_accept_with_deficiency(actor=clerk, case=case, deficient=[3], due=date(2026, 9, 15))
    assert case.status == Status.IN_REVIEW and case.deficiency_due == date(2026, 9, 15)
    assert case.materials.get(position=3).state == MaterialState.DEFICIENT
    assert set(case.notices.values_list("kind", flat=True)) == {NoticeKind.DEFICIENCY, NoticeKind.PLEDGE}


def test_one_time_notice_lists_every_problem_at_once(world, clock):
    clerk = world.user("a", "front_clerk")
    case = receive(world, offered_item(world), materials={1: "received", 2: "received"})
    case = case_request_correction(actor=clerk, case=case, problems={2: "户口簿复印件不清晰"})
    notice = case.notices.get(kind=NoticeKind.CORRECTION)
    assert notice.content["materials"] == [
        {"name": "户口簿", "problem": "户口簿复印件不清晰"},
        {"name": "家庭收入证明", "problem": "未提供"},
    ]
    assert case.status == Status.CORRECTION_REQUIRED
    case = case_supplement(actor=clerk, case=case, received=[2, 3])
    assert case.status == Status.SUBMITTED
    case = case_accept(actor=clerk, case=case)
    assert [s for s in case.steps.values_list("step_code", flat=True) if s] == [1, 6, 7, 3, 8]


def test_reject_needs_a_reason_and_states_the_remedy(world, clock):
    clerk = world.user("a", "front_clerk")
    case = receive(world, offered_item(world))
    with pytest.raises(ValidationFailed):
        case_reject(actor=clerk, case=case, reason="  ")
    case = case_reject(actor=clerk, case=case, reason="申请人户籍不在本镇，不属于本中心受理范围")
    assert case.status == Status.REJECTED and case.closed_at
    assert "行政复议" in case.notices.get(kind=NoticeKind.REJECTION).content["remedy"]
    with pytest.raises(Conflict) as caught:
        case_accept(actor=clerk, case=case)
    assert caught.value.code == "case.illegal_transition"


def test_reviewer_cannot_make_acceptance_decisions(world, clock):
    case = receive(world, offered_item(world))
    with pytest.raises(Forbidden):
        case_accept(actor=world.user("a", "reviewer"), case=case)


def test_instant_item_is_accepted_decided_and_delivered_in_one_step(world, clock):
    clerk = world.user("a", "front_clerk")
    item = offered_item(world, handling_type="instant", promised_limit_days=0, stages=[])
    case = receive(world, item)
    with pytest.raises(Conflict):
        case_accept(actor=clerk, case=case)
    case = case_complete_instantly(actor=clerk, case=case, certificate_number="JX-2026-0001")
    assert case.status == Status.DELIVERED and case.decision == "approved" and case.delivered_at
    assert [s for s in case.steps.values_list("step_code", flat=True) if s] == [1, 3, 11]
    assert case.notices.get().kind == NoticeKind.DELIVERY_RECEIPT
    assert Case.objects.get(pk=case.pk).status == Status.DELIVERED
