"""Scoped reads of the audit log: the county sees every chain, a center director their town's."""

from django.db.models import QuerySet

from onewindow.audit.models import AuditEvent
from onewindow.core.roles import Role


def visible_chains(actor) -> list[str] | None:
    """None: every chain; a list: only these chains (empty: nothing)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return []
    if actor.is_superuser or actor.role == Role.COUNTY_ADMIN:
        return None
    if actor.role == Role.CENTER_DIRECTOR and actor.town_id:
        return [actor.town.code]
    return []


def can_read_audit(actor) -> bool:
    return visible_chains(actor) != []


def events_visible_to(actor) -> QuerySet[AuditEvent]:
    chains = visible_chains(actor)
    events = AuditEvent.objects.all()
    if chains is None:
        return events
    if not chains:
        return events.none()
    return events.filter(chain__in=chains)
