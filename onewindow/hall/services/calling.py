"""Window actions: call next (an atomic claim), recall, no-show, transfer, hold, finish."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record
from onewindow.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role
from onewindow.hall.events import board_changed
from onewindow.hall.models import HallSettings, QueueCategory, Ticket, TicketStatus
from onewindow.hall.services.tickets import next_ticket_sequence
from onewindow.org.models import Window

WINDOW_ROLES = frozenset(
    {Role.FRONT_CLERK, Role.CONSULT_CLERK, Role.OUTPUT_CLERK, Role.CENTER_DIRECTOR, Role.COORDINATOR}
)
ACTIVE = (TicketStatus.CALLED, TicketStatus.SERVING)


def _require_window_staff(actor, window: Window) -> None:
    if effective_role(actor) not in WINDOW_ROLES:
        raise Forbidden("只有窗口工作人员可以叫号")
    if actor.town_id != window.town_id:
        raise NotFound()


def _audit(ticket: Ticket, actor, action, summary: str, **after) -> None:
    record(
        actor=actor,
        action=action,
        target=ticket,
        before=None,
        after={"number": ticket.number, "status": ticket.status, **after},
        town=ticket.window.town if ticket.window_id else ticket.center.town,
        summary=f"{ticket.number} {summary}",
    )
    board_changed(ticket.center_id)


def _candidates(window: Window, day):
    order = list(window.queues.values_list("category_id", flat=True))
    if not order:
        raise Conflict("该窗口未设置叫号类别，请中心主任在大厅设置中配置", code="hall.no_profile")
    rank = Case(*[When(category_id=c, then=Value(i)) for i, c in enumerate(order)], output_field=IntegerField())
    return Ticket.objects.filter(
        center_id=window.center_id, day=day, status=TicketStatus.WAITING, category_id__in=order
    ).annotate(rank=rank)


def _pick(window: Window, settings: HallSettings, now):
    """The next ticket for this window, locked (others skip it): priority first, unless a normal ticket has
    waited too long or the last calls here were all priority (green channel without starving the rest)."""
    waiting = _candidates(window, timezone.localdate(now))
    locked = waiting.select_for_update(skip_locked=True, of=("self",))
    overdue_normal = locked.filter(
        priority="", arrived_at__lte=now - timedelta(minutes=settings.max_normal_wait_minutes)
    )
    recent = list(
        Ticket.objects.filter(window=window, called_at__isnull=False)
        .order_by("-called_at")
        .values_list("priority", flat=True)[: settings.priority_ratio]
    )
    priority_streak = len(recent) == settings.priority_ratio and all(recent)
    if priority_streak or overdue_normal.exists():
        ticket = locked.filter(priority="").order_by("arrived_at", "id").first()
        if ticket is not None:
            return ticket
    ticket = locked.exclude(priority="").order_by("rank", "arrived_at", "id").first()
    return ticket or locked.order_by("rank", "arrived_at", "id").first()


@transaction.atomic
def call_next(*, actor, window: Window) -> Ticket | None:
    """Claims the next waiting ticket for the window; None when nobody is waiting. Two windows calling at
    the same moment never get the same ticket (the claimed row is locked; the other window skips it)."""
    window = Window.objects.select_for_update(of=("self",)).select_related("center", "town").get(pk=window.pk)
    _require_window_staff(actor, window)
    if not window.is_open:
        raise Conflict(f"{window}已关闭，不能叫号", code="hall.window_closed")
    if Ticket.objects.filter(window=window, status__in=ACTIVE).exists():
        raise Conflict("请先办结、暂挂或过号当前号，再叫下一位", code="hall.window_busy")
    now = timezone.now()
    settings = HallSettings.objects.get(center_id=window.center_id)
    ticket = _pick(window, settings, now)
    if ticket is None:
        return None
    ticket.status, ticket.called_at, ticket.window, ticket.staff = TicketStatus.CALLED, now, window, actor
    ticket.save(update_fields=["status", "called_at", "window", "staff"])
    _audit(ticket, actor, AuditAction.TICKET_CALLED, f"请到{window.number}号窗口", window=window.number)
    return ticket


def _own_ticket(actor, ticket: Ticket, window: Window) -> Ticket:
    window = Window.objects.select_related("town").get(pk=window.pk)
    _require_window_staff(actor, window)
    ticket = Ticket.objects.select_for_update(of=("self",)).select_related("center__town").get(pk=ticket.pk)
    if ticket.window_id != window.pk:
        raise Conflict(f"{ticket.number}不是{window}叫的号", code="hall.not_this_window")
    return ticket


@transaction.atomic
def ticket_recall(*, actor, ticket: Ticket, window: Window) -> Ticket:
    ticket = _own_ticket(actor, ticket, window)
    if ticket.status != TicketStatus.CALLED:
        raise Conflict("只能重呼已叫号未到的号", code="hall.illegal_transition")
    ticket.recalls += 1
    ticket.save(update_fields=["recalls"])
    _audit(ticket, actor, AuditAction.TICKET_RECALLED, f"第{ticket.recalls}次重呼", recalls=ticket.recalls)
    return ticket


@transaction.atomic
def ticket_start(*, actor, ticket: Ticket, window: Window) -> Ticket:
    """The person is at the counter (办理中)."""
    ticket = _own_ticket(actor, ticket, window)
    if ticket.status != TicketStatus.CALLED:
        raise Conflict("只能开始办理已叫到的号", code="hall.illegal_transition")
    ticket.status = TicketStatus.SERVING
    ticket.save(update_fields=["status"])
    _audit(ticket, actor, AuditAction.TICKET_STARTED, "开始办理")
    return ticket


@transaction.atomic
def ticket_no_show(*, actor, ticket: Ticket, window: Window) -> Ticket:
    ticket = _own_ticket(actor, ticket, window)
    settings = HallSettings.objects.get(center_id=ticket.center_id)
    if ticket.status != TicketStatus.CALLED:
        raise Conflict("只能对已叫号未到的号做过号处理", code="hall.illegal_transition")
    if ticket.recalls < settings.recalls_before_no_show:
        raise Conflict(f"请先重呼（至少{settings.recalls_before_no_show}次）再做过号处理", code="hall.recall_first")
    ticket.status, ticket.finished_at = TicketStatus.NO_SHOW, timezone.now()
    ticket.save(update_fields=["status", "finished_at"])
    _audit(ticket, actor, AuditAction.TICKET_NO_SHOW, "过号")
    return ticket


@transaction.atomic
def ticket_hold(*, actor, ticket: Ticket, window: Window, reason: str = "") -> Ticket:
    """暂挂: the person steps away (copies, a missing paper) and comes back to the same window."""
    ticket = _own_ticket(actor, ticket, window)
    if ticket.status not in ACTIVE:
        raise Conflict("只能暂挂正在办理的号", code="hall.illegal_transition")
    ticket.status = TicketStatus.HELD
    ticket.save(update_fields=["status"])
    _audit(ticket, actor, AuditAction.TICKET_HELD, "暂挂", reason=(reason or "")[:100])
    return ticket


@transaction.atomic
def ticket_resume(*, actor, ticket: Ticket, window: Window) -> Ticket:
    ticket = _own_ticket(actor, ticket, window)
    if ticket.status != TicketStatus.HELD:
        raise Conflict("该号未暂挂", code="hall.illegal_transition")
    if Ticket.objects.filter(window=window, status__in=ACTIVE).exclude(pk=ticket.pk).exists():
        raise Conflict("请先办结当前号，再恢复暂挂的号", code="hall.window_busy")
    ticket.status = TicketStatus.SERVING
    ticket.save(update_fields=["status"])
    _audit(ticket, actor, AuditAction.TICKET_RESUMED, "恢复办理")
    return ticket


@transaction.atomic
def ticket_transfer(*, actor, ticket: Ticket, window: Window, category: QueueCategory) -> Ticket:
    """Sends the person to another category's queue, keeping their original arrival time."""
    ticket = _own_ticket(actor, ticket, window)
    if category.center_id != ticket.center_id:
        raise ValidationFailed(fields={"category": "只能转到本中心的取号类别"})
    if category.pk == ticket.category_id:
        raise ValidationFailed(fields={"category": "已在该类别排队"})
    if ticket.status not in (*ACTIVE, TicketStatus.HELD):
        raise Conflict("只能转移正在办理的号", code="hall.illegal_transition")
    sequence = next_ticket_sequence(category, ticket.day)
    moved = Ticket.objects.create(
        center_id=ticket.center_id,
        category=category,
        day=ticket.day,
        sequence=sequence,
        number=f"{category.prefix}{sequence:03d}",
        priority=ticket.priority,
        source=ticket.source,
        arrived_at=ticket.arrived_at,
        id_index=ticket.id_index,
        transferred_from=ticket,
        follow_token=secrets.token_urlsafe(16)[:22],
    )
    # The phone keeps following the old token; the follow page leads from it to this ticket.
    ticket.status, ticket.finished_at = TicketStatus.TRANSFERRED, timezone.now()
    ticket.save(update_fields=["status", "finished_at"])
    _audit(ticket, actor, AuditAction.TICKET_TRANSFERRED, f"转至{category.name}（{moved.number}）", to=moved.number)
    return moved


@transaction.atomic
def ticket_finish(*, actor, ticket: Ticket, window: Window) -> Ticket:
    ticket = _own_ticket(actor, ticket, window)
    if ticket.status not in (*ACTIVE, TicketStatus.HELD):
        raise Conflict("该号不在办理中", code="hall.illegal_transition")
    ticket.status, ticket.finished_at = TicketStatus.DONE, timezone.now()
    ticket.save(update_fields=["status", "finished_at"])
    _audit(ticket, actor, AuditAction.TICKET_FINISHED, "办结")
    return ticket
