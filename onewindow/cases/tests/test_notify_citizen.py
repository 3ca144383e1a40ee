"""The online applicant is texted at each step: received, correction requested (what is missing),
resubmitted, accepted, rejected (why), decided / ready for pickup, delivered — after commit, never with an
ID number or a phone number in the text."""

import pytest

from onewindow.cases.models import Case, Channel, TaskStatus
from onewindow.cases.services.acceptance import case_accept, case_reject, case_request_correction, case_supplement
from onewindow.cases.services.notify import notify_applicant
from onewindow.cases.services.output import case_deliver
from onewindow.cases.services.review import case_decide, task_approve
from onewindow.core.sms import LocmemSmsBackend
from onewindow.testing.cases import PERSON, id_number, offered_item, receive

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sms(settings):
    settings.ONEWINDOW_SMS_BACKEND = "onewindow.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    return LocmemSmsBackend


@pytest.fixture
def online_case(world, clock):
    case = receive(world, offered_item(world), materials={1: "received", 2: "received"})  # 家庭收入证明 missing
    Case.objects.filter(pk=case.pk).update(channel=Channel.ONLINE)  # as the portal files it
    case.refresh_from_db()
    return case


def texts(sms):
    return [m.text for m in sms.outbox]


def assert_no_pii(sms):
    for message in sms.outbox:
        assert message.to == PERSON.phone
        assert PERSON.id_number not in message.text and PERSON.phone not in message.text
        assert PERSON.id_number[:6] + "19" not in message.text  # not even a partial ID


def test_received_and_resubmitted_texts_carry_the_number_and_code(online_case, sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_applicant(online_case, "submitted")
        notify_applicant(online_case, "resubmitted")
    submitted, resubmitted = texts(sms)
    assert online_case.number in submitted and online_case.query_code in submitted and "预审" in submitted
    assert "已提交" in submitted and "重新提交" in resubmitted and online_case.number in resubmitted
    assert_no_pii(sms)


def test_nothing_is_sent_when_the_transaction_rolls_back(online_case, sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_applicant(online_case, "submitted")
    assert len(callbacks) == 1 and sms.outbox == []  # queued for commit, not sent


def test_a_correction_request_names_what_is_missing_and_how_to_supplement_online(
    world, online_case, sms, django_capture_on_commit_callbacks
):
    clerk = world.user("a", "front_clerk")
    with django_capture_on_commit_callbacks(execute=True):
        case_request_correction(
            actor=clerk, case=online_case, problems={2: f"户主{PERSON.id_number}的户口簿页缺失"}, note="请尽快"
        )
    [text] = texts(sms)
    assert "户口簿、家庭收入证明" in text and "我的办件" in text and online_case.query_code in text
    assert "户主" not in text  # the clerk's notes stay on the notice
    assert_no_pii(sms)


def test_a_walk_in_correction_says_to_come_back_to_the_window(world, clock, sms, django_capture_on_commit_callbacks):
    case = receive(world, offered_item(world), materials={1: "received"})
    with django_capture_on_commit_callbacks(execute=True):
        case_request_correction(actor=world.user("a", "front_clerk"), case=case)
    [text] = texts(sms)
    assert "户口簿、家庭收入证明" in text and "到窗口补交" in text and "我的办件" not in text


def test_a_rejection_gives_the_reason_with_any_number_masked(
    world, online_case, sms, django_capture_on_commit_callbacks
):
    other = id_number("37082919800202002")
    reason = f"申请人家庭成员{other}名下有商品房，联系电话13905379999，不符合低保条件"
    with django_capture_on_commit_callbacks(execute=True):
        case_reject(actor=world.user("a", "front_clerk"), case=online_case, reason=reason)
    [text] = texts(sms)
    assert "不予受理" in text and "不符合低保条件" in text and "139****9999" in text
    assert "理由：申请人家庭成员370829********" in text and other not in text and "13905379999" not in text
    assert_no_pii(sms)


def test_a_long_reason_is_shortened(world, online_case, sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case_reject(actor=world.user("a", "front_clerk"), case=online_case, reason="不符合条件" * 30)
    [text] = texts(sms)
    assert "…" in text and text.count("不符合条件") < 30


def test_every_step_of_an_online_case_reaches_the_citizen(
    world, online_case, sms, labour_reviewer, django_capture_on_commit_callbacks
):
    clerk, social = world.user("a", "front_clerk"), world.user("a", "reviewer")
    with django_capture_on_commit_callbacks(execute=True):
        case_request_correction(actor=clerk, case=online_case)
    with django_capture_on_commit_callbacks(execute=True):
        case = case_supplement(actor=clerk, case=online_case, received=[3])
        notify_applicant(case, "resubmitted")  # the portal's resubmit path sends this one
    with django_capture_on_commit_callbacks(execute=True):
        case = case_accept(actor=clerk, case=case)
    with django_capture_on_commit_callbacks(execute=True):
        task_approve(actor=social, task=case.tasks.get(status=TaskStatus.PENDING))
        task_approve(actor=social, task=case.tasks.get(status=TaskStatus.PENDING, department__code="social"))
        task_approve(actor=labour_reviewer, task=case.tasks.get(status=TaskStatus.PENDING, department__code="labour"))
        case = case_decide(actor=social, case=case, certificate_number="DB-2026-001")
    with django_capture_on_commit_callbacks(execute=True):
        case_deliver(
            actor=world.user("a", "output_clerk"),
            case=case,
            method="pickup",
            recipient_name="张桂英",
            identity_checked=True,
        )
    sent = texts(sms)
    assert len(sent) == 5
    correction, resubmitted, accepted, decided, delivered = sent
    assert "需补正材料：家庭收入证明" in correction
    assert "重新提交" in resubmitted
    assert "已受理" in accepted and "承诺2026年09月21日前办结" in accepted
    assert "已办结" in decided and "领取" in decided
    assert "已送达" in delivered
    assert all(case.number in text for text in sent)
    assert_no_pii(sms)
