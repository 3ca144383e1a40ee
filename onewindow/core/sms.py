"""Short messages to applicants and staff through a pluggable backend (ONEWINDOW_SMS_BACKEND).

The default backend writes a log line with the number masked — nothing leaves the machine. A county
plugs its SMS gateway in by naming a class with the same `send(messages)` method. Messages are sent
after the transaction that caused them commits (`send_after_commit`), so a rolled-back action never
texts anyone. A message must never carry an ID number (tests assert it).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from onewindow.core.pii import mask_mobile

logger = logging.getLogger("onewindow.sms")


@dataclass(frozen=True)
class Sms:
    to: str
    text: str


# Secrets a text may carry: sign-in codes and query codes (digit runs), signed links (/rate/<token>/).
_SECRETS = re.compile(r"\d{4,}|/rate/[^/\s]+/?")


class ConsoleSmsBackend:
    """Logs each message with the number masked (development, and counties without a gateway yet). Outside DEBUG
    the codes and links in the text are blanked too: whoever reads the server's log must not be able to sign in
    as a citizen or rate in their name. Under DEBUG (the demo) the text is logged whole, so the console shows the
    sign-in code."""

    def send(self, messages: list[Sms]) -> None:
        for message in messages:
            text = message.text if settings.DEBUG else _SECRETS.sub("***", message.text)
            logger.info("sms to %s: %s", mask_mobile(message.to), text)


class LocmemSmsBackend:
    """Keeps messages in `outbox` (tests)."""

    outbox: list[Sms] = []

    def send(self, messages: list[Sms]) -> None:
        type(self).outbox.extend(messages)


def get_backend():
    return import_string(settings.ONEWINDOW_SMS_BACKEND)()


def send_after_commit(to: str, text: str) -> None:
    if not to:
        return
    message = Sms(to=to, text=f"{settings.ONEWINDOW_SMS_SIGNATURE}{text}")

    def deliver():
        try:
            get_backend().send([message])
        except Exception:  # a gateway outage must not break the clerk's work; the log says what was lost
            logger.exception("sms to %s failed", mask_mobile(to))

    transaction.on_commit(deliver)
