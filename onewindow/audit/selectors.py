"""Scoped reads of the audit log (the shared ScopeRule on AuditEvent): the county sees every chain,
a center director or a town supervisor their own town's chain, other roles nothing."""

from django.db.models import QuerySet

from onewindow.audit.models import AuditEvent
from onewindow.core.scoping import scope_of


def events_visible_to(actor) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.visible_to(actor)


def can_read_audit(actor) -> bool:
    return AuditEvent.objects.all().scope_rule.condition(scope_of(actor)) is not None


def visible_chains(actor) -> list[str] | None:
    """For the chain filter: None means every chain, a list only these (empty: nothing)."""
    scope = scope_of(actor)
    if not can_read_audit(actor):
        return []
    if scope.is_county_wide:
        return None
    return [actor.town.code]
