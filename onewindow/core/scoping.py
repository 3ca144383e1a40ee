"""Scoped access: the one mechanism every selector, view, admin page and API endpoint uses.

A user's Scope says which town / department / village they are bound to. Each scoped model's
queryset declares a ScopeRule: which roles may read it at all, and the paths from the model to
its town, department and village. `Model.objects.visible_to(actor)` applies the rule in SQL, so
"own town" is enforced in the query, never only in a template.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Q, Subquery

from onewindow.core.errors import NotFound
from onewindow.core.roles import ALL_ROLES, Role


@dataclass(frozen=True)
class Scope:
    role: str | None
    town_id: int | None = None
    department_id: int | None = None
    village_id: int | None = None

    @property
    def is_county_wide(self) -> bool:
        """County administrators, and supervisors bound to no town, see the whole county."""
        return self.role == Role.COUNTY_ADMIN or (self.role == Role.SUPERVISOR and self.town_id is None)


NOBODY = Scope(role=None)
# Roles whose work is one department's (review tasks) or one village's (proxy cases).
DEPARTMENT_BOUND_ROLES = frozenset({Role.REVIEWER})
VILLAGE_BOUND_ROLES = frozenset({Role.AGENT})


def effective_role(actor) -> str | None:
    """The actor's role; a Django superuser without one (createsuperuser) administers the county."""
    role = getattr(actor, "role", None)
    if not role and getattr(actor, "is_superuser", False):
        return Role.COUNTY_ADMIN
    return role or None


def scope_of(actor) -> Scope:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return NOBODY
    role = effective_role(actor)
    if not role:
        return NOBODY
    return Scope(
        role=role,
        town_id=actor.town_id,
        department_id=actor.department_id,
        village_id=actor.village_id,
    )


@dataclass(frozen=True)
class ScopeRule:
    """How one model is scoped.

    town / department / village: ORM paths from the model to the Region (town, village) or
    Department it belongs to; None when the model is not bound along that dimension.
    town_code: instead of a foreign key, a column holding the town's 12-digit code (the audit
    chain key); compared with the actor's town code in SQL.
    county_level_visible: rows whose town is NULL (county-level objects, e.g. 县直部门) are
    visible to town-bound users as well.
    """

    roles: frozenset = ALL_ROLES
    town: str | None = "town"
    department: str | None = None
    village: str | None = None
    town_code: str | None = None
    county_level_visible: bool = False

    def condition(self, scope: Scope) -> Q | None:
        """The WHERE clause for this scope, or None when nothing is visible."""
        if scope.role is None or scope.role not in self.roles:
            return None
        if scope.is_county_wide:
            return Q()
        if scope.town_id is None:
            return None  # a town role without a town is misconfigured: it sees nothing
        if (scope.role in DEPARTMENT_BOUND_ROLES and scope.department_id is None) or (
            scope.role in VILLAGE_BOUND_ROLES and scope.village_id is None
        ):
            return None  # the same: fail closed rather than widen to the whole town
        q = Q()
        if self.town and scope.town_id is not None:
            town_q = Q(**{f"{self.town}_id": scope.town_id})
            if self.county_level_visible:
                town_q |= Q(**{f"{self.town}__isnull": True})
            q &= town_q
        if self.town_code:
            q &= Q(**{self.town_code: _town_code_subquery(scope.town_id)})
        if self.department and scope.role in DEPARTMENT_BOUND_ROLES:
            q &= Q(**{f"{self.department}_id": scope.department_id})
        # A supervisor may be bound to a village too (两代表一委员 of one village).
        if self.village and (scope.role in VILLAGE_BOUND_ROLES or scope.village_id is not None):
            q &= Q(**{f"{self.village}_id": scope.village_id})
        return q


def _town_code_subquery(town_id: int):
    region = apps.get_model("org", "Region")
    return Subquery(region.objects.filter(pk=town_id).values("code")[:1])


class ScopedQuerySet(models.QuerySet):
    scope_rule: ScopeRule = ScopeRule()

    def visible_to(self, actor) -> models.QuerySet:
        condition = self.scope_rule.condition(scope_of(actor))
        if condition is None:
            return self.none()
        return self.filter(condition)

    def get_visible(self, actor, **lookup):
        return one_or_not_found(self.visible_to(actor), **lookup)


def one_or_not_found(queryset, **lookup):
    """One object of an already scoped queryset; NotFound both when it does not exist and when it is
    not the actor's, and for malformed ids, so a probe learns nothing about other towns."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
