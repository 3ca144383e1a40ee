"""Acceptance decisions at the front desk: accept, 容缺受理, one-time correction notice, reject, 即办件."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.cases.flow import Action, Status, Step
from onewindow.cases.models import Case, CaseMaterial, Decision, DeliveryMethod, MaterialState, NoticeKind
from onewindow.cases.services.common import actor_user, add_step, issue_notice, lock_case, transition
from onewindow.cases.services.intake import CITIZEN_ROLE
from onewindow.cases.services.notify import notify_applicant, notify_result_out
from onewindow.cases.services.review import start_review
from onewindow.core.calendar import add_working_days
from onewindow.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role

FRONT_DESK_ROLES = frozenset({Role.FRONT_CLERK, Role.CENTER_DIRECTOR, Role.CONSULT_CLERK})
DEFAULT_REMEDY = "如对本决定不服，可自收到本通知书之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。"


def require_front_desk(actor) -> None:
    if effective_role(actor) not in FRONT_DESK_ROLES:
        raise Forbidden("只有前台受理人员可以作出受理决定")


def _materials(case: Case) -> list[CaseMaterial]:
    return list(case.materials.order_by("position"))


def _missing_required(materials) -> list[CaseMaterial]:
    return [m for m in materials if m.required and m.state != MaterialState.RECEIVED]


def _apply_marks(case: Case, marks: dict[int, str] | None) -> list[CaseMaterial]:
    """Updates the checklist with the clerk's latest marks (received at the counter just now)."""
    materials = _materials(case)
    if not marks:
        return materials
    by_position = {m.position: m for m in materials}
    errors = {}
    now = timezone.now()
    for position, state in marks.items():
        material = by_position.get(position)
        if material is None or state not in MaterialState.values:
            errors[f"materials[{position}]"] = "材料项或收取情况无效"
            continue
        if state == MaterialState.NOT_APPLICABLE and material.required:
            errors[f"materials[{position}]"] = f"“{material.name}”是必要材料，不能标为不适用"
            continue
        if material.state != state:
            material.state = state
            material.received_at = now if state == MaterialState.RECEIVED else None
            material.save(update_fields=["state", "received_at"])
    if errors:
        raise ValidationFailed("材料清单有误", code="case.materials_invalid", fields=errors)
    return materials


def _accept_common(case: Case, actor) -> None:
    today = timezone.localdate()
    case.accepted_at = timezone.now()
    case.contact_clerk = actor_user(actor)
    case.deadline = add_working_days(today, case.guide.promised_limit_days)


@transaction.atomic
def case_accept(*, actor, case: Case, materials: dict[int, str] | None = None) -> Case:
    """受理: every required material is in; the clock starts and the route's first stage gets its tasks."""
    require_front_desk(actor)
    case = lock_case(case, actor)
    if case.guide.is_instant:
        raise Conflict("即办件请直接办结（受办一体）", code="case.instant_item")
    checklist = _apply_marks(case, materials)
    if missing := _missing_required(checklist):
        names = "、".join(m.name for m in missing)
        raise Conflict(
            f"以下必要材料尚未收齐，不能受理：{names}。请出具一次性告知书或按容缺受理办理",
            code="case.materials_missing",
        )
    _accept_common(case, actor)
    transition(
        case,
        action=Action.ACCEPT,
        to=Status.ACCEPTED,
        actor=actor,
        audit_action=AuditAction.CASE_ACCEPTED,
        step=Step.WINDOW_ACCEPTED,
        fields=("accepted_at", "contact_clerk", "deadline"),
    )
    issue_notice(
        case,
        kind=NoticeKind.ACCEPTANCE,
        actor=actor,
        content={
            "deadline": case.deadline.isoformat(),
            "promised_days": case.guide.promised_limit_days,
            "contact_clerk": case.contact_clerk.name if case.contact_clerk else "",
        },
    )
    start_review(case, actor=actor)
    notify_applicant(case, "accepted")
    return case


