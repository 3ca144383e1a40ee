"""Walking the audit chains and finding the first place each one is broken.

Streams each chain in seq order (server-side cursor on PostgreSQL), so memory stays flat over
millions of events. Safe on a live system: the head is read first and only events up to it are
walked; an event and its head move in one transaction, so anything beyond is a later append.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Max

from onewindow.audit.hashing import GENESIS_HASH, HASHED_FIELDS, event_hash
from onewindow.audit.models import AuditChainHead, AuditEvent

CHUNK_SIZE = 2000
_COLUMNS = ("id", *HASHED_FIELDS, "prev_hash", "hash")


class Problem(StrEnum):
    HASH_MISMATCH = "hash mismatch"
    BROKEN_LINK = "broken link"
    MISSING_SEQ = "missing seq"
    HEAD_MISMATCH = "head mismatch"
    UNKNOWN_CHAIN = "unknown chain"


@dataclass(frozen=True)
class ChainBreak:
    chain: str
    seq: int | None
    event_id: int | None
    problem: Problem
    detail: str


@dataclass(frozen=True)
class ChainReport:
    chain: str
    events: int  # events checked before the first break (all of them when intact)
    broken: ChainBreak | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def known_chains() -> list[str]:
    # Both sources: a head whose events are gone, or events whose head is gone, are breaks too.
    from_heads = AuditChainHead.objects.values_list("chain", flat=True)
    from_events = AuditEvent.objects.order_by().values_list("chain", flat=True).distinct()
    return sorted(set(from_heads) | set(from_events))


def verify_chains(*, chains: Iterable[str] | None = None) -> Iterator[ChainReport]:
    for chain in known_chains() if chains is None else chains:
        yield verify_chain(chain=chain)


def verify_chain(*, chain: str, chunk_size: int = CHUNK_SIZE) -> ChainReport:
    head = AuditChainHead.objects.filter(pk=chain).values("seq", "last_hash").first()
    events = AuditEvent.objects.filter(chain=chain)
    if head is not None:
        events = events.filter(seq__lte=head["seq"])
    rows = events.order_by("seq").values_list(*_COLUMNS).iterator(chunk_size=chunk_size)

    def broken(seq, event_id, problem, detail, count):
        return ChainReport(chain=chain, events=count, broken=ChainBreak(chain, seq, event_id, problem, detail))

    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    for row in rows:
        values = dict(zip(_COLUMNS, row, strict=True))
        event_id, seq = values["id"], values["seq"]
        if seq != expected_seq:
            return broken(expected_seq, event_id, Problem.MISSING_SEQ,
                          f"seq {expected_seq} is missing; the next event is seq {seq} (id {event_id})", count)
        recomputed = event_hash(values=values, prev_hash=values["prev_hash"])
        if recomputed != values["hash"]:
            return broken(seq, event_id, Problem.HASH_MISMATCH,
                          f"stored hash {values['hash']} but the content hashes to {recomputed}", count)
        if values["prev_hash"] != prev_hash:
            return broken(seq, event_id, Problem.BROKEN_LINK,
                          f"prev_hash {values['prev_hash']} is not the previous event's hash {prev_hash}", count)
        expected_seq, prev_hash, count = seq + 1, values["hash"], count + 1

    last_seq = expected_seq - 1
    if head is None:
        if count == 0:
            return broken(None, None, Problem.UNKNOWN_CHAIN, "no such chain: no head and no events", 0)
        return broken(last_seq, None, Problem.HEAD_MISMATCH, "the chain head row is missing", count)
    if head["seq"] != last_seq:
        return broken(head["seq"], None, Problem.HEAD_MISMATCH,
                      f"head is at seq {head['seq']} but the last event is seq {last_seq}: "
                      f"events {last_seq + 1}..{head['seq']} are missing", count)
    if head["last_hash"] != prev_hash:
        return broken(last_seq, None, Problem.HEAD_MISMATCH,
                      f"head hash {head['last_hash']} is not the last event's hash {prev_hash}", count)
    # Read the maximum before re-reading the head: a committed append moves both together.
    beyond = AuditEvent.objects.filter(chain=chain).aggregate(top=Max("seq"))["top"] or 0
    head_now = AuditChainHead.objects.filter(pk=chain).values_list("seq", flat=True).first() or 0
    if beyond > head_now:
        return broken(beyond, None, Problem.HEAD_MISMATCH,
                      f"event seq {beyond} lies beyond the head (seq {head_now})", count)
    return ChainReport(chain=chain, events=count)


def describe(report: ChainReport) -> str:
    if report.ok:
        return f"{report.chain}: OK: {report.events} events"
    b = report.broken
    where = f"seq {b.seq}" if b.seq is not None else "chain"
    if b.event_id is not None:
        where += f" (event id {b.event_id})"
    return f"{report.chain}: BROKEN at {where}: {b.problem} — {b.detail}"
