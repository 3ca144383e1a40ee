"""Who may change organisation data: the county admin everywhere, a center director in their own town.

`authorize_change` is the one check for a configuration write. It looks at the object as stored AND
as it is about to be saved, so nobody can move an object out of a scope they do not manage (e.g. a
director turning a county department into one of their town's). Services call it; the admin form
calls the same function to show the refusal as a form error.
"""

from onewindow.audit.services import SYSTEM
from onewindow.core.errors import Conflict, Forbidden
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role

# What a center director may hand out in their own town; county-wide roles stay with the county.
DIRECTOR_GRANTABLE = frozenset(
    {Role.FRONT_CLERK, Role.CONSULT_CLERK, Role.REVIEWER, Role.COORDINATOR, Role.OUTPUT_CLERK, Role.AGENT, Role.DEVICE}
)


def require_county_admin(actor) -> None:
    if actor is SYSTEM or effective_role(actor) == Role.COUNTY_ADMIN:
        return
    raise Forbidden("只有县行政审批服务局管理员可以修改此项配置")


def require_town_manager(actor, town_id: int | None) -> None:
    """County admin anywhere; a center director only in their own town. No town means county-level."""
    if actor is SYSTEM or effective_role(actor) == Role.COUNTY_ADMIN:
        return
    if town_id is None:
        raise Forbidden("只有县行政审批服务局管理员可以修改县级配置")
    if effective_role(actor) == Role.CENTER_DIRECTOR and actor.town_id == town_id:
        return
    raise Forbidden("您只能管理本镇街的配置")


def owner_town_id(instance) -> int | None:
    """The town an org object belongs to (None: county level)."""
    from onewindow.org.models import Department, ServiceCenter, User, Window

    if isinstance(instance, ServiceCenter):
        return instance.region.town_id if instance.region_id else None
    if isinstance(instance, Window):
        return instance.center.town_id if instance.center_id else None
    if isinstance(instance, User):
        return instance.town_id or (instance.village.parent_id if instance.village_id else None)
    if isinstance(instance, Department):
        return instance.town_id
    return None


def _check_grant(actor, user) -> None:
    require_town_manager(actor, owner_town_id(user))
    if effective_role(actor) == Role.CENTER_DIRECTOR and user.role not in DIRECTOR_GRANTABLE:
        raise Forbidden("中心主任只能设置本镇街的窗口、审批、协调、代办和设备账号")


def authorize_change(actor, instance) -> None:
    """Raises Forbidden / Conflict unless the actor may save `instance` over what is stored now."""
    from onewindow.org.models import BusinessCategory, Department, Region, User

    model = type(instance)
    if model in (Region, BusinessCategory):
        require_county_admin(actor)
        return
    stored = model.objects.filter(pk=instance.pk).first() if instance.pk else None
    check = _check_grant if model is User else (lambda a, obj: require_town_manager(a, owner_town_id(obj)))
    for version in filter(None, (stored, instance)):
        check(actor, version)
    if model is Department and stored is not None:
        county = Department.Kind.COUNTY
        if stored.kind != instance.kind and county in (stored.kind, instance.kind):
            raise Conflict("县直部门与镇街部门之间不能相互转换", code="department.kind_change")
