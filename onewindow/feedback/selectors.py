"""Rating reads: the reason labels, the service an evaluator tablet offers, and the services a clerk may type a
rating card for. Staff reads are scoped through `visible_to`; "not found" and "not yours" answer the same."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from onewindow.cases.models import Case, CaseStep
from onewindow.core.errors import Forbidden
from onewindow.core.roles import TOWN_STAFF_ROLES, Role
from onewindow.core.scoping import effective_role, one_or_not_found
from onewindow.feedback.models import BAD_LEVELS, INDICATORS, Level, Mode, Rating, RatingReason
from onewindow.feedback.services.ratings import ENTRY_ROLES, RATEABLE_ACTIONS, rateable_among
from onewindow.hall.models import Ticket, TicketStatus
from onewindow.org.models import ServiceCenter, Window

EVALUATOR_ROLES = TOWN_STAFF_ROLES | {Role.DEVICE}
# The mouth of each level's face (an inline SVG on a 100×100 grid: no emoji font needed on an intranet tablet).
MOUTHS = {
    5: "M28 60 Q50 84 72 60",
    4: "M32 64 Q50 76 68 64",
    3: "M32 67 L68 67",
    2: "M32 72 Q50 62 68 72",
    1: "M28 76 Q50 56 72 76",
}


def reasons_by_level() -> dict[int, list[str]]:
    """{level: [label, …]} of the active labels, in the configured order (one query)."""
    labels: dict[int, list[str]] = {level: [] for level in Level.values}
    for level, label in (
        RatingReason.objects.filter(is_active=True).order_by("position", "pk").values_list("level", "label")
    ):
        labels[level].append(label)
    return labels


def form_levels() -> list[dict]:
    """The five levels, best first, each with its reasons: what every rating form draws."""
    reasons = reasons_by_level()
    return [
        {
            "value": level.value,
            "label": level.label,
            "mouth": MOUTHS[level.value],
            "tone": "good" if level.value >= 4 else "mid" if level.value == 3 else "bad",
            "bad": level.value in BAD_LEVELS,
            "reasons": reasons[level.value],
        }
        for level in sorted(Level, reverse=True)
    ]


def indicator_rows(mode: str) -> list[tuple[str, str]]:
    return list(INDICATORS[Mode(mode)])


# --- the evaluator tablet ---------------------------------------------------------------------------


def evaluator_window(actor, window_id) -> Window:
    """The window a tablet runs for: the town's device account or a staff member of that town."""
    if effective_role(actor) not in EVALUATOR_ROLES:
        raise Forbidden("评价器页面只供本镇街的评价器设备和工作人员使用")
    windows = Window.objects.visible_to(actor).filter(center__kind=ServiceCenter.Kind.TOWN_CENTER)
    return one_or_not_found(windows.select_related("center"), pk=window_id)


def evaluator_ticket(window: Window, *, ticket_id=None, now=None) -> Ticket | None:
    """The service the tablet offers: the window's last finished ticket, finished within the last few minutes,
    with no call at that window since (the next person is not offered the previous one's service) and not yet
    rated. One query, whatever the day's traffic."""
    now = now or timezone.now()
    since = now - timedelta(minutes=settings.ONEWINDOW_EVALUATOR_RECENT_MINUTES)
    called_since = Ticket.objects.filter(window_id=window.pk, called_at__gte=OuterRef("finished_at")).exclude(
        pk=OuterRef("pk")
    )
    tickets = (
        Ticket.objects.filter(window_id=window.pk, status=TicketStatus.DONE, finished_at__gte=since)
        .filter(~Exists(called_since), ~Exists(Rating.objects.filter(ticket=OuterRef("pk"))))
        .select_related("category", "staff")
        .order_by("-finished_at", "-pk")
    )
    if ticket_id is not None:
        tickets = tickets.filter(pk=ticket_id)
    return tickets.first()


def evaluator_state(window: Window, *, now=None) -> dict:
    """The tablet's poll answer: what to show now (no personal data: the number, the category, the clerk)."""
    ticket = evaluator_ticket(window, now=now)
    service = None
    if ticket is not None:
        service = {
            "kind": "ticket",
            "id": ticket.pk,
            "number": ticket.number,
            "category": ticket.category.name,
            "staff": ticket.staff.display_name if ticket.staff_id else "",
            "finished_at": timezone.localtime(ticket.finished_at).isoformat(),
        }
    return {"window": window.pk, "service": service}


# --- signed links -----------------------------------------------------------------------------------


def link_step(step_id: int) -> CaseStep:
    """The step a valid signed link names (no actor: the signature is the authority)."""
    return one_or_not_found(CaseStep.objects.select_related("case", "actor"), pk=step_id)


# --- staff: rating cards, the window's QR code, the API ---------------------------------------------


def require_entry_role(actor) -> None:
    if effective_role(actor) not in ENTRY_ROLES:
        raise Forbidden("只有前台受理、出件窗口人员和中心主任可以录入评议卡")


def staff_step(actor, step_id) -> CaseStep:
    cases = Case.objects.visible_to(actor)
    return one_or_not_found(
        CaseStep.objects.filter(case__in=cases, action__in=RATEABLE_ACTIONS).select_related("case", "actor"),
        pk=step_id,
    )


def staff_ticket(actor, ticket_id) -> Ticket:
    return one_or_not_found(Ticket.objects.visible_to(actor).select_related("category"), pk=ticket_id)


def card_case(actor, number: str) -> tuple[Case | None, list[CaseStep]]:
    """A case by its number and its rateable steps, each marked `rated` (for the card entry's choice)."""
    number = (number or "").strip().upper()[:32]
    case = Case.objects.visible_to(actor).select_related("guide").filter(number=number).first() if number else None
    if case is None:
        return None, []
    rated = Rating.objects.filter(case_step=OuterRef("pk"))
    steps = CaseStep.objects.filter(case=case, action__in=RATEABLE_ACTIONS).annotate(rated=Exists(rated))
    return case, rateable_among(list(steps.order_by("at", "pk")))


def card_tickets(actor, number: str, day: date | None) -> list[Ticket]:
    """Finished tickets of that number and day in the actor's town (one per center; a town has one hall)."""
    number = (number or "").strip().upper()[:8]
    if not number or day is None:
        return []
    rated = Rating.objects.filter(ticket=OuterRef("pk"))
    return list(
        Ticket.objects.visible_to(actor)
        .filter(number=number, day=day, status=TicketStatus.DONE)
        .annotate(rated=Exists(rated))
        .select_related("category", "window", "staff")
        .order_by("pk")
    )
