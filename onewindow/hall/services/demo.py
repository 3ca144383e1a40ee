"""The demo hall (part of manage.py demo): every demo town center's hall set up, about eight weeks of ticket history,
and — when the demo is loaded during opening hours — people waiting in 嘉祥街道 right now.

The history is simulated, not drawn at random field by field: arrivals follow a weekday profile (Monday busiest),
an hour profile (a morning peak 9:00–10:30, a smaller one 14:00–15:00) and the planner's seasonal factors (医保
busier from September); each open window then calls from its own calling order with call_next's rules (priority
first, a normal ticket waiting too long or a run of priority calls gives a normal one its turn), serves for a
lognormal time per category, sometimes calls a no-show or transfers a 综合/咨询 visitor to 医保社保 or 民政优抚. So
waits rise in the peaks and fall after them, and the wait each ticket was told (estimates.py's rule at the
moment it was issued: people ahead × the recent service time ÷ the open windows serving the category) differs
from the wait that happened the way it does in a real hall.

Running it again adds nothing: a center with any ticket before today is skipped, and so is today's queue once
the center has a ticket today.
"""

from __future__ import annotations

import heapq
import logging
import math
import random
import secrets
import statistics
from bisect import insort
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings as django_settings
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from onewindow.audit.services import SYSTEM
from onewindow.core.calendar import CalendarNotCovered, is_workday
from onewindow.core.errors import DomainError
from onewindow.core.roles import Role
from onewindow.hall import planner
from onewindow.hall.estimates import DEFAULT_SERVICE_SECONDS, SAMPLE
from onewindow.hall.models import HallSettings, QueueCategory, Ticket, TicketSource, TicketStatus
from onewindow.hall.services.calling import WINDOW_ROLES, call_next
from onewindow.hall.services.setup import hall_setup_defaults
from onewindow.hall.services.tickets import hall_is_open, ticket_issue
from onewindow.org import demo_data
from onewindow.org.models import ServiceCenter, User, Window

logger = logging.getLogger(__name__)

HISTORY_WEEKS = 8  # the planner's profile window
# The towns with a full set of demo staff get the whole history; the others two weeks, which keeps `manage.py
# demo` quick and still fills their statistics, heat map and planner. Measured (2 CPUs, SQLite and PostgreSQL
# alike): ~38,000 tickets in ~7 s this way; eight weeks everywhere would be ~96,000 in ~17 s.
SHORT_HISTORY_WEEKS = 2
BATCH = 2000
# An ordinary day's tickets per open window, before the weekday, season and town factors (a township window
# serves 30–60 people a day; this keeps the demo halls busy in the peaks without queues past closing time).
TICKETS_PER_WINDOW = 26
TOWN_LOAD = {"370829001000": 1.0, "370829101000": 0.85}  # 嘉祥街道 (county seat), 纸坊镇; other towns 0.5–0.75
SHARE = {"medical_social": 36, "civil_veterans": 12, "comprehensive": 27, "consultation": 15, "output": 10}
# Service minutes per category: (median, lognormal sigma, cap) — a few long cases, none endless.
SERVICE = {
    "medical_social": (5.0, 0.5, 25),
    "civil_veterans": (8.0, 0.55, 40),
    "comprehensive": (6.0, 0.6, 40),
    "consultation": (3.0, 0.5, 15),
    "output": (2.0, 0.4, 8),
}
WEEKDAY = (1.3, 1.05, 1.0, 0.95, 0.85, 0.8, 0.8)  # Monday … Sunday (a weekend working day is a 调休 make-up day)
NO_SHOW_RATE = 0.03
PRIORITY_RATE = 0.08
PRIORITY_WEIGHTS = {"elderly": 6, "disabled": 2, "military": 1.5, "pregnant": 0.5}
# A 综合/咨询 visitor whose business turns out to be 医保 or 民政 is sent on (ticket_transfer keeps the arrival).
TRANSFER_RATE = 0.05
TRANSFER_FROM, TRANSFER_TO = ("comprehensive", "consultation"), ("medical_social", "civil_veterans")
SOURCES, SOURCE_WEIGHTS = (TicketSource.KIOSK, TicketSource.MOBILE, TicketSource.WINDOW), (70, 25, 5)
ARRIVE, CALL = 0, 1  # event kinds; at the same second an arrival is queued before a window calls
LIVE_TOWN, LIVE_TICKETS = "370829001000", 8


