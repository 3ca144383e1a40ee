"""python -m bench [calendar] [audit] [api] [catalog] [--db sqlite|postgres] [--scale F]

Runs the chosen benchmarks (all by default) against a throwaway database: a SQLite file in a
temporary directory, or with --db postgres a fresh PostgreSQL database that is dropped at the end.
The schema comes from `migrate`, the data from the project's own services.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import shutil
import sys
import tempfile
import time
from urllib.parse import urlsplit, urlunsplit

BENCHMARKS = ("calendar", "audit", "api", "catalog")
DEFAULT_PG_URL = "postgres://postgres@localhost:5432/onewindow_bench"


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
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)} (choose from {', '.join(BENCHMARKS)})")
    args.names = list(dict.fromkeys(args.names)) or list(BENCHMARKS)
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


def main(argv=None) -> int:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
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
        return _run(args)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        finally:
            if args.db == "postgres":
                _drop_pg_database(args.pg_url)
            shutil.rmtree(tmp, ignore_errors=True)


def _run(args) -> int:
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
    print(f"   (setup: migrate on a fresh database: {migrate_s:.1f} s)")

    ctx = Context(vendor_label=label, scale=args.scale, show_sql=args.show_sql)
    for name in args.names:
        module = importlib.import_module(f"bench.bench_{name}")
        started = time.perf_counter()
        module.run(ctx)
        print(f"   ({name}: {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
