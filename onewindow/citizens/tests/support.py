"""Test helpers for citizen sign-in: the SMS outbox, reading the code from it, signing in over HTTP."""

import re

import pytest
from django.core.cache import cache

from onewindow.core.sms import LocmemSmsBackend

MOBILE = "13905375678"
OTHER_MOBILE = "13705370001"
LOGIN = "/account/login/"


@pytest.fixture
def outbox(settings):
    settings.ONEWINDOW_SMS_BACKEND = "onewindow.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    cache.clear()  # rate-limit counters
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox = []
    cache.clear()


def last_code(outbox, to=MOBILE) -> str:
    texts = [message.text for message in outbox if message.to == to]
    assert texts, f"no SMS to {to}"
    return re.search(r"验证码(\d{6})", texts[-1]).group(1)


def send_code(client, capture, mobile=MOBILE, **extra):
    """POSTs the mobile; the SMS leaves after commit, so the on-commit hooks run (capture: the
    django_capture_on_commit_callbacks fixture)."""
    with capture(execute=True):
        return client.post(LOGIN, {"action": "send", "mobile": mobile, **extra})


def verify(client, code, **extra):
    return client.post(LOGIN, {"action": "verify", "code": code, **extra})


def sign_in(client, capture, outbox, mobile=MOBILE, **extra):
    response = send_code(client, capture, mobile, **extra)
    assert response.status_code == 302, response.content.decode()[:800]
    return verify(client, last_code(outbox, mobile), **extra)
