"""python -m bench [calendar] [audit] [api] [catalog] [cases] [hall] [--db sqlite|postgres] [--scale F] [--cases N]

Runs the chosen benchmarks (all by default) against a throwaway database: a SQLite file in a
temporary directory, or with --db postgres a fresh PostgreSQL database that is dropped at the end.
The schema comes from `migrate`, the data from the project's own services.

`cases` runs in a database of its own, in a process of its own: its N generated cases (--cases, default
20,000) take minutes at a million, so on PostgreSQL that database is kept between runs (one per N,
`<--cases-pg-url>_<N>`) and rebuilt only with --regenerate; on SQLite it is a temporary file.

`hall` runs in a process and a fresh database of its own too (`--hall-pg-url`, dropped afterwards), with Redis
database 14 as the cache when REDIS_URL is set; --hall-full replays a whole 2,000-ticket day instead of its peak hour.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlsplit, urlunsplit

BENCHMARKS = ("calendar", "audit", "api", "catalog", "cases", "hall")
OWN_PROCESS = ("cases", "hall")
DEFAULT_HALL_PG_URL = "postgres://postgres@localhost:5432/onewindow_bench_hall"
HALL_REDIS_DB = 14
DEFAULT_PG_URL = "postgres://postgres@localhost:5432/onewindow_bench"
DEFAULT_CASES_PG_URL = "postgres://postgres@localhost:5432/onewindow_bench_cases"
DEFAULT_CASES = 20_000


def _parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"benchmarks to run, any of: {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite",
                        help="sqlite (default): a temporary file; postgres: a fresh database, dropped afterwards")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL),
                        help=f"the PostgreSQL database to create and drop (default {DEFAULT_PG_URL}, or $BENCH_PG_URL)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiplies every time budget (0.3 for a smoke run, 3 for steadier figures)")
    parser.add_argument("--show-sql", action="store_true", help="print the statements behind each queries/op figure")
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES, metavar="N",
                        help=f"cases generated for the cases benchmark (default {DEFAULT_CASES:,}; 1000000: full run)")
    parser.add_argument("--regenerate", action="store_true",
                        help="cases on PostgreSQL: drop and rebuild the kept database even if it holds the N cases")
    parser.add_argument("--cases-pg-url", default=os.environ.get("BENCH_CASES_PG_URL", DEFAULT_CASES_PG_URL),
                        help=f"cases on PostgreSQL: the kept database, suffixed _N (default {DEFAULT_CASES_PG_URL}_N)")
    parser.add_argument("--hall-full", action="store_true",
                        help="hall: a whole 2,000-ticket day waiting at once, 4 weeks of history (default: peak hour)")
    parser.add_argument("--hall-pg-url", default=os.environ.get("BENCH_HALL_PG_URL", DEFAULT_HALL_PG_URL),
                        help=f"hall on PostgreSQL: the database to create and drop (default {DEFAULT_HALL_PG_URL})")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)} (choose from {', '.join(BENCHMARKS)})")
    args.names = list(dict.fromkeys(args.names)) or list(BENCHMARKS)
    if args.cases < 1:
        parser.error("--cases must be at least 1")
    return args


def _maintenance_url(url: str) -> tuple[str, str]:
    """(URL of the 'postgres' maintenance database on the same server, name of the bench database)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or not name.replace("_", "").isalnum():
        raise SystemExit(f"bench: refusing odd PostgreSQL database name {name!r}")
    scheme = "postgresql" if parts.scheme in ("postgres", "postgresql") else parts.scheme
    return urlunsplit((scheme, parts.netloc, "/postgres", parts.query, "")), name


