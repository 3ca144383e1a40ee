"""统一出件 and the endings: late 容缺 materials, handover, withdrawal, revocation, termination."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import SYSTEM, record
from onewindow.cases.flow import Action, Status, Step
from onewindow.cases.models import Case, Decision, DeliveryMethod, MaterialState, NoticeKind, TaskStatus
from onewindow.cases.services.acceptance import lock_citizens_case
from onewindow.cases.services.common import actor_user, add_step, issue_notice, lock_case, transition
from onewindow.cases.services.intake import CITIZEN_ROLE
from onewindow.cases.services.notify import notify_applicant, notify_result_out
from onewindow.core.errors import Conflict, Forbidden, ValidationFailed
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role

OUTPUT_ROLES = frozenset({Role.OUTPUT_CLERK, Role.FRONT_CLERK, Role.CENTER_DIRECTOR})
WITHDRAW_ROLES = frozenset({Role.FRONT_CLERK, Role.CONSULT_CLERK, Role.CENTER_DIRECTOR, Role.AGENT})
STAFF_OF_TOWN = frozenset({Role.FRONT_CLERK, Role.OUTPUT_CLERK, Role.CENTER_DIRECTOR, Role.COORDINATOR})
# EMS: 13 characters, two letters + 9 digits + two letters (international) or 13 digits (domestic).
EMS_NUMBER = re.compile(r"^([A-Z]{2}\d{9}[A-Z]{2}|\d{13})$")


@transaction.atomic
def case_receive_deficient(*, actor, case: Case, positions: list[int]) -> Case:
    """The applicant brings the 容缺 materials they pledged."""
    if effective_role(actor) not in STAFF_OF_TOWN:
        raise Forbidden("您不能登记收取材料")
    case = lock_case(case, actor)
    if case.status in (Status.REJECTED, Status.WITHDRAWN, Status.REVOKED, Status.TERMINATED, Status.DELIVERED):
        raise Conflict("办件已结束，不能再收取材料", code="case.illegal_transition")
    pending = {m.position: m for m in case.materials.filter(state=MaterialState.DEFICIENT)}
    if not positions or any(p not in pending for p in positions):
        raise ValidationFailed(fields={"positions": "请勾选本次补交的容缺材料"})
    now = timezone.now()
    for position in positions:
        material = pending[position]
        material.state, material.received_at = MaterialState.RECEIVED, now
        material.save(update_fields=["state", "received_at"])
    names = [pending[p].name for p in positions]
    add_step(case, action=Action.SUPPLEMENT, actor=actor, opinion="容缺材料已补交", data={"received": names})
    record(
        actor=actor,
        action=AuditAction.DEFICIENT_MATERIAL_RECEIVED,
        target=case,
        before=None,
        after={"received": names},
        town=case.town,
        summary=f"{case.number} 收取容缺材料",
    )
    return case


@transaction.atomic
def case_deliver(
    *,
    actor,
    case: Case,
    method: str,
    recipient_name: str = "",
    identity_checked: bool = False,
    tracking_number: str = "",
) -> Case:
    """统一出件: pickup (identity checked), EMS mail (tracking number) or electronic delivery.
    An approved result is not handed over while a 容缺 material is still outstanding."""
    if effective_role(actor) not in OUTPUT_ROLES:
        raise Forbidden("只有出件窗口人员可以出件")
    errors = {}
    recipient_name = (recipient_name or "").strip()
    tracking_number = (tracking_number or "").strip().upper()
    if method not in DeliveryMethod.values:
        errors["method"] = "请选择送达方式"
    elif method == DeliveryMethod.PICKUP:
        if not recipient_name:
            errors["recipient_name"] = "请填写领取人姓名"
        if not identity_checked:
            errors["identity_checked"] = "窗口领取须核验领取人身份"
    elif method == DeliveryMethod.MAIL and not EMS_NUMBER.match(tracking_number):
        errors["tracking_number"] = "请填写正确的EMS邮件号（13位）"
    if errors:
        raise ValidationFailed(fields=errors)
    case = lock_case(case, actor)
    if case.decision == Decision.APPROVED and case.materials.filter(state=MaterialState.DEFICIENT).exists():
        raise Conflict("容缺材料尚未补齐，办理结果暂不能交付", code="case.deficiency_outstanding")
    case.delivery_method, case.delivered_at, case.delivered_by = method, timezone.now(), actor_user(actor)
    case.recipient_name = recipient_name[:50]
    case.tracking_number = tracking_number if method == DeliveryMethod.MAIL else ""
    transition(
        case,
        action=Action.DELIVER,
        to=Status.DELIVERED,
        actor=actor,
        audit_action=AuditAction.CASE_DELIVERED,
        fields=("delivery_method", "delivered_at", "delivered_by", "recipient_name", "tracking_number"),
        data={"method": method},
    )
    issue_notice(
        case,
        kind=NoticeKind.DELIVERY_RECEIPT,
        actor=actor,
        content={
            "method": DeliveryMethod(method).label,
            "recipient": case.recipient_name,
            "tracking_number": case.tracking_number,
            "certificate_number": case.certificate_number,
            "result": case.guide.result_name,
            "decision": Decision(case.decision).label if case.decision else "",
        },
    )
    notify_result_out(case, step_action=Action.DELIVER)
    return case


def _end(case: Case, *, action: str, to: str, actor, audit_action, step, reason: str) -> Case:
    case.tasks.filter(status__in=[TaskStatus.PENDING, TaskStatus.WAITING]).update(status=TaskStatus.CANCELLED)
    return transition(case, action=action, to=to, actor=actor, audit_action=audit_action, step=step, opinion=reason)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": "请填写原因"})
    return reason


@transaction.atomic
def case_withdraw(*, actor, case: Case, reason: str, citizen=None) -> Case:
    """撤回: the applicant takes the application back before it is accepted (recorded by the front desk or
    the village agent who brought it, or done online by the citizen who applied: `citizen`)."""
    citizen_acting = citizen is not None or effective_role(actor) == CITIZEN_ROLE
    if not citizen_acting and effective_role(actor) not in WITHDRAW_ROLES:
        raise Forbidden("撤回申请须由窗口人员或代办员登记")
    reason = _require_reason(reason)
    case = lock_citizens_case(case, actor, citizen) if citizen_acting else lock_case(case, actor)
    return _end(
        case,
        action=Action.WITHDRAW,
        to=Status.WITHDRAWN,
        actor=actor,
        audit_action=AuditAction.CASE_WITHDRAWN,
        step=Step.WITHDRAWN,
        reason=reason,
    )


@transaction.atomic
def case_revoke(*, actor, case: Case, reason: str) -> Case:
    """撤销: at the applicant's request after acceptance and before the decision."""
    if effective_role(actor) not in STAFF_OF_TOWN:
        raise Forbidden("撤销办件须由窗口人员登记申请人的撤销申请")
    reason = _require_reason(reason)
    case = lock_case(case, actor)
    return _end(
        case,
        action=Action.REVOKE,
        to=Status.REVOKED,
        actor=actor,
        audit_action=AuditAction.CASE_REVOKED,
        step=Step.REVOKED,
        reason=reason,
    )


