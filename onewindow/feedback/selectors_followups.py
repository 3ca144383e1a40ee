"""Scoped reads for 出件窗口满意度回访: the cases to call back, one case's call sheet, the recent calls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from onewindow.cases.flow import Status
from onewindow.cases.models import Case
from onewindow.core.pii import mask_mobile, mask_name
from onewindow.core.scoping import effective_role, one_or_not_found
from onewindow.feedback.models import BAD_LEVELS, FollowUp, Level, Rating
from onewindow.feedback.services.followups import FOLLOWUP_ROLES, in_sample, lookback_days, sample_percent

RECENT_LIMIT = 50


@dataclass(frozen=True)
class Candidate:
    number: str
    item_name: str
    applicant: str  # masked
    phone: str  # masked
    delivered_at: object
    delivery_method: str
    bad_rating: bool
    attempts: int  # calls that did not get through


def _delivered(actor):
    if effective_role(actor) not in FOLLOWUP_ROLES:
        return Case.objects.none()
    return Case.objects.visible_to(actor).filter(status=Status.DELIVERED)


def followup_candidates(actor) -> list[Candidate]:
    """Delivered in the last ONEWINDOW_FOLLOWUP_DAYS days, in the hash sample or rated badly, not yet reached.
    Two queries: the (number, bad?) pairs of the period to sample in Python, then the chosen cases' rows."""
    since = timezone.now() - timedelta(days=lookback_days())
    percent = sample_percent()
    reached = FollowUp.objects.filter(case=OuterRef("pk"), reached=True)
    bad = Rating.objects.filter(case=OuterRef("pk"), level__in=BAD_LEVELS)
    pairs = (
        _delivered(actor)
        .filter(delivered_at__gte=since)
        .annotate(done=Exists(reached), bad=Exists(bad))
        .filter(done=False)
        .values_list("pk", "number", "bad")
    )
    chosen = {pk: is_bad for pk, number, is_bad in pairs if is_bad or in_sample(number, percent)}
    rows = (
        Case.objects.filter(pk__in=chosen)
        .annotate(attempts=Count("follow_ups", filter=Q(follow_ups__reached=False)))
        .values(
            "pk",
            "number",
            "item__name",
            "applicant_name",
            "contact_phone",
            "delivered_at",
            "delivery_method",
            "attempts",
        )
        .order_by("-delivered_at", "-pk")
    )
    candidates = [
        Candidate(
            number=row["number"],
            item_name=row["item__name"],
            applicant=mask_name(row["applicant_name"]),
            phone=mask_mobile(row["contact_phone"]),
            delivered_at=row["delivered_at"],
            delivery_method=row["delivery_method"],
            bad_rating=chosen[row["pk"]],
            attempts=row["attempts"],
        )
        for row in rows
    ]
    candidates.sort(key=lambda c: not c.bad_rating)  # stable: bad ratings first, then newest delivered
    return candidates


def followup_case(actor, number: str) -> Case:
    """A delivered case of the actor's town with its calls (for the call sheet)."""
    queryset = _delivered(actor).select_related("item", "town").prefetch_related("follow_ups__called_by")
    case = one_or_not_found(queryset, number=number)
    for call in case.follow_ups.all():
        call.satisfaction_label = satisfaction_label(call.satisfaction)
    return case


def recent_followups(actor) -> list[FollowUp]:
    if effective_role(actor) not in FOLLOWUP_ROLES:
        return []
    rows = list(FollowUp.objects.visible_to(actor).select_related("case", "called_by")[:RECENT_LIMIT])
    for row in rows:
        row.satisfaction_label = satisfaction_label(row.satisfaction)
    return rows


def satisfaction_label(value) -> str:
    return Level(value).label if value in Level.values else ""
