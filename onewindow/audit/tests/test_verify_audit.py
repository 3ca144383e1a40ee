"""verify_audit finds tampering: changed content, a removed event, a removed last event."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from onewindow.audit.actions import AuditAction
from onewindow.audit.management.commands.verify_audit import Command
from onewindow.audit.models import AuditChainHead
from onewindow.audit.services import SYSTEM, record
from onewindow.audit.tests.conftest import drop_append_only_triggers
from onewindow.audit.verify import Problem, verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(clerk, town):
    """Five events in the town's chain and two in the county's."""
    events = [
        record(actor=clerk, action=AuditAction.WINDOW_OPENED, town=town, summary=f"开启{n}号窗口",
               after={"is_open": True, "number": n})
        for n in range(1, 6)
    ]
    record(actor=SYSTEM, action=AuditAction.CALENDAR_SYNCED, summary="同步法定节假日")
    record(actor=SYSTEM, action=AuditAction.CALENDAR_SYNCED, summary="同步法定节假日")
    return events


def _raw(sql, params):
    drop_append_only_triggers()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _verify(*args):
    out = StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_intact_chains_are_ok(chain, town):
    out, error = _verify()
    assert error is None
    assert f"{town.code}: OK: 5 events" in out
    assert "county: OK: 2 events" in out


def test_one_chain_can_be_checked_alone(chain, town):
    out, error = _verify("--chain", "county")
    assert error is None
    assert out.strip() == "county: OK: 2 events"


def test_unknown_chain_fails(chain):
    out, error = _verify("--chain", "370829999000")
    assert error is not None
    assert "unknown chain" in out


def test_changed_after_is_a_hash_mismatch_at_that_seq(chain, town):
    _raw("""UPDATE audit_auditevent SET "after" = %s WHERE id = %s""", ['{"is_open": false, "number": 3}', chain[2].pk])

    out, error = _verify()

    assert error is not None and error.returncode == 1
    assert f"{town.code}: BROKEN at seq 3 (event id {chain[2].pk}): hash mismatch" in out
    assert "county: OK: 2 events" in out  # the other chain is unaffected


def test_changed_summary_is_a_hash_mismatch(chain, town):
    _raw("UPDATE audit_auditevent SET summary = %s WHERE id = %s", ["开启了别的窗口", chain[1].pk])
    report = verify_chain(chain=town.code)
    assert (report.broken.seq, report.broken.event_id, report.broken.problem) == (2, chain[1].pk, Problem.HASH_MISMATCH)
    assert report.events == 1


def test_rehashed_forgery_breaks_the_next_link(chain, town):
    # A forger who recomputes the changed event's own hash still breaks its successor's link.
    from onewindow.audit.hashing import event_hash
    from onewindow.audit.models import AuditEvent

    values = AuditEvent.objects.values().get(pk=chain[1].pk)
    values["summary"] = "伪造"
    forged = event_hash(values=values, prev_hash=values["prev_hash"])
    _raw("UPDATE audit_auditevent SET summary = %s, hash = %s WHERE id = %s", ["伪造", forged, chain[1].pk])

    report = verify_chain(chain=town.code)
    assert (report.broken.seq, report.broken.problem) == (3, Problem.BROKEN_LINK)


def test_deleted_middle_event_is_a_missing_seq(chain, town):
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [chain[2].pk])

    out, error = _verify("--chain", town.code)

    assert error is not None
    assert f"BROKEN at seq 3 (event id {chain[3].pk}): missing seq" in out


def test_deleted_last_event_is_a_head_mismatch(chain, town):
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [chain[4].pk])

    report = verify_chain(chain=town.code)

    assert (report.broken.seq, report.broken.problem) == (5, Problem.HEAD_MISMATCH)
    assert report.events == 4


def test_deleted_whole_chain_is_a_head_mismatch(chain, town):
    _raw("DELETE FROM audit_auditevent WHERE chain = %s", [town.code])
    report = verify_chain(chain=town.code)
    assert (report.broken.seq, report.broken.problem) == (5, Problem.HEAD_MISMATCH)


def test_missing_head_is_reported(chain, town):
    AuditChainHead.objects.filter(pk=town.code).delete()
    report = verify_chain(chain=town.code)
    assert report.broken.problem == Problem.HEAD_MISMATCH
    assert "missing" in report.broken.detail


def test_event_beyond_the_head_is_reported(chain, town):
    AuditChainHead.objects.filter(pk=town.code).update(seq=4, last_hash=chain[3].hash)
    report = verify_chain(chain=town.code)
    assert (report.broken.seq, report.broken.problem) == (5, Problem.HEAD_MISMATCH)


def test_command_line_exits_non_zero_on_a_break(chain, town, capsys):
    _raw("UPDATE audit_auditevent SET summary = %s WHERE id = %s", ["x", chain[0].pk])

    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["manage.py", "verify_audit", "--no-color"])

    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert f"{town.code}: BROKEN at seq 1" in captured.out
    assert "审计日志校验失败" in captured.err


def test_streams_in_small_chunks(chain, town):
    assert verify_chain(chain=town.code, chunk_size=2).ok
