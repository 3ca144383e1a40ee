"""差评整改 through the services: callback → rectify (立行立改 / 限期整改 / 解释说明) → reply, appeals and extensions
decided by the county, and the refusals that leave everything as it was."""

from datetime import date

import pytest

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from onewindow.core.models import Notification
from onewindow.feedback.models import (
    Callback,
    CountyReview,
    Outcome,
    ProblemEntry,
    ProblemKind,
    ProblemSource,
    ProblemStatus,
    RectificationStatus,
    ReviewState,
)
from onewindow.feedback.selectors_rectification import rectification_figures
from onewindow.feedback.services.rectification import (
    rectification_appeal,
    rectification_callback,
    rectification_reply,
    rectification_verify,
)
from onewindow.feedback.services.rectification_work import (
    rectification_choose_outcome,
    rectification_complete,
    rectification_request_extension,
    rectification_review_decide,
)
from onewindow.feedback.tests.rectification_support import RATER_MOBILE, bad_rating, delivered_case

pytestmark = pytest.mark.django_db
# fixtures shared with the other rectification tests

S = RectificationStatus


@pytest.fixture
def people(world):
    return {
        "director": world.user("a", "center_director"),
        "output": world.user("a", "output_clerk"),
        "county": world.county_admin,
    }


def rectification_of(world, item, **kwargs):
    return bad_rating(delivered_case(world, item), **kwargs).rectification


def actions_logged(rectification):
    return list(
        AuditEvent.objects.filter(target_type="feedback.rectification", target_id=str(rectification.pk))
        .order_by("created_at", "seq")
        .values_list("action", flat=True)
    )


def test_a_bad_rating_runs_through_callback_deadline_extension_and_reply(
    world, clock, people, reasoned_item, sms, django_capture_on_commit_callbacks
):
    # given a real-name 差评 on a finished 即办件
    r = rectification_of(world, reasoned_item)
    assert r.status == S.VERIFYING
    assert Notification.objects.filter(user=people["director"], title="收到差评，请安排回访核实").exists()

    # when the output window calls (no answer), then the director gets through and finds it valid
    rectification_callback(actor=people["output"], rectification=r, reached=False, summary="无人接听")
    r.refresh_from_db()
    assert r.status == S.VERIFYING
    rectification_callback(
        actor=people["director"], rectification=r, reached=True, valid=True, summary="群众反映窗口人员态度生硬，属实"
    )
    r.refresh_from_db()
    assert r.status == S.RECTIFYING

    # 限期整改: 5 working days from Tuesday 2026-09-01, and a line on the problem ledger
    rectification_choose_outcome(
        actor=people["director"],
        rectification=r,
        outcome=Outcome.BY_DEADLINE,
        measures="组织窗口人员服务礼仪培训",
        problem_kind=ProblemKind.BLOCKAGE,
    )
    r.refresh_from_db()
    assert (r.status, r.outcome, r.deadline) == (S.RECTIFYING, Outcome.BY_DEADLINE, date(2026, 9, 8))
    entry = ProblemEntry.objects.get(rating=r.rating)
    assert (entry.source, entry.kind, entry.status) == (ProblemSource.RATING, ProblemKind.BLOCKAGE, "in_progress")

    # an extension moves the deadline only once the county agrees
    review = rectification_request_extension(actor=people["director"], rectification=r, reason="培训排期", extra_days=3)
    r.refresh_from_db()
    assert r.deadline == date(2026, 9, 8)
    assert Notification.objects.filter(user=people["county"], title__contains="延期待审核").exists()
    rectification_review_decide(actor=people["county"], review=review, approve=True)
    r.refresh_from_db()
    assert r.deadline == date(2026, 9, 11)

    rectification_complete(actor=people["director"], rectification=r, measures="已完成全员服务礼仪培训")
    r.refresh_from_db()
    assert r.status == S.REPLYING and r.rectified_at is not None
    entry.refresh_from_db()
    assert entry.status == ProblemStatus.DONE

    with django_capture_on_commit_callbacks(execute=True):
        rectification_reply(actor=people["director"], rectification=r, text="已对窗口人员批评教育并组织培训，感谢监督")
    r.refresh_from_db()
    assert r.status == S.CLOSED and r.replied_at and r.closed_at
    [message] = sms.outbox
    assert message.to == RATER_MOBILE and "感谢监督" in message.text and RATER_MOBILE not in message.text

    # then every step is on the audit trail, and the month's figures count it as called back, rectified, replied
    assert actions_logged(r) == [
        AuditAction.RECTIFICATION_OPENED,
        AuditAction.RECTIFICATION_CALLBACK,
        AuditAction.RECTIFICATION_CALLBACK,
        AuditAction.RECTIFICATION_OUTCOME_CHOSEN,
        AuditAction.RECTIFICATION_EXTENSION_REQUESTED,
        AuditAction.RECTIFICATION_EXTENSION_DECIDED,
        AuditAction.RECTIFICATION_FIXED,
        AuditAction.RECTIFICATION_REPLIED,
    ]
    assert rectification_figures(town=world.a.region, year=2026, month=9) == {
        "bad": 1,
        "real_name_bad": 1,
        "called_back": 1,
        "invalid": 0,
        "rectified": 1,
        "replied": 1,
    }


