"""Five requests for a code to the same number at the same moment: one text goes out, the others are told to wait
(the resend interval and the hourly cap hold under concurrency, not only one request after another)."""

import pytest

from onewindow.citizens.errors import CodeSentTooSoon
from onewindow.citizens.models import SignInCode
from onewindow.citizens.services.codes import code_send
from onewindow.testing.concurrency import run_together

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_simultaneous_requests_send_one_code():
    targets = [lambda n=n: code_send(mobile="13905370009", ip=f"10.0.0.{n}") for n in range(5)]
    sent, errors = run_together(targets)
    assert len(sent) == 1 and SignInCode.objects.count() == 1
    assert len(errors) == 4 and all(isinstance(e, CodeSentTooSoon) for e in errors)
