"""SMS verification codes (短信验证码): sending with resend and hourly limits, and checking them.

A code is six random digits, kept only as a keyed hash bound to the mobile's blind index, valid for
ONEWINDOW_CITIZEN_CODE_TTL_SECONDS, single use, and void after ONEWINDOW_CITIZEN_CODE_MAX_ATTEMPTS wrong tries.
Sending a new code voids the number's earlier ones, so only the latest message counts. Wrong codes also count
per client address (onewindow.core.ratelimit), so nobody can spread guesses over many numbers.
"""

from __future__ import annotations

import hmac
import secrets
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onewindow.citizens.errors import CodeExpired, CodeInvalid, CodeSentTooSoon, TooManyCodes
from onewindow.citizens.models import Citizen, CodePurpose, SignInCode
from onewindow.core import crypto, pii, sms
from onewindow.core.locks import lock_key
from onewindow.core.ratelimit import FailureLimit

CODE_DIGITS = 6
_HOUR = timedelta(hours=1)


def wrong_code_limit() -> FailureLimit:
    """Wrong codes per client address; read at call time so settings overrides apply."""
    return FailureLimit(scope="citizen-code", limit=settings.ONEWINDOW_CITIZEN_CODE_FAILURES_PER_IP)


def _code_hash(code: str, mobile_index: str) -> str:
    # Keyed (the PII key) and bound to the number: a database copy alone cannot be brute-forced.
    return crypto.blind_index(f"{mobile_index}:{code}", purpose="sms_code")


def _text(purpose: str, code: str) -> str:
    minutes = max(1, settings.ONEWINDOW_CITIZEN_CODE_TTL_SECONDS // 60)
    doing = "更换手机号码" if purpose == CodePurpose.CHANGE_MOBILE else "登录网上办事大厅"
    return f"您正在{doing}，验证码{code}，{minutes}分钟内有效。工作人员不会向您索要验证码，请勿告诉他人。"


def code_send(
    *, mobile: str, ip: str | None, purpose: str = CodePurpose.SIGN_IN, citizen: Citizen | None = None
) -> SignInCode:
    """Texts a new code to `mobile` (after commit) and returns its row; refuses when sent too recently or too
    often in the last hour (per number and per client address). Nothing is written when refused."""
    mobile = pii.validate_mobile(mobile)
    if purpose == CodePurpose.CHANGE_MOBILE and citizen is None:
        raise ValueError("changing the mobile needs the citizen")
    index = crypto.blind_index(mobile, purpose="mobile")
    now = timezone.now()
    ip = (ip or "")[:45]
    with transaction.atomic():
        lock_key(f"sms-code:{index}")  # two requests at once must not both pass the limits below
        recent = SignInCode.objects.filter(mobile_index=index, created_at__gte=now - _HOUR)
        latest = recent.order_by("-created_at").values_list("created_at", flat=True).first()
        resend = timedelta(seconds=settings.ONEWINDOW_CITIZEN_CODE_RESEND_SECONDS)
        if latest is not None and now - latest < resend:
            wait = int((resend - (now - latest)).total_seconds()) + 1
            raise CodeSentTooSoon(f"验证码已发送，请{wait}秒后再重新获取", fields={"wait": wait})
        if recent.count() >= settings.ONEWINDOW_CITIZEN_CODES_PER_MOBILE_HOUR:
            raise TooManyCodes()
        if ip and (
            SignInCode.objects.filter(ip=ip, created_at__gte=now - _HOUR).count()
            >= settings.ONEWINDOW_CITIZEN_CODES_PER_IP_HOUR
        ):
            raise TooManyCodes()
        recent.filter(used_at__isnull=True, voided=False).update(voided=True)
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        row = SignInCode.objects.create(
            purpose=purpose,
            mobile=mobile,
            mobile_index=index,
            citizen=citizen,
            code_hash=_code_hash(code, index),
            ip=ip,
            created_at=now,
            expires_at=now + timedelta(seconds=settings.ONEWINDOW_CITIZEN_CODE_TTL_SECONDS),
        )
        sms.send_after_commit(mobile, _text(purpose, code))
    return row


def take_code(
    *, code_id, code: str, purpose: str, citizen: Citizen | None = None
) -> tuple[SignInCode | None, Exception | None]:
    """Inside the caller's transaction: (the row, marked used, None) when `code` is right, else (row or None,
    the error to raise once the caller's transaction has committed the wrong try)."""
    now = timezone.now()
    row = (
        SignInCode.objects.select_for_update()
        .filter(pk=code_id if str(code_id).isdigit() else None, purpose=purpose)
        .first()
    )
    if row is None or (citizen is not None and row.citizen_id != citizen.pk):
        return None, CodeExpired()
    if row.used_at is not None or row.voided or row.expires_at <= now:
        return row, CodeExpired()
    code = "".join(unicodedata.normalize("NFKC", code or "").split())  # full-width digits from a phone count
    right = len(code) == CODE_DIGITS and code.isascii() and code.isdigit()
    if not (right and hmac.compare_digest(_code_hash(code, row.mobile_index), row.code_hash)):
        row.attempts += 1
        row.voided = row.attempts >= settings.ONEWINDOW_CITIZEN_CODE_MAX_ATTEMPTS
        row.save(update_fields=["attempts", "voided"])
        if row.voided:
            return row, CodeExpired("验证码错误次数过多，已失效，请重新获取")
        left = settings.ONEWINDOW_CITIZEN_CODE_MAX_ATTEMPTS - row.attempts
        return row, CodeInvalid(f"验证码不正确，还可以再试{left}次")
    row.used_at = now
    row.save(update_fields=["used_at"])
    return row, None
