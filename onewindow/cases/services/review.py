"""Back-office review (后台分类审批): tasks per route stage, joint stages in parallel, approve / return /
deny, resend after a return, reassignment, and the decision (准予 / 不予)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record
from onewindow.cases.flow import Action, Status, Step
from onewindow.cases.models import Case, Decision, MaterialState, NoticeKind, ReviewTask, TaskStatus
from onewindow.cases.services.common import actor_user, add_step, issue_notice, lock_case, transition
from onewindow.cases.services.notify import notify_applicant
from onewindow.catalog.routing import resolve_route
from onewindow.core.calendar import add_working_days
from onewindow.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role
from onewindow.org.models import Department, User

COORDINATING_ROLES = frozenset({Role.COORDINATOR, Role.CENTER_DIRECTOR})


def _stage_due(case: Case, limit_days: int):
    due = add_working_days(timezone.localdate(), limit_days)
    return min(due, case.deadline) if case.deadline else due


def _current_round(case: Case) -> int:
    return case.tasks.aggregate(r=Max("round"))["r"] or 0


def _create_round(case: Case, *, from_position: int = 1) -> list[ReviewTask]:
    try:
        route = resolve_route(case.guide, case.town)
    except LookupError as exc:
        raise Conflict(f"无法转后台审批：{exc}", code="case.route_unresolved") from exc
    route = [(stage, departments) for stage, departments in route if stage.position >= from_position]
    if not route:
        raise Conflict("该事项没有后台审批环节", code="case.no_route")
    round_number = _current_round(case) + 1
    first = route[0][0].position
    today = timezone.localdate()
    tasks = [
        ReviewTask(
            case=case,
            stage_position=stage.position,
            stage_name=stage.name,
            round=round_number,
            department=department,
            status=TaskStatus.PENDING if stage.position == first else TaskStatus.WAITING,
            limit_days=stage.limit_days,
            started_on=today if stage.position == first else None,
            due_on=_stage_due(case, stage.limit_days) if stage.position == first else None,
        )
        for stage, departments in route
        for department in departments
    ]
    return ReviewTask.objects.bulk_create(tasks)


def start_review(case: Case, *, actor) -> Case:
    """Called inside acceptance: the case goes to the departments of the route's first stage (部门受理)."""
    tasks = _create_round(case)
    first = [t for t in tasks if t.status == TaskStatus.PENDING]
    names = "、".join(t.department.name for t in first)
    return transition(
        case,
        action=Action.ROUTE,
        to=Status.IN_REVIEW,
        actor=actor,
        audit_action=AuditAction.CASE_ROUTED,
        step=Step.DEPARTMENT_ACCEPTED,
        data={"stage": first[0].stage_name, "departments": names, "joint": len(first) > 1},
    )


def _lock_task(task: ReviewTask, actor) -> tuple[Case, ReviewTask]:
    """Locks the case first, then the task (one order everywhere: no deadlocks between the two)."""
    stored = ReviewTask.objects.filter(pk=task.pk).only("case_id").first()
    if stored is None:
        raise NotFound()
    case = lock_case(Case(pk=stored.case_id))
    task = ReviewTask.objects.select_for_update(of=("self",)).select_related("department").get(pk=task.pk)
    if case.town_id != getattr(actor, "town_id", None) and effective_role(actor) != Role.COUNTY_ADMIN:
        raise NotFound()
    return case, task


def _require_reviewer_of(actor, task: ReviewTask) -> None:
    if effective_role(actor) != Role.REVIEWER or actor.department_id != task.department_id:
        raise Forbidden("只有该审批部门的工作人员可以审批此任务")


def _require_pending(task: ReviewTask) -> None:
    if task.status != TaskStatus.PENDING:
        raise Conflict(f"该审批任务当前为“{task.get_status_display()}”，不能再次审批", code="task.not_pending")


def _close_task(task: ReviewTask, *, status: str, actor, opinion: str) -> None:
    task.status, task.opinion = status, opinion
    task.decided_by, task.decided_at = actor_user(actor), timezone.now()
    task.save(update_fields=["status", "opinion", "decided_by", "decided_at"])


def _cancel_open(case: Case, round_number: int) -> None:
    case.tasks.filter(round=round_number, status__in=[TaskStatus.PENDING, TaskStatus.WAITING]).update(
        status=TaskStatus.CANCELLED
    )