def arrival_weight(minute: int) -> float:
    """Relative arrivals at a minute of the day: a morning peak around 9:45 (above the day's mean from about
    9:00 to 10:30) and a smaller afternoon one around 14:30."""
    morning = 1.4 * math.exp(-(((minute - 585) / 55) ** 2))
    afternoon = 0.7 * math.exp(-(((minute - 870) / 40) ** 2))
    return 0.35 + morning + afternoon


def seasonal_factor(code: str, month: int) -> float:
    """The planner's configured season (医保 payment season September–December by default)."""
    factors = getattr(django_settings, "ONEWINDOW_HALL_SEASONAL_FACTORS", planner.DEFAULT_SEASONAL_FACTORS)
    return float(factors.get(code, {}).get(month, 1.0))


def _capped_mean(durations) -> float:
    cap = 3 * statistics.median(durations)
    return statistics.fmean(min(d, cap) for d in durations)


@dataclass(eq=False)
class _Visit:
    ticket: Ticket
    category: int  # index into HallSimulation.categories
    arrived: float  # seconds after midnight; a transferred visit keeps its first arrival
    order: int  # issue order: the id's tie-break in call_next's ordering
    origin: Ticket | None = None  # the ticket it was transferred from


@dataclass
class _Window:
    window: Window
    order: list[int]  # category indices in calling order
    staff: User | None


