"""The case status flow (DESIGN §3): statuses, the allowed transitions, and the province's step codes.

This table is the one place that says which action may move a case from which status. Services look the
action up here before they change anything (`check(case, action)`), so an illegal transition is refused
the same way whoever asks — window, API, sweep or test.
"""

from __future__ import annotations

from django.db import models

from onewindow.core.errors import Conflict


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待受理"
    CORRECTION_REQUIRED = "correction_required", "待补正"
    ACCEPTED = "accepted", "已受理"
    IN_REVIEW = "in_review", "审批中"
    RETURNED = "returned", "退回前台"
    SUSPENDED = "suspended", "特别程序中"
    DECIDED = "decided", "已办结待出件"
    DELIVERED = "delivered", "已出件"
    REJECTED = "rejected", "不予受理"
    WITHDRAWN = "withdrawn", "已撤回"
    REVOKED = "revoked", "已撤销"
    TERMINATED = "terminated", "已终止"


class Action(models.TextChoices):
    SUBMIT = "submit", "提交申请"
    ACCEPT = "accept", "受理"
    ACCEPT_WITH_DEFICIENCY = "accept_with_deficiency", "容缺受理"
    REQUEST_CORRECTION = "request_correction", "一次性告知补正"
    SUPPLEMENT = "supplement", "补齐材料"
    REJECT = "reject", "不予受理"
    COMPLETE_INSTANTLY = "complete_instantly", "即办办结"
    ROUTE = "route", "转后台审批"
    APPROVE_TASK = "approve_task", "审批同意"
    CHASE = "chase", "催办"
    RETURN = "return", "退回前台"
    RESEND = "resend", "重新提交审批"
    SUSPEND = "suspend", "启动特别程序"
    RESUME = "resume", "结束特别程序"
    EXTEND = "extend", "延期"
    DECIDE = "decide", "办结"
    DELIVER = "deliver", "出件"
    WITHDRAW = "withdraw", "撤回申请"
    REVOKE = "revoke", "撤销办件"
    TERMINATE = "terminate", "终止办件"


OPEN_AFTER_ACCEPTANCE = frozenset({Status.ACCEPTED, Status.IN_REVIEW, Status.RETURNED})

# action → the statuses it may start from. The target status is decided by the service (e.g. RESUME goes
# back to the status the case was suspended from; DECIDE may follow the last approval or a denial).
ALLOWED_FROM: dict[str, frozenset[str]] = {
    Action.SUBMIT: frozenset({Status.DRAFT}),
    Action.ACCEPT: frozenset({Status.SUBMITTED}),
    Action.ACCEPT_WITH_DEFICIENCY: frozenset({Status.SUBMITTED}),
    Action.REQUEST_CORRECTION: frozenset({Status.SUBMITTED}),
    Action.SUPPLEMENT: frozenset({Status.CORRECTION_REQUIRED}),
    Action.REJECT: frozenset({Status.SUBMITTED}),
    Action.COMPLETE_INSTANTLY: frozenset({Status.SUBMITTED}),
    Action.ROUTE: frozenset({Status.ACCEPTED}),
    Action.APPROVE_TASK: frozenset({Status.IN_REVIEW}),
    Action.RETURN: frozenset({Status.IN_REVIEW}),
    Action.RESEND: frozenset({Status.RETURNED}),
    Action.SUSPEND: OPEN_AFTER_ACCEPTANCE,
    Action.RESUME: frozenset({Status.SUSPENDED}),
    Action.EXTEND: OPEN_AFTER_ACCEPTANCE | {Status.SUSPENDED},
    Action.DECIDE: frozenset({Status.IN_REVIEW}),
    Action.DELIVER: frozenset({Status.DECIDED}),
    Action.WITHDRAW: frozenset({Status.DRAFT, Status.SUBMITTED, Status.CORRECTION_REQUIRED}),
    Action.REVOKE: OPEN_AFTER_ACCEPTANCE | {Status.SUSPENDED},
    Action.TERMINATE: OPEN_AFTER_ACCEPTANCE | {Status.SUSPENDED, Status.DECIDED},
}

TERMINAL = frozenset({Status.DELIVERED, Status.REJECTED, Status.WITHDRAWN, Status.REVOKED, Status.TERMINATED})
# Statuses in which the case's clock runs (deadline colours apply).
CLOCK_RUNNING = OPEN_AFTER_ACCEPTANCE


class Step(models.IntegerChoices):
    """The province platform's step codes (办件过程信息), pushed by the platform sync."""

    RECEIVED = 1, "已接件"
    WINDOW_ACCEPTED = 3, "窗口受理"
    NOT_ACCEPTED = 4, "不受理"
    REJECTED = 5, "不予受理"
    CORRECTION_STARTED = 6, "补正开始"
    CORRECTION_ENDED = 7, "补正结束"
    DEPARTMENT_ACCEPTED = 8, "部门受理"
    SPECIAL_STARTED = 9, "特别程序开始"
    SPECIAL_ENDED = 10, "特别程序结束"
    APPROVED = 11, "办结通过"
    APPROVED_WITH_DEFICIENCY = 12, "办结容缺通过"
    DENIED = 13, "办结不通过"
    WITHDRAWN = 14, "撤回"
    REVOKED = 15, "撤销"


def check(case, action: str) -> None:
    """Raises Conflict (case.illegal_transition) unless `action` may start from the case's status."""
    if case.status not in ALLOWED_FROM[action]:
        raise Conflict(
            f"办件当前状态为“{Status(case.status).label}”，不能{Action(action).label}",
            code="case.illegal_transition",
        )


def may(case, action: str) -> bool:
    return case.status in ALLOWED_FROM[action]