def test_an_appeal_approved_by_the_county_closes_it_as_invalid(world, clock, people, reasoned_item):
    r = rectification_of(world, reasoned_item)
    with pytest.raises(Conflict):  # nothing found invalid yet
        rectification_appeal(actor=people["director"], rectification=r, reason="误评")
    rectification_callback(
        actor=people["director"], rectification=r, reached=True, valid=False, summary="群众表示误按了按钮"
    )
    r.refresh_from_db()
    assert r.status == S.VERIFYING
    review = rectification_appeal(actor=people["director"], rectification=r, reason="评价人确认误评")
    r.refresh_from_db()
    assert r.status == S.APPEALING
    with pytest.raises(Forbidden):
        rectification_review_decide(actor=people["director"], review=review, approve=True)

    rectification_review_decide(actor=people["county"], review=review, approve=True, opinion="同意")
    r.refresh_from_db()
    assert r.status == S.INVALID and r.closed_at is not None
    figures = rectification_figures(town=world.a.region, year=2026, month=9)
    assert (figures["bad"], figures["invalid"], figures["rectified"]) == (1, 1, 0)
    with pytest.raises(Conflict):  # decided once
        rectification_review_decide(actor=people["county"], review=review, approve=False, opinion="改判")


def test_an_appeal_refused_goes_on_to_rectification(world, clock, people, reasoned_item):
    r = rectification_of(world, reasoned_item)
    rectification_verify(actor=people["director"], rectification=r, valid=False, summary="调阅录像，服务规范")
    review = rectification_appeal(actor=people["director"], rectification=r, reason="服务规范")
    with pytest.raises(ValidationFailed):  # refusing needs the county's reasons
        rectification_review_decide(actor=people["county"], review=review, approve=False, opinion="")
    review.refresh_from_db()
    assert review.state == ReviewState.PENDING
    rectification_review_decide(actor=people["county"], review=review, approve=False, opinion="等候过久属实")
    r.refresh_from_db()
    assert r.status == S.RECTIFYING
    assert Notification.objects.filter(user=people["director"], title="县局不同意申诉复核").exists()


def test_closing_a_real_name_rating_without_a_callback_is_refused(
    world, clock, people, reasoned_item, sms, django_capture_on_commit_callbacks
):
    r = rectification_of(world, reasoned_item)
    rectification_verify(actor=people["director"], rectification=r, valid=True, summary="调阅排队记录，等候超时")
    rectification_choose_outcome(
        actor=people["director"], rectification=r, outcome=Outcome.FIXED_NOW, measures="增开窗口"
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict, match="请先回访评价人"):
        rectification_reply(actor=people["director"], rectification=r, text="已增开窗口")
    r.refresh_from_db()
    assert r.status == S.REPLYING and r.reply == "" and sms.outbox == []

    rectification_callback(actor=people["output"], rectification=r, reached=True, valid=False, summary="告知已整改")
    assert Callback.objects.get(rectification=r, reached=True).valid is None  # no verdict after verification
    rectification_reply(actor=people["director"], rectification=r, text="已增开窗口")
    r.refresh_from_db()
    assert r.status == S.CLOSED