def _audit_task(case, task, action, actor, opinion):
    record(
        actor=actor,
        action=action,
        target=task,
        before={"status": TaskStatus.PENDING.value},
        after={"status": task.status, "opinion": opinion[:200]},
        town=case.town,
        summary=f"{case.number} {task.stage_name}·{task.department.name} {task.get_status_display()}",
    )


@transaction.atomic
def task_approve(*, actor, task: ReviewTask, opinion: str = "") -> ReviewTask:
    """同意. When every department of the stage has agreed, the next stage starts (并联: all must agree)."""
    case, task = _lock_task(task, actor)
    _require_reviewer_of(actor, task)
    _require_pending(task)
    if case.status != Status.IN_REVIEW:
        raise Conflict(f"办件当前为“{case.get_status_display()}”，不能审批", code="case.illegal_transition")
    opinion = (opinion or "").strip() or "同意"
    _close_task(task, status=TaskStatus.APPROVED, actor=actor, opinion=opinion)
    add_step(
        case,
        action=Action.APPROVE_TASK,
        actor=actor,
        opinion=opinion,
        department=task.department,
        data={"stage": task.stage_name},
    )
    _audit_task(case, task, AuditAction.TASK_APPROVED, actor, opinion)
    stage = case.tasks.filter(round=task.round, stage_position=task.stage_position)
    if not stage.exclude(status=TaskStatus.APPROVED).exists():
        upcoming = case.tasks.filter(round=task.round, status=TaskStatus.WAITING).order_by("stage_position")
        following = upcoming.first()
        if following is not None:
            next_stage = upcoming.filter(stage_position=following.stage_position)
            next_stage.update(
                status=TaskStatus.PENDING,
                started_on=timezone.localdate(),
                due_on=_stage_due(case, following.limit_days),
            )
    return task


@transaction.atomic
def task_return(*, actor, task: ReviewTask, reason: str) -> ReviewTask:
    """退回前台, with the reason: the round's other open tasks are cancelled; the front desk resends."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": "请填写退回理由"})
    case, task = _lock_task(task, actor)
    _require_reviewer_of(actor, task)
    _require_pending(task)
    _close_task(task, status=TaskStatus.RETURNED, actor=actor, opinion=reason)
    _cancel_open(case, task.round)
    _audit_task(case, task, AuditAction.TASK_RETURNED, actor, reason)
    transition(
        case,
        action=Action.RETURN,
        to=Status.RETURNED,
        actor=actor,
        audit_action=AuditAction.TASK_RETURNED,
        opinion=reason,
        department=task.department,
        data={"stage_position": task.stage_position},
    )
    return task


@transaction.atomic
def case_resend(*, actor, case: Case, note: str = "") -> Case:
    """The front desk sends a returned case back to review, from the stage that returned it."""
    from onewindow.cases.services.acceptance import require_front_desk

    require_front_desk(actor)
    case = lock_case(case, actor)
    returned = case.tasks.filter(status=TaskStatus.RETURNED).order_by("-round", "-decided_at").first()
    transition(
        case,
        action=Action.RESEND,
        to=Status.IN_REVIEW,
        actor=actor,
        audit_action=AuditAction.CASE_RESENT,
        opinion=(note or "").strip(),
    )
    _create_round(case, from_position=returned.stage_position if returned else 1)
    return case


@transaction.atomic
def task_deny(*, actor, task: ReviewTask, opinion: str) -> ReviewTask:
    """不同意: the case is decided as 不予 (办结不通过) with the department's opinion."""
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationFailed(fields={"opinion": "不同意时须填写审批意见和理由"})
    case, task = _lock_task(task, actor)
    _require_reviewer_of(actor, task)
    _require_pending(task)
    _close_task(task, status=TaskStatus.DENIED, actor=actor, opinion=opinion)
    _cancel_open(case, task.round)
    _audit_task(case, task, AuditAction.TASK_DENIED, actor, opinion)
    _decide(case, actor=actor, decision=Decision.DENIED, opinion=opinion, department=task.department)
    return task


def _decide(case: Case, *, actor, decision: str, opinion: str, certificate_number: str = "", department=None):
    deficient = case.materials.filter(state=MaterialState.DEFICIENT).exists()
    case.decision, case.decided_at = decision, timezone.now()
    case.decision_opinion, case.certificate_number = opinion, (certificate_number or "").strip()[:80]
    step = Step.APPROVED_WITH_DEFICIENCY if deficient else Step.APPROVED
    if decision == Decision.DENIED:
        step = Step.DENIED
    transition(
        case,
        action=Action.DECIDE,
        to=Status.DECIDED,
        actor=actor,
        audit_action=AuditAction.CASE_DECIDED,
        step=step,
        opinion=opinion,
        department=department,
        fields=("decision", "decided_at", "decision_opinion", "certificate_number"),
    )
    issue_notice(
        case,
        kind=NoticeKind.DECISION,
        actor=actor,
        content={
            "decision": Decision(decision).label,
            "opinion": opinion,
            "certificate_number": case.certificate_number,
            "result": case.guide.result_name,
        },
    )
    notify_applicant(case, "decided" if decision == Decision.APPROVED else "denied")


