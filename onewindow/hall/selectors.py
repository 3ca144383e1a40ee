"""Scoped reads for the hall pages: centers, categories with their queues, tickets by follow token, a window's
work, appointment slots. Public reads take no actor and only return what a ticket or poster already shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from onewindow.core.errors import DomainError, Forbidden, NotFound
from onewindow.core.roles import TOWN_STAFF_ROLES, Role
from onewindow.core.scoping import effective_role, one_or_not_found
from onewindow.hall import estimates
from onewindow.hall.models import (
    AppointmentSlot,
    HallSettings,
    QueueCategory,
    Ticket,
    TicketSequence,
    TicketStatus,
)
from onewindow.hall.services.calling import WINDOW_ROLES
from onewindow.hall.services.tickets import hall_is_open
from onewindow.org.models import ServiceCenter, Window

# Who may run a kiosk page: the town's kiosk device account, or a staff member standing next to it.
KIOSK_ROLES = TOWN_STAFF_ROLES | {Role.DEVICE, Role.COUNTY_ADMIN}
ACTIVE = (TicketStatus.CALLED, TicketStatus.SERVING)


def wait_minutes(seconds: int | float | None) -> int:
    """Minutes shown to people: rounded, never 0 while someone is still ahead (that reads as 'now')."""
    if not seconds:
        return 0
    return max(1, round(seconds / 60))


# --- centers --------------------------------------------------------------------------------------


def _centers():
    return ServiceCenter.objects.filter(kind=ServiceCenter.Kind.TOWN_CENTER, is_active=True).select_related(
        "town", "hall_settings"
    )


def public_center(center_id) -> ServiceCenter:
    """A town center whose hall takes tickets (its QR poster, phone and booking pages are public)."""
    center = one_or_not_found(_centers(), pk=center_id)
    if not HallSettings.objects.filter(center=center).exists():
        raise NotFound("该服务中心尚未开通排队取号")
    return center


def kiosk_center(actor, center_id) -> ServiceCenter:
    """The center a kiosk page runs for: the device's or staff member's own town only (others: 404)."""
    if effective_role(actor) not in KIOSK_ROLES:
        raise Forbidden("取号机页面只供本中心的取号机设备和工作人员使用")
    center = one_or_not_found(_centers().filter(pk__in=ServiceCenter.objects.visible_to(actor)), pk=center_id)
    if not HallSettings.objects.filter(center=center).exists():
        raise NotFound("该服务中心尚未开通排队取号")
    return center


def managed_center(actor, center_id) -> ServiceCenter:
    """A center whose hall the actor configures (its director, or the county admin)."""
    center = one_or_not_found(_centers().filter(pk__in=ServiceCenter.objects.visible_to(actor)), pk=center_id)
    role = effective_role(actor)
    if role != Role.COUNTY_ADMIN and not (role == Role.CENTER_DIRECTOR and actor.town_id == center.town_id):
        raise Forbidden("只有中心主任可以设置预约时段")
    return center


def own_center(actor) -> ServiceCenter | None:
    if not getattr(actor, "town_id", None):
        return None
    return _centers().filter(town_id=actor.town_id).first()


def hall_open_now(center: ServiceCenter, now: datetime | None = None) -> tuple[bool, str]:
    """(open?, the Chinese reason when not): the kiosk greys its buttons out of hours."""
    settings = center.hall_settings
    sessions = "、".join(f"{a}-{b}" for a, b in settings.sessions)
    try:
        if hall_is_open(settings, now or timezone.now()):
            return True, ""
    except DomainError as exc:  # a year without a maintained calendar: say so rather than guess
        return False, exc.message
    return False, f"现在不在取号时间（工作日 {sessions}）"


# --- categories and queues ------------------------------------------------------------------------


@dataclass
class CategoryQueue:
    category: QueueCategory
    waiting: int
    wait_minutes: int
    sold_out: bool

    @property
    def can_take(self) -> bool:
        return self.category.is_open and not self.sold_out


def category_queues(center: ServiceCenter, *, now: datetime | None = None) -> list[CategoryQueue]:
    """Every category of the center with people waiting and the wait a ticket taken now would be told."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    categories = list(QueueCategory.objects.filter(center=center).order_by("position", "prefix"))
    waiting = dict(
        Ticket.objects.filter(center=center, day=today, status=TicketStatus.WAITING)
        .values("category")
        .annotate(n=Count("id"))
        .values_list("category", "n")
    )
    drawn = dict(TicketSequence.objects.filter(category__center=center, day=today).values_list("category_id", "last"))
    rows = []
    for category in categories:
        count = waiting.get(category.pk, 0)
        seconds = estimates.wait_seconds(category, count, now=now) if count else 0
        sold_out = bool(category.daily_limit) and drawn.get(category.pk, 0) >= category.daily_limit
        rows.append(CategoryQueue(category, count, wait_minutes(seconds), sold_out))
    return rows


def center_category(center: ServiceCenter, category_id) -> QueueCategory:
    return one_or_not_found(QueueCategory.objects.filter(center=center), pk=category_id)


