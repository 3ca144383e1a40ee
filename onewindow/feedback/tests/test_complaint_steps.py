"""吐槽找茬 handling per GB/T 36113 — 受理 → 办理 → 答复 → 办结 → 回访评价 — with the public follow page, overdue
marking, scoping, and putting a complaint on the problem ledger."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.audit.services import PUBLIC
from onewindow.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from onewindow.core.sms import LocmemSmsBackend
from onewindow.feedback.models import ComplaintChannel, ComplaintStatus, ProblemEntry, ProblemSource
from onewindow.feedback.selectors_supervision import complaint_list, complaints_for
from onewindow.feedback.services.complaints import (
    complaint_close,
    complaint_handle,
    complaint_receive,
    complaint_reply,
    complaint_review,
    complaint_to_ledger,
)
from onewindow.feedback.views import complaints_public
from onewindow.testing.cases import id_number

pytestmark = pytest.mark.django_db
MOBILE = "13805371234"
ID_NUMBER = id_number()  # valid GB 11643, so the page must mask it


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.ONEWINDOW_SMS_BACKEND = "onewindow.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    cache.clear()
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox = []
    cache.clear()


@pytest.fixture
def receipt(world, clock):
    return complaint_receive(
        actor=PUBLIC,
        town=world.a.region,
        channel=ComplaintChannel.WEB,
        content=f"办低保要我交身份证复印件三次，我的身份证号{ID_NUMBER}",
        name="王秀兰",
        mobile=MOBILE,
    )


def test_a_complaint_runs_through_every_step_with_an_sms_on_reply(
    world, receipt, django_capture_on_commit_callbacks, outbox
):
    director, clerk = world.user("a", "center_director"), world.user("a", "front_clerk")
    complaint = receipt.complaint

    complaint = complaint_handle(actor=director, complaint=complaint, handler=clerk, note="核实材料收取情况")
    assert complaint.status == ComplaintStatus.HANDLING and complaint.handler == clerk
    with django_capture_on_commit_callbacks(execute=True):
        complaint = complaint_reply(actor=clerk, complaint=complaint, reply="已核实，今后一次性收取，向您致歉。")
    assert complaint.status == ComplaintStatus.REPLIED and complaint.replied_at
    [sms] = outbox
    assert sms.to == MOBILE and complaint.number in sms.text
    assert "王秀兰" not in sms.text and MOBILE not in sms.text and ID_NUMBER not in sms.text
    complaint = complaint_close(actor=director, complaint=complaint)
    # the output window calls the complainant back (回访评价): it finds the closed complaint
    assert complaint in complaints_for(world.user("a", "output_clerk"))
    complaint = complaint_review(
        actor=world.user("a", "output_clerk"), complaint=complaint, satisfaction="4", note="基本满意"
    )
    assert complaint.status == ComplaintStatus.REVIEWED and complaint.review_satisfaction == 4
    actions = list(
        AuditEvent.objects.filter(target_type="feedback.complaint").order_by("seq").values_list("action", flat=True)
    )
    assert actions == [
        AuditAction.COMPLAINT_RECEIVED,
        AuditAction.COMPLAINT_HANDLING,
        AuditAction.COMPLAINT_REPLIED,
        AuditAction.COMPLAINT_CLOSED,
        AuditAction.COMPLAINT_REVIEWED,
    ]


def test_steps_out_of_order_are_a_conflict_and_change_nothing(world, receipt):
    director = world.user("a", "center_director")
    complaint = receipt.complaint
    with pytest.raises(Conflict) as error:
        complaint_reply(actor=director, complaint=complaint, reply="提前答复")
    assert error.value.code == "complaint.illegal_step" and "不能答复" in error.value.message
    with pytest.raises(Conflict):
        complaint_close(actor=director, complaint=complaint)
    with pytest.raises(Conflict):
        complaint_review(actor=director, complaint=complaint, satisfaction=5)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ACCEPTED and complaint.reply == "" and complaint.closed_at is None


def test_bad_step_input_saves_nothing(world, receipt):
    director = world.user("a", "center_director")
    with pytest.raises(ValidationFailed) as error:
        complaint_handle(actor=director, complaint=receipt.complaint, handler=world.user("b", "front_clerk"))
    assert "handler" in error.value.fields
    complaint = complaint_handle(actor=director, complaint=receipt.complaint, handler=world.user("a", "front_clerk"))
    with pytest.raises(ValidationFailed):
        complaint_reply(actor=director, complaint=complaint, reply="  ")
    with pytest.raises(ValidationFailed):
        complaint_reply(actor=director, complaint=complaint, reply="长" * 2001)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.HANDLING and complaint.reply == ""


def test_only_the_director_assigns_and_only_the_handler_or_director_replies(world, receipt):
    clerk, other = world.user("a", "front_clerk"), world.user("a", "consult_clerk")
    with pytest.raises(Forbidden):
        complaint_handle(actor=clerk, complaint=receipt.complaint, handler=clerk)
    complaint = complaint_handle(actor=world.user("a", "center_director"), complaint=receipt.complaint, handler=clerk)
    with pytest.raises(Forbidden):
        complaint_reply(actor=other, complaint=complaint, reply="不是我的件")


def test_another_towns_director_sees_nothing(client, world, receipt):
    other = world.user("b", "center_director")
    with pytest.raises(NotFound):
        complaint_handle(actor=other, complaint=receipt.complaint, handler=world.user("b", "front_clerk"))
    assert complaint_list(other) == []
    client.force_login(other)
    assert client.get(reverse("feedback:complaint", args=[receipt.complaint.pk])).status_code == 404
    assert receipt.complaint.number not in client.get(reverse("feedback:complaints")).content.decode()
    client.force_login(world.county_admin)
    assert receipt.complaint.number in client.get(reverse("feedback:complaints")).content.decode()


def test_overdue_complaints_are_marked_in_the_list(client, world, receipt, clock):
    director = world.user("a", "center_director")
    clock.advance(8)  # Wednesday 9 September: the deadline (8 September) has passed unanswered
    [row] = complaint_list(director)
    assert row.is_overdue
    client.force_login(director)
    page = client.get(reverse("feedback:complaints") + "?overdue=1").content.decode()
    assert receipt.complaint.number in page and "已超期" in page


def test_director_works_the_complaint_through_the_page(client, world, receipt):
    director, clerk = world.user("a", "center_director"), world.user("a", "front_clerk")
    url = reverse("feedback:complaint", args=[receipt.complaint.pk])
    client.force_login(director)
    early = client.post(url, {"action": "close"})
    assert early.status_code == 409 and "不能办结" in early.content.decode()
    assert client.post(url, {"action": "handle", "handler": clerk.pk, "note": "请核实"}).status_code == 302
    empty = client.post(url, {"action": "reply", "reply": ""})
    assert empty.status_code == 400 and "请填写答复内容" in empty.content.decode()
    assert client.post(url, {"action": "reply", "reply": "已整改"}).status_code == 302
    receipt.complaint.refresh_from_db()
    assert receipt.complaint.status == ComplaintStatus.REPLIED
    page = client.get(url).content.decode()
    assert "138****1234" in page and MOBILE not in page


def test_follow_page_shows_status_and_reply_without_personal_data(client, world, receipt):
    director = world.user("a", "center_director")
    complaint = complaint_handle(actor=director, complaint=receipt.complaint, handler=director)
    complaint_reply(actor=director, complaint=complaint, reply=f"已联系您（{MOBILE}）并当面致歉")
    page = client.post(
        reverse("feedback:complaint-follow"), {"number": complaint.number, "query_code": receipt.query_code.lower()}
    ).content.decode()
    assert "已答复" in page and "当面致歉" in page and "王*" in page
    assert MOBILE not in page and ID_NUMBER not in page and "王秀兰" not in page
    assert "138****1234" in page


def test_follow_page_refuses_a_wrong_code_and_limits_guessing(client, world, receipt, monkeypatch):
    monkeypatch.setattr(complaints_public, "FOLLOW_GUESSES", complaints_public.FailureLimit(scope="t-follow", limit=2))
    url = reverse("feedback:complaint-follow")
    number = receipt.complaint.number
    for _ in range(2):
        wrong = client.post(url, {"number": number, "query_code": "WRONG123"})
        assert wrong.status_code == 404 and "查询码不正确" in wrong.content.decode()
    blocked = client.post(url, {"number": number, "query_code": receipt.query_code})
    assert blocked.status_code == 429


def test_a_complaint_goes_on_the_ledger_once(client, world, receipt):
    director = world.user("a", "center_director")
    entry = complaint_to_ledger(actor=director, complaint=receipt.complaint, kind="bottleneck")
    assert entry.source == ProblemSource.COMPLAINT and entry.complaint == receipt.complaint
    assert entry.town == world.a.region and entry.description == receipt.complaint.content
    with pytest.raises(Conflict):
        complaint_to_ledger(actor=director, complaint=receipt.complaint, kind="blockage")
    with pytest.raises(Forbidden):
        complaint_to_ledger(actor=world.user("a", "front_clerk"), complaint=receipt.complaint, kind="blockage")
    assert ProblemEntry.objects.count() == 1


def test_ledger_from_the_complaint_page_needs_a_kind(client, world, receipt):
    client.force_login(world.user("a", "center_director"))
    url = reverse("feedback:complaint", args=[receipt.complaint.pk])
    bad = client.post(url, {"action": "ledger", "kind": ""})
    assert bad.status_code == 400 and "请选择问题类型" in bad.content.decode()
    assert not ProblemEntry.objects.exists()
    department = world.a.departments[0]
    ok = client.post(url, {"action": "ledger", "kind": "difficulty", "department": department.pk})
    assert ok.status_code == 302
    assert ProblemEntry.objects.get().department == department


def test_the_full_number_is_revealed_to_the_handler_only_and_audited(client, world, receipt):
    url = reverse("feedback:complaint", args=[receipt.complaint.pk])
    client.force_login(world.user("a", "supervisor"))  # reads the complaint, neither replies nor calls back
    assert client.post(url, {"action": "reveal_phone"}).status_code == 403
    client.force_login(world.user("a", "front_clerk"))  # not (yet) the handler: not theirs to see
    assert client.post(url, {"action": "reveal_phone"}).status_code == 404
    complaint_handle(
        actor=world.user("a", "center_director"), complaint=receipt.complaint, handler=world.user("a", "front_clerk")
    )
    page = client.post(url, {"action": "reveal_phone"}).content.decode()
    assert MOBILE in page
    event = AuditEvent.objects.get(action=AuditAction.COMPLAINANT_PHONE_REVEALED)
    assert event.actor == world.user("a", "front_clerk") and MOBILE not in event.summary
    assert MOBILE not in client.get(url).content.decode()  # masked again on the next view
