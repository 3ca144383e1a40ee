"""Concurrent appends on PostgreSQL: one chain serialises on its head, different chains do not wait."""

import threading

import pytest
from django.db import OperationalError, connection, transaction

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.audit.services import record
from onewindow.audit.verify import verify_chain

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 8
APPENDS = 20


def _in_thread(target, errors):
    def run():
        try:
            target()
        except Exception as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    return threading.Thread(target=run)


def test_concurrent_appends_to_one_new_chain_stay_contiguous(clerk, town):
    # given: the chain has no head yet, so the first writers also race to create it
    start = threading.Barrier(THREADS)
    errors = []

    def append_many():
        start.wait()
        for n in range(APPENDS):
            record(actor=clerk, action=AuditAction.WINDOW_OPENED, town=town, summary=f"并发写入 {n}")

    # when
    threads = [_in_thread(append_many, errors) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert errors == []
    seqs = list(AuditEvent.objects.filter(chain=town.code).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, THREADS * APPENDS + 1))
    report = verify_chain(chain=town.code)
    assert report.ok, report.broken
    assert report.events == THREADS * APPENDS


def test_other_towns_do_not_wait_for_a_locked_chain(clerk, director, other_director, town, other_town):
    record(actor=director, action=AuditAction.WINDOW_OPENED, town=town)
    record(actor=other_director, action=AuditAction.WINDOW_OPENED, town=other_town)
    holding, release, errors = threading.Event(), threading.Event(), []

    def hold_town_chain():
        with transaction.atomic():
            record(actor=clerk, action=AuditAction.WINDOW_CLOSED, town=town)
            holding.set()
            release.wait(timeout=30)

    holder = _in_thread(hold_town_chain, errors)
    holder.start()
    assert holding.wait(timeout=30)
    try:
        with transaction.atomic():
            connection.cursor().execute("SET LOCAL lock_timeout = '2s'")
            assert record(actor=other_director, action=AuditAction.WINDOW_CLOSED, town=other_town).seq == 2
        with pytest.raises(OperationalError), transaction.atomic():
            connection.cursor().execute("SET LOCAL lock_timeout = '200ms'")
            record(actor=director, action=AuditAction.WINDOW_CLOSED, town=town)
    finally:
        release.set()
        holder.join()
    assert errors == []
    assert verify_chain(chain=town.code).ok