def _create_pg_database(url: str) -> None:
    import psycopg

    admin_url, name = _maintenance_url(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop_pg_database(url: str) -> None:
    import psycopg

    admin_url, name = _maintenance_url(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _keep_pg_database(url: str, *, regenerate: bool) -> str:
    """Creates the cases database unless it exists (dropped first with --regenerate); says which it was."""
    import psycopg

    admin_url, name = _maintenance_url(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        if exists and regenerate:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"kept database {name}" if exists else f"new database {name}"


def main(argv=None) -> int:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    shared = [name for name in args.names if name not in OWN_PROCESS]
    own = [name for name in OWN_PROCESS if name in args.names]
    status = _main_shared(args, shared) if shared else 0
    for name in own:
        if shared or len(own) > 1:
            # Its own process: nothing cached (content types, calendar) crosses from the other database.
            sys.stdout.flush()
            status = subprocess.call([sys.executable, "-m", "bench", name, *_forwarded(args)]) or status
        else:
            status = {"cases": _main_cases, "hall": _main_hall}[name](args) or status
    return status


def _forwarded(args) -> list[str]:
    options = ["--db", args.db, "--pg-url", args.pg_url, "--cases-pg-url", args.cases_pg_url]
    options += ["--scale", str(args.scale), "--cases", str(args.cases)]
    options += ["--hall-pg-url", args.hall_pg_url] + ["--hall-full"] * args.hall_full
    return options + ["--show-sql"] * args.show_sql + ["--regenerate"] * args.regenerate


def _redis_db(url: str, db: int) -> str:
    """The same Redis server, another database: the benchmark flushes it, never the application's."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))


def _main_hall(args) -> int:
    tmp = tempfile.mkdtemp(prefix="onewindow-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "onewindow.settings"
    os.environ["ONEWINDOW_VAR_DIR"] = os.path.join(tmp, "var")
    os.environ.pop("DEBUG", None)
    if os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = _redis_db(os.environ["REDIS_URL"], HALL_REDIS_DB)
    if args.db == "postgres":
        os.environ["DATABASE_URL"] = args.hall_pg_url
        _create_pg_database(args.hall_pg_url)
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{os.path.join(tmp, 'bench-hall.sqlite3')}"
    try:
        return _run(args, ["hall"], "fresh database")
    finally:
        try:
            from django.db import connections

            connections.close_all()
        finally:
            if args.db == "postgres":
                _drop_pg_database(args.hall_pg_url)
            shutil.rmtree(tmp, ignore_errors=True)


def _main_cases(args) -> int:
    tmp = tempfile.mkdtemp(prefix="onewindow-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "onewindow.settings"
    os.environ["ONEWINDOW_VAR_DIR"] = os.path.join(tmp, "var")
    os.environ.pop("DEBUG", None)
    if args.db == "postgres":
        url = f"{args.cases_pg_url}_{args.cases}"
        database = _keep_pg_database(url, regenerate=args.regenerate)
        os.environ["DATABASE_URL"] = url
    else:
        database = "new database (temporary file)"
        os.environ["DATABASE_URL"] = f"sqlite:///{os.path.join(tmp, 'bench-cases.sqlite3')}"
    try:
        return _run(args, ["cases"], database)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def _main_shared(args, names) -> int:
    tmp = tempfile.mkdtemp(prefix="onewindow-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "onewindow.settings"
    os.environ["ONEWINDOW_VAR_DIR"] = os.path.join(tmp, "var")
    # Development settings (DEBUG is switched off below, after setup, to keep no query log).
    os.environ.pop("DEBUG", None)
    if args.db == "postgres":
        os.environ["DATABASE_URL"] = args.pg_url
        _create_pg_database(args.pg_url)
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{os.path.join(tmp, 'bench.sqlite3')}"
    try:
        return _run(args, names, "fresh database")
    finally:
        try:
            from django.db import connections

            connections.close_all()
        finally:
            if args.db == "postgres":
                _drop_pg_database(args.pg_url)
            shutil.rmtree(tmp, ignore_errors=True)


def _run(args, names, database: str) -> int:
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from bench.harness import Context

    # DEBUG off: connection.queries must not grow over thousands of operations. Fast password
    # hashing, as in the test suite: build_world() creates ~20 accounts, and no benchmark measures
    # a password check (the API benchmark authenticates with a token).
    override_settings(
        DEBUG=False, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ).enable()

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        server_version = cursor.fetchone()[0]
    label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[connection.vendor]
    print(f"onewindow benchmarks — {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"   {label} {server_version} · Python {platform.python_version()} · Django {django.get_version()} · "
          f"{os.cpu_count()} CPUs · budgets x{args.scale:g}")
    print(f"   (setup: migrate on a {database}: {migrate_s:.1f} s)")

    ctx = Context(vendor_label=label, scale=args.scale, show_sql=args.show_sql)
    ctx.cases_size = args.cases  # read by bench_cases only
    ctx.hall_full = args.hall_full  # read by bench_hall only
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        started = time.perf_counter()
        module.run(ctx)
        print(f"   ({name}: {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
