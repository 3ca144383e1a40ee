"""Cases at scale (issue 4): intake + accept through the services, the case page, and every work queue.

Setup: the demo data set (`load_demo()`: 15 towns, staff, catalog, demo cases, all through the services) plus N
generated cases (bench/cases_generator.py, default 20,000; `--cases 1000000` for the full run) in a database of
the benchmark's own; on PostgreSQL it is kept between runs (see __main__).

  intake   case_intake(), and case_intake() + case_accept() (numbering, materials, timeline, notices, review
           tasks, audit events; texts to the locmem SMS backend), a promised item in 嘉祥街道 by its front clerk,
           against the baseline Case.objects.create() of an equivalent row (the same values, PII encrypted by
           the field) in its own transaction; interleaved.
  threads  (PostgreSQL) intake + accept in 1, 2 and 4 threads with their own connections: all in one town (one
           audit chain head, one number-sequence row) against one town each. Numbers and chains checked after.
  detail   GET /cases/{number}/ (session, front clerk), GET /api/v1/cases/{number}/ (token) and case_detail()
           for 200 cases of the town; baseline Case.objects.get(number=…).
  queues   every selectors.QUEUES entry as a role whose workbench shows it, by the selector and by
           /api/v1/cases/?queue= (my_tasks: /api/v1/tasks/), first page and a deep keyset page (after up to
           4,000 rows); EXPLAIN ANALYZE of the slowest selector's slowest statement (PostgreSQL).
"""

from __future__ import annotations

import itertools
import logging
import random
import threading
import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from bench import cases_generator
from bench.cases_queues import run_queues
from bench.harness import Stats, check, fmt_ms, measure, print_table
from onewindow.audit.verify import verify_chain
from onewindow.cases.models import Case, CaseSequence
from onewindow.cases.selectors import case_detail
from onewindow.cases.services.acceptance import case_accept
from onewindow.cases.services.intake import Applicant, case_intake
from onewindow.catalog.models import CatalogEntry
from onewindow.catalog.routing import resolve_route
from onewindow.core import crypto
from onewindow.core.pii import id_check_char
from onewindow.core.sms import LocmemSmsBackend
from onewindow.org.models import Region, User
from onewindow.org.services.tokens import issue_token

DEFAULT_CASES = 20_000
TOWN, OTHER_TOWNS = "jiaxiang", ("zhifang", "wolongshan", "wanzhang")
BASELINE = "baseline: Case.objects.get(number=…)"


def _extra(stats, **columns) -> None:
    for row in stats:
        row.extra["p95 ms"] = fmt_ms(row.percentile_ms(0.95))
        row.extra["p99 ms"] = fmt_ms(row.percentile_ms(0.99))
        for column, values in columns.items():
            row.extra[column] = values.get(row.name, "")


def _user(slug: str, role: str) -> User:
    return User.objects.select_related("town").get(username=f"{slug}_{role}")


def _applicants(n: int) -> list[Applicant]:
    rng = random.Random(11)
    people = []
    for k in range(n):
        first17 = (
            f"3708291{rng.randrange(950, 999)}0{rng.randrange(1, 10)}{rng.randrange(10, 28)}{rng.randrange(1000):03d}"
        )
        phone = f"139{rng.randrange(10**8):08d}"
        people.append(Applicant("person", f"测试{k}号", first17 + id_check_char(first17), phone))
    return people


def _prepare(ctx) -> dict:
    size = getattr(ctx, "cases_size", DEFAULT_CASES)
    info = cases_generator.meta()
    if info is not None:
        expected = (size, cases_generator.VERSION, crypto.current_key_id())
        same = (info["size"], info["version"], info["key_id"]) == expected
        check(same, f"the kept database holds {info}; run again with --regenerate")
        print(f"   (setup: reusing the {size:,} cases generated {info['generated_at']} in {info['seconds']:.0f} s)")
        return info
    from onewindow.org.services.demo import load_demo

    started = time.perf_counter()
    load_demo()
    print(f"   (setup: load_demo() through the services: {time.perf_counter() - started:.1f} s)")
    info = cases_generator.generate(size)
    rows = info["total_rows"]
    print(
        f"   (setup: generated {size:,} cases, {rows:,} rows in {info['seconds']:.1f} s: rows {info['rows_s']:.1f} s "
        f"= {rows / info['rows_s']:,.0f} rows/s, {size / info['rows_s']:,.0f} cases/s; indexes and constraints "
        f"rebuilt {info['indexes_s']:.1f} s; ANALYZE {info.get('analyze_s', 0):.1f} s)"
    )
    return info


