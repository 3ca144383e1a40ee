"""Telling the board something changed: a per-center version number in the cache, bumped after commit.

The board stream (SSE) and its polling fallback compare versions, so a display learns of a call within one
poll interval of the commit; with Redis as the cache this works across processes (gunicorn + the ASGI board).
"""

from django.core.cache import cache
from django.db import transaction

_KEY = "hall:board:{}"


def board_version(center_id: int) -> int:
    return cache.get(_KEY.format(center_id)) or 0


def _bump(center_id: int) -> None:
    key = _KEY.format(center_id)
    if not cache.add(key, 1, None):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, None)


def board_changed(center_id: int) -> None:
    transaction.on_commit(lambda: _bump(center_id))
