"""manage.py demo's hall: weeks of simulated ticket history on working days (Monday and the morning busiest, 医保
busier from September), the statistics and the planner fed by it, people waiting when loaded during opening hours,
and a second load that adds nothing. World towns A and B carry the codes of 嘉祥街道 and 纸坊镇, the fully
staffed demo towns, so they get the whole eight weeks."""

from collections import Counter, defaultdict
from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.core.calendar import is_workday
from onewindow.hall import stats
from onewindow.hall.board import board_state
from onewindow.hall.estimates import DEFAULT_SERVICE_SECONDS
from onewindow.hall.models import Ticket, TicketStatus
from onewindow.hall.planner import forecast
from onewindow.hall.services.demo import HISTORY_WEEKS, history_days, load_demo_hall
from onewindow.org.services.demo import DemoResult

pytestmark = pytest.mark.django_db

HISTORY = (TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.TRANSFERRED)


def load() -> DemoResult:
    result = DemoResult()
    load_demo_hall(result)
    return result


def history(center, today):
    return Ticket.objects.filter(center=center, day__lt=today)


def in_session(moment) -> bool:
    clock = timezone.localtime(moment).strftime("%H:%M")
    return "08:30" <= clock < "12:00" or "13:30" <= clock < "17:30"


def test_eight_weeks_of_working_days_up_to_yesterday(world, clock):
    result = load()

    today = clock.day
    tickets = history(world.a.center, today)
    days = set(tickets.values_list("day", flat=True))
    assert days == set(history_days(today, HISTORY_WEEKS))
    assert len(days) == 40  # 2026-07-07 … 2026-08-31: eight weeks without a holiday
    assert all(is_workday(d) and today - timedelta(weeks=8) <= d < today for d in days)
    assert history(world.b.center, today).exists()
    assert result.created == Ticket.objects.count()
    assert set(tickets.values_list("status", flat=True)) == set(HISTORY)
    assert all(in_session(t.arrived_at) for t in tickets.filter(transferred_from__isnull=True))


