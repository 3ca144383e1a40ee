"""Output of the cases API, built as plain dicts (DESIGN §6: no nested ModelSerializers on hot paths).

The applicant is always masked: no response carries a full ID number, credit code or phone number.
`schemas.py` describes the same shapes for the OpenAPI schema; a test keeps the two in step.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from onewindow.cases import flow
from onewindow.cases.deadlines import deadline_state, working_days_left
from onewindow.cases.models import (
    ApplicantKind,
    Case,
    Channel,
    Decision,
    DeliveryMethod,
    MaterialState,
    NoticeKind,
    TaskStatus,
)
from onewindow.core.pii import mask_mobile, mask_name

STATUS_LABELS = dict(flow.Status.choices)
ACTION_LABELS = dict(flow.Action.choices)
STEP_LABELS = dict(flow.Step.choices)
CHANNEL_LABELS = dict(Channel.choices)
KIND_LABELS = dict(ApplicantKind.choices)
DECISION_LABELS = dict(Decision.choices)
DELIVERY_LABELS = dict(DeliveryMethod.choices)
MATERIAL_LABELS = dict(MaterialState.choices)
TASK_LABELS = dict(TaskStatus.choices)
NOTICE_LABELS = dict(NoticeKind.choices)


def at(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def on(value: datetime | None) -> str | None:
    return timezone.localtime(value).date().isoformat() if value else None


def _name(user) -> str | None:
    return user.name if user is not None else None


def created(case: Case) -> dict:
    return {
        "number": case.number,
        "status": case.status,
        "query_code": case.query_code,
        "deadline": day(case.deadline),
    }


def _clock(case: Case, today: date) -> tuple[str | None, int | None]:
    """Deadline colour and working days left, only while the case's clock runs (not suspended or closed)."""
    if case.status not in flow.CLOCK_RUNNING:
        return None, None
    return deadline_state(case.deadline, today), working_days_left(case.deadline, today)


def case_document(case: Case) -> dict:
    """The scoped detail of one case, from `selectors.case_detail` (everything already loaded)."""
    today = timezone.localdate()
    state, left = _clock(case, today)
    guide = case.guide
    return {
        "number": case.number,
        "status": case.status,
        "status_label": STATUS_LABELS.get(case.status, ""),
        "channel": case.channel,
        "channel_label": CHANNEL_LABELS.get(case.channel, ""),
        "item": {"code": case.item.code, "name": guide.name},
        "guide": {
            "version": guide.version,
            "handling_type": guide.handling_type,
            "promised_limit_days": guide.promised_limit_days,
            "legal_limit_days": guide.legal_limit_days,
        },
        "town": {"code": case.town.code, "name": case.town.name},
        "center": case.center.name,
        "village": {"code": case.village.code, "name": case.village.name} if case.village_id else None,
        "applicant": {
            "kind": case.applicant_kind,
            "kind_label": KIND_LABELS.get(case.applicant_kind, ""),
            "name": mask_name(case.applicant_name),
            "id_number": case.applicant_id_masked,
            "phone": mask_mobile(case.contact_phone),
            "contact_name": mask_name(case.contact_name),
        },
        "request_summary": case.request_summary,
        "received_by": _name(case.created_by),
        "contact_clerk": _name(case.contact_clerk),
        "agent": _name(case.agent),
        "submitted_at": at(case.submitted_at),
        "accepted_at": at(case.accepted_at),
        "deadline": day(case.deadline),
        "deadline_state": state,
        "working_days_left": left,
        "suspended_on": day(case.suspended_on),
        "suspended_days": case.suspended_days,
        "extended_days": case.extended_days,
        "deficiency_due": day(case.deficiency_due),
        "decision": case.decision or None,
        "decision_label": DECISION_LABELS.get(case.decision),
        "decided_at": at(case.decided_at),
        "decision_opinion": case.decision_opinion,
        "certificate_number": case.certificate_number,
        "delivery_method": case.delivery_method or None,
        "delivery_method_label": DELIVERY_LABELS.get(case.delivery_method),
        "tracking_number": case.tracking_number,
        "recipient_name": mask_name(case.recipient_name) if case.recipient_name else "",
        "delivered_at": at(case.delivered_at),
        "closed_at": at(case.closed_at),
        "materials": [
            {
                "position": m.position,
                "name": m.name,
                "required": m.required,
                "deficiency_allowed": m.deficiency_allowed,
                "state": m.state,
                "state_label": MATERIAL_LABELS.get(m.state, ""),
                "problem": m.problem,
                "received_at": at(m.received_at),
            }
            for m in case.materials.all()
        ],
        "tasks": [
            {
                "id": t.pk,
                "round": t.round,
                "stage_position": t.stage_position,
                "stage_name": t.stage_name,
                "department": {"id": t.department_id, "code": t.department.code, "name": t.department.name},
                "assignee": _name(t.assignee),
                "status": t.status,
                "status_label": TASK_LABELS.get(t.status, ""),
                "due_on": day(t.due_on),
                "deadline_state": deadline_state(t.due_on, today) if t.status == TaskStatus.PENDING else None,
                "opinion": t.opinion,
                "decided_at": at(t.decided_at),
            }
            for t in case.tasks.all()
        ],
        "timeline": [
            {
                "action": s.action,
                "label": ACTION_LABELS.get(s.action, s.action),
                "step_code": s.step_code,
                "step_label": STEP_LABELS.get(s.step_code),
                "status_after": s.status_after,
                "actor_name": s.actor_name,
                "at": at(s.at),
                "opinion": s.opinion,
            }
            for s in case.steps.all()
        ],
        "notices": [
            {"id": n.pk, "kind": n.kind, "kind_label": NOTICE_LABELS.get(n.kind, ""), "issued_at": at(n.issued_at)}
            for n in case.notices.all()
        ],
    }


