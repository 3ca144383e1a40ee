"""Device accounts (取号机、大屏、窗口屏、评价器) and their tokens, managed by the town's director.

A device is a town-bound account with the DEVICE role and no password: it authenticates with a token the
director issues here. The token goes in an `Authorization: Token …` header (API clients) or is typed once into
the device sign-in page, which opens a long-lived browser session bound to that token: issuing a new token or
revoking it ends every session opened with the old one at the device's next request.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from rest_framework.authtoken.models import Token

from onewindow.audit.actions import AuditAction
from onewindow.core.crypto import sm3_hex
from onewindow.core.errors import ValidationFailed
from onewindow.core.roles import Role
from onewindow.org.models import Region, User
from onewindow.org.services.permissions import require_town_manager
from onewindow.org.services.staff import record_account_event, save_staff
from onewindow.org.services.validation import full_clean_or_raise

NAME_MAX = 40


def token_digest(key: str) -> str:
    """What a browser session remembers of the token it was opened with (never the token itself)."""
    return sm3_hex(key.encode())


def _require_manager_of(actor, device: User) -> None:
    if device.role != Role.DEVICE:
        raise ValidationFailed("只能为设备账号签发令牌")
    require_town_manager(actor, device.town_id)


@transaction.atomic
def device_create(*, actor, town: Region, name: str) -> User:
    """A new device account for the town, without a password: it signs in with a token only."""
    require_town_manager(actor, town.pk)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("请填写设备名称", fields={"name": "请填写设备名称，例如“一楼取号机”"})
    if len(name) > NAME_MAX:
        raise ValidationFailed("设备名称太长", fields={"name": f"设备名称不能超过{NAME_MAX}个字"})
    if User.objects.filter(town=town, role=Role.DEVICE, name=name).exists():
        raise ValidationFailed("设备名称重复", fields={"name": "本镇街已有同名设备，请换一个名称"})
    device = User(username=f"device-{town.code}-{secrets.token_hex(3)}", name=name, role=Role.DEVICE, town=town)
    device.set_unusable_password()
    full_clean_or_raise(device, exclude=["password"])
    device.save()
    record_account_event(
        actor=actor, user=device, action=AuditAction.DEVICE_CREATED, summary=f"新增设备账号 {name}（{town.name}）"
    )
    return device


@transaction.atomic
def device_token_issue(*, actor, device: User) -> Token:
    """Issues the device's token, replacing any earlier one (sessions opened with it end)."""
    _require_manager_of(actor, device)
    device = User.objects.select_for_update().get(pk=device.pk)
    if not device.is_active:
        raise ValidationFailed("设备账号已停用，请先启用后再签发令牌")
    replaced = Token.objects.filter(user=device).delete()[0] > 0
    token = Token.objects.create(user=device)
    record_account_event(
        actor=actor,
        user=device,
        action=AuditAction.TOKEN_ISSUED,
        summary=f"为设备 {device.display_name} {'重新' if replaced else ''}签发令牌",
    )
    return token


@transaction.atomic
def device_token_revoke(*, actor, device: User) -> bool:
    """Revokes the device's token; False when it had none (nothing changes, nothing is audited)."""
    _require_manager_of(actor, device)
    if not Token.objects.filter(user=device).delete()[0]:
        return False
    record_account_event(
        actor=actor, user=device, action=AuditAction.TOKEN_REVOKED, summary=f"停用设备 {device.display_name} 的令牌"
    )
    return True


def device_set_active(*, actor, device: User, active: bool) -> User:
    """Disables or re-enables a device account (disabling also drops its token, like any staff account)."""
    _require_manager_of(actor, device)
    device.is_active = active
    return save_staff(actor=actor, user=device)


def device_for_token(key: str) -> User | None:
    """The active device account a token belongs to, or None."""
    key = (key or "").strip()
    if not key or len(key) > 40:
        return None
    token = Token.objects.select_related("user").filter(key=key, user__role=Role.DEVICE).first()
    return token.user if token and token.user.is_active else None


def token_still_valid(device: User, digest: str) -> bool:
    """Whether the token a device session was opened with is still the device's current one."""
    key = Token.objects.filter(user=device).values_list("key", flat=True).first()
    return key is not None and secrets.compare_digest(token_digest(key), digest)


def record_token_sign_in(device: User) -> None:
    record_account_event(
        actor=device, user=device, action=AuditAction.DEVICE_SIGNED_IN, summary=f"设备 {device.display_name} 以令牌登录"
    )
