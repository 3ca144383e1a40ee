"""The deadline sweep: 超时提醒 to whoever holds the case and to the director; overdue 容缺 terminations.

Idempotent: a reminder is sent once per case (or task), colour and day, so running the sweep every half
hour — or twice by accident — never texts anyone twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import SYSTEM, record
from onewindow.cases.deadlines import DeadlineState, deadline_state
from onewindow.cases.flow import CLOCK_RUNNING, Status
from onewindow.cases.models import Case, DeadlineReminder, MaterialState, ReviewTask, TaskStatus
from onewindow.cases.services.output import case_terminate_overdue_deficiency
from onewindow.core.errors import DomainError
from onewindow.core.roles import Role
from onewindow.core.services.notifications import notify_staff
from onewindow.org.models import User
from onewindow.org.selectors import town_directors

ALERT_STATES = (DeadlineState.YELLOW, DeadlineState.RED)


@dataclass
class SweepReport:
    case_reminders: int = 0
    task_reminders: int = 0
    terminated: list[str] = field(default_factory=list)


def _reviewers(task: ReviewTask):
    if task.assignee_id:
        return [task.assignee]
    return list(User.objects.filter(department_id=task.department_id, role=Role.REVIEWER, is_active=True))


def _claim(*, case, task, state, day) -> bool:
    """Records that this reminder goes out today; False when it already went."""
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(case=case, task=task, state=state, day=day)
    except IntegrityError:
        return False
    return True


def _case_url(case) -> str:
    try:
        return reverse("cases:detail", args=[case.number])
    except Exception:  # the pages may not be mounted (e.g. a worker without URLs)
        return ""


@transaction.atomic
def _remind_case(case: Case, state: str, today) -> bool:
    if not _claim(case=case, task=None, state=state, day=today):
        return False
    word = "已超期" if state == DeadlineState.RED else "即将到期（剩1个工作日）"
    title = f"超时提醒：办件{word}"
    body = f"{case.number}《{case.guide.name}》办结期限{case.deadline:%Y年%m月%d日}，{word}，请及时办理。"
    notify_staff(
        [case.contact_clerk, *town_directors(case.town_id)],
        kind="deadline",
        title=title,
        body=body,
        url=_case_url(case),
        sms=state == DeadlineState.RED,
    )
    record(
        actor=SYSTEM,
        action=AuditAction.DEADLINE_REMINDER_SENT,
        target=case,
        before=None,
        after={"state": state, "deadline": case.deadline},
        town=case.town,
        summary=f"{case.number} {title}",
    )
    return True


@transaction.atomic
def _remind_task(task: ReviewTask, state: str, today) -> bool:
    if not _claim(case=task.case, task=task, state=state, day=today):
        return False
    case = task.case
    word = "已超期" if state == DeadlineState.RED else "即将到期（剩1个工作日）"
    title = f"超时提醒：审批环节{word}"
    body = f"{case.number}《{case.guide.name}》{task.stage_name}环节期限{task.due_on:%Y年%m月%d日}，{word}。"
    coordinators = User.objects.filter(town_id=case.town_id, role=Role.COORDINATOR, is_active=True)
    notify_staff(
        [*_reviewers(task), *coordinators, *town_directors(case.town_id)],
        kind="deadline",
        title=title,
        body=body,
        url=_case_url(case),
        sms=state == DeadlineState.RED,
    )
    record(
        actor=SYSTEM,
        action=AuditAction.DEADLINE_REMINDER_SENT,
        target=task,
        before=None,
        after={"state": state, "due_on": task.due_on},
        town=case.town,
        summary=f"{case.number} {title}",
    )
    return True


def sweep_deadlines(*, today=None) -> SweepReport:
    today = today or timezone.localdate()
    report = SweepReport()
    cases = Case.objects.filter(status__in=CLOCK_RUNNING, deadline__isnull=False).select_related(
        "guide", "town", "contact_clerk"
    )
    for case in cases.iterator(chunk_size=500):
        state = deadline_state(case.deadline, today)
        if state in ALERT_STATES and _remind_case(case, state, today):
            report.case_reminders += 1
    tasks = ReviewTask.objects.filter(
        status=TaskStatus.PENDING, due_on__isnull=False, case__status=Status.IN_REVIEW
    ).select_related("case__guide", "case__town", "assignee")
    for task in tasks.iterator(chunk_size=500):
        state = deadline_state(task.due_on, today)
        if state in ALERT_STATES and _remind_task(task, state, today):
            report.task_reminders += 1
    overdue = Case.objects.filter(
        deficiency_due__lt=today,
        materials__state=MaterialState.DEFICIENT,
        status__in=[*CLOCK_RUNNING, Status.SUSPENDED, Status.DECIDED],
    ).distinct()
    for case in overdue:
        try:
            report.terminated.append(case_terminate_overdue_deficiency(actor=SYSTEM, case=case).number)
        except DomainError:
            continue  # changed since the query (materials arrived); the next sweep looks again
    return report