@transaction.atomic
def case_accept_with_deficiency(
    *, actor, case: Case, deficient: list[int], due: date, materials: dict[int, str] | None = None
) -> Case:
    """容缺受理: only materials the guide allows may be outstanding, due no later than the promised limit.
    Review runs; the result is not handed out until they arrive."""
    require_front_desk(actor)
    case = lock_case(case, actor)
    if case.guide.is_instant:
        raise Conflict("即办件不适用容缺受理", code="case.instant_item")
    checklist = _apply_marks(case, materials)
    by_position = {m.position: m for m in checklist}
    if not deficient:
        raise ValidationFailed(fields={"deficient": "请勾选容缺后补的材料"})
    if unknown := [p for p in deficient if p not in by_position]:
        raise ValidationFailed(fields={f"materials[{p}]": "办事指南中没有这一项材料" for p in unknown})
    if refused := [by_position[p] for p in deficient if not by_position[p].deficiency_allowed]:
        raise Conflict(
            f"办事指南未允许以下材料容缺受理：{'、'.join(m.name for m in refused)}",
            code="material.deficiency_not_allowed",
        )
    missing = [m for m in _missing_required(checklist) if m.position not in deficient]
    if missing:
        raise Conflict(
            f"除容缺材料外，以下必要材料尚未收齐：{'、'.join(m.name for m in missing)}", code="case.materials_missing"
        )
    _accept_common(case, actor)
    if due < timezone.localdate() or due > case.deadline:
        raise ValidationFailed(fields={"due": f"补交期限应在今天到承诺办结期限（{case.deadline:%Y年%m月%d日}）之间"})
    for position in deficient:
        material = by_position[position]
        material.state, material.received_at = MaterialState.DEFICIENT, None
        material.save(update_fields=["state", "received_at"])
    case.deficiency_due = due
    transition(
        case,
        action=Action.ACCEPT_WITH_DEFICIENCY,
        to=Status.ACCEPTED,
        actor=actor,
        audit_action=AuditAction.CASE_ACCEPTED_WITH_DEFICIENCY,
        step=Step.WINDOW_ACCEPTED,
        fields=("accepted_at", "contact_clerk", "deadline", "deficiency_due"),
        data={"deficient": [by_position[p].name for p in deficient], "due": due.isoformat()},
    )
    content = {
        "deadline": case.deadline.isoformat(),
        "due": due.isoformat(),
        "deficient": [by_position[p].name for p in deficient],
    }
    issue_notice(case, kind=NoticeKind.DEFICIENCY, actor=actor, content=content)
    issue_notice(case, kind=NoticeKind.PLEDGE, actor=actor, content=content)
    start_review(case, actor=actor)
    notify_applicant(case, "accepted_with_deficiency")
    return case


@transaction.atomic
def case_request_correction(
    *,
    actor,
    case: Case,
    problems: dict[int, str] | None = None,
    materials: dict[int, str] | None = None,
    note: str = "",
) -> Case:
    """一次性告知: one notice naming every missing or faulty material at once — never a second round for
    something that could be seen the first time."""
    require_front_desk(actor)
    case = lock_case(case, actor)
    checklist = _apply_marks(case, materials)
    problems = {int(k): (v or "").strip() for k, v in (problems or {}).items() if (v or "").strip()}
    by_position = {m.position: m for m in checklist}
    if unknown := [p for p in problems if p not in by_position]:
        raise ValidationFailed(fields={f"materials[{p}]": "办事指南中没有这一项材料" for p in unknown})
    items = []
    for material in checklist:
        problem = problems.get(material.position, "")
        if problem:
            material.problem = problem[:300]
            if material.state == MaterialState.RECEIVED:
                material.state, material.received_at = MaterialState.MISSING, None
            material.save(update_fields=["problem", "state", "received_at"])
        if problem or (material.required and material.state != MaterialState.RECEIVED):
            items.append({"name": material.name, "problem": problem or "未提供"})
    if not items:
        raise Conflict("材料均已齐全，无需补正，请直接受理", code="case.nothing_to_correct")
    transition(
        case,
        action=Action.REQUEST_CORRECTION,
        to=Status.CORRECTION_REQUIRED,
        actor=actor,
        audit_action=AuditAction.CASE_CORRECTION_REQUESTED,
        step=Step.CORRECTION_STARTED,
        opinion=note,
        data={"materials": items},
    )
    issue_notice(case, kind=NoticeKind.CORRECTION, actor=actor, content={"materials": items, "note": note})
    notify_applicant(case, "correction_required")
    return case


def lock_citizens_case(case: Case, actor, citizen) -> Case:
    """The case locked for a citizen acting online (AuditActor with role citizen): only their own case;
    anyone else's is the same 404 as a case that does not exist."""
    if effective_role(actor) != CITIZEN_ROLE or citizen is None:
        raise Forbidden("网上操作须由办事群众本人登录后进行")
    case = lock_case(case)
    if case.citizen_id is None or case.citizen_id != citizen.pk:
        raise NotFound()
    return case


