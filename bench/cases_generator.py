"""Fills the cases benchmark's database: N cases over the 15 demo towns and the last two years.

Each case lives a simulated life up to now (received, maybe corrected, accepted — sometimes with 容缺 —,
reviewed stage by stage, maybe suspended or returned, decided, handed out; or rejected, withdrawn, revoked,
terminated), and gets the rows the services would have written for it:
  Case          number from the per-town daily sequence; applicant_id_number, contact_phone and query_code
                are real SM4 tokens from a pool encrypted once (encrypting per row would dominate), with their
                blind indexes; deadlines from the working-day calendar.
  CaseMaterial  one line per material of the item's guide.
  ReviewTask    one per route stage × department and round, in the state the review reached.
  CaseStep      the timeline (接件, 受理, 转审批, each 审批同意, 办结, 出件 …: ~8 for a delivered promised case).
  Notice        受理/容缺/补正/不予受理/办结/送达回执/终止, with a small frozen content.
  CaseSequence  the last number per town and day, so the services' numbering carries on after them.
Not generated: audit events (the chain is hash-linked: it is written only by audit.record(), which the
measured services call), attachments, text messages, deadline reminders.

Rows go in by COPY on PostgreSQL, in one transaction, with the five tables' secondary indexes and
constraints dropped first and rebuilt after (the bulk-load recipe of the PostgreSQL manual; re-adding the
foreign keys checks every row). On SQLite: executemany, indexes kept.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from bench import cases_world as world
from bench.cases_life import Life
from bench.cases_world import POOL, Clock
from onewindow.cases.models import Case, CaseMaterial, CaseSequence, CaseStep, Notice, ReviewTask
from onewindow.core import crypto

VERSION = 1  # bump when the generated data changes: a kept database is then rebuilt (--regenerate)
META_TABLE = "bench_cases_meta"
CHUNK = 10_000  # cases per round of COPYs
CHANNELS = [("window", 70), ("agent", 10), ("online", 10), ("kiosk", 5), ("department", 5)]
CASE_COLUMNS = (
    "id", "number", "query_code", "query_code_index", "item_id", "guide_id", "town_id", "center_id", "village_id",
    "applicant_kind", "applicant_name", "applicant_id_number", "applicant_id_index", "contact_name",
    "contact_phone", "contact_phone_index", "address", "request_summary", "channel", "agent_id", "created_by_id",
    "contact_clerk_id", "idempotency_key", "status", "suspended_from", "submitted_at", "accepted_at", "deadline",
    "suspended_on", "suspended_days", "extended_days", "deficiency_due", "decision", "decided_at",
    "decision_opinion", "certificate_number", "delivery_method", "tracking_number", "delivered_at",
    "delivered_by_id", "recipient_name", "closed_at", "created_at", "updated_at",
)  # fmt: skip
COLUMNS = {
    Case: CASE_COLUMNS,
    CaseMaterial: Life.MATERIAL_COLUMNS,
    ReviewTask: Life.TASK_COLUMNS,
    CaseStep: Life.STEP_COLUMNS,
    Notice: Life.NOTICE_COLUMNS,
    CaseSequence: ("town_id", "day", "last"),
}
CHILDREN = {"materials": CaseMaterial, "tasks": ReviewTask, "steps": CaseStep, "notices": Notice}
BULK_TABLES = (Case, CaseMaterial, ReviewTask, CaseStep, Notice)


def _added_columns() -> dict:
    """model → (columns, values) the models gained after this generator was written: each must take NULL or a
    constant default, or the run stops here (a row half-filled would make the figures mean nothing)."""
    added = {}
    for model, columns in COLUMNS.items():
        fields = [f for f in model._meta.concrete_fields if not (f.primary_key and model is not Case)]
        if missing := set(columns) - {f.column for f in fields}:
            raise SystemExit(
                f"bench: CHECK FAILED: {model.__name__} lost columns {sorted(missing)}: update the generator"
            )
        names, values = [], []
        for field in (f for f in fields if f.column not in columns):
            if not field.null and (not field.has_default() or callable(field.default)):
                raise SystemExit(f"bench: CHECK FAILED: {model.__name__}.{field.name} is new: update the generator")
            names.append(field.column)
            values.append(None if field.null else field.default)
        added[model] = (tuple(names), tuple(values))
    return added


# --- writing ---------------------------------------------------------------------------------------------


class _Sink:
    def __init__(self):
        self.rows = {model: [] for model in COLUMNS}
        self.added = _added_columns()
        self.written = 0

    def flush(self) -> None:
        for model, rows in self.rows.items():
            if rows:
                names, values = self.added[model]
                _write(model, COLUMNS[model] + names, [row + values for row in rows] if names else rows)
                self.written += len(rows)
                rows.clear()


def _write(model, columns, rows) -> None:
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        connection.connection.executemany(sql, [tuple(map(_sqlite_value, row)) for row in rows])


def _sqlite_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _drop_indexes(cursor) -> list[str]:
    """Drops the bulk tables' secondary indexes, unique and foreign-key constraints; returns how to rebuild them."""
    indexes, constraints = [], []
    for model in BULK_TABLES:
        table = model._meta.db_table
        cursor.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass",
            [table],
        )
        named = {}
        for name, kind, definition in cursor.fetchall():
            named[name] = kind
            if kind in ("u", "f"):
                constraints.append((kind, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'))
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        for name, definition in cursor.fetchall():
            if name not in named:
                indexes.append(definition)
                cursor.execute(f'DROP INDEX "{name}"')
    # Indexes first, then unique constraints, then the foreign keys that check every row.
    return (
        indexes + [sql for kind, sql in constraints if kind == "u"] + [sql for kind, sql in constraints if kind == "f"]
    )


# --- the run ------------------------------------------------------------------------------------------------


def meta() -> dict | None:
    with connection.cursor() as cursor:
        if META_TABLE not in connection.introspection.table_names(cursor):
            return None
        cursor.execute(f"SELECT size, version, key_id, generated_at, seconds, total_rows FROM {META_TABLE}")
        row = cursor.fetchone()
    keys = ("size", "version", "key_id", "generated_at", "seconds", "total_rows")
    return dict(zip(keys, row, strict=True)) if row else None


def generate(size: int, *, seed: int = 4) -> dict:
    """Generates `size` cases (the database must hold none); returns the meta row it wrote."""
    rng = random.Random(seed)
    started = time.perf_counter()
    now = timezone.localtime()
    clock = Clock(now.date(), now.hour * 60 + now.minute)
    towns = world.load_towns(rng)
    people, codes = world.people(rng), world.query_codes(rng)
    setup_s = time.perf_counter() - started
    town_weights = [weight for *_, weight in towns]
    channels, channel_weights = zip(*CHANNELS, strict=True)
    sink, loaded = _Sink(), 0
    # Cases already there (the demo's, told through the services) keep their numbers and ids.
    first_id = Case.objects.aggregate(last=Max("id"))["last"] or 0
    index_of = {day: i for i, day in enumerate(clock.days)}
    existing = {
        (town_id, index_of[day]): last
        for town_id, day, last in CaseSequence.objects.values_list("town_id", "day", "last")
        if day in index_of
    }
    sequences = dict(existing)
    timings = {}
    with transaction.atomic():
        rebuild = []
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                rebuild = _drop_indexes(cursor)
        t0 = time.perf_counter()
        for n in range(size):
            day_index = n * clock.history // size  # oldest first, as ids grow in real life
            staff, offers, weights, _ = rng.choices(towns, town_weights)[0]
            offer = rng.choices(offers, weights)[0]
            channel = rng.choices(channels, channel_weights)[0]
            key = (staff.town_id, day_index)
            sequences[key] = sequences.get(key, 0) + 1
            person = people[rng.randrange(POOL)]
            life = Life(clock, rng, first_id + n + 1, staff, offer, channel, sequences[key], day_index, person)
            life.run()
            sink.rows[Case].append(life.case_row(codes[rng.randrange(POOL)]))
            for name, rows in life.children().items():
                sink.rows[CHILDREN[name]].extend(rows)
            if (n + 1) % CHUNK == 0:
                sink.flush()
                loaded = n + 1
                if loaded % 100_000 == 0:
                    rate = sink.written / (time.perf_counter() - t0)
                    print(f"   … {loaded:,} cases, {sink.written:,} rows, {rate:,.0f} rows/s", flush=True)
        for (town_id, i), last in sequences.items():
            if (town_id, i) not in existing:
                sink.rows[CaseSequence].append((town_id, clock.days[i], last))
            elif last != existing[town_id, i]:
                CaseSequence.objects.filter(town_id=town_id, day=clock.days[i]).update(last=last)
        sink.flush()
        timings["rows"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        with connection.cursor() as cursor:
            for statement in rebuild:
                cursor.execute(statement)
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{Case._meta.db_table}', 'id'), %s)", [first_id + size]
                )
        timings["indexes"] = time.perf_counter() - t1
        seconds = time.perf_counter() - started
        row = {
            "size": size,
            "version": VERSION,
            "key_id": crypto.current_key_id(),
            "generated_at": now.isoformat(timespec="minutes"),
            "seconds": round(seconds, 1),
            "total_rows": sink.written,
        }
        _write_meta(row)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            t2 = time.perf_counter()
            cursor.execute("ANALYZE")
            timings["analyze"] = time.perf_counter() - t2
    row |= {"setup_s": setup_s, **{f"{k}_s": v for k, v in timings.items()}}
    return row


def _write_meta(row: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {META_TABLE} (size BIGINT, version INTEGER, key_id VARCHAR(64), generated_at VARCHAR(40),"
            " seconds REAL, total_rows BIGINT)"
        )
        cursor.execute(
            f"INSERT INTO {META_TABLE} VALUES (%s, %s, %s, %s, %s, %s)",
            [row["size"], row["version"], row["key_id"], row["generated_at"], row["seconds"], row["total_rows"]],
        )
