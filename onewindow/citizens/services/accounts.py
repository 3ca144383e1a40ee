"""Citizen accounts: sign-in by SMS code (the first one registers), sign-out, profile, mobile change.

Every write is audited on the county chain (a citizen belongs to no town) with the citizen as actor
(`citizen_actor`: masked name or mobile). Audit snapshots hold masked values only: the ID number and the
mobile never reach the audit log in clear.
"""

from __future__ import annotations

import unicodedata

from django.db import transaction
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import PUBLIC, record
from onewindow.citizens.errors import MobileTaken, SignInUnavailable
from onewindow.citizens.models import Citizen, CodePurpose, SignInCode
from onewindow.citizens.services.codes import take_code, wrong_code_limit
from onewindow.citizens.session import citizen_actor
from onewindow.core import crypto, pii
from onewindow.core.errors import ValidationFailed

NAME_MAX = 40
ADDRESS_MAX = 200


def masked_profile(citizen: Citizen) -> dict:
    """What an audit row may say about a profile."""
    return {
        "name": pii.mask_name(citizen.name) if citizen.name else "",
        "mobile": citizen.mobile_masked,
        "id_number": citizen.id_number_masked,
        "address_set": bool(citizen.address),
    }


def _failed(row: SignInCode | None, error: Exception, who: str) -> Exception:
    """Records a wrong or stale code (its own small transaction) and returns the error to raise."""
    wrong_code_limit().fail(who)
    with transaction.atomic():
        record(
            actor=PUBLIC,
            action=AuditAction.CITIZEN_CODE_FAILED,
            target=row,
            summary=getattr(error, "message", "验证码错误")[:100],
        )
    return error


def citizen_sign_in_with_code(*, code_id, code: str, ip: str | None) -> Citizen:
    """The citizen whose phone received the code; the first sign-in of a number registers it.
    A wrong, used or expired code creates nothing (only the try is counted) and raises."""
    who = ip or "unknown"
    wrong_code_limit().check(who)
    with transaction.atomic():
        row, error = take_code(code_id=code_id, code=code, purpose=CodePurpose.SIGN_IN)
        if error is None:
            citizen = Citizen.objects.select_for_update().filter(mobile_index=row.mobile_index).first()
            if citizen is None:
                citizen = Citizen()
                citizen.set_mobile(row.mobile)
                citizen.save()
                record(
                    actor=citizen_actor(citizen),
                    action=AuditAction.CITIZEN_REGISTERED,
                    target=citizen,
                    after=masked_profile(citizen),
                )
            elif not citizen.is_active:
                raise SignInUnavailable()
            citizen_signed_in(citizen=citizen, method="短信验证码")
            return citizen
    raise _failed(row, error, who)


def citizen_signed_in(*, citizen: Citizen, method: str) -> None:
    """A sign-in (by code or unified identity): the time it happened, audited."""
    with transaction.atomic():
        citizen.last_login_at = timezone.now()
        citizen.save(update_fields=["last_login_at"])
        record(actor=citizen_actor(citizen), action=AuditAction.CITIZEN_SIGNED_IN, target=citizen, summary=method)


def citizen_sign_out(*, citizen: Citizen, timed_out: bool = False) -> None:
    action = AuditAction.CITIZEN_TERMINAL_TIMEOUT if timed_out else AuditAction.CITIZEN_SIGNED_OUT
    with transaction.atomic():
        record(actor=citizen_actor(citizen), action=action, target=citizen)


def _clean_text(value: str, *, limit: int, label: str, field: str) -> str:
    text = " ".join(unicodedata.normalize("NFKC", value or "").split())
    if any(unicodedata.category(char).startswith("C") for char in text):
        raise ValidationFailed(fields={field: f"{label}含有无法识别的字符"})
    if len(text) > limit:
        raise ValidationFailed(fields={field: f"{label}不能超过{limit}个字"})
    return text


def citizen_profile_update(*, citizen: Citizen, name: str, id_number: str, address: str) -> Citizen:
    """Saves name, address and (when one is typed) a new ID number; an empty ID box keeps the stored one.
    Invalid input raises ValidationFailed with per-field Chinese messages and changes nothing."""
    errors = {}
    try:
        name = _clean_text(name, limit=NAME_MAX, label="姓名", field="name")
        if name and len(name) < 2:
            errors["name"] = "请填写完整姓名"
    except ValidationFailed as exc:
        errors.update(exc.fields)
    try:
        address = _clean_text(address, limit=ADDRESS_MAX, label="联系地址", field="address")
    except ValidationFailed as exc:
        errors.update(exc.fields)
    id_number = (id_number or "").strip()
    if id_number:
        try:
            id_number = pii.validate_id_number(id_number)
        except pii.InvalidIdNumber as exc:
            errors["id_number"] = exc.message
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        citizen = Citizen.objects.select_for_update().get(pk=citizen.pk)
        before = masked_profile(citizen)
        changed = []
        if citizen.name != name:
            citizen.name = name
            changed.append("name")
        if citizen.address != address:
            citizen.address = address
            changed.append("address")
        if id_number and citizen.id_index != crypto.blind_index(id_number, purpose="id_number"):
            citizen.set_id_number(id_number)
            changed += ["id_number", "id_index"]
        if changed:
            citizen.save(update_fields=changed)
            record(
                actor=citizen_actor(citizen),
                action=AuditAction.CITIZEN_PROFILE_UPDATED,
                target=citizen,
                before=before,
                after=masked_profile(citizen),
            )
    return citizen


def citizen_mobile_change(*, citizen: Citizen, code_id, code: str, ip: str | None) -> Citizen:
    """Moves the account to the number that received the code (sent by code_send with CHANGE_MOBILE)."""
    who = ip or "unknown"
    wrong_code_limit().check(who)
    with transaction.atomic():
        row, error = take_code(code_id=code_id, code=code, purpose=CodePurpose.CHANGE_MOBILE, citizen=citizen)
        if error is None:
            citizen = Citizen.objects.select_for_update().get(pk=citizen.pk)
            if Citizen.objects.filter(mobile_index=row.mobile_index).exclude(pk=citizen.pk).exists():
                raise MobileTaken()
            before = masked_profile(citizen)
            citizen.set_mobile(row.mobile)
            citizen.save(update_fields=["mobile", "mobile_index"])
            record(
                actor=citizen_actor(citizen),
                action=AuditAction.CITIZEN_MOBILE_CHANGED,
                target=citizen,
                before=before,
                after=masked_profile(citizen),
            )
            return citizen
    raise _failed(row, error, who)
