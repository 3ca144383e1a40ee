"""The hall at its busiest (issue 5): call-next under concurrent windows, and the delay from a call to the board.

Setup, in a database of the benchmark's own (see __main__): town A of build_world() with 30 open windows (医保 ×7,
社保 ×4, 民政优抚 ×4, 综合 ×9, 咨询 ×3, 出件 ×3; calling orders from hall_setup_defaults), history written by the demo's
simulator (onewindow/hall/services/demo.py: 2,000 tickets an ordinary day, a morning peak; 1 week, or 4 with
--hall-full) so the estimate and board queries meet a real history, and the bench day's queue: the arrivals of a
2,000-ticket day until 09:15 (the start of the peak, ~230 tickets) or, with --hall-full, all 2,000 at once.

  drain  N threads (1, 4, 16 on PostgreSQL, 1, 4, 8, 16 with --hall-full; 1 on SQLite, one writer at a time), each
         with its own connection and driving windows k, k+N, …: call_next() → ticket_finish() as fast as it goes
         until the queue is empty.
         Baseline, same threads and queue: a bare claim, `SELECT id … WHERE center, day, waiting, category IN
         (the window's) ORDER BY arrived_at, id LIMIT 1 FOR UPDATE SKIP LOCKED` + `UPDATE … SET status='called'`,
         then an `UPDATE … SET status='done'`: no window lock, no green-channel rule, no audit, no board bump.
         Checked: every ticket claimed exactly once and done.
  board  one window calls; a display thread watches board_version() as the board stream does and on a change
         builds board_state(). Delay from the click (call_next starts) until the display sees the new version,
         and until board_state shows the number at that window: with the display polling every 1 ms (the
         system's own delay) and every POLL_SECONDS (the stream's), and on PostgreSQL while 8 other threads drain.

The hall's rules read the clock (same-day queue, a normal ticket waiting 30 minutes goes first), so the run moves
`timezone.now` onto the bench day, as the demo does. Cache: Redis when REDIS_URL is given (database 14, flushed
at the start), else local memory (threads share it, as one process's would).
"""

from __future__ import annotations

import random
import secrets
import threading
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from bench.harness import Stats, check, fmt_ms, print_table, time_once
from onewindow.audit.services import SYSTEM
from onewindow.core.calendar import CalendarNotCovered, is_workday
from onewindow.hall.board import board_state
from onewindow.hall.events import board_version
from onewindow.hall.models import Ticket, TicketStatus
from onewindow.hall.services.calling import call_next, ticket_finish
from onewindow.hall.services.demo import HallSimulation, history_days, write_history
from onewindow.hall.services.setup import hall_setup_defaults
from onewindow.hall.views.board import POLL_SECONDS
from onewindow.org.models import BusinessCategory, Window
from onewindow.org.services import save_business_category, save_window

DAILY = 2000
SMALL_UNTIL = (9, 15)
BUSINESS = [
    ("social_security", "社保"),
    ("veterans", "退役军人优抚"),
    ("social_assistance", "低保五保"),
    ("comprehensive", "综合事项"),
    ("consultation", "咨询导办"),
    ("output", "统一出件"),
]
# Windows 4…31 (the world has 1 医保 and 2 综合受理 open, 3 潮汐 closed): 30 open in all.
EXTRA_WINDOWS = (
    [("医保", "high_frequency", ["medical_insurance"])] * 6
    + [("社保", "high_frequency", ["social_security"])] * 4
    + [("退役军人优抚", "high_frequency", ["veterans"])] * 2
    + [("低保五保", "high_frequency", ["social_assistance"])] * 2
    + [("综合受理", "comprehensive", ["comprehensive"])] * 8
    + [("咨询导办", "consultation", ["consultation"])] * 3
    + [("统一出件", "output", ["output"])] * 3
)
BOARD_CALLS = 20  # per display variant (half with the stream's slower polls); 30 with --hall-full


@contextmanager
def bench_clock(start: datetime):
    """timezone.now() on the bench day, from `start` on at the wall clock's pace (process-wide: bench only)."""
    original, t0 = timezone.now, time.perf_counter()
    timezone.now = lambda: start + timedelta(seconds=time.perf_counter() - t0)
    try:
        yield
    finally:
        timezone.now = original


