"""Tidal windows (潮汐窗口): spotting a peak, telling the director how many windows it needs, and the one action
that opens or closes a tidal window with a flexible staff member.

The recommendation is Erlang C: the arrival rate of the last 45 minutes and the category's mean service
time give the windows needed for its target (e.g. 80 % called within 15 minutes); the extra windows are
that minus the windows serving it now. Erlang C is a steady state and a backlog over the threshold wants
help anyway, so at least one is recommended once a threshold is crossed — unless a tidal window is already
open for the category: then the director has acted, and is not told the same again every half hour.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record
from onewindow.core.errors import Conflict, ValidationFailed
from onewindow.core.models import Notification
from onewindow.core.scoping import effective_role
from onewindow.core.services.notifications import notify_staff
from onewindow.hall import estimates
from onewindow.hall.erlang import servers_needed
from onewindow.hall.events import board_changed
from onewindow.hall.models import HallSettings, QueueCategory, Ticket, TicketStatus, TidalEvent, WindowQueue
from onewindow.hall.services.calling import ACTIVE, WINDOW_ROLES
from onewindow.hall.services.tickets import hall_is_open
from onewindow.org.models import ServiceCenter, User, Window
from onewindow.org.selectors import town_directors
from onewindow.org.services import window_set_open
from onewindow.org.services.permissions import require_town_manager

ARRIVAL_SPAN = timedelta(minutes=45)
ALERT_EVERY = timedelta(minutes=30)
ALERT_KIND = "hall_tidal:{}"
logger = logging.getLogger(__name__)


@dataclass
class Pressure:
    """One category's queue right now and what it would take to meet its target."""

    category: QueueCategory
    waiting: int
    wait_seconds: int
    serving_windows: int
    arrival_rate: float  # people per hour, over the last ARRIVAL_SPAN of opening time
    service_seconds: float
    needed: int  # windows for the target by Erlang C
    crossed: bool
    recommended: int  # extra windows to open; 0 unless a threshold is crossed

    @property
    def wait_minutes(self) -> int:
        return math.ceil(self.wait_seconds / 60)

    @property
    def service_minutes(self) -> float:
        return self.service_seconds / 60

    @property
    def message(self) -> str:
        c = self.category
        text = f"{c.prefix} {c.name} 等候{self.waiting}人，预计等候{self.wait_minutes}分钟"
        return f"{text}；建议增开{self.recommended}个潮汐窗口" if self.recommended else text

    @property
    def basis(self) -> str:
        c = self.category
        return (
            f"近{int(ARRIVAL_SPAN.total_seconds() // 60)}分钟每小时约到达{self.arrival_rate:.0f}人，"
            f"平均办理{self.service_seconds / 60:.1f}分钟，现有{self.serving_windows}个窗口；"
            f"目标{c.target_service_level}%在{c.target_wait_minutes}分钟内叫号需{self.needed}个窗口"
        )


def _open_minutes(settings: HallSettings, start: datetime, end: datetime) -> float:
    """Minutes of [start, end] that fall inside today's opening sessions (arrivals only happen then)."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    total = 0.0
    for first, last in settings.sessions:
        a = start.replace(hour=int(first[:2]), minute=int(first[3:5]), second=0, microsecond=0)
        b = start.replace(hour=int(last[:2]), minute=int(last[3:5]), second=0, microsecond=0)
        total += max(0.0, (min(end, b) - max(start, a)).total_seconds() / 60)
    return total


def center_pressure(center: ServiceCenter, *, now=None) -> list[Pressure]:
    """Every open category of the center: waiting count, estimated wait, arrivals, the Erlang C need."""
    now = now or timezone.now()
    settings = HallSettings.objects.get(center=center)
    since = now - ARRIVAL_SPAN
    minutes = _open_minutes(settings, since, now) or ARRIVAL_SPAN.total_seconds() / 60
    today = Ticket.objects.filter(center=center, day=timezone.localdate(now))  # the (center, day, …) index
    waiting = dict(
        today.filter(status=TicketStatus.WAITING).values_list("category_id").annotate(n=Count("id")).order_by()
    )
    arrived = dict(
        today.filter(issued_at__gt=since, issued_at__lte=now)
        .values_list("category_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    categories = QueueCategory.objects.filter(center=center, is_open=True)
    helped = set(
        TidalEvent.objects.filter(window__center=center, closed_at__isnull=True).values_list("category_id", flat=True)
    )
    result = []
    for category in categories:
        queue = waiting.get(category.pk, 0)
        serving = estimates.serving_windows(category)
        service = estimates.service_seconds(category, now=now)
        wait = estimates.wait_seconds(category, queue, now=now)
        rate = arrived.get(category.pk, 0) * 60 / minutes
        needed = servers_needed(rate, service, category.target_wait_minutes * 60, category.target_service_level / 100)
        crossed = queue > 0 and (
            queue >= category.tidal_waiting_threshold or wait >= category.tidal_wait_minutes_threshold * 60
        )
        at_least = 0 if category.pk in helped else 1
        recommended = max(at_least, needed - serving) if crossed else 0
        result.append(Pressure(category, queue, wait, serving, rate, service, needed, crossed, recommended))
    return result


def directors_of(center: ServiceCenter):
    return town_directors(center.town_id)


def tidal_check(center: ServiceCenter, now=None) -> list[Pressure]:
    """Alerts the center's directors about each category over its thresholds, at most once per category
    per ALERT_EVERY; returns the pressures that were alerted."""
    now = now or timezone.now()
    settings = HallSettings.objects.filter(center=center).first()
    if settings is None or not hall_is_open(settings, now):
        return []
    alerted = []
    url = reverse("hall-tidal", args=[center.pk])
    for pressure in center_pressure(center, now=now):
        if not pressure.recommended:  # below the thresholds, or the tidal windows open already cover it
            continue
        kind = ALERT_KIND.format(pressure.category.pk)
        with transaction.atomic():
            # The category row serialises concurrent checks (two workers), so the dedupe holds.
            QueueCategory.objects.select_for_update().filter(pk=pressure.category.pk).first()
            if Notification.objects.filter(kind=kind, created_at__gte=now - ALERT_EVERY).exists():
                continue
            sent = notify_staff(
                directors_of(center),
                kind=kind,
                title=f"潮汐预警：{pressure.category.prefix} {pressure.category.name}",
                body=f"{pressure.message}。{pressure.basis}",
                url=url,
                sms=True,
            )
        if sent:
            alerted.append(pressure)
    return alerted


def tidal_check_all(now=None) -> dict:
    """The scheduler's job: every town center with a hall."""
    centers = ServiceCenter.objects.filter(
        kind=ServiceCenter.Kind.TOWN_CENTER, is_active=True, hall_settings__isnull=False
    )
    alerts = []
    for center in centers:
        try:
            alerts += tidal_check(center, now)
        except Exception:  # one center's bad configuration must not silence the others' alerts
            logger.exception("tidal check failed for center %s", center.pk)
    return {"alerts": len(alerts), "categories": [f"{p.category.center_id}:{p.category.prefix}" for p in alerts]}