# --- Work queues: the selector's plain rows, renamed and masked -------------------------------------------


def case_row(row: dict) -> dict:
    return {
        "number": row["number"],
        "status": row["status"],
        "status_label": STATUS_LABELS.get(row["status"], ""),
        "item_code": row["item__code"],
        "item_name": row["guide__name"],
        "applicant": row["applicant_masked"],
        "channel": row["channel"],
        "channel_label": CHANNEL_LABELS.get(row["channel"], ""),
        "town_name": row["town__name"],
        "contact_clerk": row["contact_clerk__name"],
        "submitted_at": at(row["submitted_at"]),
        "accepted_at": at(row["accepted_at"]),
        "deadline": day(row["deadline"]),
        "deadline_state": row["deadline_state"],
        "working_days_left": row["working_days_left"],
        "deficiency_due": day(row["deficiency_due"]),
    }


def task_row(row: dict) -> dict:
    return {
        "id": row["id"],
        "round": row["round"],
        "stage_name": row["stage_name"],
        "department_name": row["department__name"],
        "assignee_name": row["assignee__name"],
        "due_on": day(row["due_on"]),
        "deadline_state": row["deadline_state"],
        "working_days_left": row["working_days_left"],
        "case_number": row["case__number"],
        "item_name": row["case__guide__name"],
        "applicant": row["applicant_masked"],
        "case_deadline": day(row["case__deadline"]),
    }


# --- Public progress: what anyone holding the number and query code may read ------------------------------


def progress_document(case: Case, *, step_labels: dict) -> dict:
    """Masked, and without staff names or the opinions of internal steps; only the final decision's
    opinion (addressed to the applicant on the decision notice) is shown."""
    today = timezone.localdate()
    state, _ = _clock(case, today)
    decided = case.status in (flow.Status.DECIDED, flow.Status.DELIVERED) and bool(case.decision)
    return {
        "number": case.number,
        "item_name": case.guide.name,
        "center": case.center.name,
        "applicant": mask_name(case.applicant_name),
        "status": case.status,
        "status_label": STATUS_LABELS.get(case.status, ""),
        "submitted_on": on(case.submitted_at),
        "accepted_on": on(case.accepted_at),
        "deadline": day(case.deadline),
        "deadline_state": state,
        "decided_on": on(case.decided_at) if decided else None,
        "decision_label": DECISION_LABELS.get(case.decision) if decided else None,
        "decision_opinion": case.decision_opinion if decided else "",
        "delivered_on": on(case.delivered_at),
        "timeline": [
            {"at": at(s.at), "label": step_labels.get(s.action, ACTION_LABELS.get(s.action, ""))}
            for s in case.steps.all()
        ],
    }