def _bench_day() -> date:
    """The latest working day up to today that the calendar knows (tickets are only issued on working days)."""
    day = timezone.localdate()
    while True:
        try:
            if is_workday(day):
                return day
        except CalendarNotCovered:
            day = date(day.year - 1, 12, 31)
            continue
        day -= timedelta(days=1)


def _setup_hall(ctx):
    world = ctx.world
    ctx.calendar  # noqa: B018  (working days)
    for code, name in BUSINESS:
        if not BusinessCategory.objects.filter(code=code).exists():
            save_business_category(actor=SYSTEM, category=BusinessCategory(code=code, name=name))
    categories = {c.code: c for c in BusinessCategory.objects.all()}
    center = world.a.center
    for number, (name, kind, codes) in enumerate(EXTRA_WINDOWS, start=4):
        window = Window(center=center, number=number, name=f"{name}{number}", kind=kind)
        save_window(actor=SYSTEM, window=window, categories=[categories[c] for c in codes])
    hall_setup_defaults(actor=SYSTEM, center=center)
    windows = list(Window.objects.filter(center=center, is_open=True).select_related("center", "town"))
    check(len(windows) == 30, f"expected 30 open windows, found {len(windows)}")
    return world, center, windows


def _queue(sim: HallSimulation, day: date, full: bool) -> int:
    """The bench day's waiting tickets (bulk: the arrivals are the setting, not what is measured)."""
    midnight = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    until = None if full else SMALL_UNTIL[0] * 3600 + SMALL_UNTIL[1] * 60
    sequences, rows, rng = {}, [], random.Random(5)
    for arrived, i in sim.arrivals(day):
        if until is not None and arrived >= until:
            break
        category = sim.categories[i]
        sequences[i] = sequences.get(i, 0) + 1
        rows.append(
            Ticket(
                center_id=category.center_id,
                category_id=category.pk,
                day=day,
                sequence=sequences[i],
                number=f"{category.prefix}{sequences[i]:03d}",
                priority="elderly" if rng.random() < 0.08 else "",
                source="kiosk",
                arrived_at=midnight + timedelta(seconds=arrived),
                follow_token=secrets.token_urlsafe(16)[:22],
            )
        )
    Ticket.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _reset(center, day) -> None:
    Ticket.objects.filter(center=center, day=day).update(
        status=TicketStatus.WAITING, called_at=None, finished_at=None, window=None, staff=None, recalls=0
    )


def _services(actor):
    def claim(window):
        return call_next(actor=actor, window=window)

    def finish(window, ticket):
        ticket_finish(actor=actor, ticket=ticket, window=window)

    return claim, finish


def _bare(actor, day):
    """The baseline claim: the SKIP LOCKED claim of a job queue, nothing else."""
    orders = {}

    def claim(window):
        if window.pk not in orders:
            orders[window.pk] = list(window.queues.values_list("category_id", flat=True))
        with transaction.atomic():
            waiting = Ticket.objects.filter(
                center_id=window.center_id, day=day, status=TicketStatus.WAITING, category_id__in=orders[window.pk]
            )
            locked = waiting.select_for_update(skip_locked=True).order_by("arrived_at", "id")
            ticket_id = locked.values_list("id", flat=True).first()
            if ticket_id is None:
                return None
            Ticket.objects.filter(pk=ticket_id).update(
                status=TicketStatus.CALLED, called_at=timezone.now(), window=window, staff=actor
            )
            return ticket_id

    def finish(window, ticket_id):
        with transaction.atomic():
            Ticket.objects.filter(pk=ticket_id).update(status=TicketStatus.DONE, finished_at=timezone.now())

    return claim, finish


