"""特别程序 (the clock stops) and 延期 (the director extends the deadline)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.cases import flow
from onewindow.cases.flow import Action, Status, Step
from onewindow.cases.models import Case, TaskStatus
from onewindow.cases.services.common import lock_case, transition
from onewindow.core.calendar import add_working_days, working_days_between
from onewindow.core.errors import Conflict, Forbidden, ValidationFailed
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role

SUSPENDING_ROLES = frozenset({Role.FRONT_CLERK, Role.REVIEWER, Role.COORDINATOR, Role.CENTER_DIRECTOR})
MAX_EXTENSION_DAYS = 60


@transaction.atomic
def case_suspend(*, actor, case: Case, procedure: str, reason: str, expected_days: int) -> Case:
    """Starts a special procedure (公示、听证、鉴定、现场勘查…): the case's clock stops until it is resumed.
    A procedure the guide counts inside the time limit does not stop the clock, so it cannot be started here."""
    if effective_role(actor) not in SUSPENDING_ROLES:
        raise Forbidden("您不能启动特别程序")
    procedure, reason = (procedure or "").strip(), (reason or "").strip()
    errors = {}
    if not procedure:
        errors["procedure"] = "请选择或填写特别程序"
    if not reason:
        errors["reason"] = "请填写启动特别程序的理由"
    if not isinstance(expected_days, int) or isinstance(expected_days, bool) or not 1 <= expected_days <= 365:
        errors["expected_days"] = "预计时长应为1到365个工作日"
    if errors:
        raise ValidationFailed(fields=errors)
    case = lock_case(case, actor)
    counted = case.guide.special_procedures.filter(name=procedure, counted_in_limit=True).exists()
    if counted:
        raise Conflict(f"“{procedure}”按办事指南计入办结时限，不暂停计时", code="case.procedure_counted")
    case.suspended_from = case.status
    case.suspended_on = timezone.localdate()
    transition(
        case,
        action=Action.SUSPEND,
        to=Status.SUSPENDED,
        actor=actor,
        audit_action=AuditAction.CASE_SUSPENDED,
        step=Step.SPECIAL_STARTED,
        opinion=reason,
        fields=("suspended_from", "suspended_on"),
        data={"procedure": procedure, "expected_days": expected_days},
    )
    return case


@transaction.atomic
def case_resume(*, actor, case: Case, result: str = "") -> Case:
    """Ends the special procedure: the deadline (and open stage deadlines) move by the suspended working days."""
    if effective_role(actor) not in SUSPENDING_ROLES:
        raise Forbidden("您不能结束特别程序")
    case = lock_case(case, actor)
    flow_from = case.suspended_from
    if case.status != Status.SUSPENDED or not flow_from:
        raise Conflict("办件不在特别程序中", code="case.illegal_transition")
    paused = max(0, working_days_between(case.suspended_on, timezone.localdate()))
    case.suspended_days += paused
    if case.deadline:
        case.deadline = add_working_days(case.deadline, paused)
    for task in case.tasks.filter(status=TaskStatus.PENDING, due_on__isnull=False):
        task.due_on = add_working_days(task.due_on, paused)
        task.save(update_fields=["due_on"])
    case.suspended_from, case.suspended_on = "", None
    transition(
        case,
        action=Action.RESUME,
        to=flow_from,
        actor=actor,
        audit_action=AuditAction.CASE_RESUMED,
        step=Step.SPECIAL_ENDED,
        opinion=(result or "").strip(),
        fields=("suspended_days", "deadline", "suspended_from", "suspended_on"),
        data={"paused_working_days": paused},
    )
    return case


@transaction.atomic
def case_extend(*, actor, case: Case, days: int, reason: str) -> Case:
    """延期: approved by the center director, with a reason; the deadline moves by `days` working days."""
    if effective_role(actor) != Role.CENTER_DIRECTOR:
        raise Forbidden("延期须经为民服务中心主任批准")
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = "请填写延期理由"
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_EXTENSION_DAYS:
        errors["days"] = f"延期天数应为1到{MAX_EXTENSION_DAYS}个工作日"
    if errors:
        raise ValidationFailed(fields=errors)
    case = lock_case(case, actor)
    flow.check(case, Action.EXTEND)
    legal_room = case.guide.legal_limit_days - case.guide.promised_limit_days - case.extended_days
    if days > legal_room:
        raise Conflict(
            f"延期后将超过法定办结时限（最多还可延期{max(legal_room, 0)}个工作日）", code="case.extension_beyond_legal"
        )
    before = case.deadline
    case.deadline = add_working_days(case.deadline, days)
    case.extended_days += days
    transition(
        case,
        action=Action.EXTEND,
        to=case.status,
        actor=actor,
        audit_action=AuditAction.CASE_EXTENDED,
        opinion=reason,
        fields=("deadline", "extended_days"),
        data={"days": days, "from": before.isoformat(), "to": case.deadline.isoformat()},
    )
    return case
