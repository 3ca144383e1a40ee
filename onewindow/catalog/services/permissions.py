"""Who may change catalog data: the county admin for the county-wide list, a center director for
their own town's items and catalog."""

from __future__ import annotations

from onewindow.audit.services import SYSTEM
from onewindow.core.errors import Forbidden
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role
from onewindow.org.models import Region
from onewindow.org.services.permissions import require_county_admin, require_town_manager


def require_item_manager(actor, owner_town_id: int | None) -> None:
    if owner_town_id is None:
        require_county_admin(actor)
    else:
        require_town_manager(actor, owner_town_id)


def require_catalog_manager(actor, town_id: int) -> None:
    require_town_manager(actor, town_id)


def catalog_scope_town(actor) -> Region | None:
    """Whose catalog the actor imports and exports: None for the county admin (and SYSTEM), the whole
    county; their own town for a center director; Forbidden for everyone else."""
    role = None if actor is SYSTEM else effective_role(actor)
    if actor is SYSTEM or role == Role.COUNTY_ADMIN:
        return None
    if role == Role.CENTER_DIRECTOR and getattr(actor, "town_id", None):
        return actor.town
    raise Forbidden("只有县行政审批服务局管理员和镇街为民服务中心主任可以导入、导出事项目录")