def _intake_item(towns: list[Region]):
    """The promised item with the shortest limit (then the first by code) and a two-stage route that every town
    used offers and resolves."""
    entries = (
        CatalogEntry.objects.filter(town=towns[0], is_published=True, item__current_guide__handling_type="promised")
        .select_related("item__current_guide")
        .order_by("item__current_guide__promised_limit_days", "item__code")  # deadlines stay within the calendar
    )
    for entry in entries:
        guide = entry.item.current_guide
        if guide.stages.count() >= 2 and all(
            CatalogEntry.objects.filter(town=t, item=entry.item, is_published=True).exists() for t in towns
        ):
            try:
                for town in towns:
                    resolve_route(guide, town)
            except LookupError:
                continue
            return entry.item, {m.position: "received" for m in guide.materials.all()}
    raise SystemExit("bench: no promised two-stage item offered in every town")


def run(ctx) -> None:
    override_settings(ONEWINDOW_SMS_BACKEND="onewindow.core.sms.LocmemSmsBackend").enable()
    logging.getLogger("axes").setLevel(logging.WARNING)  # one INFO line per force_login otherwise
    info = _prepare(ctx)
    size = info["size"]
    town = Region.objects.get(code="370829001000")
    others = [_user(slug, "director").town for slug in OTHER_TOWNS]
    item, marks = _intake_item([town, *others])
    print(f"   ({Case.objects.count():,} cases in the database; intake item {item.code} {item.name})")
    _intake(ctx, town, item, marks)
    if ctx.is_postgres:
        _threads(ctx, town, others, item, marks)
    else:
        print("\n== cases intake in threads: PostgreSQL only (SQLite has one writer at a time)")
    numbers = _sample_numbers(town)
    _detail(ctx, numbers, size)
    run_queues(ctx, numbers, size)
    LocmemSmsBackend.outbox.clear()


def _intake(ctx, town, item, marks) -> None:
    clerk = _user(TOWN, "front_clerk")
    people = _applicants(200)
    sample = case_intake(actor=clerk, item=item, town=town, applicant=people[0], materials=marks)
    template = {
        f.attname: getattr(sample, f.attname)
        for f in Case._meta.concrete_fields
        if not f.primary_key and f.name not in ("number", "idempotency_key", "created_at", "updated_at")
    }
    serial = itertools.count()

    def baseline(_i):
        with transaction.atomic():
            Case.objects.create(number=f"B{next(serial):012d}", **template)

    def intake(i):
        case_intake(actor=clerk, item=item, town=town, applicant=people[i % len(people)], materials=marks)

    def intake_accept(i):
        case = case_intake(actor=clerk, item=item, town=town, applicant=people[i % len(people)], materials=marks)
        case_accept(actor=clerk, case=case)

    cases = {
        "baseline: Case.objects.create()": baseline,
        "case_intake()": intake,
        "case_intake() + case_accept()": intake_accept,
    }
    queries = {name: ctx.count_queries(name, lambda fn=fn: fn(-5)) for name, fn in cases.items()}
    stats = measure(cases, budget_s=ctx.budget(10), max_ops=1000, batch=10, warmup=2,
                    baseline="baseline: Case.objects.create()")  # fmt: skip
    _extra(stats, **{"queries/op": queries})
    Case.objects.filter(number__startswith="B").delete()
    LocmemSmsBackend.outbox.clear()
    report = verify_chain(chain=town.code)
    check(report.ok, f"audit chain {town.code} broken after the intakes: {report}")
    print_table(
        f"cases intake, one clerk, sequential — {ctx.vendor_label}",
        stats,
        extra_columns=("p95 ms", "p99 ms", "queries/op"),
        note=(
            "queries/op: statements for one op, BEGIN/COMMIT/savepoints included. Baseline: the same row's\n"
            "INSERT alone (no number sequence, checklist, timeline, notices, tasks or audit events).\n"
            f"Town {town.code}'s audit chain verified afterwards ({report.events:,} events)."
        ),
    )


def _threads(ctx, town, others, item, marks) -> None:
    same = [_user(TOWN, r) for r in ("front_clerk", "director", "consult_clerk", "front_clerk")]
    spread = [_user(TOWN, "director"), *(_user(slug, "director") for slug in OTHER_TOWNS)]
    people = _applicants(400)
    counter = iter(range(10**9))
    configs = {
        "baseline: 1 thread": same[:1],
        "2 threads, same town": same[:2],
        "2 threads, 2 towns": spread[:2],
        "4 threads, same town": same,
        "4 threads, 4 towns": spread,
    }
    results = {name: ([], 0.0) for name in configs}
    for _round in range(3):  # alternating short rounds: other load on the machine hits every case alike
        for name, actors in configs.items():
            latencies, wall = _run_threads(actors, item, marks, people, counter, ctx.budget(2.0))
            results[name] = (results[name][0] + latencies, results[name][1] + wall)
    stats = [Stats(name, lat, baseline=name.startswith("baseline"), wall=wall) for name, (lat, wall) in results.items()]
    _extra(stats)
    today = timezone.localdate()
    for region in [town, *others]:
        report = verify_chain(chain=region.code)
        check(report.ok, f"audit chain {region.code} broken after concurrent intakes: {report}")
        last = CaseSequence.objects.get(town=region, day=today).last
        issued = Case.objects.filter(town=region, number__startswith=f"{region.code[:9]}{today:%Y%m%d}").count()
        check(last == issued, f"{region.code}: sequence at {last} but {issued} numbers issued today")
    print_table(
        f"cases intake + accept in threads, own connections — {ctx.vendor_label}",
        stats,
        extra_columns=("p95 ms", "p99 ms"),
        note=(
            "ops/s = all threads' intake+accept pairs / wall time; latency = one pair as its thread saw it.\n"
            "Same town: one audit chain head and one CaseSequence row, locked till COMMIT. 4 towns: the\n"
            "directors of 嘉祥街道, 纸坊镇, 卧龙山街道, 万张街道. Afterwards every chain verified and every\n"
            "town's sequence equal to the numbers it issued today."
        ),
    )


