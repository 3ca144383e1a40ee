"""出件窗口满意度回访: the output window calls applicants of delivered cases back and records what they said.

Which cases: a fixed share of the cases delivered in the last days (ONEWINDOW_FOLLOWUP_SAMPLE_PERCENT, default 20),
chosen by a hash of the case number so the list is the same every time it is drawn, plus every case rated badly;
see selectors_followups.py. A problem the applicant raises goes to the 堵点、难点、卡点 ledger.

The phone number: the call needs it, so the page shows it masked and a 显示号码 button reveals it — a POST, audited
(who saw whose number, when), never in a URL or a log line.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record
from onewindow.cases.flow import Status
from onewindow.cases.models import Case
from onewindow.core.errors import Conflict, Forbidden, ValidationFailed
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role, one_or_not_found
from onewindow.feedback.models import FollowUp, Level, ProblemKind, ProblemSource
from onewindow.feedback.services.ledger import DESCRIPTION_MAX, problem_record

FOLLOWUP_ROLES = frozenset({Role.OUTPUT_CLERK, Role.CENTER_DIRECTOR})
NOTE_MAX = 500


def sample_percent() -> int:
    return min(100, max(0, settings.ONEWINDOW_FOLLOWUP_SAMPLE_PERCENT))


def lookback_days() -> int:
    return max(1, settings.ONEWINDOW_FOLLOWUP_DAYS)


def in_sample(number: str, percent: int) -> bool:
    """Deterministic: the same case number is always in (or out of) the sample."""
    bucket = int.from_bytes(hashlib.sha256(number.encode()).digest()[:4], "big") % 100
    return bucket < percent


def _require_role(actor) -> None:
    if effective_role(actor) not in FOLLOWUP_ROLES:
        raise Forbidden("只有出件窗口人员或中心主任可以回访")


def _delivered_case(actor, case: Case, *, lock: bool) -> Case:
    queryset = Case.objects.visible_to(actor).select_related("town", "item")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    case = one_or_not_found(queryset, pk=case.pk)
    if case.status != Status.DELIVERED:
        raise Conflict("只有已出件的办件可以回访", code="followup.not_delivered")
    return case


@transaction.atomic
def followup_record(
    *,
    actor,
    case: Case,
    reached: bool,
    satisfaction: int | None = None,
    problem: str = "",
    problem_kind: str = "",
    note: str = "",
) -> FollowUp:
    """One call: reached or not; when reached, the satisfaction (1–5) and any problem raised (→ the ledger).
    A case is called until someone answers; after that it is done."""
    _require_role(actor)
    case = _delivered_case(actor, case, lock=True)
    if case.follow_ups.filter(reached=True).exists():
        raise Conflict("该办件已回访过，不能重复回访", code="followup.already_done")
    errors = {}
    problem, note = (problem or "").strip(), (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = f"备注不能超过{NOTE_MAX}个字"
    if reached:
        if satisfaction not in Level.values:
            errors["satisfaction"] = "请选择群众的满意程度"
        if len(problem) > DESCRIPTION_MAX:
            errors["problem"] = f"反映的问题不能超过{DESCRIPTION_MAX}个字"
        elif problem and problem_kind not in ProblemKind.values:
            errors["problem_kind"] = "群众反映了问题，请选择问题类型（堵点、难点或卡点）以登记台账"
    else:
        satisfaction, problem = None, ""
    if errors:
        raise ValidationFailed(fields=errors)
    follow_up = FollowUp.objects.create(
        case=case,
        town=case.town,
        called_at=timezone.now(),
        called_by=actor,
        reached=bool(reached),
        satisfaction=satisfaction,
        problem=problem,
        note=note,
    )
    record(
        actor=actor,
        action=AuditAction.FOLLOWUP_RECORDED,
        target=follow_up,
        town=case.town,
        after={"case": case.number, "reached": bool(reached), "satisfaction": satisfaction, "problem": bool(problem)},
        summary=f"{case.number} 满意度回访：" + (Level(satisfaction).label if reached else "未接通"),
    )
    if problem:
        problem_record(
            actor=actor,
            town=case.town,
            kind=problem_kind,
            source=ProblemSource.FOLLOW_UP,
            description=problem,
            item=case.item,
            follow_up=follow_up,
        )
    return follow_up


@transaction.atomic
def followup_phone_reveal(*, actor, case: Case) -> str:
    """The applicant's contact phone for the call; every reveal is audited."""
    _require_role(actor)
    case = _delivered_case(actor, case, lock=False)
    record(
        actor=actor,
        action=AuditAction.FOLLOWUP_PHONE_REVEALED,
        target=case,
        town=case.town,
        summary=f"{case.number} 查看联系电话（满意度回访）",
    )
    return case.contact_phone