# --- tickets --------------------------------------------------------------------------------------


def ticket_by_follow_token(token: str) -> Ticket:
    """The ticket whose QR code or link the person holds; a transferred one leads on to its new ticket."""
    tickets = Ticket.objects.select_related("center", "category", "window")
    ticket = one_or_not_found(tickets, follow_token=str(token)[:32])
    for _ in range(10):  # transfers chain (A → C → B); ten is more than any visit
        if ticket.status != TicketStatus.TRANSFERRED:
            break
        moved = tickets.filter(transferred_from=ticket).first()
        if moved is None:
            break
        ticket = moved
    return ticket


def kiosk_ticket(center: ServiceCenter, token: str) -> Ticket:
    return one_or_not_found(Ticket.objects.select_related("center", "category"), center=center, follow_token=token)


@dataclass
class Position:
    people_ahead: int
    wait_minutes: int


def ticket_position(ticket: Ticket, *, now: datetime | None = None) -> Position | None:
    """Where a waiting ticket of today stands now; None once it is called, finished or from another day."""
    now = now or timezone.now()
    if ticket.status != TicketStatus.WAITING or ticket.day != timezone.localdate(now):
        return None
    ahead = estimates.people_ahead(ticket)
    return Position(ahead, wait_minutes(estimates.wait_seconds(ticket.category, ahead, now=now)))


# --- windows --------------------------------------------------------------------------------------


def windows_for(actor):
    if effective_role(actor) not in WINDOW_ROLES:
        return Window.objects.none()
    return Window.objects.visible_to(actor).filter(center__kind=ServiceCenter.Kind.TOWN_CENTER).order_by("number")


def window_for(actor, window_id) -> Window:
    window = one_or_not_found(Window.objects.visible_to(actor).select_related("center", "town"), pk=window_id)
    if effective_role(actor) not in WINDOW_ROLES:
        raise Forbidden("只有窗口工作人员可以使用叫号页面")
    return window


def window_current(window: Window) -> Ticket | None:
    return Ticket.objects.filter(window=window, status__in=ACTIVE).select_related("category").first()


def window_held(window: Window, *, day: date | None = None) -> list[Ticket]:
    day = day or timezone.localdate()
    return list(Ticket.objects.filter(window=window, day=day, status=TicketStatus.HELD).select_related("category"))


def window_waiting(window: Window, *, day: date | None = None) -> list[tuple[QueueCategory, int]]:
    """The window's categories in its calling order, with how many wait in each."""
    day = day or timezone.localdate()
    order = [q.category for q in window.queues.select_related("category").order_by("position")]
    counts = dict(
        Ticket.objects.filter(center_id=window.center_id, day=day, status=TicketStatus.WAITING)
        .values("category")
        .annotate(n=Count("id"))
        .values_list("category", "n")
    )
    return [(category, counts.get(category.pk, 0)) for category in order]


def window_finished_today(window: Window, *, day: date | None = None) -> int:
    day = day or timezone.localdate()
    return Ticket.objects.filter(window=window, day=day, status=TicketStatus.DONE).count()


def transfer_targets(ticket: Ticket) -> list[QueueCategory]:
    return list(QueueCategory.objects.filter(center_id=ticket.center_id).exclude(pk=ticket.category_id))


def window_ticket(window: Window, ticket_id) -> Ticket:
    """A ticket the console acts on: of the window's center (the service then checks it is this window's)."""
    return one_or_not_found(Ticket.objects.filter(center_id=window.center_id), pk=ticket_id)


# --- appointments ---------------------------------------------------------------------------------


def bookable_days(center: ServiceCenter, *, now: datetime | None = None, limit: int = 10) -> list[date]:
    now = now or timezone.now()
    return list(
        AppointmentSlot.objects.filter(category__center=center, day__gte=timezone.localdate(now))
        .order_by("day")
        .values_list("day", flat=True)
        .distinct()[:limit]
    )


def bookable_slots(category: QueueCategory, day: date, *, now: datetime | None = None) -> list[AppointmentSlot]:
    """Slots of the day that have not started yet; full ones are listed too (shown as 约满)."""
    now = timezone.localtime(now or timezone.now())
    slots = AppointmentSlot.objects.filter(category=category, day=day).order_by("start")
    if day == now.date():
        slots = slots.filter(start__gt=now.time())
    elif day < now.date():
        return []
    slots = list(slots)
    for slot in slots:
        slot.remaining = max(0, slot.quota - slot.booked)
    return slots


def center_slot(center: ServiceCenter, slot_id) -> AppointmentSlot:
    return one_or_not_found(
        AppointmentSlot.objects.filter(category__center=center).select_related("category"), pk=slot_id
    )


def slots_overview(center: ServiceCenter, *, start: date, days: int = 14) -> list[AppointmentSlot]:
    return list(
        AppointmentSlot.objects.filter(category__center=center, day__gte=start, day__lt=start + timedelta(days=days))
        .select_related("category")
        .order_by("day", "category__position", "start")
    )