def _drain(windows, claim, finish, threads: int) -> tuple[list[float], list[float], float, list, float]:
    """(claim latencies, finish latencies, wall seconds, claimed ids, this process's CPU seconds) of N threads
    emptying the queue."""
    ready = threading.Barrier(threads + 1)
    calls, finishes, claimed = [[] for _ in range(threads)], [[] for _ in range(threads)], [[] for _ in range(threads)]
    errors: list[BaseException] = []

    def work(k):
        try:
            connection.ensure_connection()
            ready.wait()
            active = windows[k::threads]
            while active:
                for window in list(active):
                    t0 = time.perf_counter()
                    ticket = claim(window)
                    t1 = time.perf_counter()
                    if ticket is None:
                        active.remove(window)
                        continue
                    finish(window, ticket)
                    calls[k].append(t1 - t0)
                    finishes[k].append(time.perf_counter() - t1)
                    claimed[k].append(getattr(ticket, "pk", ticket))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
            if not ready.broken:
                ready.abort()
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    for worker in workers:
        worker.start()
    ready.wait()
    started, cpu = time.perf_counter(), time.process_time()
    for worker in workers:
        worker.join()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    check(not errors, f"drain failed: {errors!r}")
    flat = [d for per in calls for d in per], [d for per in finishes for d in per], [i for per in claimed for i in per]
    return flat[0], flat[1], wall, flat[2], cpu


def _drain_tables(ctx, center, windows, day, size: int, actor) -> None:
    subject, bare = _services(actor), _bare(actor, day)
    queries = {
        "call_next()": ctx.count_queries("call_next()", lambda: subject[0](windows[0])),
        "bare claim": ctx.count_queries("bare claim", lambda: bare[0](windows[0])),
    }
    full = getattr(ctx, "hall_full", False)
    counts = ((1, 4, 8, 16) if full else (1, 4, 16)) if ctx.is_postgres else (1,)
    for threads in counts:
        rows = []
        for name, (claim, finish) in (
            (f"baseline: bare SKIP LOCKED claim, {threads} thr", bare),
            (f"call_next() → ticket_finish(), {threads} thr", subject),
        ):
            _reset(center, day)
            calls, finishes, wall, claimed, cpu = _drain(windows, claim, finish, threads)
            check(len(claimed) == len(set(claimed)) == size, f"{name}: {len(claimed)} claims of {size} tickets")
            done = Ticket.objects.filter(center=center, day=day, status=TicketStatus.DONE).count()
            check(done == size, f"{name}: {done} of {size} tickets done")
            row = Stats(name, calls, baseline=name.startswith("baseline"), wall=wall)
            row.extra.update(
                {
                    "p95 ms": fmt_ms(row.percentile_ms(0.95)),
                    "p99 ms": fmt_ms(row.percentile_ms(0.99)),
                    "finish p50 ms": fmt_ms(Stats("", finishes).percentile_ms(0.5)),
                    "tickets/s": f"{size / wall:,.0f}",
                    "py CPU %": f"{100 * cpu / wall:.0f}",
                }
            )
            rows.append(row)
        print_table(
            f"hall drain: {size:,} waiting tickets, 30 windows, {threads} thread(s) — {ctx.vendor_label}",
            rows,
            extra_columns=("p95 ms", "p99 ms", "finish p50 ms", "tickets/s", "py CPU %"),
            note=(
                "ops = claims (call_next or the bare claim) that got a ticket; ms = one claim as its thread saw it;\n"
                "tickets/s = claimed and finished / wall time. Every ticket claimed exactly once and done.\n"
                "py CPU % = this Python process's CPU time / wall time: near 100 the threads queue for the GIL.\n"
                f"Statements per claim: call_next {queries['call_next()']}, bare {queries['bare claim']} "
                "(BEGIN/COMMIT included)."
            ),
        )


class Display(threading.Thread):
    """What the board stream does: watch the version; on a change, build the board state."""

    def __init__(self, center, window, interval: float):
        super().__init__(daemon=True)
        self.center, self.window_id, self.interval = center, window.pk, interval
        self.seen: list[tuple[float, float, str | None]] = []  # (version seen, state built, number at the window)
        self.changed = threading.Condition()
        self.stop = threading.Event()

    def run(self):
        try:
            last = board_version(self.center.pk)
            while not self.stop.is_set():
                version = board_version(self.center.pk)
                if version != last:
                    seen = time.perf_counter()
                    state = board_state(self.center)
                    built = time.perf_counter()
                    last = version
                    number = next((w["ticket"] for w in state["windows"] if w["id"] == self.window_id), None)
                    with self.changed:
                        self.seen.append((seen, built, number and number["number"]))
                        self.changed.notify_all()
                time.sleep(self.interval)
        finally:
            connection.close()

    def wait_for(self, mark: int, number: str | None, timeout: float = 5.0) -> tuple[float, float, float]:
        """(first version change seen after `mark`, when the state showing `number` at the window was built, and
        how long building it took)."""
        with self.changed:
            ok = self.changed.wait_for(lambda: any(n == number for _, _, n in self.seen[mark:]), timeout)
            check(ok, f"the board never showed {number!r}")
            seen, built = next((seen, built) for seen, built, n in self.seen[mark:] if n == number)
            return self.seen[mark][0], built, built - seen


