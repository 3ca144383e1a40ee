"""The database itself refuses to change or remove an audit event, whatever path the write takes."""

import pytest
from django.db import IntegrityError, connection, transaction

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(clerk, town):
    return record(actor=clerk, action=AuditAction.STAFF_UPDATED, town=town, summary="修改工作人员")


def _refused(operation):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        operation()


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_orm_save_is_refused(event):
    event.summary = "改过的摘要"
    _refused(event.save)


def test_orm_queryset_update_is_refused(event):
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(summary="改过的摘要"))


def test_orm_delete_is_refused(event):
    _refused(event.delete)


def test_orm_queryset_delete_is_refused(event):
    _refused(AuditEvent.objects.all().delete)


def test_raw_sql_update_is_refused(event):
    _refused(lambda: _raw("UPDATE audit_auditevent SET summary = %s WHERE id = %s", ["x", event.pk]))


def test_raw_sql_delete_is_refused(event):
    _refused(lambda: _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk]))


@pytest.mark.postgres_only
def test_truncate_is_refused(event):
    _raw("SET CONSTRAINTS ALL IMMEDIATE")  # else the deferred foreign-key check blocks TRUNCATE first
    _refused(lambda: _raw("TRUNCATE audit_auditevent"))


def test_nothing_changed(event):
    for operation in (event.delete, lambda: _raw("UPDATE audit_auditevent SET summary = 'x'")):
        with pytest.raises(IntegrityError), transaction.atomic():
            operation()
    assert AuditEvent.objects.get().summary == "修改工作人员"


def test_inserting_is_still_allowed(event, clerk, town):
    assert record(actor=clerk, action=AuditAction.STAFF_UPDATED, town=town).seq == 2
