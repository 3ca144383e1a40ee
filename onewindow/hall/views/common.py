"""Small helpers the hall pages share: absolute links for QR codes, error text, the client address."""

from __future__ import annotations

from django.urls import reverse

from onewindow.catalog.qr import absolute_url
from onewindow.core.middleware import client_ip


def follow_url(request, ticket) -> str:
    return absolute_url(reverse("hall:follow", args=[ticket.follow_token]), request)


def who(request) -> str:
    return client_ip(request) or "unknown"