class HallSimulation:
    """One center's hall as set up (open windows and their calling orders, staff, sessions), simulated day by day;
    what carries over between days is the recent service times behind the estimates. `daily`: an ordinary day's
    tickets (default: per open window and town). Also used by bench/bench_hall.py for its busy day."""

    def __init__(self, center: ServiceCenter, rng: random.Random, *, daily: float | None = None):
        self.center, self.rng = center, rng
        self.settings = HallSettings.objects.get(center=center)
        categories = list(QueueCategory.objects.filter(center=center, is_open=True).order_by("position", "prefix"))
        index = {c.pk: i for i, c in enumerate(categories)}
        staff = _window_staff(center)
        self.windows = []
        for window in Window.objects.filter(center=center, is_open=True).order_by("number"):
            order = [index[c] for c in window.queues.values_list("category_id", flat=True) if c in index]
            if order:
                self.windows.append(_Window(window, order, staff(window)))
        served = {c for w in self.windows for c in w.order}
        # Only what some open window calls is offered at the kiosk.
        self.categories = [c for i, c in enumerate(categories) if i in served]
        remap = {categories.index(c): i for i, c in enumerate(self.categories)}
        for w in self.windows:
            w.order = [remap[c] for c in w.order]
        self.serving = [sum(i in w.order for w in self.windows) for i in range(len(self.categories))]
        self.recent = [deque([float(DEFAULT_SERVICE_SECONDS)], maxlen=SAMPLE) for _ in self.categories]
        self._estimate: list[float | None] = [None] * len(self.categories)  # capped mean of `recent`, cached
        self.codes = [c.code for c in self.categories]
        self.minutes = [
            m
            for first, last in self.settings.sessions
            for m in range(int(first[:2]) * 60 + int(first[3:5]), int(last[:2]) * 60 + int(last[3:5]))
        ]
        weights = [arrival_weight(m) for m in self.minutes]
        mean = sum(weights) / len(weights) if weights else 1.0
        self.cum_weights, total = [], 0.0
        for w in weights:
            total += w / mean
            self.cum_weights.append(total)
        load = TOWN_LOAD.get(center.region.code, 0.5 + 0.25 * rng.random())
        self.daily = daily if daily is not None else TICKETS_PER_WINDOW * len(self.windows) * load
        shares = [SHARE.get(code, 5) for code in self.codes]
        self.shares = [s / sum(shares) for s in shares] if shares else []

    def poisson(self, mean: float) -> int:
        if mean > 30:
            return max(0, round(self.rng.gauss(mean, math.sqrt(mean))))
        limit, k, p = math.exp(-mean), 0, self.rng.random()
        while p > limit:
            k += 1
            p *= self.rng.random()
        return k

    def service_seconds(self, code: str) -> float:
        median, sigma, cap = SERVICE.get(code, (6.0, 0.5, 30))
        return min(self.rng.lognormvariate(math.log(median * 60), sigma), cap * 60)

    def recent_service(self, i: int) -> float:
        if self._estimate[i] is None:
            self._estimate[i] = _capped_mean(self.recent[i])
        return self._estimate[i]

    def arrivals(self, day: date) -> list[tuple[float, int]]:
        """The day's arrivals, (seconds after midnight, category index), in time order."""
        rng = self.rng
        level = self.daily * WEEKDAY[day.weekday()] * max(0.5, rng.gauss(1.0, 0.08))
        arrivals = []
        for i, code in enumerate(self.codes):
            count = self.poisson(level * self.shares[i] * seasonal_factor(code, day.month))
            minutes = rng.choices(self.minutes, cum_weights=self.cum_weights, k=count)
            arrivals += [(minute * 60 + rng.random() * 60, i) for minute in minutes]
        return sorted(arrivals)

    def simulate(self, day: date) -> tuple[list[Ticket], list[_Visit]]:
        """One working day: (tickets, transferred visits whose ticket needs its origin's id)."""
        rng, categories = self.rng, self.categories
        midnight = timezone.make_aware(datetime.combine(day, time()))
        events: list[tuple] = []
        sequences = [0] * len(categories)
        counter = iter(range(1_000_000))
        for arrived, i in self.arrivals(day):
            heapq.heappush(events, (arrived, ARRIVE, next(counter), (i, arrived, None)))
        for w in range(len(self.windows)):
            heapq.heappush(events, (self.minutes[0] * 60, CALL, next(counter), w))
        tickets, transfers, idle = [], [], set()
        waiting: list[list] = [[] for _ in categories]  # (arrived, order, visit), in call_next's order
        last_calls = [deque(maxlen=self.settings.priority_ratio) for _ in self.windows]

        def issue(t: float, i: int, arrived: float, origin: Ticket | None) -> None:
            sequences[i] += 1
            category = categories[i]
            priority = origin.priority if origin else ""
            if origin is None and rng.random() < PRIORITY_RATE:
                kinds = [k for k in PRIORITY_WEIGHTS if k in self.settings.priority_kinds]
                priority = rng.choices(kinds, [PRIORITY_WEIGHTS[k] for k in kinds])[0] if kinds else ""
            estimate = None
            if origin is None:  # what the ticket printed: ticket_issue's rule at that moment
                ahead = sum(1 for *_, v in waiting[i] if v.ticket.priority or not priority)
                estimate = int(ahead * self.recent_service(i) / max(1, self.serving[i]))
            ticket = Ticket(
                center_id=self.center.pk,
                category_id=category.pk,
                day=day,
                sequence=sequences[i],
                number=f"{category.prefix}{sequences[i]:03d}",
                priority=priority,
                source=origin.source if origin else rng.choices(SOURCES, SOURCE_WEIGHTS)[0],
                status=TicketStatus.WAITING,
                arrived_at=midnight + timedelta(seconds=arrived),
                estimated_wait_seconds=estimate,
                follow_token=secrets.token_urlsafe(16)[:22],
            )
            visit = _Visit(ticket, i, arrived, next(counter), origin)
            tickets.append(ticket)
            if origin is not None:
                transfers.append(visit)
            insort(waiting[i], (arrived, visit.order, visit))
            for w in [w for w in idle if i in self.windows[w].order]:
                idle.discard(w)
                heapq.heappush(events, (t, CALL, next(counter), w))

        while events:
            t, kind, _, payload = heapq.heappop(events)
            if kind == ARRIVE:
                issue(t, *payload)
                continue
            w = payload
            visit = self._pick(self.windows[w], waiting, last_calls[w], t)
            if visit is None:
                idle.add(w)
                continue
            waiting[visit.category].remove((visit.arrived, visit.order, visit))
            end = self._serve(visit, self.windows[w], midnight, t, events, counter)
            last_calls[w].append(visit.ticket.priority)
            heapq.heappush(events, (end + rng.uniform(5, 25), CALL, next(counter), w))
        return tickets, transfers

    def _pick(self, window: _Window, waiting, last_calls, t: float) -> _Visit | None:
        """call_next's choice: priority first by (calling order, arrival), unless a normal ticket has waited
        too long or the last calls here were all priority; then the earliest normal ticket."""
        queued = [(rank, entry) for rank, i in enumerate(window.order) for entry in waiting[i]]
        if not queued:
            return None
        normal = [entry for _, entry in queued if not entry[2].ticket.priority]
        overdue = t - self.settings.max_normal_wait_minutes * 60
        streak = len(last_calls) == last_calls.maxlen and all(last_calls)
        if normal and (streak or any(arrived <= overdue for arrived, *_ in normal)):
            return min(normal)[2]
        priority = [(rank, entry) for rank, entry in queued if entry[2].ticket.priority]
        return min(priority or queued, key=lambda p: (p[0], p[1][0], p[1][1]))[1][2]

    def _serve(self, visit: _Visit, window: _Window, midnight, t: float, events, counter) -> float:
        """Fills in the call and its outcome; returns when the window is free again."""
        rng, ticket, code = self.rng, visit.ticket, self.codes[visit.category]
        ticket.called_at = midnight + timedelta(seconds=t)
        ticket.window_id, ticket.staff_id = window.window.pk, window.staff and window.staff.pk
        targets = [self.codes.index(c) for c in TRANSFER_TO if c in self.codes]
        if rng.random() < NO_SHOW_RATE:
            ticket.status, ticket.recalls = TicketStatus.NO_SHOW, self.settings.recalls_before_no_show
            end = t + rng.uniform(90, 180)
        elif code in TRANSFER_FROM and targets and rng.random() < TRANSFER_RATE:
            ticket.status = TicketStatus.TRANSFERRED
            end = t + rng.uniform(60, 240)
            target = rng.choices(targets, [3, 1][: len(targets)])[0]
            heapq.heappush(events, (end, ARRIVE, next(counter), (target, visit.arrived, ticket)))
        else:
            ticket.status = TicketStatus.DONE
            took = self.service_seconds(code)
            self.recent[visit.category].append(took)
            self._estimate[visit.category] = None
            end = t + took
        ticket.finished_at = midnight + timedelta(seconds=end)
        return end


