"""The kiosk as a person at the hall uses it: device sign-in, touch a category, a printable 80 mm ticket with a QR
code to follow; the green channel and a card reader; closed categories, hours, bad IDs and foreign devices."""

from datetime import time

import pytest
from django.urls import reverse

from onewindow.catalog.qr import qr_svg
from onewindow.core.pii import mask_id_number
from onewindow.core.roles import Role
from onewindow.hall.models import Ticket, TicketSource
from onewindow.hall.services.tickets import ticket_issue
from onewindow.org.services import save_staff
from onewindow.testing.cases import id_number
from onewindow.testing.world import PASSWORD

pytestmark = pytest.mark.django_db

ELDER = id_number("37082919500101001")  # born 1950: 76 on 2026-09-01
YOUNG = id_number("37082919900101001")


def kiosk_url(world):
    return reverse("hall:kiosk", args=[world.a.center.pk])


def as_device(client, world):
    client.force_login(world.user("a", Role.DEVICE))
    return client


def test_an_anonymous_browser_is_sent_to_sign_in_and_the_device_account_gets_in(client, world, hall, clock):
    response = client.get(kiosk_url(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("hall:device-sign-in") + "?next=")
    page = client.get(response["Location"])
    assert "取号机登录" in page.content.decode()
    device = world.user("a", Role.DEVICE)
    wrong = client.post(reverse("hall:device-sign-in"), {"username": device.username, "password": "nope"})
    assert wrong.status_code == 400 and "用户名或密码错误" in wrong.content.decode()
    signed_in = client.post(
        reverse("hall:device-sign-in"),
        {"username": device.username, "password": PASSWORD, "next": kiosk_url(world)},
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == kiosk_url(world)
    html = client.get(kiosk_url(world)).content.decode()
    assert "自助取号" in html and "医保社保" in html and "绿色通道 · 老年人" in html


def test_without_next_the_device_lands_on_its_own_centers_kiosk(client, world, hall, clock):
    device = world.user("a", Role.DEVICE)
    response = client.post(reverse("hall:device-sign-in"), {"username": device.username, "password": PASSWORD})
    assert response["Location"] == kiosk_url(world)


def test_touching_a_category_prints_an_80mm_ticket_with_a_follow_qr_code(client, world, hall, clock):
    ticket_issue(actor=world.user("a", Role.DEVICE), category=hall["A"])
    as_device(client, world)
    page = client.get(kiosk_url(world)).content.decode()
    # six minutes a ticket by default, shared by the two open windows that call A (1 医保 and 2 综合受理)
    assert "等候 1 人 · 约 3 分钟" in page
    response = client.post(kiosk_url(world), {"category": hall["A"].pk, "priority": ""})
    ticket = Ticket.objects.get(number="A002")
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("hall:kiosk-ticket", args=[world.a.center.pk, ticket.follow_token]) + "?print=1"
    )
    assert ticket.source == TicketSource.KIOSK and ticket.priority == ""
    html = client.get(response["Location"]).content.decode()
    assert "嘉祥街道为民服务中心" in html and "A002" in html and "医保社保" in html
    assert "前面等候" in html and "1 人" in html and "约 3 分钟" in html and "2026-09-01 09:30" in html
    assert "@page { size: 80mm " in html and "data-autoprint" in html
    assert 'http-equiv="refresh" content="15;url=' + kiosk_url(world) in html
    follow = "http://testserver" + reverse("hall:follow", args=[ticket.follow_token])
    assert qr_svg(follow, title="扫码查看排队进度") in html  # the code carries the absolute follow address


def test_green_channel_and_a_card_reader(client, world, hall, clock):
    as_device(client, world)
    # The reader types the number and Enter: the page remembers it (masked) and suggests the green channel.
    html = client.post(kiosk_url(world), {"id_number": ELDER, "step": "id"}).content.decode()
    assert f"已读取身份证：<strong>{mask_id_number(ELDER)}</strong>" in html
    assert 'value="elderly" checked' in html
    client.post(kiosk_url(world), {"id_number": ELDER, "priority": "elderly", "category": hall["C"].pk})
    ticket = Ticket.objects.get()
    assert ticket.priority == "elderly" and ticket.id_index
    html = client.get(reverse("hall:kiosk-ticket", args=[world.a.center.pk, ticket.follow_token])).content.decode()
    assert "绿色通道 · 老年人" in html
    young = client.post(kiosk_url(world), {"id_number": YOUNG, "step": "id"}).content.decode()
    assert 'value="" checked' in young  # no suggestion for a 36-year-old


def test_bad_input_gets_a_chinese_message_and_no_ticket(client, world, hall, clock):
    as_device(client, world)
    bad_id = client.post(kiosk_url(world), {"id_number": "370829195001010010", "category": hall["A"].pk})
    assert bad_id.status_code == 400 and "身份证号码有误" in bad_id.content.decode()
    hall["B"].is_open = False
    hall["B"].save()
    closed = client.post(kiosk_url(world), {"category": hall["B"].pk})
    assert closed.status_code == 409 and "暂停取号" in closed.content.decode()
    assert "disabled" in client.get(kiosk_url(world)).content.decode()
    unknown = client.post(kiosk_url(world), {"category": 999999})
    assert unknown.status_code == 404 and "未找到" in unknown.content.decode()
    no_kind = client.post(kiosk_url(world), {"category": hall["A"].pk, "priority": "vip"})
    assert no_kind.status_code == 400 and "绿色通道" in no_kind.content.decode()
    clock.at = time(12, 30)
    lunch = client.post(kiosk_url(world), {"category": hall["A"].pk})
    assert lunch.status_code == 409 and "不在取号时间" in lunch.content.decode()
    assert "不在取号时间" in client.get(kiosk_url(world)).content.decode()  # said before anyone touches
    assert not Ticket.objects.exists()


def test_another_towns_device_or_staff_gets_404_and_a_stale_device_signs_in_again(client, world, hall, clock):
    client.force_login(world.user("b", Role.DEVICE))
    assert client.get(kiosk_url(world)).status_code == 404
    assert client.post(kiosk_url(world), {"category": hall["A"].pk}).status_code == 404
    client.force_login(world.user("b", Role.FRONT_CLERK))
    assert client.get(kiosk_url(world)).status_code == 404
    client.force_login(world.user("a", Role.AGENT))
    assert client.get(kiosk_url(world)).status_code == 403
    client.force_login(world.user("a", Role.CONSULT_CLERK))  # a guide standing by the kiosk may take one
    assert client.post(kiosk_url(world), {"category": hall["D"].pk}).status_code == 302
    as_device(client, world)
    device = world.user("a", Role.DEVICE)
    device.is_active = False
    save_staff(actor=world.user("a", Role.CENTER_DIRECTOR), user=device)
    stale = client.post(kiosk_url(world), {"category": hall["A"].pk})
    assert stale.status_code == 302 and "sign-in" in stale["Location"]
    assert Ticket.objects.count() == 1


def test_the_ticket_page_belongs_to_its_center(client, world, hall, clock):
    ticket = ticket_issue(actor=world.user("a", Role.DEVICE), category=hall["A"])
    client.force_login(world.user("b", Role.DEVICE))
    assert client.get(reverse("hall:kiosk-ticket", args=[world.a.center.pk, ticket.follow_token])).status_code == 404
    as_device(client, world)
    assert client.get(reverse("hall:kiosk-ticket", args=[world.a.center.pk, "nope"])).status_code == 404


def test_the_kiosk_page_does_not_grow_with_the_queue(client, world, hall, clock, django_assert_max_num_queries):
    as_device(client, world)
    client.get(kiosk_url(world))  # session and calendar warmed up
    for prefix in "ABC":
        for _ in range(5):
            ticket_issue(actor=world.user("a", Role.DEVICE), category=hall[prefix])
    with django_assert_max_num_queries(16):
        assert "等候 5 人" in client.get(kiosk_url(world)).content.decode()
