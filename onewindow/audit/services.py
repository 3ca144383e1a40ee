"""audit.record(): the one way an audit event is written (STYLE "one audit helper").

Call it inside the service's own transaction, after the change it describes: the event commits or
rolls back with the change. It locks the chain head until that transaction ends, so a town's
writers queue there; call it late in the transaction, and when one transaction writes to two
chains, write the town's chain before the county's (a fixed order cannot deadlock).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from onewindow.audit.actions import AuditAction
from onewindow.audit.hashing import GENESIS_HASH, event_hash
from onewindow.audit.models import COUNTY_CHAIN, AuditChainHead, AuditEvent
from onewindow.audit.snapshots import jsonable, snapshot
from onewindow.core import context

__all__ = ["PUBLIC", "SYSTEM", "AuditActor", "chain_for", "lock_chains", "record", "snapshot"]


@dataclass(frozen=True)
class AuditActor:
    """A non-user actor: stored with actor NULL and this display name and role code."""

    name: str
    role: str

    @property
    def display_name(self) -> str:
        return self.name


# Management commands, background jobs, scheduled sweeps.
SYSTEM = AuditActor(name="系统", role="system")
# Unauthenticated requests (public portal, a failed login): never attribute them to SYSTEM.
PUBLIC = AuditActor(name="公众（未登录）", role="public")


def chain_for(town) -> str:
    """The chain a region's events go to: a town's own, a village's town's, else the county's."""
    if town is None:
        return COUNTY_CHAIN
    from onewindow.org.models import Region

    if not isinstance(town, Region) or town.pk is None:
        raise TypeError("town must be a saved Region or None")
    if town.level == Region.Level.TOWN:
        return town.code
    if town.level == Region.Level.VILLAGE:
        return (town.town if town.town_id else town.parent).code
    return COUNTY_CHAIN


def _actor_fields(actor) -> dict:
    if isinstance(actor, AuditActor):
        return {"actor": None, "actor_name": actor.name, "role": actor.role}
    if actor is None:
        raise TypeError("record() needs an actor: the user who acted, or SYSTEM / PUBLIC")
    if not isinstance(actor, get_user_model()):
        raise TypeError(f"actor must be a user, SYSTEM or PUBLIC, not {type(actor).__name__}")
    if actor.pk is None:
        raise ValueError("actor must be a saved user")
    role = actor.role or ("superuser" if actor.is_superuser else "")
    return {"actor": actor, "actor_name": actor.display_name, "role": role}


def _target_fields(target) -> dict:
    if target is None:
        return {"target_type": "", "target_id": "", "target_repr": ""}
    if not isinstance(target, models.Model) or target.pk is None:
        raise TypeError("target must be a saved model instance or None")
    return {
        "target_type": target._meta.label_lower,
        "target_id": str(target.pk)[:64],
        "target_repr": str(target)[:200],
    }


def _clean_ip(ip: str | None) -> str:
    if not ip:
        return ""
    ip = ip.strip()
    try:
        return clean_ipv6_address(ip) if ":" in ip else str(ipaddress.IPv4Address(ip))
    except (ValueError, ValidationError):
        return ip[:45]  # keep what the proxy claimed, as evidence


def _locked_head(chain: str) -> AuditChainHead:
    heads = AuditChainHead.objects.select_for_update()
    try:
        return heads.get(pk=chain)
    except AuditChainHead.DoesNotExist:
        # First event of a chain: INSERT ... ON CONFLICT DO NOTHING, so two first writers cannot
        # both create the head; the loser waits on the winner's row, then both lock it in turn.
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(chain=chain, seq=0, last_hash=GENESIS_HASH)], ignore_conflicts=True
        )
        return heads.get(pk=chain)


def lock_chains(towns, *, county: bool) -> None:
    """Takes several chain heads up front — the towns' in code order, then the county's — for one
    transaction that will append to many chains in an order the services would not otherwise keep
    (a bulk import). Must run inside that transaction."""
    chains = sorted({chain_for(town) for town in towns if town is not None} - {COUNTY_CHAIN})
    for chain in [*chains, *([COUNTY_CHAIN] if county else [])]:
        _locked_head(chain)


def record(
    *,
    actor,
    action: AuditAction,
    target: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    town=None,
    summary: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the chain of `town` (None: the county chain) and return it.

    before/after are copied through jsonable() (dates, Decimals, ids…), or TypeError. ip and the
    request id default to the current request's (onewindow.core.context).
    """
    values = {
        **_actor_fields(actor),
        **_target_fields(target),
        "action": AuditAction(action).value,
        "summary": str(summary)[:300],
        "before": None if before is None else jsonable(before),
        "after": None if after is None else jsonable(after),
    }
    request = context.current()
    values["ip"] = _clean_ip(ip if ip is not None else request.ip)
    values["request_id"] = (request.request_id or "")[:64]
    chain = chain_for(town)

    # No savepoint: if the append fails, the caller's transaction must not commit without it.
    with transaction.atomic(savepoint=False):
        head = _locked_head(chain)
        values.update(chain=chain, seq=head.seq + 1, created_at=timezone.now(), prev_hash=head.last_hash)
        actor_obj = values["actor"]
        values["hash"] = event_hash(
            values={**values, "actor_id": actor_obj.pk if actor_obj else None}, prev_hash=head.last_hash
        )
        event = AuditEvent.objects.create(**values)
        head.seq, head.last_hash = event.seq, event.hash
        head.save(update_fields=["seq", "last_hash"])
    return event
