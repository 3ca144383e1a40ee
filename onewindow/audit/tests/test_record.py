import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from onewindow.audit.actions import AuditAction
from onewindow.audit.hashing import GENESIS_HASH, event_hash
from onewindow.audit.models import AuditChainHead, AuditEvent
from onewindow.audit.services import PUBLIC, SYSTEM, record
from onewindow.core import context


def _record(actor, town=None, **extra):
    return record(actor=actor, action=AuditAction.WINDOW_OPENED, town=town, summary="开启1号窗口", **extra)


@pytest.mark.django_db
def test_record_appends_with_consecutive_seq_and_links(clerk, town):
    # when
    events = [_record(clerk, town) for _ in range(3)]

    # then
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS_HASH
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    head = AuditChainHead.objects.get(pk=town.code)
    assert (head.seq, head.last_hash) == (3, events[2].hash)


@pytest.mark.django_db
def test_stored_event_hashes_to_its_hash(clerk, town, other_town):
    event = _record(clerk, town, target=other_town, before={"is_open": False}, after={"is_open": True})
    stored = AuditEvent.objects.values().get(pk=event.pk)
    assert event_hash(values=stored, prev_hash=stored["prev_hash"]) == stored["hash"]
    assert len(stored["hash"]) == 64


@pytest.mark.django_db
def test_event_keeps_who_what_and_where(clerk, town, other_town):
    token = context.activate(context.RequestContext(ip="10.1.2.3", request_id="req-42"))
    try:
        event = _record(clerk, town, target=other_town, after={"name": "纸坊镇"})
    finally:
        context.deactivate(token)
    clerk.name = "改名后"
    clerk.save()

    event.refresh_from_db()
    assert (event.chain, event.actor_id, event.actor_name, event.role) == (town.code, clerk.pk, "张受理", "front_clerk")
    assert (event.target_type, event.target_id, event.target_repr) == ("org.region", str(other_town.pk), "纸坊镇")
    assert (event.ip, event.request_id) == ("10.1.2.3", "req-42")
    assert event.created_at.tzinfo is not None
    assert event.after == {"name": "纸坊镇"}


@pytest.mark.django_db
def test_explicit_ip_wins_over_request_context(clerk):
    assert _record(clerk, ip="::FFFF:10.0.0.1").ip == "::ffff:10.0.0.1"


@pytest.mark.django_db
def test_unparseable_ip_is_kept_as_claimed(clerk):
    assert _record(clerk, ip="unknown, 10.0.0.1").ip == "unknown, 10.0.0.1"


@pytest.mark.django_db
def test_chains_are_independent(clerk, director, town, other_town, county):
    a1 = _record(clerk, town)
    b1 = _record(director, other_town)
    a2 = _record(clerk, town)
    c1 = _record(SYSTEM)

    assert (a1.chain, a1.seq, a2.seq) == (town.code, 1, 2)
    assert (b1.chain, b1.seq, b1.prev_hash) == (other_town.code, 1, GENESIS_HASH)
    assert (c1.chain, c1.seq, c1.prev_hash) == ("county", 1, GENESIS_HASH)
    assert a2.prev_hash == a1.hash


@pytest.mark.django_db
def test_region_decides_the_chain(clerk, county, town, village):
    assert _record(clerk, village).chain == town.code
    assert _record(clerk, county).chain == "county"


@pytest.mark.django_db
def test_system_and_public_actors():
    system = _record(SYSTEM)
    public = _record(PUBLIC)
    assert (system.actor_id, system.actor_name, system.role) == (None, "系统", "system")
    assert (public.actor_id, public.role) == (None, "public")


@pytest.mark.django_db
@pytest.mark.parametrize("actor", [None, "张受理", object()])
def test_record_refuses_a_missing_or_bogus_actor(actor):
    with pytest.raises(TypeError):
        _record(actor)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_rolled_back_caller_leaves_no_event(clerk, town):
    _record(clerk, town)

    with pytest.raises(RuntimeError), transaction.atomic():
        _record(clerk, town)
        raise RuntimeError("the service failed after auditing")

    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [1]
    assert AuditChainHead.objects.get(pk=town.code).seq == 1
    assert _record(clerk, town).seq == 2


@pytest.mark.django_db
def test_before_and_after_are_made_json_safe(clerk):
    event = _record(clerk, before={"due": datetime.date(2025, 3, 1), "fee": Decimal("12.50"), "rate": 0.5},
                    after={"ids": {3, 1, 2}, 7: None})
    event.refresh_from_db()
    assert event.before == {"due": "2025-03-01", "fee": "12.50", "rate": "0.5"}
    assert event.after == {"ids": [1, 2, 3], "7": None}


@pytest.mark.django_db
def test_unserialisable_payload_is_refused(clerk):
    with pytest.raises(TypeError):
        _record(clerk, after={"who": object()})


@pytest.mark.django_db
def test_an_append_costs_three_queries(clerk, town, django_assert_num_queries):
    _record(clerk, town)  # the first append of a chain also creates its head
    with django_assert_num_queries(3):  # lock head, insert event, move head
        _record(clerk, town)
