"""Serialising writers on a key that has no row to lock yet (e.g. "texts sent to this number in the last hour")."""

from django.db import connection


def lock_key(key: str) -> None:
    """Holds a transaction-scoped lock on `key` until the caller's transaction ends. PostgreSQL: an advisory lock;
    SQLite needs none — its write transactions begin IMMEDIATE (settings) and so already run one at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