def _window_staff(center: ServiceCenter):
    """Who sits at a window: the consultation and output clerks at theirs, the other counter staff in turn at the
    rest; a town whose only demo account is its director has the director everywhere (as the cases demo does)."""
    users = list(User.objects.filter(town=center.town, role__in=WINDOW_ROLES, is_active=True).order_by("pk"))
    by_role = {}
    for user in users:
        by_role.setdefault(user.role, user)
    counter = [by_role[r] for r in (Role.FRONT_CLERK, Role.COORDINATOR, Role.CENTER_DIRECTOR) if r in by_role]
    counter = counter or users
    turns = iter(range(1000))

    def staff(window: Window) -> User | None:
        own = {Window.Kind.CONSULTATION: Role.CONSULT_CLERK, Window.Kind.OUTPUT: Role.OUTPUT_CLERK}.get(window.kind)
        if own in by_role:
            return by_role[own]
        return counter[next(turns) % len(counter)] if counter else None

    return staff


def history_days(today: date, weeks: int) -> list[date]:
    """Working days in the `weeks` weeks before today; days of a year the calendar does not cover are left out."""
    days = []
    for offset in range(weeks * 7, 0, -1):
        day = today - timedelta(days=offset)
        try:
            if is_workday(day):
                days.append(day)
        except CalendarNotCovered:
            continue
    return days


