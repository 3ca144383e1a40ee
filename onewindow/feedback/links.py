"""The signed rating link of a case step (短信 / 二维码评价): `rating_link(step)` → an address that opens the rating
form for that step on the citizen's phone, without an account.

The token is the step's id signed with the site's secret (django.core.signing, its own salt) and a timestamp:
it cannot be forged or pointed at another step, and it expires after ONEWINDOW_RATING_LINK_MAX_AGE_DAYS (the
service then applies the exact working-day window). It is "one-time" because the step can be rated once: a
second use meets the rating that exists. It carries no personal data, so it may sit in an SMS and a QR code.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from onewindow.cases.models import CaseStep
from onewindow.catalog.qr import absolute_url, qr_svg
from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.core.sms import send_after_commit
from onewindow.feedback.services.ratings import step_refusal, window_closed_error

logger = logging.getLogger("onewindow.feedback")

SALT = "onewindow.feedback.rating-link"
TOKEN_MAX = 120  # a real token is ~50 characters; anything much longer is not one of ours


class InvalidLink(ValidationFailed):
    code = "rating.invalid_link"
    message = "评价链接无效，请核对短信或二维码中的链接是否完整"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def rating_token(step: CaseStep) -> str:
    return _signer().sign(str(step.pk))


def step_id_from_token(token: str) -> int:
    """The step a token was issued for; InvalidLink when forged or damaged, RatingWindowClosed when expired."""
    token = str(token or "")
    if not token or len(token) > TOKEN_MAX:
        raise InvalidLink()
    try:
        value = _signer().unsign(token, max_age=timedelta(days=settings.ONEWINDOW_RATING_LINK_MAX_AGE_DAYS))
    except signing.SignatureExpired as exc:
        raise window_closed_error() from exc
    except signing.BadSignature as exc:
        raise InvalidLink() from exc
    if not value.isdigit():
        raise InvalidLink()
    return int(value)


def rating_path(step: CaseStep, *, via: str = "") -> str:
    path = reverse("feedback:rate", args=[rating_token(step)])
    return f"{path}?via={via}" if via in ("qr", "web") else path


def rating_link(step: CaseStep, *, request=None, via: str = "") -> str:
    """The absolute address (ONEWINDOW_PUBLIC_BASE_URL, else the request's); `via="qr"` marks the QR channel."""
    return absolute_url(rating_path(step, via=via), request)


def rating_qr_svg(step: CaseStep, *, request=None) -> str:
    """The link as an inline SVG QR code, for the window's screen and the delivery notice."""
    return qr_svg(rating_link(step, request=request, via="qr"), scale=6, title="扫码评价本次服务")


def send_rating_invitation(case_step: CaseStep) -> bool:
    """Texts the applicant the step's rating link after the transaction commits (call it from delivery, in the
    delivery's transaction). Never raises: a missing public address or phone only means no invitation (logged),
    and a step that cannot be rated gets none. The text carries the case number and the link — no personal data."""
    if step_refusal(case_step):
        return False
    case = case_step.case
    if not case.contact_phone:
        return False
    try:
        url = rating_link(case_step)
    except DomainError:
        logger.warning("rating invitation for case %s not sent: ONEWINDOW_PUBLIC_BASE_URL is not set", case.number)
        return False
    days = settings.ONEWINDOW_RATING_WINDOW_WORKING_DAYS
    text = f"您办理的“{case.guide.name}”（办件编号{case.number}）已办结。请在{days}个工作日内对本次服务作出评价：{url}"
    send_after_commit(case.contact_phone, text)
    return True
