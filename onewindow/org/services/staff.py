"""Staff accounts: creation and changes by the county admin or the town's director, password changes."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import SYSTEM, record, snapshot
from onewindow.core.errors import Forbidden, ValidationFailed
from onewindow.core.roles import ADMIN_SITE_ROLES, Role
from onewindow.org.models import User
from onewindow.org.services.permissions import require_town_manager
from onewindow.org.services.validation import full_clean_or_raise

_STAFF_FIELDS = ["username", "name", "role", "town", "department", "village", "is_active", "is_staff"]
# What a center director may hand out in their own town; county-wide roles stay with the county.
DIRECTOR_GRANTABLE = {
    Role.FRONT_CLERK,
    Role.CONSULT_CLERK,
    Role.REVIEWER,
    Role.COORDINATOR,
    Role.OUTPUT_CLERK,
    Role.AGENT,
    Role.DEVICE,
}


def _check_grant(actor, user: User) -> None:
    require_town_manager(actor, user.town_id)
    if actor is SYSTEM or actor.is_superuser or actor.role == Role.COUNTY_ADMIN:
        return
    if user.role not in DIRECTOR_GRANTABLE:
        raise Forbidden("中心主任只能设置本镇街的窗口、审批、协调、代办和设备账号")


def _validate_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed("密码不符合安全要求", fields={"password": "；".join(exc.messages)}) from exc


@transaction.atomic
def save_staff(*, actor, user: User, password: str | None = None) -> User:
    """Creates or changes a staff account. A new account needs a password that meets the policy."""
    if user.village_id and not user.town_id:
        user.town_id = user.village.parent_id
    _check_grant(actor, user)
    before = None
    if user.pk is not None:
        old = User.objects.filter(pk=user.pk).first()
        if old is not None:
            # Moving someone out of a town needs the right to manage that town too.
            _check_grant(actor, old)
            before = snapshot(old, _STAFF_FIELDS)
    user.is_staff = user.role in ADMIN_SITE_ROLES
    if password is not None:
        _validate_password(password, user)
        user.set_password(password)
    elif user.pk is None:
        raise ValidationFailed("新建账号必须设置初始密码", fields={"password": "请设置初始密码"})
    full_clean_or_raise(user, exclude=["password"])
    user.save()
    action = AuditAction.STAFF_CREATED if before is None else AuditAction.STAFF_UPDATED
    if before is not None and before.get("is_active") and not user.is_active:
        action = AuditAction.STAFF_DEACTIVATED
    record(
        actor=actor,
        action=action,
        target=user,
        before=before,
        after=snapshot(user, _STAFF_FIELDS),
        town=user.town,
        summary=f"保存工作人员账号 {user.display_name}（{user.get_role_display()}）",
    )
    return user


@transaction.atomic
def staff_change_password(*, actor: User, old_password: str, new_password: str) -> User:
    """The signed-in user changes their own password (the old one is required)."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    if not user.check_password(old_password):
        raise ValidationFailed("原密码不正确", fields={"old_password": "原密码不正确"})
    if old_password == new_password:
        raise ValidationFailed("新密码不能与原密码相同", fields={"new_password": "新密码不能与原密码相同"})
    _validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record(
        actor=user,
        action=AuditAction.PASSWORD_CHANGED,
        target=user,
        town=user.town,
        summary=f"{user.display_name} 修改了登录密码",
    )
    return user
