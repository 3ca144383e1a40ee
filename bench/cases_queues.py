"""The work queues at scale (part of bench_cases): every selectors.QUEUES entry as a role whose workbench shows
it, by the selector and by the API, first page and a deep keyset page, with query counts and queue lengths;
EXPLAIN ANALYZE of the slowest selector's slowest statement on PostgreSQL."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.harness import Stats, fmt_ms, measure, print_table
from onewindow.cases.models import Case
from onewindow.cases.selectors import QUEUES, queue
from onewindow.org.models import User
from onewindow.org.services.tokens import issue_token

TOWN = "jiaxiang"
# The role whose workbench (cases/views/workbench.py) shows each queue; the county-wide overdue list as well.
QUEUE_USERS = {
    "intake_today": "jiaxiang_front_clerk",
    "awaiting_acceptance": "jiaxiang_front_clerk",
    "my_tasks": "jiaxiang_reviewer_civil",
    "ready_to_decide": "jiaxiang_coordinator",
    "joint": "jiaxiang_coordinator",
    "overdue": "jiaxiang_coordinator",
    "ready_for_pickup": "jiaxiang_output_clerk",
    "deficiency": "jiaxiang_output_clerk",
}
EXTRA = [("overdue", "county_admin")]
DEEP_PAGES, DEEP_SIZE = 20, 200  # a deep page: after up to 4,000 rows
SLOW_MS = 50
BASELINE = "baseline: Case.objects.get(number=…)"


def _walk(actor, name) -> tuple[str | None, int, str]:
    """(a cursor deep into the queue or None when it has no second page, rows before it, the queue's length)."""
    cursor, deep, before, rows = None, None, 0, 0
    for _ in range(DEEP_PAGES):
        page = queue(actor, name, cursor=cursor, size=DEEP_SIZE)
        rows += len(page.rows)
        if page.next_cursor is None:
            return deep, before, f"{rows:,}"
        cursor = deep = page.next_cursor
        before = rows
    return deep, before, f">{rows:,}"


def _subjects() -> list[tuple[str, str, User]]:
    users = {username: User.objects.select_related("town").get(username=username) for username in
             {*QUEUE_USERS.values(), *(u for _, u in EXTRA)}}  # fmt: skip
    subjects = [(name, QUEUE_USERS.get(name, f"{TOWN}_director"), None) for name in QUEUES]
    subjects += [(name, username, None) for name, username in EXTRA]
    users |= {u: User.objects.select_related("town").get(username=u) for _, u, _ in subjects if u not in users}
    return [(name, username, users[username]) for name, username, _ in subjects]


def _add_columns(stats, **columns) -> None:
    for row in stats:
        row.extra["p95 ms"] = fmt_ms(row.percentile_ms(0.95))
        row.extra["p99 ms"] = fmt_ms(row.percentile_ms(0.99))
        for column, values in columns.items():
            row.extra[column] = values.get(row.name, "")


def run_queues(ctx, numbers, size) -> None:
    def baseline(i):
        Case.objects.get(number=numbers[(i * 7919) % len(numbers)])

    selector_groups, api_groups, lengths = [], [], {}
    client = Client()
    for name, username, actor in _subjects():
        deep, before, length = _walk(actor, name)
        role = username.removeprefix(f"{TOWN}_")
        auth = {"HTTP_AUTHORIZATION": f"Token {issue_token(actor=actor).key}"}
        path = "/api/v1/tasks/?" if name == "my_tasks" else f"/api/v1/cases/?queue={name}&"
        check_page(client, path, auth, actor, name)
        first = f"{name} · {role}"
        lengths[first] = length
        selectors = {first: lambda _i, a=actor, n=name: queue(a, n)}
        api = {first: _get(client, path, None, auth)}
        if deep:
            label = f"{name} · {role} · deep, after {before:,}"
            selectors[label] = lambda _i, a=actor, n=name, c=deep: queue(a, n, cursor=c)
            api[label] = _get(client, path, deep, auth)
        selector_groups.append(selectors)
        api_groups.append(api)
    for title, groups in (("selectors.queue()", selector_groups), ("GET /api/v1/cases/?queue= (token)", api_groups)):
        stats, cases = _measure_groups(ctx, baseline, groups)
        queries = {name: ctx.count_queries(name, lambda fn=fn: fn(0)) for name, fn in cases.items()}
        _add_columns(stats, **{"queries/op": queries, "queue rows": lengths})
        slow = [row.name for row in stats if not row.baseline and row.percentile_ms(0.5) > SLOW_MS]
        print_table(
            f"work queues, 50-row pages, 嘉祥街道 among {size:,} generated cases: {title} — {ctx.vendor_label}",
            stats,
            extra_columns=("p95 ms", "p99 ms", "queries/op", "queue rows"),
            note=(
                "deep = the page after walking the queue 200 rows at a time (up to 4,000 rows); queue rows = its\n"
                "length (> : longer than the walk). my_tasks by GET /api/v1/tasks/. Each queue measured in turn\n"
                "with the baseline interleaved, for the same time; the baseline row pools all those rounds."
                + (f"\np50 above {SLOW_MS} ms: {', '.join(slow)}" if slow else "")
            ),
        )
        if title.startswith("selectors") and ctx.is_postgres:
            slowest = max((row for row in stats if not row.baseline), key=lambda row: row.percentile_ms(0.5))
            _explain(slowest.name, cases[slowest.name])


def _measure_groups(ctx, baseline, groups) -> tuple[list[Stats], dict]:
    """Each queue (first + deep page) against the baseline for its own time budget, so a queue taking seconds
    per page does not starve the others of samples; the baseline's rounds are pooled into one row."""
    pooled, rows, cases = [], [], {BASELINE: baseline}
    for group in groups:
        stats = measure({BASELINE: baseline, **group}, budget_s=ctx.budget(3), max_ops=300, batch=3, warmup=1,
                        baseline=BASELINE)  # fmt: skip
        pooled += stats[0].durations
        rows += stats[1:]
        cases |= group
    return [Stats(BASELINE, pooled, baseline=True), *rows], cases


def _get(client, path, cursor, auth):
    url = f"{path}cursor={cursor}" if cursor else path

    def fn(_i):
        response = client.get(url, **auth)
        if response.status_code != 200:
            raise SystemExit(f"bench: GET {url} answered {response.status_code}: {response.content[:200]!r}")

    return fn


def check_page(client, path, auth, actor, name) -> None:
    """The API's first page lists the selector's rows, in the same order."""
    from bench.harness import check

    body = client.get(path, **auth).json()
    expected = queue(actor, name).rows
    key = "id" if name == "my_tasks" else "number"
    got = [row.get(key) for row in body["results"]]
    check(got == [row[key] for row in expected], f"API queue {name} differs from the selector: {got[:3]}…")


def _explain(label, fn) -> None:
    with CaptureQueriesContext(connection) as captured:
        fn(0)
    statement = max(captured.captured_queries, key=lambda q: float(q["time"]))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement["sql"])
        plan = [line for (line,) in cursor.fetchall()]
    print(f"\n== EXPLAIN ANALYZE of the slowest queue, {label} ({float(statement['time']) * 1000:.1f} ms):")
    print(f"   {statement['sql'][:2000]}")
    for line in plan:
        print(f"   {line}")