@transaction.atomic
def case_supplement(*, actor, case: Case, received: list[int], citizen=None) -> Case:
    """补正结束: the materials named in the one-time notice are in; the case waits for acceptance again.

    Registered by the front desk or the village agent, or — for an online case — by the citizen who
    applied (`citizen`, after uploading the missing items); the case goes back to the pre-review queue."""
    if citizen is not None or effective_role(actor) == CITIZEN_ROLE:
        case = lock_citizens_case(case, actor, citizen)
    elif effective_role(actor) not in FRONT_DESK_ROLES | {Role.AGENT}:
        raise Forbidden("补正材料须由窗口人员或代办员登记")
    else:
        case = lock_case(case, actor)
    now = timezone.now()
    materials = {m.position: m for m in _materials(case)}
    if not received or any(p not in materials for p in received):
        raise ValidationFailed(fields={"received": "请勾选本次补交的材料"})
    for position in received:
        material = materials[position]
        material.state, material.received_at, material.problem = MaterialState.RECEIVED, now, ""
        material.save(update_fields=["state", "received_at", "problem"])
    transition(
        case,
        action=Action.SUPPLEMENT,
        to=Status.SUBMITTED,
        actor=actor,
        audit_action=AuditAction.CASE_SUPPLEMENTED,
        step=Step.CORRECTION_ENDED,
        data={"received": [materials[p].name for p in received]},
    )
    return case


@transaction.atomic
def case_reject(*, actor, case: Case, reason: str, remedy: str = DEFAULT_REMEDY) -> Case:
    """不予受理, with the reason and the applicant's remedy (复议/诉讼) on the notice."""
    require_front_desk(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": "请填写不予受理的理由"})
    case = lock_case(case, actor)
    transition(
        case,
        action=Action.REJECT,
        to=Status.REJECTED,
        actor=actor,
        audit_action=AuditAction.CASE_REJECTED,
        step=Step.REJECTED,
        opinion=reason,
    )
    issue_notice(
        case,
        kind=NoticeKind.REJECTION,
        actor=actor,
        content={"reason": reason, "remedy": (remedy or DEFAULT_REMEDY).strip()},
    )
    notify_applicant(case, "rejected")
    return case


@transaction.atomic
def case_complete_instantly(
    *, actor, case: Case, certificate_number: str = "", opinion: str = "", materials: dict[int, str] | None = None
) -> Case:
    """即办件 (受办一体): accepted, decided and handed over at the window in one step."""
    require_front_desk(actor)
    case = lock_case(case, actor)
    if not case.guide.is_instant:
        raise Conflict("该事项是承诺件，须受理后转后台审批", code="case.not_instant")
    checklist = _apply_marks(case, materials)
    if missing := _missing_required(checklist):
        raise Conflict(
            f"以下必要材料尚未收齐，不能办结：{'、'.join(m.name for m in missing)}", code="case.materials_missing"
        )
    now = timezone.now()
    _accept_common(case, actor)
    case.decision, case.decided_at, case.decision_opinion = Decision.APPROVED, now, (opinion or "").strip()
    case.certificate_number = (certificate_number or "").strip()[:80]
    case.delivery_method, case.delivered_at = DeliveryMethod.PICKUP, now
    add_step(case, action=Action.ACCEPT, actor=actor, step=Step.WINDOW_ACCEPTED, status_after=Status.ACCEPTED)
    transition(
        case,
        action=Action.COMPLETE_INSTANTLY,
        to=Status.DELIVERED,
        actor=actor,
        audit_action=AuditAction.CASE_COMPLETED_INSTANTLY,
        step=Step.APPROVED,
        opinion=case.decision_opinion,
        fields=(
            "accepted_at",
            "contact_clerk",
            "deadline",
            "decision",
            "decided_at",
            "decision_opinion",
            "certificate_number",
            "delivery_method",
            "delivered_at",
        ),
    )
    issue_notice(
        case,
        kind=NoticeKind.DELIVERY_RECEIPT,
        actor=actor,
        content={
            "method": DeliveryMethod.PICKUP.label,
            "certificate_number": case.certificate_number,
            "result": case.guide.result_name,
        },
    )
    notify_result_out(case, step_action=Action.COMPLETE_INSTANTLY)
    return case
