"""What every case action shares: lock the row, check the flow, write the step and the audit event."""

from __future__ import annotations

from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record
from onewindow.cases import flow
from onewindow.cases.models import Case, CaseStep, Notice
from onewindow.core.scoping import one_or_not_found


def actor_user(actor):
    return actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None


def actor_name(actor) -> str:
    return getattr(actor, "display_name", None) or getattr(actor, "name", "") or str(actor)


def lock_case(case: Case, actor=None) -> Case:
    """The case row, locked until the transaction ends; re-read so a concurrent change is seen.

    With an actor, the case must be visible to them (404 otherwise, whatever the reason)."""
    queryset = Case.objects.select_for_update(of=("self",)).select_related("town", "guide", "item")
    if actor is not None and actor_user(actor) is not None:
        queryset = queryset.visible_to(actor)
    return one_or_not_found(queryset, pk=case.pk)


def add_step(
    case: Case,
    *,
    action: str,
    actor,
    step: int | None = None,
    opinion: str = "",
    department=None,
    data: dict | None = None,
    status_after: str | None = None,
) -> CaseStep:
    return CaseStep.objects.create(
        case=case,
        action=action,
        step_code=step,
        status_after=status_after or case.status,
        actor=actor_user(actor),
        actor_name=actor_name(actor),
        department=department,
        opinion=opinion,
        data=data or {},
    )


def audit(case: Case, *, action: AuditAction, actor, before: str | None, summary: str, extra: dict | None = None):
    record(
        actor=actor,
        action=action,
        target=case,
        before={"status": before} if before else None,
        after={"status": case.status, **(extra or {})},
        town=case.town,
        summary=f"{case.number} {summary}",
    )


def transition(
    case: Case,
    *,
    action: str,
    to: str,
    actor,
    audit_action: AuditAction,
    step: int | None = None,
    opinion: str = "",
    fields: tuple[str, ...] = (),
    data: dict | None = None,
    department=None,
) -> Case:
    """Moves a locked case along the flow: status and the given fields saved, a step and an audit event."""
    flow.check(case, action)
    before = case.status
    case.status = to
    if to in flow.TERMINAL and case.closed_at is None:
        case.closed_at = timezone.now()
        fields = (*fields, "closed_at")
    case.save(update_fields=["status", "updated_at", *fields])
    add_step(case, action=action, actor=actor, step=step, opinion=opinion, data=data, department=department)
    audit(
        case,
        action=audit_action,
        actor=actor,
        before=before,
        summary=flow.Action(action).label,
        extra={"opinion": opinion[:200]} if opinion else None,
    )
    return case


def notice_base(case: Case) -> dict:
    """What every notice states: the center, the case number, the item, the applicant and the date."""
    return {
        "center": case.center.name,
        "number": case.number,
        "item": case.guide.name,
        "applicant": case.applicant_name,
        "date": timezone.localdate().isoformat(),
    }


def issue_notice(case: Case, *, kind: str, actor, content: dict) -> Notice:
    """A notice with its content frozen as issued (the common heading plus what this notice says)."""
    return Notice.objects.create(
        case=case, kind=kind, content={**notice_base(case), **content}, issued_by=actor_user(actor)
    )