def _board(ctx, center, windows, day, actor) -> None:
    window, others = windows[0], windows[1:]
    n = 30 if getattr(ctx, "hall_full", False) else BOARD_CALLS
    variants = [
        ("display polls every 1 ms", 0.001, 0, n),
        (f"display polls every {POLL_SECONDS} s", POLL_SECONDS, 0, n // 2),
    ]
    if ctx.is_postgres:
        variants.append(("1 ms polls, 8 threads draining the rest", 0.001, 8, n))
    results = []
    for label, interval, busy, calls in variants:
        _reset(center, day)
        display = Display(center, window, interval)
        display.start()
        load = None
        if busy:
            claim, finish = _services(actor)
            load = threading.Thread(target=_drain, args=(others, claim, finish, busy), daemon=True)
            load.start()
        called, versions, shown, builds = [], [], [], []
        for _ in range(calls):
            if load is not None and not load.is_alive():
                break  # the others have emptied the queue: no more load to measure under
            mark = len(display.seen)
            click = time.perf_counter()
            ticket = call_next(actor=actor, window=window)
            if ticket is None:
                break
            called.append(time.perf_counter() - click)
            seen, built, build = display.wait_for(mark, ticket.number)
            versions.append(seen - click)
            shown.append(built - click)
            builds.append(build)
            mark = len(display.seen)
            ticket_finish(actor=actor, ticket=ticket, window=window)
            display.wait_for(mark, None)
            time.sleep(random.uniform(0.01, 0.03))
        display.stop.set()
        display.join()
        if load is not None:
            load.join()
        check(len(shown) >= 5, f"{label}: only {len(shown)} calls measured")
        results.append((label, len(shown), called, None if busy else versions, builds, shown))
    print()
    print(f"== call → board delay, ms after the click (call_next starts) — {ctx.vendor_label}")
    print(f"{'display':<42} {'calls':>5}  {'what':<34} {'p50':>7} {'p95':>7} {'max':>7}")
    for label, n, called, versions, builds, shown in results:
        for what, values in (
            ("call_next returned (baseline)", called),
            ("board_version() seen changed", versions),
            ("  board_state() build (miss)", builds),
            ("board_state() shows the number", shown),
        ):
            if values is None:
                continue
            row = Stats(what, values)
            cells = [fmt_ms(row.percentile_ms(q)) for q in (0.5, 0.95, 1.0)]
            print(f"{label:<42} {n:>5}  {what:<34} {cells[0]:>7} {cells[1]:>7} {cells[2]:>7}")
    cache.clear()
    statements = ctx.count_queries("board_state() build", lambda: board_state(center))
    print(f"   board_state() build: {statements} statements.")
    print("   The version is bumped after COMMIT inside call_next; a display sees it on its next poll and then builds")
    print("   board_state (recomputed once per version, then cached). Under load the version moves all the time, so")
    print("   only 'shows the number' is attributable to this call.")


def run(ctx) -> None:
    full = getattr(ctx, "hall_full", False)
    cache.clear()
    world, center, windows = _setup_hall(ctx)
    day = _bench_day()
    sim = HallSimulation(center, random.Random(14), daily=DAILY)
    days = history_days(day, 4 if full else 1)
    seconds, rows = time_once(lambda: write_history(sim, days))
    print(f"   (setup: {rows:,} tickets of history over {len(days)} days by the demo's simulator: {seconds:.1f} s)")
    size = _queue(sim, day, full)
    backend = settings.CACHES["default"]
    where = f"{backend['BACKEND'].rsplit('.', 1)[-1]} {backend.get('LOCATION', '(this process)')}"
    print(f"   (setup: bench day {day}, {size:,} tickets waiting; cache {where})")
    actor = world.a.users["front_clerk"]
    until = (17, 30) if full else SMALL_UNTIL
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=until[0], minute=until[1]))
    with bench_clock(start):
        _drain_tables(ctx, center, windows, day, size, actor)
        _board(ctx, center, windows, day, actor)
