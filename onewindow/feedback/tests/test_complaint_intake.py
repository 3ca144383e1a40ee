"""吐槽找茬 intake: the public form (web and hall QR code), the window entry screen; numbering, query code shown
once, deadline in working days, routing to the directors; bad input and the rate limit leave nothing saved."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.audit.services import PUBLIC
from onewindow.core.errors import Forbidden, ValidationFailed
from onewindow.core.models import Notification
from onewindow.feedback.models import Complaint, ComplaintChannel, ComplaintStatus
from onewindow.feedback.selectors_supervision import public_complaint
from onewindow.feedback.services.complaints import complaint_receive
from onewindow.feedback.views import complaints_public
from onewindow.testing.cases import offered_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def new_url(world):
    return reverse("feedback:complaint-new", args=[world.a.region.code])


def test_public_complaint_is_numbered_routed_and_followable_with_the_code_shown_once(client, world, clock):
    item = offered_item(world)
    director = world.user("a", "center_director")

    response = client.post(
        new_url(world),
        {
            "content": "排队两个小时没人叫号",
            "item": item.code,
            "name": "王秀兰",
            "mobile": "13805371234",
            "anonymous": "0",
        },
    )

    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("feedback:complaint-received")
    assert complaint.number == "TC370829001202609010001"
    assert complaint.channel == ComplaintChannel.WEB and complaint.status == ComplaintStatus.ACCEPTED
    assert complaint.item == item and complaint.town == world.a.region and complaint.received_by is None
    assert complaint.deadline == date(2026, 9, 8)  # 5 working days after Tuesday 1 September
    assert complaint.mobile == "13805371234" and complaint.mobile_index and not complaint.anonymous
    assert Notification.objects.filter(user=director, kind="complaint").count() == 1
    assert not Notification.objects.filter(user=world.user("b", "center_director")).exists()
    event = AuditEvent.objects.get(action=AuditAction.COMPLAINT_RECEIVED)
    assert event.chain == world.a.region.code and "13805371234" not in str(event.after)

    page = client.get(response["Location"]).content.decode()
    code = page.split('id="complaint-code">')[1].split("<")[0]
    assert complaint.number in page and len(code) == 8
    assert public_complaint(complaint.number, code) == complaint
    again = client.get(reverse("feedback:complaint-received")).content.decode()
    assert code not in again and "只显示一次" in again  # the session forgot it


def test_second_complaint_of_the_day_takes_the_next_number_and_qr_marks_the_channel(client, world, clock):
    complaint_receive(actor=PUBLIC, town=world.a.region, channel=ComplaintChannel.WEB, content="第一件")
    client.post(new_url(world) + "?via=qr", {"content": "扫码反映", "via": "qr", "anonymous": "1"})
    second = Complaint.objects.get(content="扫码反映")
    assert second.number == "TC370829001202609010002"
    assert second.channel == ComplaintChannel.QR and second.anonymous and not second.name and not second.mobile
    other_town = complaint_receive(actor=PUBLIC, town=world.b.region, channel=ComplaintChannel.WEB, content="纸坊")
    assert other_town.complaint.number == "TC370829101202609010001"


@pytest.mark.parametrize(
    "post, field, message",
    [
        ({"content": "   "}, "content", "请填写您要反映的问题"),
        ({"content": "长" * 2001}, "content", "不能超过2000个字"),
        ({"content": "态度差", "mobile": "1380537"}, "mobile", "手机号码格式不对"),
        ({"content": "态度差", "anonymous": "1", "name": "王秀兰"}, "name", "匿名反映时"),
        ({"content": "态度差", "item": "NO-SUCH-ITEM"}, "item", "请选择本镇街公布的事项"),
    ],
    ids=["empty", "too-long", "bad-mobile", "anonymous-with-name", "unknown-item"],
)
def test_bad_input_is_a_chinese_message_and_saves_nothing(client, world, clock, post, field, message):
    response = client.post(new_url(world), post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Complaint.objects.exists() and not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.COMPLAINT_RECEIVED).exists()


def test_item_of_another_town_is_refused_by_the_service(world, clock):
    only_b = offered_item(world, code="370829-XX-009")  # published in town A only
    with pytest.raises(ValidationFailed) as error:
        complaint_receive(actor=PUBLIC, town=world.b.region, channel=ComplaintChannel.WEB, content="问题", item=only_b)
    assert "item" in error.value.fields and not Complaint.objects.exists()


def test_public_form_is_rate_limited_per_address(client, world, clock, monkeypatch):
    monkeypatch.setattr(complaints_public, "INTAKES", complaints_public.FailureLimit(scope="t-intake", limit=2))
    for n in range(2):
        assert client.post(new_url(world), {"content": f"问题{n}"}).status_code == 302
    blocked = client.post(new_url(world), {"content": "第三件"})
    assert blocked.status_code == 429 and "提交次数过多" in blocked.content.decode()
    assert Complaint.objects.count() == 2


def test_unknown_town_answers_404(client, world, clock):
    assert client.get(reverse("feedback:complaint-new", args=["370829999000"])).status_code == 404
    assert client.get(new_url(world)).status_code == 200


def test_window_entry_screen_records_the_clerk_and_shows_the_receipt_once(client, world, clock):
    clerk = world.user("a", "front_clerk")
    client.force_login(clerk)
    response = client.post(
        reverse("feedback:complaint-window"), {"content": "群众口述：材料要求前后不一", "anonymous": "1"}
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == ComplaintChannel.WINDOW and complaint.received_by == clerk
    page = client.get(reverse("feedback:complaint-window")).content.decode()
    assert complaint.number in page and 'id="window-receipt"' in page
    assert 'id="window-receipt"' not in client.get(reverse("feedback:complaint-window")).content.decode()


def test_window_entry_is_for_town_window_staff_only(client, world, clock):
    client.force_login(world.user("a", "reviewer"))
    assert client.get(reverse("feedback:complaint-window")).status_code == 403
    with pytest.raises(Forbidden):
        complaint_receive(
            actor=world.user("a", "front_clerk"), town=world.b.region, channel=ComplaintChannel.WINDOW, content="x"
        )
    with pytest.raises(Forbidden):
        complaint_receive(actor=PUBLIC, town=world.a.region, channel=ComplaintChannel.WINDOW, content="x")
    assert not Complaint.objects.exists()


def test_poster_carries_a_qr_code_to_the_form(client, world, clock, settings):
    settings.ONEWINDOW_PUBLIC_BASE_URL = "https://zwfw.example.gov.cn"
    page = client.get(reverse("feedback:complaint-poster", args=[world.a.region.code])).content.decode()
    assert "<svg" in page and f"https://zwfw.example.gov.cn{new_url(world)}?via=qr" in page


def test_start_page_lists_the_towns_and_staff_home_pages_offer_the_tiles(client, world, clock):
    page = client.get(reverse("feedback:complaint-start")).content.decode()
    assert new_url(world) in page and reverse("feedback:complaint-new", args=[world.b.region.code]) in page
    complaint_receive(actor=PUBLIC, town=world.a.region, channel=ComplaintChannel.WEB, content="没人理")
    clock.advance(8)  # past the deadline, unanswered
    client.force_login(world.user("a", "center_director"))
    home = client.get(reverse("home")).content.decode()
    assert "吐槽找茬（1件超期）" in home and reverse("feedback:ledger") in home
    assert reverse("feedback:proposals") in home
    client.force_login(world.user("a", "front_clerk"))
    home = client.get(reverse("home")).content.decode()
    assert reverse("feedback:complaint-window") in home and reverse("feedback:ledger") not in home
