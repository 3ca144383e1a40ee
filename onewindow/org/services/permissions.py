"""Who may change organisation data: the county admin everywhere, a center director in their own town."""

from onewindow.audit.services import SYSTEM
from onewindow.core.errors import Forbidden
from onewindow.core.roles import Role


def require_county_admin(actor) -> None:
    if actor is SYSTEM or getattr(actor, "is_superuser", False):
        return
    if getattr(actor, "role", None) != Role.COUNTY_ADMIN:
        raise Forbidden("只有县行政审批服务局管理员可以修改此项配置")


def require_town_manager(actor, town_id: int | None) -> None:
    """County admin anywhere; a center director only for objects of their own town."""
    if actor is SYSTEM or getattr(actor, "is_superuser", False):
        return
    role = getattr(actor, "role", None)
    if role == Role.COUNTY_ADMIN:
        return
    if role == Role.CENTER_DIRECTOR and town_id is not None and actor.town_id == town_id:
        return
    raise Forbidden("您只能管理本镇街的配置")
