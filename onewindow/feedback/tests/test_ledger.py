"""堵点、难点、卡点问题台账: staff findings, 即知即改 with measures, escalation to the county, filters and scoping."""

import pytest
from django.urls import reverse

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from onewindow.core.models import Notification
from onewindow.feedback.models import ProblemEntry, ProblemSource, ProblemStatus
from onewindow.feedback.selectors_supervision import LedgerFilters, ledger_entries
from onewindow.feedback.services.ledger import problem_record_by_staff, problem_set_status

pytestmark = pytest.mark.django_db


def find(world, town="a", kind="blockage", description="自助机经常死机"):
    return problem_record_by_staff(actor=world.user(town, "center_director"), kind=kind, description=description)


def test_staff_finding_goes_on_the_own_towns_ledger(world, clock):
    entry = problem_record_by_staff(
        actor=world.user("a", "output_clerk"), kind="difficulty", description="老年人不会用手机预约"
    )
    assert entry.town == world.a.region and entry.source == ProblemSource.STAFF
    assert entry.status == ProblemStatus.IN_PROGRESS and entry.recorded_by == world.user("a", "output_clerk")
    with pytest.raises(Forbidden):
        problem_record_by_staff(actor=world.user("a", "front_clerk"), kind="difficulty", description="x")
    with pytest.raises(ValidationFailed):
        problem_record_by_staff(actor=world.user("a", "center_director"), kind="nonsense", description="x")
    assert ProblemEntry.objects.count() == 1


def test_done_needs_measures_and_records_when(world, clock):
    entry = find(world)
    director = world.user("a", "center_director")
    with pytest.raises(ValidationFailed) as error:
        problem_set_status(actor=director, entry=entry, status=ProblemStatus.DONE, measures=" ")
    assert "整改措施" in error.value.fields["measures"]
    entry.refresh_from_db()
    assert entry.status == ProblemStatus.IN_PROGRESS and entry.resolved_at is None
    entry = problem_set_status(actor=director, entry=entry, status=ProblemStatus.DONE, measures="更换自助机主板")
    assert entry.status == ProblemStatus.DONE and entry.resolved_at and entry.measures == "更换自助机主板"
    assert AuditEvent.objects.filter(action=AuditAction.PROBLEM_STATUS_CHANGED, target_id=str(entry.pk)).exists()
    with pytest.raises(Conflict):
        problem_set_status(actor=director, entry=entry, status=ProblemStatus.ESCALATED)


def test_escalated_problems_reach_the_county_across_towns(world, clock):
    a, b = find(world, "a"), find(world, "b", description="不动产登记跑县里")
    find(world, "b", description="留在镇里")
    problem_set_status(actor=world.user("a", "center_director"), entry=a, status=ProblemStatus.ESCALATED)
    problem_set_status(actor=world.user("b", "center_director"), entry=b, status=ProblemStatus.ESCALATED)
    assert Notification.objects.filter(user=world.county_admin, kind="problem").count() == 2
    escalated = ledger_entries(world.county_admin, LedgerFilters(status=ProblemStatus.ESCALATED))
    assert set(escalated) == {a, b}
    with pytest.raises(Forbidden):  # once escalated, the county decides, not the town
        problem_set_status(actor=world.user("b", "center_director"), entry=b, status=ProblemStatus.DONE, measures="x")
    # The county solves one and sends it back to the town.
    problem_set_status(actor=world.county_admin, entry=b, status=ProblemStatus.DONE, measures="县局下放受理权限")
    problem_set_status(actor=world.county_admin, entry=a, status=ProblemStatus.IN_PROGRESS)
    assert ledger_entries(world.county_admin, LedgerFilters(status=ProblemStatus.ESCALATED)).count() == 0


def test_another_towns_director_sees_and_changes_nothing(client, world, clock):
    entry = find(world, "a")
    other = world.user("b", "center_director")
    assert list(ledger_entries(other, LedgerFilters())) == []
    with pytest.raises(NotFound):
        problem_set_status(actor=other, entry=entry, status=ProblemStatus.ESCALATED)
    client.force_login(other)
    assert client.get(reverse("feedback:ledger-entry", args=[entry.pk])).status_code == 404
    assert "自助机经常死机" not in client.get(reverse("feedback:ledger")).content.decode()
    client.force_login(world.user("a", "front_clerk"))
    assert client.get(reverse("feedback:ledger")).status_code == 403


def test_filters_by_month_kind_source_and_department(world, clock):
    director = world.user("a", "center_director")
    department = world.a.departments[1]
    first = problem_record_by_staff(actor=director, kind="blockage", description="九月", department=department)
    clock.advance(30)  # 1 October
    second = problem_record_by_staff(actor=director, kind="difficulty", description="十月")
    assert list(ledger_entries(director, LedgerFilters.from_query({"month": "2026-09"}))) == [first]
    assert list(ledger_entries(director, LedgerFilters.from_query({"month": "2026-10"}))) == [second]
    assert list(ledger_entries(director, LedgerFilters.from_query({"kind": "difficulty"}))) == [second]
    assert list(ledger_entries(director, LedgerFilters.from_query({"department": str(department.pk)}))) == [first]
    assert ledger_entries(director, LedgerFilters.from_query({"source": "complaint"})).count() == 0
    with pytest.raises(ValidationFailed):
        LedgerFilters.from_query({"month": "2026-13"})


def test_ledger_page_records_and_changes_status(client, world, clock):
    client.force_login(world.user("a", "center_director"))
    url = reverse("feedback:ledger")
    empty = client.post(url, {"kind": "blockage", "description": ""})
    assert empty.status_code == 400 and "请描述" in empty.content.decode()
    assert not ProblemEntry.objects.exists()
    assert client.post(url, {"kind": "blockage", "description": "取号机缺纸"}).status_code == 302
    entry = ProblemEntry.objects.get()
    entry_url = reverse("feedback:ledger-entry", args=[entry.pk])
    refused = client.post(entry_url, {"status": "done", "measures": ""})
    assert refused.status_code == 400 and "请填写整改措施" in refused.content.decode()
    assert client.post(entry_url, {"status": "done", "measures": "当场补纸"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == ProblemStatus.DONE
    page = client.get(url + "?status=done").content.decode()
    assert "取号机缺纸" in page and "即知即改" in page


def test_pages_draw_for_each_reader(client, world, clock):
    entry = find(world)
    for user in (world.user("a", "center_director"), world.user("a", "output_clerk"), world.county_admin):
        client.force_login(user)
        assert "自助机经常死机" in client.get(reverse("feedback:ledger-entry", args=[entry.pk])).content.decode()
        assert client.get(reverse("feedback:ledger"), {"month": "2026-09"}).status_code == 200
    client.force_login(world.user("a", "supervisor"))
    page = client.get(reverse("feedback:ledger-entry", args=[entry.pk])).content.decode()
    assert "自助机经常死机" in page and 'name="measures"' not in page  # read-only
