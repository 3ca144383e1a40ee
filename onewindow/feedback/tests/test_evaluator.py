"""评价器: the tablet at a window lights up when the window finishes a ticket, takes one rating for it (差评 with a
reason), says 谢谢 and goes back to idle; the next call, or a few minutes, end the offer. Its poll is cheap."""

from datetime import timedelta

import pytest
from django.urls import reverse

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.audit.services import PUBLIC
from onewindow.core.roles import Role
from onewindow.feedback.models import Channel, Rating, Rectification
from onewindow.feedback.tests.ratings_support import counts, serve
from onewindow.hall.services.calling import call_next
from onewindow.hall.services.tickets import ticket_issue
from onewindow.org.services.devices import device_token_issue

pytestmark = pytest.mark.django_db


def page(window):
    return reverse("feedback:evaluator", args=[window.pk])


def state(window):
    return reverse("feedback:evaluator-current", args=[window.pk])


@pytest.fixture
def tablet(client, world):
    client.force_login(world.user("a", Role.DEVICE))
    return client


def test_idle_until_the_window_finishes_a_ticket_then_one_rating_then_thanks(tablet, world, hall, clock):
    window = world.a.windows[0]
    html = tablet.get(page(window)).content.decode()
    assert "请为本次服务评价" in html and 'name="ticket"' not in html and "1号窗口" in html
    assert tablet.get(state(window)).json() == {"window": window.pk, "service": None}

    ticket = serve(world, hall, clock)
    service = tablet.get(state(window)).json()["service"]
    assert service["id"] == ticket.pk and service["number"] == ticket.number and service["category"] == "医保社保"
    html = tablet.get(page(window)).content.decode()
    assert f'name="ticket" value="{ticket.pk}"' in html and ticket.number in html
    for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意", "服务态度差", "办事快"):
        assert label in html

    response = tablet.post(page(window), {"ticket": ticket.pk, "level": "5", "reasons": ["一次办好"]})
    assert response.status_code == 302 and response["Location"].endswith("?thanks=1")
    rating = Rating.objects.get()
    assert (rating.ticket, rating.level, rating.channel, rating.reasons) == (ticket, 5, Channel.EVALUATOR, ["一次办好"])
    assert AuditEvent.objects.get(action=AuditAction.RATING_GIVEN).actor == world.user("a", Role.DEVICE)
    thanks = tablet.get(response["Location"]).content.decode()
    assert "谢谢您的评价" in thanks and "data-thanks" in thanks and 'name="ticket"' not in thanks
    assert tablet.get(state(window)).json()["service"] is None  # rated: back to idle
    again = tablet.post(page(window), {"ticket": ticket.pk, "level": "1", "reasons": ["服务态度差"]})
    assert again.status_code == 409 and "已评价" in again.content.decode() and Rating.objects.count() == 1


def test_a_bad_rating_needs_a_reason_and_opens_a_rectification(tablet, world, hall, clock):
    window = world.a.windows[0]
    ticket = serve(world, hall, clock)
    before = counts()
    response = tablet.post(page(window), {"ticket": ticket.pk, "level": "1"})
    html = response.content.decode()
    assert response.status_code == 400 and "差评请至少选择一项原因" in html
    assert 'value="1" data-bad checked' in html  # the choice is kept on the page
    assert counts() == before
    response = tablet.post(
        page(window),
        {"ticket": ticket.pk, "level": "1", "reasons": ["排队等候时间长"], "real_name": "1", "rater_name": "李明"},
    )
    assert response.status_code == 400 and "手机号码" in response.content.decode() and counts() == before
    response = tablet.post(
        page(window),
        {
            "ticket": ticket.pk,
            "level": "2",
            "reasons": ["排队等候时间长"],
            "real_name": "1",
            "rater_name": "李明",
            "rater_mobile": "13905370001",
        },
    )
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert rating.level == 2 and not rating.anonymous and rating.rater_mobile == "13905370001"
    assert Rectification.objects.get().rating == rating


def test_the_next_call_or_a_few_minutes_end_the_offer(tablet, world, hall, clock, settings):
    window = world.a.windows[0]
    first = serve(world, hall, clock)
    assert tablet.get(state(window)).json()["service"]["id"] == first.pk
    ticket_issue(actor=PUBLIC, category=hall["A"])
    call_next(actor=world.user("a", Role.FRONT_CLERK), window=window)  # the next person is at the counter
    assert tablet.get(state(window)).json()["service"] is None
    response = tablet.post(page(window), {"ticket": first.pk, "level": "5"})
    assert response.status_code == 409 and not Rating.objects.exists()

    settings.ONEWINDOW_EVALUATOR_RECENT_MINUTES = 10
    window2 = world.a.windows[1]
    second = serve(world, hall, clock, window=window2, prefix="C")
    assert tablet.get(state(window2)).json()["service"]["id"] == second.pk
    clock.minutes(11)
    assert tablet.get(state(window2)).json()["service"] is None


def test_a_ticket_of_another_window_cannot_be_rated_on_this_tablet(tablet, world, hall, clock):
    other = serve(world, hall, clock, window=world.a.windows[1], prefix="C")
    response = tablet.post(page(world.a.windows[0]), {"ticket": other.pk, "level": "5"})
    assert response.status_code == 409 and not Rating.objects.exists()


def test_only_the_towns_devices_and_staff_open_the_tablet(client, world, hall):
    window = world.a.windows[0]
    response = client.get(page(window))
    assert response.status_code == 302 and reverse("hall:device-sign-in") in response["Location"]
    response = client.get(state(window))
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"
    client.force_login(world.user("b", Role.DEVICE))
    assert client.get(page(window)).status_code == 404
    assert client.get(state(window)).status_code == 404
    client.force_login(world.user("a", Role.SUPERVISOR))
    assert client.get(page(window)).status_code == 403
    client.force_login(world.user("a", Role.FRONT_CLERK))  # staff may stand in for the tablet
    assert client.get(page(window)).status_code == 200


def test_a_tablet_may_poll_with_its_token_header(client, world, hall, clock):
    device = world.user("a", Role.DEVICE)
    token = device_token_issue(actor=world.user("a", Role.CENTER_DIRECTOR), device=device)
    ticket = serve(world, hall, clock)
    response = client.get(state(world.a.windows[0]), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and response.json()["service"]["id"] == ticket.pk
    assert client.get(state(world.a.windows[0]), HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_the_poll_costs_the_same_few_queries_however_busy_the_day(
    tablet, world, hall, clock, django_assert_num_queries
):
    window = world.a.windows[0]
    tablet.get(state(window))  # the session is warm
    with django_assert_num_queries(4):  # session, user, window, the current ticket
        assert tablet.get(state(window)).json()["service"] is None
    for _ in range(6):
        last = serve(world, hall, clock, minutes=1)
    with django_assert_num_queries(4):
        assert tablet.get(state(window)).json()["service"]["id"] == last.pk
    clock.minutes(2)
    with django_assert_num_queries(4):
        tablet.get(state(window))


def test_the_poll_says_nothing_personal(tablet, world, hall, clock):
    ticket = serve(world, hall, clock)
    service = tablet.get(state(world.a.windows[0])).json()["service"]
    assert set(service) == {"kind", "id", "number", "category", "staff", "finished_at"}
    assert service["finished_at"].startswith(str((ticket.finished_at + timedelta(hours=8)).date()))
