"""Working-day arithmetic: onewindow.core.calendar (bisect over a per-process snapshot) against the
obvious implementation — walk day by day through a dict {date: is_workday} built from the same
CalendarDay rows.

Samples: random starts in 2020–2026 (fixed seed); add_working_days with n in 1..60;
working_days_between with the other end up to 90 calendar days before or after the start. Starts
late in 2026 run past the last year the package covers: both implementations must then refuse with
"calendar not covered" for the same year. Every sample is checked for identical answers first.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from bench.harness import check, measure, print_table, time_once
from onewindow.core import calendar
from onewindow.core.calendar import CalendarNotCovered
from onewindow.core.models import CalendarDay, CalendarYear

SAMPLES = 5000
SEED = 20261126
ONE_DAY = timedelta(days=1)


class NotCovered(Exception):
    def __init__(self, year: int):
        super().__init__(year)
        self.year = year


def naive_add(days: dict[date, bool], start: date, n: int) -> date:
    day = start
    while n > 0:
        day += ONE_DAY
        workday = days.get(day)
        if workday is None:
            raise NotCovered(day.year)
        if workday:
            n -= 1
    return day


def naive_between(days: dict[date, bool], a: date, b: date) -> int:
    if b < a:
        return -naive_between(days, b, a)
    count, day = 0, a
    while day < b:
        day += ONE_DAY
        workday = days.get(day)
        if workday is None:
            raise NotCovered(day.year)
        count += workday
    return count


def _outcome(fn, *args):
    """The answer, or ("not covered", year) — so refusals are compared too."""
    try:
        return fn(*args)
    except (CalendarNotCovered, NotCovered) as exc:
        return ("not covered", exc.year)


def _samples() -> tuple[list[tuple[date, int]], list[tuple[date, date]]]:
    rng = random.Random(SEED)
    first, last = date(2020, 1, 1).toordinal(), date(2026, 12, 31).toordinal()
    adds, betweens = [], []
    for _ in range(SAMPLES):
        start = date.fromordinal(rng.randint(first, last))
        adds.append((start, rng.randint(1, 60)))
        a = date.fromordinal(rng.randint(first, last))
        betweens.append((a, a + timedelta(days=rng.randint(-90, 90))))
    return adds, betweens


def _calendar_dict() -> dict[date, bool]:
    """The baseline's data: every CalendarDay of a complete year (what the snapshot is built from)."""
    years = set(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
    return {d: w for d, w in CalendarDay.objects.values_list("date", "is_workday") if d.year in years}


def run(ctx) -> None:
    ctx.calendar  # noqa: B018 — seeds the calendar tables on first use
    days = _calendar_dict()
    adds, betweens = _samples()

    # Correctness first: identical answers (or identical refusals) on every sample.
    refusals = {"add": 0, "between": 0}
    for start, n in adds:
        ours, theirs = _outcome(calendar.add_working_days, start, n), _outcome(naive_add, days, start, n)
        check(ours == theirs, f"add_working_days({start}, {n}) = {ours!r}, the day loop says {theirs!r}")
        refusals["add"] += isinstance(ours, tuple)
    for a, b in betweens:
        ours, theirs = _outcome(calendar.working_days_between, a, b), _outcome(naive_between, days, a, b)
        check(ours == theirs, f"working_days_between({a}, {b}) = {ours!r}, the day loop says {theirs!r}")
        refusals["between"] += isinstance(ours, tuple)
        if not isinstance(ours, tuple):
            check(calendar.working_days_between(b, a) == -ours, f"working_days_between({b}, {a}) is not -{ours}")

    # The one-off cost every process pays at start and after every calendar edit.
    loads = []
    for _ in range(3):
        calendar.invalidate_cache()
        loads.append(time_once(lambda: calendar.is_workday(date(2024, 1, 2)))[0] * 1000)
    workdays = len(calendar._snapshot().workdays)

    def cases(ours, naive, samples):
        size = len(samples)
        return {
            "baseline: day loop over dict": lambda i: _outcome(naive, days, *samples[i % size]),
            "onewindow (bisect)": lambda i: _outcome(ours, *samples[i % size]),
        }

    add_stats = measure(
        cases(calendar.add_working_days, naive_add, adds),
        budget_s=ctx.budget(5), max_ops=10 * SAMPLES, batch=500, warmup=200,
        baseline="baseline: day loop over dict",
    )
    between_stats = measure(
        cases(calendar.working_days_between, naive_between, betweens),
        budget_s=ctx.budget(5), max_ops=10 * SAMPLES, batch=500, warmup=200,
        baseline="baseline: day loop over dict",
    )
    print_table(
        f"calendar.add_working_days(start, n), n in 1..60 — {ctx.vendor_label}", add_stats,
        note=f"{SAMPLES:,} samples, identical answers from both, {refusals['add']} of them the same refusal "
        "(calendar not covered: the deadline runs past 2026).",
    )
    print_table(
        f"calendar.working_days_between(a, b), |b - a| <= 90 days — {ctx.vendor_label}", between_stats,
        note=(
            f"{SAMPLES:,} samples, identical answers from both, {refusals['between']} of them the same refusal; "
            "between(b, a) == -between(a, b) checked too.\n"
            f"Snapshot (re)load, once per process and after each calendar edit: "
            f"{', '.join(f'{ms:.1f}' for ms in loads)} ms ({len(days):,} days, {workdays:,} workdays).\n"
            "Per-call figures include ~0.1 µs of timer overhead, on both sides."
        ),
    )
