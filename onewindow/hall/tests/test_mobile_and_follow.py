"""The phone: scan the center's code, take a remote ticket, follow it (page and JSON twin) until a window calls it;
a transferred ticket leads on; an abuse guard per address; the A4 poster carries the code."""

from datetime import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from onewindow.audit.services import PUBLIC
from onewindow.catalog.qr import qr_svg
from onewindow.core.roles import Role
from onewindow.hall.models import Ticket, TicketSource, TicketStatus
from onewindow.hall.services.calling import call_next, ticket_finish, ticket_start, ticket_transfer
from onewindow.hall.services.tickets import ticket_issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the limiter counts in the cache, which outlives each test's transaction
    yield
    cache.clear()


def take_url(world):
    return reverse("hall:take", args=[world.a.center.pk])


def follow_of(ticket):
    return reverse("hall:follow", args=[ticket.follow_token])


def json_of(client, ticket):
    response = client.get(reverse("hall:follow-json", args=[ticket.follow_token]))
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    return response.json()


def test_a_phone_takes_a_remote_ticket_and_follows_it_until_called(client, world, hall, clock):
    ahead = ticket_issue(actor=PUBLIC, category=hall["C"])
    page = client.get(take_url(world)).content.decode()
    assert "扫码取号" in page and "综合业务" in page and "等候 1 人" in page
    response = client.post(take_url(world), {"category": hall["C"].pk})
    ticket = Ticket.objects.get(number="C002")
    assert response.status_code == 302 and response["Location"] == follow_of(ticket)
    assert ticket.source == TicketSource.MOBILE
    html = client.get(follow_of(ticket)).content.decode()
    assert "C002" in html and "排队等候中" in html and "前面还有" in html
    assert 'data-follow="' + reverse("hall:follow-json", args=[ticket.follow_token]) in html
    state = json_of(client, ticket)
    assert state["number"] == "C002" and state["people_ahead"] == 1 and state["wait_minutes"] >= 1
    assert state["live"] is True and state["status"] == "waiting"
    # The same phone comes back to the QR page: it is reminded of its ticket instead of taking another.
    assert "您今天已取号 <strong>C002</strong>" in client.get(take_url(world)).content.decode()

    clerk, window = world.user("a", Role.FRONT_CLERK), world.a.windows[1]
    assert call_next(actor=clerk, window=window) == ahead
    assert json_of(client, ticket)["people_ahead"] == 0
    ticket_start(actor=clerk, ticket=ahead, window=window)

    ticket_finish(actor=clerk, ticket=ahead, window=window)
    assert call_next(actor=clerk, window=window) == ticket
    state = json_of(client, ticket)
    assert state["message"] == "已叫号，请到2号窗口" and state["window"] == 2 and state["people_ahead"] is None
    assert "已叫号，请到2号窗口" in client.get(follow_of(ticket)).content.decode()


def test_a_transferred_ticket_leads_to_its_new_number(client, world, hall, clock):
    clerk, window = world.user("a", Role.FRONT_CLERK), world.a.windows[0]
    client.post(take_url(world), {"category": hall["A"].pk})
    first = Ticket.objects.get()
    call_next(actor=clerk, window=window)
    moved = ticket_transfer(actor=clerk, ticket=first, window=window, category=hall["B"])
    response = client.get(follow_of(first))
    assert response.status_code == 302 and response["Location"] == follow_of(moved)
    state = json_of(client, first)  # the page's script follows this address
    assert state["number"] == moved.number == "B001" and state["url"] == follow_of(moved)
    assert "民政优抚" in client.get(follow_of(moved)).content.decode()


def test_remote_tickets_are_limited_per_address(client, world, hall, clock):
    for _ in range(5):
        assert client.post(take_url(world), {"category": hall["D"].pk}).status_code == 302
    refused = client.post(take_url(world), {"category": hall["D"].pk})
    assert refused.status_code == 429 and "最多远程取号5次" in refused.content.decode()
    assert Ticket.objects.count() == 5
    other = client.post(take_url(world), {"category": hall["D"].pk}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302  # another phone on another network is not affected


def test_closed_category_hours_and_unknown_things_change_nothing(client, world, hall, clock):
    hall["E"].is_open = False
    hall["E"].save()
    closed = client.post(take_url(world), {"category": hall["E"].pk})
    assert closed.status_code == 409 and "暂停取号" in closed.content.decode()
    foreign = client.post(take_url(world), {"category": 999999})
    assert foreign.status_code == 404
    clock.at = time(18, 0)
    late = client.post(take_url(world), {"category": hall["A"].pk})
    assert late.status_code == 409 and "不在取号时间" in late.content.decode()
    assert not Ticket.objects.exists()
    assert client.get(reverse("hall:take", args=[world.b.center.pk])).status_code == 404  # B has no hall yet
    assert client.get(reverse("hall:follow", args=["not-a-token"])).status_code == 404
    missing = client.get(reverse("hall:follow-json", args=["not-a-token"]))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_yesterdays_ticket_no_longer_counts(client, world, hall, clock):
    ticket = ticket_issue(actor=PUBLIC, category=hall["A"], source=TicketSource.MOBILE)
    clock.advance(1)
    state = json_of(client, ticket)
    assert state["live"] is False and "不是今天的号" in state["message"] and state["people_ahead"] is None
    assert Ticket.objects.get().status == TicketStatus.WAITING


def test_the_a4_poster_carries_the_take_address(client, world, hall, clock):
    html = client.get(reverse("hall:poster", args=[world.a.center.pk])).content.decode()
    url = "http://testserver" + take_url(world)
    assert "扫码取号" in html and "size: A4" in html and url in html
    assert qr_svg(url, title="扫码取号", scale=10) in html


def test_public_base_url_is_used_for_codes_when_set(client, world, hall, clock, settings):
    settings.ONEWINDOW_PUBLIC_BASE_URL = "https://zwfw.jiaxiang.gov.cn"
    html = client.get(reverse("hall:poster", args=[world.a.center.pk])).content.decode()
    assert "https://zwfw.jiaxiang.gov.cn" + take_url(world) in html


def test_the_json_twin_every_phone_polls_stays_cheap(client, world, hall, clock, django_assert_num_queries):
    for _ in range(3):
        ticket = ticket_issue(actor=PUBLIC, category=hall["A"], source=TicketSource.MOBILE)
    url = reverse("hall:follow-json", args=[ticket.follow_token])
    # the ticket, people ahead (normal and green channel), recent service times, the windows serving the category
    with django_assert_num_queries(5):
        assert client.get(url).json()["people_ahead"] == 2