def _run_threads(actors, item, marks, people, counter, seconds) -> tuple[list[float], float]:
    ready, stop = threading.Barrier(len(actors) + 1), threading.Event()
    latencies, errors = [[] for _ in actors], []

    def work(k, actor):
        try:
            connection.ensure_connection()
            ready.wait()
            while not stop.is_set():
                t0 = time.perf_counter()
                applicant = people[next(counter) % len(people)]
                case = case_intake(actor=actor, item=item, town=actor.town, applicant=applicant, materials=marks)
                case_accept(actor=actor, case=case)
                latencies[k].append(time.perf_counter() - t0)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
            if not ready.broken:
                ready.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(k, actor)) for k, actor in enumerate(actors)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    check(not errors, f"concurrent intake failed: {errors!r}")
    LocmemSmsBackend.outbox.clear()
    return [d for per_thread in latencies for d in per_thread], wall


def _sample_numbers(town) -> list[str]:
    """200 generated cases of the town, drawn at random over the whole id range (every age and status)."""
    last = cases_generator.meta()["size"] + 1000
    ids = random.Random(5).sample(range(1, last), min(last - 1, 40_000))
    rows = Case.objects.filter(pk__in=ids, town=town).values_list("number", flat=True)
    numbers = list(rows[:200])
    check(len(numbers) >= 20, f"only {len(numbers)} sample cases in {town.name}")
    return numbers


def _detail(ctx, numbers, size) -> None:
    clerk = _user(TOWN, "front_clerk")
    page_client, api_client = Client(), Client()
    page_client.force_login(clerk)
    auth = {"HTTP_AUTHORIZATION": f"Token {issue_token(actor=clerk).key}"}
    for number in numbers[:20]:
        page = page_client.get(reverse("cases:detail", args=[number]))
        check(page.status_code == 200 and number in page.content.decode(), f"case page {number}: {page.status_code}")
        api = api_client.get(f"/api/v1/cases/{number}/", **auth)
        check(api.status_code == 200 and api.json()["number"] == number, f"case API {number}: {api.status_code}")

    def pick(i):
        return numbers[(i * 7919) % len(numbers)]

    def get(client, path, headers):
        def fn(i):
            response = client.get(path(pick(i)), **headers)
            if response.status_code != 200:
                raise SystemExit(f"bench: {path(pick(i))} answered {response.status_code}")

        return fn

    def selector(i):
        case = case_detail(clerk, pick(i))
        list(case.materials.all()), list(case.tasks.all()), list(case.steps.all()), list(case.notices.all())

    cases = {
        BASELINE: lambda i: Case.objects.get(number=pick(i)),
        "case_detail() + its rows": selector,
        "GET /cases/{number}/ (page, session)": get(page_client, lambda n: reverse("cases:detail", args=[n]), {}),
        "GET /api/v1/cases/{number}/ (token)": get(api_client, lambda n: f"/api/v1/cases/{n}/", auth),
    }
    queries = {name: ctx.count_queries(name, lambda fn=fn: fn(0)) for name, fn in cases.items()}
    stats = measure(cases, budget_s=ctx.budget(10), max_ops=2000, batch=10, warmup=3, baseline=BASELINE)
    sizes = {
        "GET /cases/{number}/ (page, session)": len(page_client.get(reverse("cases:detail", args=[pick(0)])).content),
        "GET /api/v1/cases/{number}/ (token)": len(api_client.get(f"/api/v1/cases/{pick(0)}/", **auth).content),
    }
    _extra(stats, **{"queries/op": queries, "bytes": {k: f"{v:,}" for k, v in sizes.items()}})
    print_table(
        f"case detail, {len(numbers)} cases of 嘉祥街道 among {size:,} generated — {ctx.vendor_label}",
        stats,
        extra_columns=("p95 ms", "p99 ms", "queries/op", "bytes"),
        note="As the town's front clerk. In process (django.test.Client): no HTTP parsing, no WSGI server.",
    )
