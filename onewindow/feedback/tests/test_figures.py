"""好差评统计 against a hand count: a month at two windows of town A, with good and bad ratings, a callback, a
rectification that was closed and replied, one found invalid on appeal, one still open."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from onewindow.audit.services import PUBLIC
from onewindow.core.roles import Role
from onewindow.feedback import figures
from onewindow.feedback.models import Callback, Channel, Mode, Rating, Rectification, RectificationStatus
from onewindow.feedback.services.ratings import rating_submit, subject_for_step
from onewindow.feedback.tests.ratings_support import delivered_case, instant_case
from onewindow.hall.services.calling import call_next, ticket_finish
from onewindow.hall.services.tickets import ticket_issue
from onewindow.testing.cases import offered_item

pytestmark = pytest.mark.django_db


def serve(world, hall, clock, window, prefix):
    clerk = world.user("a", Role.FRONT_CLERK)
    ticket_issue(actor=PUBLIC, category=hall[prefix])
    ticket = call_next(actor=clerk, window=window)
    clock.minutes(5)
    return ticket_finish(actor=clerk, ticket=ticket, window=window)


def rated(ticket, level, *, channel=Channel.EVALUATOR, anonymous=False, when=None):
    # The figures read ratings; how they are given is tested with the rating service.
    return Rating.objects.create(
        town=ticket.center.town,
        level=level,
        mode=Mode.OFFLINE,
        channel=channel,
        anonymous=anonymous,
        rater_name="" if anonymous else "张桂英",
        ticket=ticket,
        window=ticket.window,
        staff=ticket.staff,
        served_at=ticket.finished_at,
        created_at=when or ticket.finished_at + timedelta(minutes=1),
    )


def rectification(rating, status, *, reached=None, replied=False):
    rect = Rectification.objects.create(
        rating=rating,
        town=rating.town,
        status=status,
        opened_at=timezone.now(),
        replied_at=timezone.now() if replied else None,
    )
    if reached is not None:
        Callback.objects.create(
            rectification=rect, called_at=timezone.now(), called_by=rating.staff, reached=reached, summary="回访"
        )
    return rect


@pytest.fixture
def month(world, hall, clock):
    medical, comprehensive = world.a.windows[0], world.a.windows[1]
    w1 = [serve(world, hall, clock, medical, "A") for _ in range(6)]
    w2 = [serve(world, hall, clock, comprehensive, "C") for _ in range(3)]
    for ticket, level in zip(w1, (5, 5, 4, 3), strict=False):
        rated(ticket, level)
    real_name_bad = rated(w1[4], 2)
    rectification(real_name_bad, RectificationStatus.CLOSED, reached=True, replied=True)
    anonymous_bad = rated(w1[5], 1, anonymous=True)
    rectification(anonymous_bad, RectificationStatus.INVALID)
    rated(w2[0], 5)
    open_bad = rated(w2[1], 1)
    rectification(open_bad, RectificationStatus.RECTIFYING, reached=False)
    rated(w2[2], 4, channel=Channel.CALLBACK)
    return medical, comprehensive


def by_key(rows):
    return {row.key: row for row in rows}


def test_the_months_figures_by_window_match_a_hand_count(world, month):
    medical, comprehensive = month
    rows = by_key(figures.month_figures(month=timezone.localdate(), by="window", towns=[world.a.region.pk]))
    w1, w2 = rows[medical.pk], rows[comprehensive.pk]
    assert (w1.services, w1.ratings, w1.active, w1.good, w1.bad) == (6, 6, 6, 4, 2)
    assert (w1.good_rate, w1.bad_rate, w1.active_rate) == (66.7, 33.3, 100.0)
    # one real-name 差评, reached on the phone; the anonymous one was found invalid and does not count
    assert (w1.real_name_bad, w1.called_back, w1.callback_rate) == (1, 1, 100.0)
    assert (w1.rectification_rate, w1.reply_rate, w1.average) == (100.0, 100.0, 3.33)
    assert (w2.services, w2.ratings, w2.active, w2.active_rate) == (3, 3, 2, 66.7)  # one given on a callback
    assert (w2.good_rate, w2.bad, w2.callback_rate, w2.rectification_rate, w2.reply_rate) == (66.7, 1, 0.0, 0.0, 0.0)


def test_the_window_ranking_ranks_windows_with_enough_ratings(world, month):
    medical, comprehensive = month
    ranking = figures.window_ranking(month=timezone.localdate(), towns=[world.a.region.pk])
    assert [(r.key, r.rank) for r in ranking] == [(medical.pk, 1), (comprehensive.pk, None)]
    assert "1号窗口" in ranking[0].label


def test_by_town_and_staff_and_other_months(world, month, clock):
    today = timezone.localdate()
    (town,) = figures.month_figures(month=today, by="town", towns=None)
    assert (town.key, town.services, town.ratings, town.bad) == (world.a.region.pk, 9, 9, 3)
    (staff,) = figures.month_figures(month=today, by="staff")
    assert staff.key == world.user("a", Role.FRONT_CLERK).pk and staff.ratings == 9
    assert figures.month_figures(month=today.replace(month=10), by="town") == []
    assert figures.month_figures(month=today, by="town", towns=[world.b.region.pk]) == []


def test_the_figures_page_and_api_for_the_director(client, world, month):
    client.force_login(world.user("a", Role.CENTER_DIRECTOR))
    page = client.get(reverse("feedback:figures"), {"month": "2026-09"})
    html = page.content.decode()
    assert page.status_code == 200 and "好评率" in html and "窗口月度排名" in html and "66.7" in html
    api = client.get(reverse("api-rating-figures"), {"month": "2026-09", "by": "window"})
    assert api.status_code == 200
    rows = {r["key"]: r for r in api.json()["rows"]}
    assert rows[month[0].pk]["good_rate"] == 66.7 and rows[month[0].pk]["callback_rate"] == 100.0
    ranking = client.get(reverse("api-rating-ranking"), {"month": "2026-09"}).json()
    assert ranking["rows"][0]["rank"] == 1


def test_figures_refuse_other_towns_bad_months_and_clerks(client, world, month):
    client.force_login(world.user("a", Role.CENTER_DIRECTOR))
    other = client.get(reverse("api-rating-figures"), {"town": world.b.region.code})
    assert other.status_code == 400 and "管辖范围" in other.json()["error"]["fields"]["town"]
    bad_month = client.get(reverse("feedback:figures"), {"month": "九月"})
    assert bad_month.status_code == 400 and "月份格式" in bad_month.content.decode()
    client.force_login(world.user("a", Role.FRONT_CLERK))
    assert client.get(reverse("api-rating-figures")).status_code == 403
    assert client.get(reverse("feedback:figures")).status_code == 403


def test_case_steps_count_as_services_an_instant_item_once(world, clock):
    instant_case(world, offered_item(world, "370829-JB-001", handling_type="instant", promised_limit_days=0, stages=[]))
    delivered = delivered_case(world, clock)  # accepted at the front desk, delivered at the output window
    (town,) = figures.month_figures(month=delivered.delivered_at.date(), by="town")
    assert town.services == 1 + 2 and town.ratings == 0 and town.active_rate == 0.0


def test_the_pages_month_totals_do_not_depend_on_the_tab(client, world, month, clock):
    case = delivered_case(world, clock)  # handed out at the output desk: no window to credit
    step = case.steps.get(action="deliver")
    rating_submit(actor=PUBLIC, subject=subject_for_step(step), level=5, channel=Channel.QR)
    client.force_login(world.user("a", Role.CENTER_DIRECTOR))
    by_window = client.get(reverse("feedback:figures"), {"month": "2026-09", "by": "window"}).context["total"]
    by_town = client.get(reverse("feedback:figures"), {"month": "2026-09", "by": "town"}).context["total"]
    assert by_window.ratings == by_town.ratings == 10 and by_window.services == by_town.services
