"""Tidal windows: a peak over the thresholds alerts the director once (per half hour) with an Erlang C
recommendation; one action opens or closes a tidal window with a flexible staff member, logged and audited."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.audit.services import PUBLIC
from onewindow.core.errors import Conflict, Forbidden, ValidationFailed
from onewindow.core.models import Notification
from onewindow.hall.erlang import servers_needed
from onewindow.hall.estimates import DEFAULT_SERVICE_SECONDS, serving_windows
from onewindow.hall.models import TidalEvent, WindowQueue
from onewindow.hall.services.calling import call_next, ticket_finish
from onewindow.hall.services.tickets import ticket_issue
from onewindow.hall.services.tidal import center_pressure, tidal_check, tidal_close, tidal_open

pytestmark = pytest.mark.django_db


def peak(hall, clock, n=20, prefix="A"):
    """n tickets, one a minute: at 09:30 + n minutes, all inside the 45-minute arrival span."""
    for _ in range(n):
        ticket_issue(actor=PUBLIC, category=hall[prefix])
        clock.minutes(1)


def tidal_notes():
    return Notification.objects.filter(kind__startswith="hall_tidal:")


def test_a_peak_alerts_the_director_once_with_the_erlang_recommendation(world, hall, clock):
    peak(hall, clock, 20)
    ticket_issue(actor=PUBLIC, category=hall["C"])  # two in C: under its thresholds
    ticket_issue(actor=PUBLIC, category=hall["C"])
    director = world.user("a", "center_director")

    alerted = tidal_check(world.a.center)

    # given 20 arrivals in 45 minutes (26.7 an hour), 6 minutes each, 2 windows serving A (1号, 2号)
    rate = 20 * 60 / 45
    expected = servers_needed(rate, DEFAULT_SERVICE_SECONDS, 15 * 60, 0.8) - 2
    assert expected == 2  # a = 2.67 Erlangs: 4 windows call 98.7 % within 15 minutes, 3 only 65.3 %
    assert [p.category.prefix for p in alerted] == ["A"]
    assert alerted[0].recommended == expected
    note = tidal_notes().get()
    assert note.user == director
    assert note.title == "潮汐预警：A 医保社保"
    # 20 waiting × 6 minutes ÷ 2 windows = 60 minutes
    assert note.body.startswith(f"A 医保社保 等候20人，预计等候60分钟；建议增开{expected}个潮汐窗口")
    assert note.url == reverse("hall-tidal", args=[world.a.center.pk])
    assert not Notification.objects.filter(user=world.user("b", "center_director")).exists()


def test_the_alert_is_not_repeated_within_half_an_hour(world, hall, clock):
    peak(hall, clock, 16)
    assert len(tidal_check(world.a.center)) == 1
    clock.minutes(10)
    assert tidal_check(world.a.center) == []
    assert tidal_notes().count() == 1
    clock.minutes(21)
    assert len(tidal_check(world.a.center)) == 1  # still crowded 31 minutes later: a second alert
    assert tidal_notes().count() == 2


def test_once_a_tidal_window_covers_the_need_the_director_is_not_told_again(world, hall, clock):
    peak(hall, clock, 16)  # 16 waiting: over the threshold; Erlang C wants 3 windows for 21 an hour, 2 serve A
    (pressure,) = [p for p in center_pressure(world.a.center) if p.category.prefix == "A"]
    assert (pressure.needed, pressure.serving_windows, pressure.recommended) == (3, 2, 1)
    director = world.user("a", "center_director")
    tidal_open(actor=director, window=world.a.windows[2], category=hall["A"], staff=world.user("a", "consult_clerk"))
    clock.minutes(31)
    (pressure,) = [p for p in center_pressure(world.a.center) if p.category.prefix == "A"]
    assert pressure.crossed and pressure.recommended == 0  # still crowded, but the windows open cover the need
    assert "建议增开" not in pressure.message
    assert tidal_check(world.a.center) == [] and not tidal_notes().exists()


def test_under_the_thresholds_or_outside_opening_hours_nothing_is_sent(world, hall, clock):
    peak(hall, clock, 5)
    assert tidal_check(world.a.center) == []
    pressure = {p.category.prefix: p for p in center_pressure(world.a.center)}
    assert pressure["A"].waiting == 5 and not pressure["A"].crossed and pressure["A"].recommended == 0
    peak(hall, clock, 15)
    clock.at = clock.at.replace(hour=12, minute=30)  # lunch break: the hall is closed
    assert tidal_check(world.a.center) == []
    assert not tidal_notes().exists()


def test_a_long_estimated_wait_alone_crosses_the_threshold(world, hall, clock):
    hall["B"].tidal_wait_minutes_threshold = 10
    hall["B"].save()
    peak(hall, clock, 4, prefix="B")  # 4 × 6 minutes ÷ 2 windows = 12 minutes
    [alert] = tidal_check(world.a.center)
    assert alert.category.prefix == "B" and alert.waiting == 4 and alert.recommended >= 1


def test_the_scheduler_enqueues_the_tidal_check(world, hall, clock):
    peak(hall, clock, 16)
    call_command("scheduler", "--once")  # the immediate backend runs the tasks inline
    assert tidal_notes().filter(user=world.user("a", "center_director")).count() == 1


def test_open_and_close_a_tidal_window_are_logged_and_audited(world, hall, clock):
    director, clerk = world.user("a", "center_director"), world.user("a", "front_clerk")
    window = world.a.windows[2]  # 3号 潮汐, closed, profile C, A, B
    ticket_issue(actor=PUBLIC, category=hall["C"])
    clock.minutes(1)
    a1 = ticket_issue(actor=PUBLIC, category=hall["A"])
    assert serving_windows(hall["A"]) == 2

    event = tidal_open(actor=director, window=window, category=hall["A"], staff=clerk, reason="医保缴费高峰")

    window.refresh_from_db()
    assert window.is_open
    order = list(WindowQueue.objects.filter(window=window).order_by("position").values_list("category__prefix"))
    assert order == [("A",), ("C",), ("B",)]
    assert serving_windows(hall["A"]) == 3
    assert (event.staff, event.opened_by, event.category, event.closed_at) == (clerk, director, hall["A"], None)
    opened = AuditEvent.objects.get(action=AuditAction.TIDAL_OPENED)
    assert opened.after["category"] == "A" and opened.after["staff"] == clerk.username
    assert call_next(actor=clerk, window=window) == a1  # A first at the tidal window, though C came earlier

    with pytest.raises(Conflict) as caught:
        tidal_close(actor=director, window=window)
    assert caught.value.code == "hall.window_busy"
    ticket_finish(actor=clerk, ticket=a1, window=window)
    clock.minutes(50)
    closed = tidal_close(actor=director, window=window)

    window.refresh_from_db()
    assert not window.is_open and closed.pk == event.pk and closed.closed_at is not None
    assert AuditEvent.objects.get(action=AuditAction.TIDAL_CLOSED).after["minutes"] == 50
    with pytest.raises(Conflict) as caught:
        tidal_close(actor=director, window=window)
    assert caught.value.code == "hall.tidal_not_open"


def test_a_director_of_another_town_is_refused_and_nothing_changes(world, hall, clock):
    window = world.a.windows[2]
    with pytest.raises(Forbidden):
        tidal_open(
            actor=world.user("b", "center_director"),
            window=window,
            category=hall["A"],
            staff=world.user("a", "front_clerk"),
        )
    window.refresh_from_db()
    assert not window.is_open and not TidalEvent.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.TIDAL_OPENED).exists()


def test_bad_input_is_refused_with_a_clear_message(world, hall, clock):
    director = world.user("a", "center_director")
    window = world.a.windows[2]
    with pytest.raises(ValidationFailed) as caught:
        tidal_open(actor=director, window=window, category=hall["A"], staff=world.user("b", "front_clerk"))
    assert caught.value.fields == {"staff": "请选择本中心的窗口工作人员"}
    with pytest.raises(ValidationFailed) as caught:
        tidal_open(actor=director, window=window, category=None, staff=world.user("a", "reviewer"))
    assert set(caught.value.fields) == {"category", "staff"}
    with pytest.raises(Conflict) as caught:
        tidal_open(actor=director, window=world.a.windows[0], category=hall["A"], staff=world.user("a", "front_clerk"))
    assert caught.value.code == "hall.not_tidal"
    window.refresh_from_db()
    assert not window.is_open and not TidalEvent.objects.exists()
    tidal_open(actor=director, window=window, category=hall["A"], staff=world.user("a", "front_clerk"))
    with pytest.raises(Conflict) as caught:
        tidal_open(actor=director, window=window, category=hall["B"], staff=world.user("a", "consult_clerk"))
    assert caught.value.code == "hall.tidal_already_open"


def login(client, user):
    client.force_login(user)


def test_tidal_page_recommends_and_the_director_acts_on_it(client, world, hall, clock):
    peak(hall, clock, 20)
    url = reverse("hall-tidal", args=[world.a.center.pk])
    login(client, world.user("a", "center_director"))
    page = client.get(url)
    assert page.status_code == 200
    assert "A 医保社保 等候20人，预计等候60分钟；建议增开2个潮汐窗口" in page.content.decode()

    clerk = world.user("a", "front_clerk")
    form = {"action": "open", "window": world.a.windows[2].pk, "category": hall["A"].pk, "reason": "高峰"}
    refused = client.post(url, {**form, "staff": world.user("b", "front_clerk").pk})
    assert refused.status_code == 400 and "请选择本中心的窗口工作人员" in refused.content.decode()
    assert not TidalEvent.objects.exists()

    done = client.post(url, {**form, "staff": clerk.pk})
    assert done.status_code == 302
    event = TidalEvent.objects.get()
    assert event.staff == clerk and event.reason == "高峰"
    assert "进行中" in client.get(url).content.decode()
    assert client.post(url, {"action": "close", "window": world.a.windows[2].pk}).status_code == 302
    event.refresh_from_db()
    assert event.closed_at is not None


def test_tidal_page_access(client, world, hall, clock):
    url = reverse("hall-tidal", args=[world.a.center.pk])
    login(client, world.user("b", "center_director"))
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "close", "window": world.a.windows[2].pk}).status_code == 404
    login(client, world.user("a", "front_clerk"))
    assert client.get(url).status_code == 403
    login(client, world.county_admin)
    assert client.get(url).status_code == 200
    assert client.get(reverse("hall-manage")).status_code == 200
    login(client, world.user("a", "center_director"))
    assert client.get(reverse("hall-manage"))["Location"] == url
