"""出件窗口满意度回访: a stable sample of delivered cases plus every badly rated one, calls recorded until someone
answers, a problem raised lands in the ledger, and the number is revealed only on an audited request."""

from datetime import timedelta

import pytest

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from onewindow.feedback.models import FollowUp, ProblemEntry, ProblemKind, ProblemSource
from onewindow.feedback.selectors_followups import followup_candidates
from onewindow.feedback.services.followups import followup_phone_reveal, followup_record, in_sample
from onewindow.feedback.tests.rectification_support import bad_rating, delivered_case
from onewindow.testing.cases import PERSON, receive

pytestmark = pytest.mark.django_db
# fixtures shared with the other rectification tests


@pytest.fixture
def clerk(world):
    return world.user("a", "output_clerk")


def numbers(candidates):
    return [c.number for c in candidates]


def test_the_sample_is_stable_and_takes_every_bad_rating(world, clock, clerk, reasoned_item, settings):
    settings.ONEWINDOW_FOLLOWUP_SAMPLE_PERCENT = 50
    cases = [delivered_case(world, reasoned_item) for _ in range(12)]
    expected = {c.number for c in cases if in_sample(c.number, 50)}
    assert 0 < len(expected) < 12  # the hash splits them
    first = followup_candidates(clerk)
    assert set(numbers(first)) == expected
    assert numbers(followup_candidates(clerk)) == numbers(first)  # drawn again: the same list, same order

    settings.ONEWINDOW_FOLLOWUP_SAMPLE_PERCENT = 0
    outside = next(c for c in cases if c.number not in expected)
    bad_rating(outside)
    [only] = followup_candidates(clerk)
    assert (only.number, only.bad_rating) == (outside.number, True)
    assert only.phone == "138****1234" and only.applicant == "张**"


def test_only_delivered_recent_cases_of_the_town(world, clock, clerk, reasoned_item, settings):
    settings.ONEWINDOW_FOLLOWUP_SAMPLE_PERCENT = 100
    old = delivered_case(world, reasoned_item)
    clock.advance(31)
    recent = delivered_case(world, reasoned_item)
    receive(world, reasoned_item)  # received, not delivered
    assert numbers(followup_candidates(clerk)) == [recent.number]
    assert followup_candidates(world.user("b", "output_clerk")) == []
    assert followup_candidates(world.user("a", "front_clerk")) == []
    assert old.delivered_at < recent.delivered_at - timedelta(days=30)


def test_a_call_until_answered_and_a_problem_lands_in_the_ledger(world, clock, clerk, reasoned_item, settings):
    settings.ONEWINDOW_FOLLOWUP_SAMPLE_PERCENT = 100
    case = delivered_case(world, reasoned_item)
    followup_record(actor=clerk, case=case, reached=False, satisfaction=5, problem="ignored", note="无人接听")
    [row] = followup_candidates(clerk)
    assert row.attempts == 1
    assert FollowUp.objects.get().satisfaction is None  # nothing is recorded for a call nobody answered

    followup_record(
        actor=clerk,
        case=case,
        reached=True,
        satisfaction=3,
        problem="户口簿复印件要求重复提交",
        problem_kind=ProblemKind.DIFFICULTY,
    )
    assert followup_candidates(clerk) == []
    entry = ProblemEntry.objects.get()
    assert (entry.source, entry.kind, entry.town, entry.item) == (
        ProblemSource.FOLLOW_UP,
        ProblemKind.DIFFICULTY,
        world.a.region,
        case.item,
    )
    assert entry.follow_up.case == case
    assert AuditEvent.objects.filter(action=AuditAction.FOLLOWUP_RECORDED).count() == 2
    with pytest.raises(Conflict):
        followup_record(actor=clerk, case=case, reached=True, satisfaction=5)


def test_bad_input_saves_nothing(world, clock, clerk, reasoned_item):
    case = delivered_case(world, reasoned_item)
    with pytest.raises(ValidationFailed):  # answered, but no satisfaction
        followup_record(actor=clerk, case=case, reached=True)
    with pytest.raises(ValidationFailed):
        followup_record(actor=clerk, case=case, reached=True, satisfaction=9)
    with pytest.raises(ValidationFailed):  # a problem needs its kind for the ledger
        followup_record(actor=clerk, case=case, reached=True, satisfaction=2, problem="跑了两趟")
    with pytest.raises(Forbidden):
        followup_record(actor=world.user("a", "front_clerk"), case=case, reached=True, satisfaction=5)
    with pytest.raises(NotFound):
        followup_record(actor=world.user("b", "output_clerk"), case=case, reached=True, satisfaction=5)
    with pytest.raises(Conflict):
        followup_record(actor=clerk, case=receive(world, reasoned_item), reached=True, satisfaction=5)
    assert not FollowUp.objects.exists() and not ProblemEntry.objects.exists()


def test_the_pages_mask_the_number_and_audit_its_reveal(client, world, clock, clerk, reasoned_item, settings):
    settings.ONEWINDOW_FOLLOWUP_SAMPLE_PERCENT = 100
    case = delivered_case(world, reasoned_item)
    client.force_login(clerk)
    page = client.get("/feedback/follow-ups/").text
    assert case.number in page and "138****1234" in page and PERSON.phone not in page
    sheet = client.get(f"/feedback/follow-ups/{case.number}/").text
    assert "138****1234" in sheet and PERSON.phone not in sheet

    revealed = client.post(f"/feedback/follow-ups/{case.number}/reveal/")
    assert PERSON.phone in revealed.text
    assert AuditEvent.objects.filter(action=AuditAction.FOLLOWUP_PHONE_REVEALED, actor=clerk).count() == 1

    bad = client.post(f"/feedback/follow-ups/{case.number}/record/", {"reached": "yes"})
    assert bad.status_code == 400 and "请选择群众的满意程度" in bad.text
    done = client.post(
        f"/feedback/follow-ups/{case.number}/record/",
        {"reached": "yes", "satisfaction": "5", "problem": "", "note": "很满意"},
    )
    assert done.status_code == 302
    assert FollowUp.objects.get().satisfaction == 5
    page = client.get("/feedback/follow-ups/").text
    assert f'href="/feedback/follow-ups/{case.number}/"' not in page  # no longer to call…
    assert case.number in page and "非常满意" in page  # …but among the recent calls

    client.force_login(world.user("b", "output_clerk"))
    assert client.get(f"/feedback/follow-ups/{case.number}/").status_code == 404
    with pytest.raises(NotFound):
        followup_phone_reveal(actor=world.user("b", "output_clerk"), case=case)


def test_the_list_costs_two_queries_however_long(
    world, clock, clerk, reasoned_item, settings, django_assert_num_queries
):
    settings.ONEWINDOW_FOLLOWUP_SAMPLE_PERCENT = 100
    delivered_case(world, reasoned_item)
    with django_assert_num_queries(2):
        assert len(followup_candidates(clerk)) == 1
    for _ in range(4):
        delivered_case(world, reasoned_item)
    with django_assert_num_queries(2):
        assert len(followup_candidates(clerk)) == 5
