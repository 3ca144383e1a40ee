"""差评整改, the work after verification: the outcome (立行立改 / 限期整改 / 解释说明), completing a 限期整改,
extensions and appeals decided by the county, and the daily overdue sweep. The flow and who may act: see
services/rectification.py (the guards in available_actions are shared)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import SYSTEM, record
from onewindow.core.calendar import add_working_days
from onewindow.core.errors import Conflict, Forbidden, ValidationFailed
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role
from onewindow.core.services.notifications import notify_staff
from onewindow.feedback.models import (
    CountyReview,
    Outcome,
    ProblemEntry,
    ProblemKind,
    ProblemSource,
    ProblemStatus,
    Rating,
    Rectification,
    ReviewKind,
    ReviewState,
)
from onewindow.feedback.services.ledger import problem_record, problem_set_status
from onewindow.feedback.services.rectification import (
    EXTENSION_MAX_DAYS,
    S,
    clean_text,
    detail_url,
    lock_rectification,
    require_action,
    save_audited,
    working_days_allowed,
)
from onewindow.org.selectors import county_admins, town_directors

# --- Rectifying ---------------------------------------------------------------------------------------------


@transaction.atomic
def rectification_choose_outcome(
    *, actor, rectification: Rectification, outcome: str, measures: str = "", problem_kind: str = ""
) -> Rectification:
    """立行立改 (measures taken now) | 限期整改 (deadline in working days, on the problem ledger) | 解释说明."""
    if effective_role(actor) != Role.CENTER_DIRECTOR:
        raise Forbidden("只有中心主任可以确定整改方式")
    rectification = lock_rectification(rectification, actor)
    _callbacks, rating, _phone = require_action("choose_outcome", rectification, actor, message="当前不能确定整改方式")
    if outcome not in Outcome.values:
        raise ValidationFailed(fields={"outcome": "请选择整改方式"})
    labels = {Outcome.FIXED_NOW: "整改措施", Outcome.BY_DEADLINE: "整改计划", Outcome.EXPLAINED: "解释说明"}
    measures = clean_text(measures, "measures", labels[outcome], required=outcome != Outcome.BY_DEADLINE)
    if outcome == Outcome.BY_DEADLINE and problem_kind not in ProblemKind.values:
        raise ValidationFailed(fields={"problem_kind": "限期整改的问题要登记台账，请选择问题类型（堵点、难点或卡点）"})
    now = timezone.now()
    before = {"status": rectification.status, "outcome": ""}
    rectification.outcome, rectification.measures = outcome, measures
    fields = ["outcome", "measures", "status"]
    if outcome == Outcome.BY_DEADLINE:
        rectification.deadline = add_working_days(timezone.localdate(), working_days_allowed())
        fields.append("deadline")
    else:
        rectification.rectified_at, rectification.status = now, S.REPLYING
        fields.append("rectified_at")
    save_audited(
        rectification,
        actor,
        action=AuditAction.RECTIFICATION_OUTCOME_CHOSEN,
        before=before,
        fields=fields,
        summary=f"差评整改方式：{rectification.get_outcome_display()}",
    )
    if outcome == Outcome.BY_DEADLINE:
        problem_record(
            actor=actor,
            town=rectification.town,
            kind=problem_kind,
            source=ProblemSource.RATING,
            description=_problem_text(rating, measures, rectification.deadline),
            item=rating.item,
            department=rectification.department,
            rating=rating,
        )
    return rectification


def _problem_text(rating: Rating, plan: str, deadline) -> str:
    parts = [f"差评（{rating.get_level_display()}）"]
    if rating.reasons:
        parts.append("原因：" + "、".join(rating.reasons))
    if rating.comment:
        parts.append("评价内容：" + rating.comment.rstrip("。；; "))
    if plan:
        parts.append("整改计划：" + plan.rstrip("。；; "))
    parts.append(f"整改期限：{deadline:%Y-%m-%d}")
    return "；".join(parts)[:2000]


@transaction.atomic
def rectification_complete(*, actor, rectification: Rectification, measures: str) -> Rectification:
    """A 限期整改 is done: what was changed (late completions stay visible: rectified_at > deadline)."""
    if effective_role(actor) != Role.CENTER_DIRECTOR:
        raise Forbidden("只有中心主任可以登记整改完成")
    rectification = lock_rectification(rectification, actor)
    _callbacks, rating, _phone = require_action(
        "complete", rectification, actor, message="只有限期整改中的差评可以登记整改完成"
    )
    measures = clean_text(measures, "measures", "整改措施")
    before = {"status": rectification.status, "measures": rectification.measures}
    plan = rectification.measures
    rectification.measures = f"{plan}\n整改结果：{measures}" if plan else measures
    rectification.rectified_at, rectification.status = timezone.now(), S.REPLYING
    save_audited(
        rectification,
        actor,
        action=AuditAction.RECTIFICATION_FIXED,
        before=before,
        fields=["measures", "rectified_at", "status"],
        summary="限期整改完成",
    )
    # The ledger line opened with the 限期整改 is solved by the same measures (即知即改).
    for entry in ProblemEntry.objects.filter(rating=rating, source=ProblemSource.RATING).exclude(
        status=ProblemStatus.DONE
    ):
        problem_set_status(actor=actor, entry=entry, status=ProblemStatus.DONE, measures=measures)
    return rectification


@transaction.atomic
def rectification_request_extension(
    *, actor, rectification: Rectification, reason: str, extra_days: int
) -> CountyReview:
    if effective_role(actor) != Role.CENTER_DIRECTOR:
        raise Forbidden("只有中心主任可以申请延期")
    rectification = lock_rectification(rectification, actor)
    require_action(
        "request_extension", rectification, actor, message="当前不能申请延期（已有待审核的申请，或不是限期整改）"
    )
    reason = clean_text(reason, "reason", "延期理由")
    if not isinstance(extra_days, int) or not 1 <= extra_days <= EXTENSION_MAX_DAYS:
        raise ValidationFailed(fields={"extra_days": f"延期天数应为1至{EXTENSION_MAX_DAYS}个工作日"})
    review = CountyReview.objects.create(
        rectification=rectification,
        kind=ReviewKind.EXTENSION,
        reason=reason,
        extra_days=extra_days,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    record(
        actor=actor,
        action=AuditAction.RECTIFICATION_EXTENSION_REQUESTED,
        target=rectification,
        town=rectification.town,
        after={"review": review.pk, "extra_days": extra_days, "deadline": rectification.deadline},
        summary=f"申请整改延期{extra_days}个工作日",
    )
    notify_staff(
        county_admins(),
        kind="rectification",
        title=f"{rectification.town.name}差评整改延期待审核",
        body=f"申请延期{extra_days}个工作日：{reason[:150]}",
        url=detail_url(rectification),
    )
    return review


@transaction.atomic
def rectification_review_decide(*, actor, review: CountyReview, approve: bool, opinion: str = "") -> CountyReview:
    """The county decides: an appeal approved closes the 差评 as invalid (refused: it is rectified);
    an extension approved moves the deadline by its working days."""
    if effective_role(actor) != Role.COUNTY_ADMIN:
        raise Forbidden("只有县行政审批服务局可以审核")
    rectification = lock_rectification(review.rectification, actor)
    require_action("decide_review", rectification, actor, message="没有待审核的申请")
    review = CountyReview.objects.select_for_update().get(pk=review.pk)
    if review.state != ReviewState.PENDING:
        raise Conflict("该申请已审核", code="rectification.review_decided")
    if approve not in (True, False):
        raise ValidationFailed(fields={"approve": "请选择同意或不同意"})
    opinion = clean_text(opinion, "opinion", "审核意见", required=not approve)
    now = timezone.now()
    review.state = ReviewState.APPROVED if approve else ReviewState.REFUSED
    review.decided_by, review.decided_at, review.opinion = actor, now, opinion
    review.save(update_fields=["state", "decided_by", "decided_at", "opinion"])
    before = {"status": rectification.status, "deadline": rectification.deadline}
    if review.kind == ReviewKind.APPEAL:
        if approve:
            rectification.status, rectification.closed_at = S.INVALID, now
        else:
            rectification.status = S.RECTIFYING
        fields, action = ["status", "closed_at"], AuditAction.RECTIFICATION_APPEAL_DECIDED
    else:
        if approve:
            rectification.deadline = add_working_days(rectification.deadline, review.extra_days)
        fields, action = ["deadline"], AuditAction.RECTIFICATION_EXTENSION_DECIDED
    verdict = "同意" if approve else "不同意"
    save_audited(
        rectification,
        actor,
        action=action,
        before=before,
        fields=fields,
        after={**{f: getattr(rectification, f) for f in fields}, "review": review.pk, "approved": approve},
        summary=f"县局{verdict}{review.get_kind_display()}",
    )
    notify_staff(
        town_directors(rectification.town_id),
        kind="rectification",
        title=f"县局{verdict}{review.get_kind_display()}",
        body=opinion[:200] or f"差评整改 #{rectification.pk}",
        url=detail_url(rectification),
    )
    return review


# --- Overdue sweep ------------------------------------------------------------------------------------------


def sweep_rectifications(*, today=None) -> list[int]:
    """Alerts the town's directors once per day per overdue 限期整改; returns the rectifications alerted.

    Each one is claimed by a conditional UPDATE of overdue_alerted_on, so two sweeps never alert twice."""
    today = today or timezone.localdate()
    not_today = Rectification.objects.exclude(overdue_alerted_on=today)
    overdue = not_today.overdue(today)
    alerted = []
    for pk in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            if not not_today.filter(pk=pk).update(overdue_alerted_on=today):
                continue
            rectification = Rectification.objects.select_related("town").get(pk=pk)
            notify_staff(
                town_directors(rectification.town_id),
                kind="rectification",
                title="差评整改已超期",
                body=f"差评整改 #{pk} 的期限是{rectification.deadline:%Y-%m-%d}，请督促责任部门整改或申请延期",
                url=detail_url(rectification),
                sms=True,
            )
            record(
                actor=SYSTEM,
                action=AuditAction.RECTIFICATION_OVERDUE_ALERTED,
                target=rectification,
                town=rectification.town,
                after={"deadline": rectification.deadline, "day": today},
                summary="差评整改超期，提醒中心主任",
            )
            alerted.append(pk)
    return alerted