def test_history_has_the_weekday_hour_and_outcome_profile(world, clock):
    load()

    tickets = list(history(world.a.center, clock.day))
    per_weekday = defaultdict(Counter)
    for t in tickets:
        per_weekday[t.day.weekday()][t.day] += 1
    mean = {w: sum(c.values()) / len(c) for w, c in per_weekday.items()}
    assert mean[0] == max(mean.values()) and mean[0] > 1.15 * mean[4]  # Monday busiest, Friday quietest
    hours = Counter(timezone.localtime(t.arrived_at).hour for t in tickets if not t.transferred_from_id)
    assert hours[9] > 2 * hours[11] and hours[9] > 2 * hours[16]  # the morning peak
    assert hours[14] > hours[13] and hours[14] > hours[16]  # the smaller afternoon one
    outcomes = Counter(t.status for t in tickets)
    assert 0.01 < outcomes[TicketStatus.NO_SHOW] / len(tickets) < 0.06
    priority = sum(1 for t in tickets if t.priority) / len(tickets)
    assert 0.04 < priority < 0.13
    services = sorted(t.service_seconds for t in tickets if t.status == TicketStatus.DONE)
    assert 150 < services[len(services) // 2] < 600 and services[-1] <= 40 * 60


def test_windows_serve_one_person_at_a_time_and_transfers_keep_the_arrival(world, clock):
    load()

    tickets = history(world.a.center, clock.day).order_by("window_id", "called_at")
    windows = {w.pk for w in world.a.windows if w.is_open}
    staff = {u.pk for u in world.a.users.values()}
    previous = {}
    for t in tickets:
        assert t.arrived_at <= t.called_at <= t.finished_at
        assert t.window_id in windows and t.staff_id in staff
        last = previous.get(t.window_id)
        assert last is None or last.finished_at <= t.called_at
        previous[t.window_id] = t
    moved = tickets.filter(transferred_from__isnull=False).select_related("transferred_from")
    assert moved.exists()
    for t in moved:
        assert t.transferred_from.status == TicketStatus.TRANSFERRED
        assert t.arrived_at == t.transferred_from.arrived_at and t.estimated_wait_seconds is None
        assert t.called_at >= t.transferred_from.finished_at
    assert not tickets.filter(transferred_from__isnull=True, estimated_wait_seconds__isnull=True).exists()


def test_medical_insurance_rises_from_september(world, clock):
    clock.day = date(2026, 9, 29)  # history from 2026-08-04: four weeks of August, four of September
    load()

    counts = defaultdict(Counter)
    for day, prefix in history(world.a.center, clock.day).values_list("day", "category__prefix"):
        counts[day.month][prefix] += 1
    share = {month: c["A"] / (c["B"] + c["C"]) for month, c in counts.items()}
    assert share[9] > 1.15 * share[8]


def test_statistics_and_planner_have_figures_from_the_history(world, clock):
    load()
    center = world.a.center

    month = stats.hall_stats(center, period=stats.MONTH, day=date(2026, 8, 1))
    total = month.total
    assert total.tickets > 500 and total.called == total.tickets
    assert total.wait_mean > 0 and total.wait_p90 > total.wait_mean and total.service_mean > 60
    assert 0 < total.no_show_rate < 0.08
    assert total.estimate_count > 500 and total.estimate_mae > 0  # 预计与实际
    assert {f.label for f in month.by_category if f.tickets} >= {"A 医保社保", "C 综合业务"}
    assert len(month.by_window) == 2 and month.by_staff
    peak = month.hours.index(9)
    assert all(row[peak] == max(row) for _, row in month.heat)

    plan = forecast(center, weeks=2)
    assert plan.history_days == 40 and plan.service_seconds["A"] != DEFAULT_SERVICE_SECONDS
    days = {d.day: d for d in plan.days}
    monday, friday = days[date(2026, 9, 7)], days[date(2026, 9, 11)]
    assert monday.total_arrivals > friday.total_arrivals > 0
    assert all(half.recommended >= 4 for half in monday.halves)


def test_people_wait_in_jiaxiang_when_loaded_during_opening_hours(world, clock):
    load()

    today = Ticket.objects.filter(center=world.a.center, day=clock.day)
    assert today.filter(status=TicketStatus.WAITING).count() >= 4
    called = today.filter(status=TicketStatus.CALLED)
    assert called.count() == 2 and all(t.staff == world.user("a", "front_clerk") for t in called)
    assert not Ticket.objects.filter(center=world.b.center, day=clock.day).exists()
    # Today's tickets are real actions through the services: audited, and on the board.
    issued = AuditEvent.objects.filter(action=AuditAction.TICKET_ISSUED, chain=world.a.region.code).count()
    assert issued == today.count()
    board = board_state(world.a.center)
    assert sum(c["waiting"] for c in board["categories"]) == today.filter(status=TicketStatus.WAITING).count()
    assert sum(1 for w in board["windows"] if w["ticket"]) == 2


def test_loaded_at_night_there_is_history_but_nobody_waiting(world, clock):
    clock.at = time(20, 30)
    load()

    assert history(world.a.center, clock.day).exists()
    assert not Ticket.objects.filter(day=clock.day).exists()


def test_only_days_the_calendar_covers(world, clock):
    clock.day = date(2020, 1, 14)  # eight weeks back reach into 2019, which the calendar does not know
    load()

    days = set(Ticket.objects.values_list("day", flat=True))
    assert days and min(days) >= date(2020, 1, 2) and date(2020, 1, 1) not in days


def test_a_second_load_adds_nothing(world, clock):
    load()
    before = (Ticket.objects.count(), AuditEvent.objects.count())

    again = load()

    assert again.created == 0
    assert (Ticket.objects.count(), AuditEvent.objects.count()) == before