@transaction.atomic
def case_terminate_overdue_deficiency(*, actor, case: Case) -> Case:
    """终止: the pledged 容缺 materials did not arrive by their due date (run by the deadline sweep)."""
    if actor is not SYSTEM and effective_role(actor) != Role.CENTER_DIRECTOR:
        raise Forbidden("容缺逾期终止由系统按期处理，或由中心主任决定")
    case = lock_case(case, actor if actor is not SYSTEM else None)
    today = timezone.localdate()
    outstanding = case.materials.filter(state=MaterialState.DEFICIENT)
    if not (case.deficiency_due and case.deficiency_due < today and outstanding.exists()):
        raise Conflict("容缺材料未逾期，不能终止", code="case.deficiency_not_overdue")
    names = [m.name for m in outstanding]
    _end(
        case,
        action=Action.TERMINATE,
        to=Status.TERMINATED,
        actor=actor,
        audit_action=AuditAction.CASE_TERMINATED,
        step=None,
        reason=f"容缺材料逾期未补交：{'、'.join(names)}",
    )
    issue_notice(
        case,
        kind=NoticeKind.TERMINATION,
        actor=actor,
        content={
            "due": case.deficiency_due.isoformat(),
            "materials": names,
        },
    )
    notify_applicant(case, "terminated")
    return case