def write_history(hall: HallSimulation, days: list[date]) -> int:
    """Bulk insert, like importing a center's old records: this is history, not actions happening now, so it
    does not go through the audited services (no audit events, no board bumps for days long past)."""
    tickets, transfers = [], []
    for day in days:
        day_tickets, day_transfers = hall.simulate(day)
        tickets += [t for t in day_tickets if t.status != TicketStatus.WAITING]
        transfers += [v for v in day_transfers if v.ticket.status != TicketStatus.WAITING]
    moved = {id(v.ticket) for v in transfers}
    Ticket.objects.bulk_create([t for t in tickets if id(t) not in moved], batch_size=BATCH)
    for visit in transfers:
        visit.ticket.transferred_from_id = visit.origin.pk  # known now: the first insert returned the ids
    Ticket.objects.bulk_create([v.ticket for v in transfers], batch_size=BATCH)
    # issued_at is auto_now_add: set it to when each ticket was really drawn (a transfer's: its origin's end).
    history = Ticket.objects.filter(center=hall.center, day__in=days)
    history.filter(transferred_from__isnull=True).update(issued_at=F("arrived_at"))
    finished = Ticket.objects.filter(pk=OuterRef("transferred_from_id")).values("finished_at")[:1]
    history.filter(transferred_from__isnull=False).update(issued_at=Subquery(finished))
    return len(tickets)


def _live_queue(center: ServiceCenter, now: datetime) -> int:
    """A few people waiting now (and two of them called), issued and called through the services as a kiosk and
    the counter staff would: these are today's real actions, audited, and they bump the board."""
    settings = HallSettings.objects.get(center=center)
    if not hall_is_open(settings, now) or Ticket.objects.filter(center=center, day=timezone.localdate(now)).exists():
        return 0
    kiosk = User.objects.filter(town=center.town, role=Role.DEVICE, is_active=True).order_by("pk").first()
    categories = list(QueueCategory.objects.filter(center=center, is_open=True, window_queues__window__is_open=True))
    categories = sorted(set(categories), key=lambda c: c.position)
    if not categories:
        return 0
    rng, issued = random.Random(now.toordinal()), 0
    for k in range(LIVE_TICKETS):
        category = categories[0] if k % 2 == 0 else rng.choice(categories)  # 医保社保 busiest, as ever
        moment = now - timedelta(minutes=2 * (LIVE_TICKETS - k))
        priority = "elderly" if k == 5 and "elderly" in settings.priority_kinds else ""
        try:
            moment = moment if hall_is_open(settings, moment) else now
            ticket_issue(actor=kiosk or SYSTEM, category=category, priority=priority, now=moment)
        except DomainError:  # a category just reached its daily limit, say: the demo goes on
            continue
        issued += 1
    clerk = User.objects.filter(town=center.town, role__in=WINDOW_ROLES, is_active=True).order_by("role", "pk")
    clerk = clerk.filter(role=Role.FRONT_CLERK).first() or clerk.first()
    if clerk is not None:
        for window in Window.objects.filter(center=center, is_open=True, queues__isnull=False).distinct()[:2]:
            call_next(actor=clerk, window=window)
    return issued


def load_demo_hall(
    result, *, now: datetime | None = None, weeks: int = HISTORY_WEEKS, short_weeks: int = SHORT_HISTORY_WEEKS
) -> None:
    """Sets up every demo town center's hall and gives it history (`weeks` for the fully staffed towns,
    `short_weeks` for the others); `result.created` counts the tickets."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    codes = [code for code, *_ in demo_data.TOWNS]
    full = {code for code, _, slug, _ in demo_data.TOWNS if slug in demo_data.FULLY_STAFFED_TOWNS}
    centers = ServiceCenter.objects.filter(kind=ServiceCenter.Kind.TOWN_CENTER, region__code__in=codes)
    for center in centers.select_related("region", "town").order_by("region__code"):
        hall_setup_defaults(actor=SYSTEM, center=center)
        days = history_days(today, weeks if center.region.code in full else short_weeks)
        if days and not Ticket.objects.filter(center=center, day__lt=today).exists():
            hall = HallSimulation(center, random.Random(int(center.region.code)))
            if hall.windows and hall.minutes:
                result.created += write_history(hall, days)
        if center.region.code == LIVE_TOWN:
            result.created += _live_queue(center, now)
