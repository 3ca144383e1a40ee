"""The windows API, in process through django.test.Client (the whole middleware stack, no sockets).

  baseline   GET /api/v1/regions/?level=county — the project's smallest real endpoint: public,
             unpaginated, one row, one query, no token. (Benchmarks may not add URLs to the project,
             so a trivial view of our own cannot be mounted; this is the nearest thing.)
  subject    GET /api/v1/windows/ as town A's front clerk with a token header: token lookup,
             scoped queryset, LimitOffsetPagination (COUNT + page), 50 windows through WindowOut.
  reference  GET /api/v1/windows/?limit=1 — the same request with a one-row page: the fixed cost
             (auth, scoping, pagination) without the per-row serialization.

Town A gets 50 windows (build_world() makes 3; 47 more through org.services.save_window), serving
one to three of four business categories each, so the prefetch has work to do.
"""

from __future__ import annotations

from django.test import Client

from bench.harness import check, measure, print_table
from onewindow.audit.services import SYSTEM
from onewindow.org.models import BusinessCategory, Window
from onewindow.org.services import save_business_category, save_window
from onewindow.testing.world import PASSWORD

WINDOWS_IN_TOWN = 50
KINDS = [Window.Kind.COMPREHENSIVE, Window.Kind.HIGH_FREQUENCY, Window.Kind.CONSULTATION, Window.Kind.OUTPUT]


def _add_windows(world) -> None:
    categories = [world.category] + [
        save_business_category(actor=SYSTEM, category=BusinessCategory(code=code, name=name, sort_order=order))
        for order, (code, name) in enumerate(
            [("social_security", "社保"), ("civil_affairs", "民政"), ("household", "户籍")], start=1
        )
    ]
    center = world.a.center
    for number in range(len(world.a.windows) + 1, WINDOWS_IN_TOWN + 1):
        served = [categories[(number + k) % len(categories)] for k in range(1 + number % 3)]
        save_window(
            actor=SYSTEM,
            window=Window(center=center, number=number, name=f"综合受理{number}", kind=KINDS[number % len(KINDS)]),
            categories=served,
        )


def run(ctx) -> None:
    world = ctx.world
    _add_windows(world)
    client = Client()
    clerk = world.a.users["front_clerk"]
    response = client.post(
        "/api/v1/auth/token/", {"username": clerk.username, "password": PASSWORD}, content_type="application/json"
    )
    check(response.status_code == 200, f"token request answered {response.status_code}: {response.content[:200]!r}")
    auth = {"HTTP_AUTHORIZATION": f"Token {response.json()['token']}"}

    requests = {
        "baseline: GET regions?level=county": ("/api/v1/regions/?level=county", {}),
        "GET windows/?limit=1 (token)": ("/api/v1/windows/?limit=1", auth),
        "GET windows/ 50 rows (token)": ("/api/v1/windows/", auth),
    }

    # Correctness: the right status and the right rows before anything is timed.
    body = client.get("/api/v1/regions/?level=county").json()
    check(len(body) == 1 and body[0]["level"] == "county", f"regions answered {body!r}")
    body = client.get("/api/v1/windows/", **auth).json()
    check(body["count"] == WINDOWS_IN_TOWN and len(body["results"]) == WINDOWS_IN_TOWN,
          f"windows: count {body.get('count')}, {len(body.get('results', []))} rows")
    check({w["town_code"] for w in body["results"]} == {world.a.region.code}, "windows of another town listed")
    added = [w for w in body["results"] if w["number"] > len(world.a.windows)]
    check(all(w["categories"] for w in added), "an added window listed without its categories")

    def get(path, headers):
        def fn(_i):
            response = client.get(path, **headers)
            if response.status_code != 200:
                raise SystemExit(f"bench: GET {path} answered {response.status_code}")
        return fn

    cases = {name: get(path, headers) for name, (path, headers) in requests.items()}
    queries = {name: ctx.count_queries(name, lambda fn=fn: fn(0)) for name, fn in cases.items()}
    sizes = {name: len(client.get(path, **headers).content) for name, (path, headers) in requests.items()}
    stats = measure(cases, budget_s=ctx.budget(12), max_ops=3000, batch=25, warmup=20,
                    baseline="baseline: GET regions?level=county")
    for row in stats:
        row.extra["queries/req"] = queries[row.name]
        row.extra["bytes"] = f"{sizes[row.name]:,}"
    print_table(
        f"API in process (django.test.Client, DEBUG off) — {ctx.vendor_label}", stats,
        extra_columns=("queries/req", "bytes"),
        note=(
            "In process: no HTTP parsing, no WSGI server, and the connection stays open between requests\n"
            "(the test client skips close_old_connections), so these are upper bounds for gunicorn."
        ),
    )