def test_an_anonymous_rating_is_verified_from_the_record_and_closed_without_sms(
    world, clock, people, reasoned_item, sms, django_capture_on_commit_callbacks
):
    r = rectification_of(world, reasoned_item, anonymous=True)
    with pytest.raises(Conflict):  # nobody to call
        rectification_callback(actor=people["output"], rectification=r, reached=True, valid=True, summary="打电话")
    rectification_verify(actor=people["director"], rectification=r, valid=True, summary="调阅窗口录像")
    rectification_choose_outcome(
        actor=people["director"], rectification=r, outcome=Outcome.EXPLAINED, measures="该事项须现场核验原件"
    )
    with django_capture_on_commit_callbacks(execute=True):
        rectification_reply(actor=people["director"], rectification=r, text="已在窗口公示核验要求")
    r.refresh_from_db()
    assert r.status == S.CLOSED and sms.outbox == []
    assert rectification_figures(town=world.a.region, year=2026, month=9)["real_name_bad"] == 0


def test_bad_input_changes_nothing(world, clock, people, reasoned_item):
    r = rectification_of(world, reasoned_item)
    director = people["director"]
    with pytest.raises(ValidationFailed):  # reached, but no verdict
        rectification_callback(actor=director, rectification=r, reached=True, summary="联系上了")
    with pytest.raises(ValidationFailed):
        rectification_callback(actor=director, rectification=r, reached=False, summary="  ")
    assert not Callback.objects.filter(rectification=r).exists()
    with pytest.raises(Conflict):  # not verified yet
        rectification_choose_outcome(actor=director, rectification=r, outcome=Outcome.FIXED_NOW, measures="改")
    rectification_callback(actor=director, rectification=r, reached=True, valid=True, summary="属实")

    with pytest.raises(Forbidden):
        rectification_choose_outcome(actor=people["output"], rectification=r, outcome=Outcome.FIXED_NOW, measures="改")
    with pytest.raises(NotFound):  # another town's director
        rectification_choose_outcome(
            actor=world.user("b", "center_director"), rectification=r, outcome=Outcome.FIXED_NOW, measures="改"
        )
    with pytest.raises(ValidationFailed):
        rectification_choose_outcome(actor=director, rectification=r, outcome=Outcome.FIXED_NOW, measures="")
    with pytest.raises(ValidationFailed):  # 限期整改 goes on the ledger: its kind is needed
        rectification_choose_outcome(actor=director, rectification=r, outcome=Outcome.BY_DEADLINE)
    with pytest.raises(ValidationFailed):
        rectification_choose_outcome(actor=director, rectification=r, outcome="later", measures="改")
    r.refresh_from_db()
    assert (r.status, r.outcome, r.deadline) == (S.RECTIFYING, "", None)
    assert not ProblemEntry.objects.exists()

    rectification_choose_outcome(
        actor=director, rectification=r, outcome=Outcome.BY_DEADLINE, problem_kind=ProblemKind.DIFFICULTY
    )
    with pytest.raises(ValidationFailed):
        rectification_request_extension(actor=director, rectification=r, reason="排期", extra_days=0)
    rectification_request_extension(actor=director, rectification=r, reason="排期", extra_days=2)
    with pytest.raises(Conflict):  # one extension request at a time
        rectification_request_extension(actor=director, rectification=r, reason="再延", extra_days=2)
    assert CountyReview.objects.filter(rectification=r).count() == 1
    rectification_complete(actor=director, rectification=r, measures="已整改")
    with pytest.raises(ValidationFailed):  # the reply goes out by SMS: no numbers of anyone in it
        rectification_reply(actor=director, rectification=r, text="请致电13905379999了解详情")
    r.refresh_from_db()
    assert r.status == S.REPLYING and r.reply == ""
