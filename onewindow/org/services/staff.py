"""Staff accounts: creation and changes by the county admin or the town's director, password changes."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import PUBLIC, record, snapshot
from onewindow.core.crypto import blind_index
from onewindow.core.errors import ValidationFailed
from onewindow.core.roles import ADMIN_SITE_ROLES
from onewindow.org.models import User
from onewindow.org.services.permissions import authorize_change
from onewindow.org.services.validation import full_clean_or_raise

_STAFF_FIELDS = ["username", "name", "role", "town", "department", "village", "is_active", "is_staff"]
# Changes after which an API token issued earlier must stop working.
_TOKEN_REVOKING_FIELDS = {"role", "town", "department", "village", "is_active"}


def _validate_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed("密码不符合安全要求", fields={"password": "；".join(exc.messages)}) from exc


def record_account_event(*, actor, user: User, action: AuditAction, summary: str) -> None:
    """An audit event about one account (sign-in, sign-out, lockout, password, token), on its town's chain."""
    record(actor=actor, action=action, target=user, town=user.town, summary=summary)


def record_login(user: User) -> None:
    record_account_event(
        actor=user, user=user, action=AuditAction.LOGIN_SUCCEEDED, summary=f"{user.display_name} 登录系统"
    )


def record_logout(user: User) -> None:
    record_account_event(actor=user, user=user, action=AuditAction.LOGOUT, summary=f"{user.display_name} 退出系统")


def check_new_password(password: str | None, user: User) -> None:
    """The password rules of save_staff: required for a new account, and meeting the policy."""
    if password is not None:
        _validate_password(password, user)
    elif user.pk is None:
        raise ValidationFailed("新建账号必须设置初始密码", fields={"password": "请设置初始密码"})


@transaction.atomic
def save_staff(*, actor, user: User, password: str | None = None) -> User:
    """Creates or changes a staff account. A new account needs a password that meets the policy."""
    if user.village_id and not user.town_id:
        user.town_id = user.village.parent_id
    # Checks the stored account too: moving someone out of a town needs the right to manage that town.
    authorize_change(actor, user)
    stored = User.objects.filter(pk=user.pk).first() if user.pk else None
    before = snapshot(stored, _STAFF_FIELDS) if stored else None
    user.is_staff = user.role in ADMIN_SITE_ROLES
    check_new_password(password, user)
    if password is not None:
        user.set_password(password)
    full_clean_or_raise(user, exclude=["password"])
    user.save()
    after = snapshot(user, _STAFF_FIELDS)
    if before is not None and (password is not None or any(before[f] != after[f] for f in _TOKEN_REVOKING_FIELDS)):
        Token.objects.filter(user=user).delete()
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
    Token.objects.filter(user=user).delete()  # a leaked old password must not leave a working token
    record_account_event(
        actor=user, user=user, action=AuditAction.PASSWORD_CHANGED, summary=f"{user.display_name} 修改了登录密码"
    )
    return user


def record_failed_login(username: str) -> None:
    """Audits a failed sign-in without writing what was typed: people type passwords and ID numbers
    into the user-name box, and the audit log can never be cleaned. A known account is named as the
    target (on its town's chain); an unknown name is kept only as a keyed SM3 digest."""
    user = User.objects.filter(username=username[:150]).select_related("town").first()
    if user is not None:
        record_account_event(
            actor=PUBLIC,
            user=user,
            action=AuditAction.LOGIN_FAILED,
            summary=f"{user.display_name} 登录失败（密码错误或账号锁定）",
        )
        return
    record(
        actor=PUBLIC,
        action=AuditAction.LOGIN_FAILED,
        after={"name_digest": blind_index(username, purpose="login_name")},
        summary="登录失败：账号不存在",
    )


def record_account_locked(username: str) -> None:
    """Audits a lockout by django-axes (等保: 登录失败处理), on the account's town chain."""
    user = User.objects.filter(username=username[:150]).select_related("town").first()
    if user is None:
        return  # nothing to lock: unknown names are only counted by axes
    record_account_event(
        actor=PUBLIC,
        user=user,
        action=AuditAction.ACCOUNT_LOCKED,
        summary=f"{user.display_name} 因连续登录失败被临时锁定",
    )