@transaction.atomic
def case_decide(*, actor, case: Case, certificate_number: str = "", opinion: str = "") -> Case:
    """准予: once every stage has agreed, the last stage's department (or the coordinator or director)
    records the decision with the result's certificate number."""
    case = lock_case(case, actor)
    if case.status != Status.IN_REVIEW:
        raise Conflict(f"办件当前为“{case.get_status_display()}”，不能办结", code="case.illegal_transition")
    current = case.tasks.filter(round=_current_round(case))
    if current.exclude(status=TaskStatus.APPROVED).exists():
        raise Conflict("还有审批环节未完成，不能办结", code="case.review_unfinished")
    last_position = max(current.values_list("stage_position", flat=True))
    last_departments = set(current.filter(stage_position=last_position).values_list("department_id", flat=True))
    role = effective_role(actor)
    if not (role in COORDINATING_ROLES or (role == Role.REVIEWER and actor.department_id in last_departments)):
        raise Forbidden("只有最后审批环节的部门、专职协调人员或中心主任可以办结")
    _decide(
        case,
        actor=actor,
        decision=Decision.APPROVED,
        opinion=(opinion or "").strip() or "准予",
        certificate_number=certificate_number,
    )
    return case


@transaction.atomic
def task_reassign(
    *, actor, task: ReviewTask, assignee: User | None = None, department: Department | None = None, reason: str = ""
) -> ReviewTask:
    """专职人员改派: a named reviewer of the department, or another department of the town for a mis-routed task."""
    if effective_role(actor) not in COORDINATING_ROLES:
        raise Forbidden("只有专职协调人员或中心主任可以改派审批任务")
    case, task = _lock_task(task, actor)
    if task.status not in (TaskStatus.PENDING, TaskStatus.WAITING):
        raise Conflict("只能改派未完成的审批任务", code="task.not_open")
    before = {"department": task.department_id, "assignee": task.assignee_id}
    if department is not None:
        if department.town_id not in (case.town_id, None) or not department.is_active:
            raise ValidationFailed(fields={"department": "只能改派给本镇街的审批部门"})
        task.department, task.assignee = department, None
    if assignee is not None:
        if effective_role(assignee) != Role.REVIEWER or assignee.department_id != task.department_id:
            raise ValidationFailed(fields={"assignee": "承办人须是该审批部门的后台审批人员"})
        task.assignee = assignee
    task.save(update_fields=["department", "assignee"])
    record(
        actor=actor,
        action=AuditAction.TASK_REASSIGNED,
        target=task,
        before=before,
        after={"department": task.department_id, "assignee": task.assignee_id, "reason": reason[:200]},
        town=case.town,
        summary=f"{case.number} 改派{task.stage_name}",
    )
    return task


@transaction.atomic
def task_chase(*, actor, task: ReviewTask, message: str = "") -> int:
    """催办: the coordinator reminds the department holding a task; its reviewers get a notification."""
    from onewindow.core.services.notifications import notify_staff

    if effective_role(actor) not in COORDINATING_ROLES:
        raise Forbidden("只有专职协调人员或中心主任可以催办")
    case, task = _lock_task(task, actor)
    _require_pending(task)
    reviewers = (
        [task.assignee]
        if task.assignee_id
        else list(User.objects.filter(department_id=task.department_id, role=Role.REVIEWER, is_active=True))
    )
    text = (message or "").strip()[:200] or "请抓紧办理"
    sent = notify_staff(
        reviewers,
        kind="chase",
        title=f"催办：{case.number}",
        body=f"《{case.guide.name}》{task.stage_name}环节（期限{task.due_on or '—'}）：{text}",
    )
    add_step(
        case,
        action=Action.CHASE,
        actor=actor,
        opinion=text,
        department=task.department,
        data={"stage": task.stage_name},
    )
    record(
        actor=actor,
        action=AuditAction.TASK_CHASED,
        target=task,
        before=None,
        after={"message": text},
        town=case.town,
        summary=f"{case.number} 催办{task.department.name}",
    )
    return sent
