"""How an audit event's hash is computed; record() and verify_audit share this one definition.

    hash = SM3( canonical_json(event) || prev_hash )   as lower-case hex

canonical_json covers every stored column except `id` (a database surrogate; the chain position
is `chain` + `seq`), `hash` itself and `prev_hash` (appended after the JSON instead). It is
json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False) of the
HASHED_FIELDS below, UTF-8 encoded, with `created_at` as an ISO 8601 UTC string with microseconds
("2025-03-01T02:03:04.000005+00:00"), `actor_id` as an integer or null, `action` as an integer,
`before`/`after` as stored JSON (or null) and every other field as a string. prev_hash is the
previous event's hash in the same chain, or GENESIS_HASH for seq 1.
"""

import json
from collections.abc import Mapping
from datetime import UTC, datetime

from onewindow.core.crypto import sm3_hex

GENESIS_HASH = "0" * 64

HASHED_FIELDS = (
    "chain",
    "seq",
    "actor_id",
    "actor_name",
    "role",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "summary",
    "before",
    "after",
    "created_at",
    "ip",
    "request_id",
)


def iso_utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_json(values: Mapping) -> str:
    payload = {name: values[name] for name in HASHED_FIELDS}
    payload["created_at"] = iso_utc(payload["created_at"])
    payload["action"] = int(payload["action"])
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def event_hash(*, values: Mapping, prev_hash: str) -> str:
    return sm3_hex(canonical_json(values).encode("utf-8") + prev_hash.encode("ascii"))
