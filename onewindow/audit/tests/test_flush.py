"""Transactional tests flush the database after each test; on a test database the audit log empties too."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditChainHead, AuditEvent
from onewindow.audit.services import SYSTEM, record


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_log_and_keeps_the_triggers():
    record(actor=SYSTEM, action=AuditAction.DEMO_LOADED)

    call_command("flush", interactive=False, verbosity=0)

    assert not AuditEvent.objects.exists()
    assert not AuditChainHead.objects.exists()
    event = record(actor=SYSTEM, action=AuditAction.DEMO_LOADED)
    assert event.seq == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        event.delete()


def test_flush_keeps_the_protection_on_a_real_database():
    from types import SimpleNamespace

    from onewindow.audit.management.commands.flush import _is_test_database

    assert not _is_test_database(SimpleNamespace(vendor="postgresql", settings_dict={"NAME": "onewindow"}))
    assert not _is_test_database(SimpleNamespace(vendor="sqlite", settings_dict={"NAME": "/srv/var/onewindow.sqlite3"},
                                                 is_in_memory_db=lambda: False))
    assert _is_test_database(SimpleNamespace(vendor="postgresql", settings_dict={"NAME": "test_onewindow_gw1"}))
