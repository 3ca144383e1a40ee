"""Timing, statistics and table printing shared by the benchmarks, and the benchmark Context.

Nothing here imports Django at module level: bench/__main__.py configures the environment
(DATABASE_URL, var directory) before django.setup(), and only then imports the benchmarks.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property


@dataclass
class Stats:
    """One measured case: the duration of every operation, in seconds."""

    name: str
    durations: list[float]
    baseline: bool = False
    # Seconds the whole run took when operations overlap (threads); otherwise the sum of durations.
    wall: float | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.durations)

    @cached_property
    def _sorted(self) -> list[float]:
        return sorted(self.durations)

    def percentile_ms(self, q: float) -> float:
        """Nearest-rank percentile, in milliseconds."""
        values = self._sorted
        index = max(0, math.ceil(q * len(values)) - 1)
        return values[index] * 1000

    @property
    def mean_ms(self) -> float:
        return sum(self.durations) / len(self.durations) * 1000

    @property
    def ops_per_s(self) -> float:
        seconds = self.wall if self.wall is not None else sum(self.durations)
        return self.n / seconds


def measure(
    cases: dict[str, Callable[[int], object]],
    *,
    budget_s: float,
    max_ops: int,
    batch: int,
    warmup: int = 0,
    baseline: str,
) -> list[Stats]:
    """Runs every case in turns of `batch` operations until the time budget (shared by all cases)
    is spent or every case has done max_ops. Interleaving spreads any drift of the machine (other
    processes, CPU frequency) over baseline and subject alike.

    Each case is called with the index of the operation within that case (0, 1, 2…), so cases can
    walk the same list of samples.
    """
    if baseline not in cases:
        raise ValueError(f"baseline {baseline!r} is not one of the cases")
    for fn in cases.values():
        for i in range(warmup):
            fn(i)
    durations: dict[str, list[float]] = {name: [] for name in cases}
    gc.collect()
    clock = time.perf_counter
    started = clock()
    while True:
        for name, fn in cases.items():
            done = durations[name]
            if len(done) >= max_ops:
                continue
            for _ in range(min(batch, max_ops - len(done))):
                t0 = clock()
                fn(len(done))
                done.append(clock() - t0)
        if all(len(d) >= max_ops for d in durations.values()) or clock() - started >= budget_s:
            break
    return [Stats(name, d, baseline=(name == baseline)) for name, d in durations.items()]


def time_once(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


# --- printing ----------------------------------------------------------------------------------------


def fmt_ms(value: float) -> str:
    """Three significant digits, never scientific notation."""
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    if value == 0:
        return "0"
    decimals = min(6, 2 - math.floor(math.log10(value)))
    return f"{value:.{decimals}f}"


def fmt_rate(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _versus(row: Stats, base: Stats) -> str:
    if row is base:
        return "baseline"
    ratio = row.ops_per_s / base.ops_per_s
    if ratio >= 1:
        return f"x{ratio:.2f} ({ratio:.1f}x faster)"
    return f"x{ratio:.2f} ({1 / ratio:.1f}x slower)"


def print_table(title: str, rows: list[Stats], *, extra_columns: tuple[str, ...] = (), note: str = "") -> None:
    base = next(row for row in rows if row.baseline)
    header = ["case", "ops", "ops/s", "mean ms", "p50 ms", "p90 ms", "vs baseline (ops/s)", *extra_columns]
    body = [
        [
            row.name,
            f"{row.n:,}",
            fmt_rate(row.ops_per_s),
            fmt_ms(row.mean_ms),
            fmt_ms(row.percentile_ms(0.50)),
            fmt_ms(row.percentile_ms(0.90)),
            _versus(row, base),
            *(str(row.extra.get(column, "")) for column in extra_columns),
        ]
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]

    def line(cells):
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    print()
    print(f"== {title}")
    print(line(header))
    print("  ".join("-" * width for width in widths))
    for cells in body:
        print(line(cells))
    if note:
        for note_line in note.strip().splitlines():
            print(f"   {note_line}")


def check(condition: bool, message: str) -> None:
    """A failed correctness check ends the run with a non-zero exit: its figures would mean nothing."""
    if not condition:
        raise SystemExit(f"bench: CHECK FAILED: {message}")


# --- shared state of one run ---------------------------------------------------------------------------


class Context:
    """What one run of `python -m bench` shares between benchmarks: the database, the world, the calendar.

    The database is a fresh one per run (audit events cannot be deleted), so data built by one
    benchmark is simply there for the next.
    """

    def __init__(self, *, vendor_label: str, scale: float, show_sql: bool = False):
        self.vendor_label = vendor_label  # "SQLite" / "PostgreSQL"
        self.scale = scale
        self.show_sql = show_sql

    def count_queries(self, label: str, fn: Callable[[], object]) -> int:
        """Statements one call of fn sends to the database (printed with --show-sql)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            fn()
        if self.show_sql:
            print(f"   -- {label}: {len(captured.captured_queries)} statements")
            for query in captured.captured_queries:
                print(f"      {query['sql'][:160]}")
        return len(captured.captured_queries)

    def budget(self, seconds: float) -> float:
        return seconds * self.scale

    @property
    def is_postgres(self) -> bool:
        from django.db import connection

        return connection.vendor == "postgresql"

    @cached_property
    def world(self):
        from onewindow.testing.world import build_world

        seconds, world = time_once(build_world)
        print(f"   (setup: build_world() through the org services: {seconds:.2f} s)")
        return world

    @cached_property
    def calendar(self):
        """Every year the chinese-calendar package knows, synced as production does it."""
        from onewindow.audit.services import SYSTEM
        from onewindow.core.services.calendar import calendar_sync_from_package

        seconds, result = time_once(lambda: calendar_sync_from_package(actor=SYSTEM))
        years = result.synced_years
        print(f"   (setup: calendar_sync_from_package(actor=SYSTEM), {years[0]}–{years[-1]}: {seconds:.2f} s)")
        return result
