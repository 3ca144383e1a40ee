"""堵点、难点、卡点台账: recording a problem (from a rating, a follow-up call, a complaint or staff) and moving it
through 整改中 → 即知即改（已解决）or 已上报县局 (the county sends an escalated one back or marks it solved)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record
from onewindow.core.errors import Conflict, Forbidden, ValidationFailed
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role, one_or_not_found
from onewindow.core.services.notifications import notify_staff
from onewindow.feedback.models import ProblemEntry, ProblemKind, ProblemSource, ProblemStatus
from onewindow.org.selectors import county_admins

DESCRIPTION_MAX = 2000
MEASURES_MAX = 2000
# Who keeps the ledger: the director and the output window of the town (DESIGN §1), the county for all towns.
LEDGER_EDITORS = frozenset({Role.CENTER_DIRECTOR, Role.OUTPUT_CLERK, Role.COUNTY_ADMIN})
LEDGER_READERS = LEDGER_EDITORS | {Role.SUPERVISOR}
# The one transition table of a ledger entry.
ALLOWED_STATUS_CHANGES = {
    ProblemStatus.IN_PROGRESS: frozenset({ProblemStatus.DONE, ProblemStatus.ESCALATED}),
    ProblemStatus.ESCALATED: frozenset({ProblemStatus.DONE, ProblemStatus.IN_PROGRESS}),
    ProblemStatus.DONE: frozenset({ProblemStatus.IN_PROGRESS}),  # reopened: the problem came back
}


@transaction.atomic
def problem_record(
    *,
    actor,
    town,
    kind: str,
    source: str,
    description: str,
    item=None,
    department=None,
    rating=None,
    follow_up=None,
    complaint=None,
) -> ProblemEntry:
    errors = {}
    if kind not in ProblemKind.values:
        errors["kind"] = "请选择问题类型（堵点、难点或卡点）"
    if source not in ProblemSource.values:
        errors["source"] = "问题来源无效"
    description = (description or "").strip()
    if not description:
        errors["description"] = "请描述群众反映的问题"
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = f"问题描述不能超过{DESCRIPTION_MAX}个字"
    if errors:
        raise ValidationFailed(fields=errors)
    entry = ProblemEntry.objects.create(
        town=town,
        kind=kind,
        source=source,
        description=description,
        item=item,
        department=department,
        rating=rating,
        follow_up=follow_up,
        complaint=complaint,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    record(
        actor=actor,
        action=AuditAction.PROBLEM_RECORDED,
        target=entry,
        town=town,
        after={"kind": kind, "source": source, "item": getattr(item, "pk", None)},
        summary=f"登记{entry.get_kind_display()}（来源：{entry.get_source_display()}）",
    )
    return entry


@transaction.atomic
def problem_record_by_staff(*, actor, kind: str, description: str, town=None, item=None, department=None):
    """A problem a staff member found (工作人员发现): their own town's ledger; the county names the town."""
    role = effective_role(actor)
    if role not in LEDGER_EDITORS:
        raise Forbidden("只有中心主任、出件窗口人员和县局管理员可以登记问题台账")
    if role != Role.COUNTY_ADMIN:
        town = actor.town
    if town is None:
        raise ValidationFailed(fields={"town": "请选择镇街"})
    return problem_record(
        actor=actor,
        town=town,
        kind=kind,
        source=ProblemSource.STAFF,
        description=description,
        item=item,
        department=department,
    )


@transaction.atomic
def problem_set_status(*, actor, entry: ProblemEntry, status: str, measures: str = "") -> ProblemEntry:
    """即知即改 needs the measures taken; escalating hands it to the county (县局) to solve or send back."""
    if effective_role(actor) not in LEDGER_EDITORS:
        raise Forbidden("只有中心主任、出件窗口人员和县局管理员可以处理问题台账")
    row = one_or_not_found(ProblemEntry.objects.visible_to(actor).select_for_update(), pk=entry.pk)
    if status not in ProblemStatus.values:
        raise ValidationFailed(fields={"status": "问题状态无效"})
    if row.status == ProblemStatus.ESCALATED and effective_role(actor) != Role.COUNTY_ADMIN:
        raise Forbidden("此问题已上报县局，由县行政审批服务局解决或退回")
    if status not in ALLOWED_STATUS_CHANGES[row.status]:
        raise Conflict(
            f"此问题当前为“{row.get_status_display()}”，不能改为“{ProblemStatus(status).label}”",
            code="problem.illegal_status",
        )
    measures = (measures or "").strip()
    if status == ProblemStatus.DONE and not measures:
        raise ValidationFailed(fields={"measures": "标记为即知即改（已解决）时，请填写整改措施"})
    if len(measures) > MEASURES_MAX:
        raise ValidationFailed(fields={"measures": f"整改措施不能超过{MEASURES_MAX}个字"})
    before = {"status": row.status, "measures": row.measures}
    row.status = status
    if measures:
        row.measures = measures
    row.resolved_at = timezone.now() if status == ProblemStatus.DONE else None
    row.save(update_fields=["status", "measures", "resolved_at"])
    record(
        actor=actor,
        action=AuditAction.PROBLEM_STATUS_CHANGED,
        target=row,
        town=row.town,
        before=before,
        after={"status": row.status, "measures": row.measures},
        summary=f"{row.get_kind_display()}问题改为“{row.get_status_display()}”",
    )
    if status == ProblemStatus.ESCALATED:
        notify_staff(
            county_admins(),
            kind="problem",
            title=f"{row.town.name}上报{row.get_kind_display()}问题",
            body=row.description[:200],
            url=reverse("feedback:ledger-entry", args=[row.pk]),
        )
    return row
