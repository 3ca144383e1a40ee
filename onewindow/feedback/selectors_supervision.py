"""Scoped reads for complaints (吐槽找茬), the problem ledger (堵点难点卡点) and micro-innovation (微创新).

Every staff read takes the actor first and goes through `visible_to`, so another town's rows answer "not found";
the public reads (follow a complaint, the adopted proposals) need no account and show no personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from onewindow.core.errors import ValidationFailed
from onewindow.core.months import month_bounds, parse_month
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role, one_or_not_found
from onewindow.feedback.models import (
    Complaint,
    ComplaintStatus,
    ProblemEntry,
    ProblemKind,
    ProblemSource,
    ProblemStatus,
    Proposal,
    ProposalStatus,
)
from onewindow.feedback.services.complaints import MANAGERS, OPEN_STATUSES, query_code_index
from onewindow.feedback.services.ledger import LEDGER_READERS
from onewindow.feedback.services.proposals import EVALUATORS

# Who sees every complaint of their scope (the output window calls the complainants back: 回访评价); other town
# staff see the ones they registered or handle.
COMPLAINT_READERS = MANAGERS | {Role.SUPERVISOR, Role.OUTPUT_CLERK}


# --- months ---------------------------------------------------------------------------------------------


# --- complaints -----------------------------------------------------------------------------------------


def complaints_for(actor) -> QuerySet[Complaint]:
    scoped = Complaint.objects.visible_to(actor).select_related("town", "item", "handler", "received_by")
    if effective_role(actor) in COMPLAINT_READERS:
        return scoped
    return scoped.filter(Q(handler=actor) | Q(received_by=actor))


def complaint_list(actor, *, status: str = "", overdue: bool = False, today: date | None = None) -> list[Complaint]:
    """The complaints with `is_overdue` set (not answered after the deadline), open ones first, oldest deadline
    first among them."""
    today = today or timezone.localdate()
    rows = complaints_for(actor)
    if status:
        if status not in ComplaintStatus.values:
            raise ValidationFailed(fields={"status": "状态无效"})
        rows = rows.filter(status=status)
    if overdue:
        rows = rows.filter(status__in=OPEN_STATUSES, deadline__lt=today)
    result = list(rows.order_by("deadline", "-received_at")[:500])
    for row in result:
        row.is_overdue = row.status in OPEN_STATUSES and row.deadline < today
    result.sort(key=lambda c: (c.status not in OPEN_STATUSES, c.deadline if c.status in OPEN_STATUSES else date.max))
    return result


def complaint_counts(actor, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    rows = complaints_for(actor)
    return {
        "open": rows.filter(status__in=OPEN_STATUSES).count(),
        "overdue": rows.filter(status__in=OPEN_STATUSES, deadline__lt=today).count(),
    }


def complaint_get(actor, pk) -> Complaint:
    return one_or_not_found(complaints_for(actor), pk=pk)


def public_complaint(number: str, code: str) -> Complaint | None:
    """The complaint with this number and query code, or None (a wrong code and a wrong number look the same)."""
    number, code = (number or "").strip().upper(), (code or "").strip()
    if not number or not code or len(number) > 32 or len(code) > 32:
        return None
    return (
        Complaint.objects.select_related("town", "item")
        .filter(number=number, query_code_index=query_code_index(code))
        .first()
    )


# --- the problem ledger ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerFilters:
    month: date | None = None
    status: str = ""
    kind: str = ""
    source: str = ""
    item_id: int | None = None
    department_id: int | None = None
    town_id: int | None = None

    @classmethod
    def from_query(cls, params) -> LedgerFilters:
        def number(name):
            value = (params.get(name) or "").strip()
            if not value:
                return None
            if not value.isdigit():
                raise ValidationFailed(fields={name: "筛选条件无效"})
            return int(value)

        def choice(name, choices):
            value = (params.get(name) or "").strip()
            if value and value not in choices:
                raise ValidationFailed(fields={name: "筛选条件无效"})
            return value

        month = (params.get("month") or "").strip()
        return cls(
            month=parse_month(month) if month else None,
            status=choice("status", ProblemStatus.values),
            kind=choice("kind", ProblemKind.values),
            source=choice("source", ProblemSource.values),
            item_id=number("item"),
            department_id=number("department"),
            town_id=number("town"),
        )


def ledger_for(actor) -> QuerySet[ProblemEntry]:
    if effective_role(actor) not in LEDGER_READERS:
        return ProblemEntry.objects.none()
    return ProblemEntry.objects.visible_to(actor).select_related(
        "town", "item", "department", "recorded_by", "complaint", "rating", "follow_up"
    )


def ledger_entries(actor, filters: LedgerFilters) -> QuerySet[ProblemEntry]:
    rows = ledger_for(actor)
    if filters.month:
        start, end = month_bounds(filters.month)
        rows = rows.filter(recorded_at__gte=start, recorded_at__lt=end)
    for field, value in (
        ("status", filters.status),
        ("kind", filters.kind),
        ("source", filters.source),
        ("item_id", filters.item_id),
        ("department_id", filters.department_id),
        ("town_id", filters.town_id),
    ):
        if value:
            rows = rows.filter(**{field: value})
    return rows


def ledger_entry_get(actor, pk) -> ProblemEntry:
    return one_or_not_found(ledger_for(actor), pk=pk)


# --- micro-innovation -----------------------------------------------------------------------------------


def proposals_for(actor) -> QuerySet[Proposal]:
    """Evaluators (director, county) see every proposal of their scope; other staff see their own."""
    related = ("town", "proposer_user", "evaluated_by")
    if effective_role(actor) in EVALUATORS | {Role.SUPERVISOR}:
        return Proposal.objects.visible_to(actor).select_related(*related)
    if not getattr(actor, "is_authenticated", False):
        return Proposal.objects.none()
    return Proposal.objects.filter(proposer_user=actor).select_related(*related)


def proposal_get(actor, pk) -> Proposal:
    return one_or_not_found(proposals_for(actor), pk=pk)


def adopted_proposals(town=None) -> QuerySet[Proposal]:
    """The public list: adopted proposals county-wide, or one town's (county-level ones show only county-wide)."""
    rows = Proposal.objects.filter(status=ProposalStatus.ADOPTED).select_related("town")
    if town is not None:
        rows = rows.filter(town=town)
    return rows.order_by("-decided_at", "-pk")
