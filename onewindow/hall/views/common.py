"""Small helpers the hall pages share: absolute links for QR codes, error text, the client address."""

from __future__ import annotations

from django.urls import reverse

from onewindow.catalog.qr import absolute_url, make_qr
from onewindow.core.errors import DomainError
from onewindow.core.middleware import client_ip


def follow_url(request, ticket) -> str:
    return absolute_url(reverse("hall:follow", args=[ticket.follow_token]), request)


def qr_svg(url: str, *, title: str, scale: int = 4) -> str:
    """Inline SVG like catalog.qr.qr_svg, with a title that says what this code is for (read aloud by screen
    readers). Not cached: a ticket's code is drawn once."""
    return make_qr(url).svg_inline(scale=scale, border=2, title=title, unit="px")


def error_text(exc: DomainError) -> str:
    """The message with its field messages, for a banner: "输入有误：手机号码格式不对…"."""
    details = [str(v) for v in exc.fields.values()]
    if details and exc.message == type(exc).message:
        return "；".join(details)
    return "；".join([exc.message, *details])


def who(request) -> str:
    return client_ip(request) or "unknown"