def _put_first(window: Window, category: QueueCategory) -> list[str]:
    """The category becomes the first the window calls; the rest keep their order. Returns the new order."""
    current = list(WindowQueue.objects.filter(window=window).order_by("position").values_list("category_id", flat=True))
    order = [category.pk, *[c for c in current if c != category.pk]]
    WindowQueue.objects.filter(window=window).delete()
    WindowQueue.objects.bulk_create(
        WindowQueue(window=window, category_id=c, position=i) for i, c in enumerate(order, start=1)
    )
    prefixes = dict(QueueCategory.objects.filter(pk__in=order).values_list("pk", "prefix"))
    return [prefixes[c] for c in order]


def _locked_window(actor, window: Window) -> Window:
    window = Window.objects.select_for_update(of=("self",)).select_related("center", "town").get(pk=window.pk)
    require_town_manager(actor, window.town_id)
    return window


@transaction.atomic
def tidal_open(*, actor, window: Window, category: QueueCategory | None, staff: User | None, reason: str = ""):
    """Opens a tidal window for a category with a flexible staff member; logged and audited."""
    window = _locked_window(actor, window)
    if window.kind != Window.Kind.TIDAL:
        raise Conflict(f"{window}不是潮汐窗口", code="hall.not_tidal")
    if TidalEvent.objects.filter(window=window, closed_at__isnull=True).exists():
        raise Conflict(f"{window}已作为潮汐窗口开启", code="hall.tidal_already_open")
    reason = (reason or "").strip()
    errors = {}
    if category is None or category.center_id != window.center_id:
        errors["category"] = "请选择本中心的取号类别"
    if (
        staff is None
        or not staff.is_active
        or staff.town_id != window.town_id
        or effective_role(staff) not in WINDOW_ROLES
    ):
        errors["staff"] = "请选择本中心的窗口工作人员"
    elif busy := TidalEvent.objects.filter(staff=staff, closed_at__isnull=True).select_related("window").first():
        errors["staff"] = f"{staff}正在{busy.window}值守"
    if len(reason) > 300:
        errors["reason"] = "原因不超过300字"
    if errors:
        raise ValidationFailed(fields=errors)
    was_open = window.is_open
    window_set_open(actor=actor, window=window, is_open=True)
    order = _put_first(window, category)
    event = TidalEvent.objects.create(
        window=window, category=category, opened_at=timezone.now(), opened_by=actor, staff=staff, reason=reason
    )
    record(
        actor=actor,
        action=AuditAction.TIDAL_OPENED,
        target=event,
        before={"is_open": was_open},
        after={"window": window.number, "category": category.prefix, "staff": staff.username, "profile": order},
        town=window.town,
        summary=f"开启潮汐窗口 {window}：{category.prefix} {category.name}，{staff}值守",
    )
    board_changed(window.center_id)
    return event


@transaction.atomic
def tidal_close(*, actor, window: Window) -> TidalEvent:
    window = _locked_window(actor, window)
    event = TidalEvent.objects.select_for_update().filter(window=window, closed_at__isnull=True).first()
    if event is None:
        raise Conflict(f"{window}没有开启中的潮汐窗口记录", code="hall.tidal_not_open")
    if Ticket.objects.filter(window=window, status__in=ACTIVE).exists():
        raise Conflict(f"{window}还有正在办理的号，请办结后再关闭", code="hall.window_busy")
    window_set_open(actor=actor, window=window, is_open=False)
    event.closed_at = timezone.now()
    event.save(update_fields=["closed_at"])
    minutes = int((event.closed_at - event.opened_at).total_seconds() // 60)
    record(
        actor=actor,
        action=AuditAction.TIDAL_CLOSED,
        target=event,
        before={"is_open": True},
        after={"window": window.number, "minutes": minutes},
        town=window.town,
        summary=f"关闭潮汐窗口 {window}（开启{minutes}分钟）",
    )
    board_changed(window.center_id)
    return event


def tidal_events(center: ServiceCenter, *, limit: int = 50):
    return TidalEvent.objects.filter(window__center=center).select_related("window", "category", "opened_by", "staff")[
        :limit
    ]
