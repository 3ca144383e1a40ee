"""Scoped reads for the organisation context. Every function takes the acting user first."""

from django.db.models import Count, Prefetch, Q

from onewindow.core.roles import Role
from onewindow.core.scoping import one_or_not_found
from onewindow.org.models import BusinessCategory, Department, Region, ServiceCenter, User, Window


def regions_for(actor, *, level: str | None = None, parent_code: str | None = None):
    qs = Region.objects.visible_to(actor).filter(is_active=True).select_related("parent")
    if level:
        qs = qs.filter(level=level)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    return qs


def public_regions(*, level: str | None = None, parent_code: str | None = None):
    """The region tree is public (the portal and kiosks pick a town and village before login)."""
    qs = Region.objects.filter(is_active=True).select_related("parent")
    if level:
        qs = qs.filter(level=level)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    return qs


def windows_for(actor, *, is_open: bool | None = None):
    qs = (
        Window.objects.visible_to(actor)
        .select_related("town", "center")
        .prefetch_related(
            Prefetch("categories", queryset=BusinessCategory.objects.order_by("sort_order"), to_attr="category_list")
        )
    )
    if is_open is not None:
        qs = qs.filter(is_open=is_open)
    return qs


def window_get(actor, *, window_id) -> Window:
    return one_or_not_found(windows_for(actor), pk=window_id)


def centers_for(actor):
    return ServiceCenter.objects.visible_to(actor).select_related("region", "town")


def departments_for(actor):
    return Department.objects.visible_to(actor).select_related("town")


def staff_for(actor):
    return User.objects.visible_to(actor).select_related("town", "department", "village")


def town_overview(actor, *, town_id: int) -> dict:
    """Counts shown on a director's home page; all within the actor's scope."""
    windows = (
        windows_for(actor)
        .filter(town_id=town_id)
        .aggregate(total=Count("id"), open=Count("id", filter=Q(is_open=True)))
    )
    return {
        "windows_total": windows["total"],
        "windows_open": windows["open"],
        "staff_total": staff_for(actor).filter(town_id=town_id, is_active=True).count(),
        "departments_total": departments_for(actor).filter(town_id=town_id).count(),
    }


# --- who is told: alerts and notifications go to the people in charge ------------------------------------


def town_directors(town_id) -> list[User]:
    """The town's active center directors (超时提醒, 潮汐预警, 差评, 吐槽找茬 go to them)."""
    return list(User.objects.filter(town_id=town_id, role=Role.CENTER_DIRECTOR, is_active=True))


def county_admins() -> list[User]:
    """The county administration's active accounts (appeals, extensions, escalated problems)."""
    return list(User.objects.filter(role=Role.COUNTY_ADMIN, is_active=True))
