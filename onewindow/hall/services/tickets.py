"""Taking a ticket (取号): kiosk, phone, appointment check-in or the window itself."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record
from onewindow.core import crypto, pii
from onewindow.core.calendar import is_workday
from onewindow.core.errors import Conflict, ValidationFailed
from onewindow.core.sequences import draw_next
from onewindow.hall import estimates
from onewindow.hall.events import board_changed
from onewindow.hall.models import HallSettings, PriorityKind, QueueCategory, Ticket, TicketSequence, TicketSource


def hall_is_open(settings: HallSettings, now: datetime) -> bool:
    local = timezone.localtime(now)
    if not is_workday(local.date()):
        return False
    clock = local.strftime("%H:%M")
    return any(start <= clock < end for start, end in settings.sessions)


def next_ticket_sequence(category: QueueCategory, day) -> int:
    return draw_next(TicketSequence, category=category, day=day)


@transaction.atomic
def ticket_issue(
    *,
    actor,
    category: QueueCategory,
    source: str = TicketSource.KIOSK,
    priority: str = "",
    id_number: str = "",
    appointment=None,
    now=None,
) -> Ticket:
    """A numbered ticket with the people ahead and the estimated wait (kept to measure the estimate)."""
    now = now or timezone.now()
    if source not in TicketSource.values:
        raise ValidationFailed(fields={"source": "取号方式无效"})
    settings = HallSettings.objects.get(center_id=category.center_id)
    if priority and (priority not in PriorityKind.values or priority not in settings.priority_kinds):
        raise ValidationFailed(fields={"priority": "本中心未开通该类绿色通道"})
    if not category.is_open:
        raise Conflict(f"“{category.name}”暂停取号，请咨询导办人员", code="hall.category_closed")
    if not hall_is_open(settings, now):
        sessions = "、".join(f"{a}-{b}" for a, b in settings.sessions)
        raise Conflict(f"现在不在取号时间（工作日 {sessions}）", code="hall.closed")
    id_index = ""
    if id_number:
        id_index = crypto.blind_index(pii.validate_id_number(id_number), purpose="id_number")
    day = timezone.localdate(now)
    sequence = next_ticket_sequence(category, day)
    if category.daily_limit and sequence > category.daily_limit:
        raise Conflict(f"“{category.name}”今日号源已取完，可预约其他工作日", code="hall.sold_out")
    ticket = Ticket(
        center_id=category.center_id,
        category=category,
        day=day,
        sequence=sequence,
        number=f"{category.prefix}{sequence:03d}",
        priority=priority or "",
        source=source,
        arrived_at=now,
        id_index=id_index,
        follow_token=secrets.token_urlsafe(16)[:22],
        appointment=appointment,
    )
    ticket.save()
    ahead = estimates.people_ahead(ticket)
    ticket.estimated_wait_seconds = estimates.wait_seconds(category, ahead, now=now)
    ticket.save(update_fields=["estimated_wait_seconds"])
    record(
        actor=actor,
        action=AuditAction.TICKET_ISSUED,
        target=ticket,
        before=None,
        after={"number": ticket.number, "priority": ticket.priority, "source": source},
        town=category.center.town,
        summary=f"取号 {ticket.number}",
    )
    board_changed(category.center_id)
    ticket.people_ahead = ahead
    return ticket
