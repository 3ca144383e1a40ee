"""Appointments (预约取号): slots per category and day with a quota, booking with a code, cancelling, and
check-in at the kiosk that turns the appointment into a ticket.

No overbooking: booking and cancelling lock the slot row first, so the `booked` counter is read and written by
one transaction at a time; the quota check and the increment cannot interleave between two phones.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record
from onewindow.core import crypto, pii
from onewindow.core.calendar import is_workday
from onewindow.core.errors import Conflict, NotFound, ValidationFailed
from onewindow.core.sms import send_after_commit
from onewindow.hall.models import (
    Appointment,
    AppointmentSlot,
    AppointmentStatus,
    HallSettings,
    QueueCategory,
    Ticket,
    TicketSource,
)
from onewindow.hall.services.tickets import ticket_issue
from onewindow.org.services.permissions import require_town_manager

SLOT_LENGTHS = (15, 20, 30, 60)
MAX_QUOTA = 50
MAX_DAYS_AHEAD = 60
# Check-in opens an hour before the slot and closes when it ends: late comers take an ordinary ticket.
CHECK_IN_EARLY = timedelta(minutes=60)


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _session_slots(sessions, length: int) -> list[tuple[time, time]]:
    slots = []
    step = timedelta(minutes=length)
    for start, end in sessions:
        cursor = datetime.combine(date.min, _clock(start))
        stop = datetime.combine(date.min, _clock(end))
        while cursor + step <= stop:
            slots.append((cursor.time(), (cursor + step).time()))
            cursor += step
    return slots


@transaction.atomic
def slots_create(
    *, actor, category: QueueCategory, days: list[date], length_minutes: int = 30, quota: int = 2, now=None
) -> list[AppointmentSlot]:
    """Slots over the hall's opening sessions on each working day given; an existing slot gets the new quota
    (never below what is already booked). Non-working days are skipped."""
    center = category.center
    require_town_manager(actor, center.town_id)
    today = timezone.localdate(now or timezone.now())
    errors = {}
    if length_minutes not in SLOT_LENGTHS:
        errors["length_minutes"] = "时段长度应为 " + "、".join(str(n) for n in SLOT_LENGTHS) + " 分钟之一"
    if not 1 <= quota <= MAX_QUOTA:
        errors["quota"] = f"每个时段的名额应在 1 到 {MAX_QUOTA} 之间"
    if not days:
        errors["days"] = "请选择日期"
    elif min(days) < today:
        errors["days"] = "不能为已经过去的日期设置预约时段"
    elif max(days) > today + timedelta(days=MAX_DAYS_AHEAD):
        errors["days"] = f"最多提前 {MAX_DAYS_AHEAD} 天设置预约时段"
    if errors:
        raise ValidationFailed(fields=errors)
    settings = HallSettings.objects.get(center=center)
    pattern = _session_slots(settings.sessions, length_minutes)
    workdays = [day for day in sorted(set(days)) if is_workday(day)]
    existing = {
        (s.day, s.start): s
        for s in AppointmentSlot.objects.select_for_update().filter(category=category, day__in=workdays)
    }
    result = []
    for day in workdays:
        for start, end in pattern:
            slot = existing.get((day, start))
            if slot is None:
                result.append(
                    AppointmentSlot.objects.create(category=category, day=day, start=start, end=end, quota=quota)
                )
                continue
            if quota < slot.booked:
                raise ValidationFailed(
                    fields={"quota": f"{day:%m月%d日} {start:%H:%M} 已有 {slot.booked} 人预约，名额不能少于已约人数"}
                )
            slot.quota = quota
            slot.save(update_fields=["quota"])
            result.append(slot)
    if workdays:
        record(
            actor=actor,
            action=AuditAction.APPOINTMENT_SLOTS_SET,
            target=category,
            before=None,
            after={"days": workdays, "length_minutes": length_minutes, "quota": quota, "slots": len(result)},
            town=center.town,
            summary=f"{category.name} 设置预约时段 {len(workdays)} 天，每时段 {quota} 人",
        )
    return result


def _new_code() -> str:
    # Digits only: the kiosk has a number pad, not a keyboard.
    return f"{secrets.randbelow(10**8):08d}"


def _clean_person(name: str, phone: str) -> tuple[str, str]:
    errors = {}
    name = (name or "").strip()
    if not 2 <= len(name) <= 30:
        errors["name"] = "请填写办事人姓名（2至30个字）"
    try:
        phone = pii.validate_mobile(phone or "")
    except ValidationFailed as exc:
        errors["phone"] = exc.message
    if errors:
        raise ValidationFailed(fields=errors)
    return name, phone


def _slot_text(slot: AppointmentSlot) -> str:
    return f"{slot.day.month}月{slot.day.day}日 {slot.start:%H:%M}-{slot.end:%H:%M}"


@transaction.atomic
def appointment_book(*, actor, slot: AppointmentSlot, name: str, phone: str, now=None) -> Appointment:
    """Books one place in the slot and texts the appointment code to the phone."""
    now = now or timezone.now()
    name, phone = _clean_person(name, phone)
    slot = (
        AppointmentSlot.objects.select_for_update(of=("self",)).select_related("category__center__town").get(pk=slot.pk)
    )
    category = slot.category
    if not category.is_open:
        raise Conflict(f"“{category.name}”暂停预约", code="hall.category_closed")
    if timezone.make_aware(datetime.combine(slot.day, slot.start)) <= now:
        raise Conflict("该时段已开始或已过去，请选择其他时段", code="hall.slot_past")
    if slot.booked >= slot.quota:
        raise Conflict("该时段已约满，请选择其他时段", code="hall.slot_full")
    phone_index = crypto.blind_index(phone, purpose="mobile")
    taken = Appointment.objects.filter(
        phone_index=phone_index, slot__day=slot.day, slot__category=category, status=AppointmentStatus.BOOKED
    )
    if taken.exists():
        raise Conflict("该手机号当天已预约此项业务；如需改约，请先取消原预约", code="hall.already_booked")
    for _ in range(5):
        appointment = Appointment(slot=slot, name=name, phone=phone, phone_index=phone_index, code=_new_code())
        try:
            with transaction.atomic():
                appointment.save()
            break
        except IntegrityError:
            continue  # the code was drawn before: draw again
    else:  # pragma: no cover - 10^8 codes
        raise Conflict("预约码生成失败，请重试", code="hall.code_exhausted")
    slot.booked += 1
    slot.save(update_fields=["booked"])
    center = category.center
    record(
        actor=actor,
        action=AuditAction.APPOINTMENT_BOOKED,
        target=appointment,
        before=None,
        after={"slot": slot.pk, "category": category.prefix, "name": pii.mask_name(name), "booked": slot.booked},
        town=center.town,
        summary=f"预约 {category.name} {_slot_text(slot)}",
    )
    send_after_commit(
        phone,
        f"您已预约{center.name}“{category.name}”{_slot_text(slot)}，预约码{appointment.code}。"
        "请在预约时段前1小时内到大厅取号机输入预约码签到取号。",
    )
    return appointment


def _appointment_for(code: str, phone: str, center=None) -> Appointment:
    code = "".join(ch for ch in str(code or "") if ch.isdigit())[:8]
    found = Appointment.objects.filter(code=code).select_related("slot__category__center__town")
    if center is not None:
        found = found.filter(slot__category__center=center)
    appointment = found.first() if code else None
    try:
        phone_index = crypto.blind_index(pii.validate_mobile(phone or ""), purpose="mobile")
    except ValidationFailed:
        phone_index = None
    if appointment is None or appointment.phone_index != phone_index:
        raise NotFound("预约码或手机号码不正确，请核对预约短信")
    return appointment


@transaction.atomic
def appointment_cancel(*, actor, code: str, phone: str, center=None) -> Appointment:
    """Cancels with the code and the phone it was booked with; the place goes back to the slot."""
    appointment = _appointment_for(code, phone, center)
    # Slot first, then the appointment: the same order as booking, so the two never wait on each other.
    slot = AppointmentSlot.objects.select_for_update().get(pk=appointment.slot_id)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != AppointmentStatus.BOOKED:
        raise Conflict(f"该预约{appointment.get_status_display()}，不能再取消", code="hall.appointment_not_booked")
    appointment.status = AppointmentStatus.CANCELLED
    appointment.save(update_fields=["status"])
    slot.booked = max(0, slot.booked - 1)
    slot.save(update_fields=["booked"])
    category = appointment.slot.category
    record(
        actor=actor,
        action=AuditAction.APPOINTMENT_CANCELLED,
        target=appointment,
        before={"status": AppointmentStatus.BOOKED},
        after={"status": appointment.status, "booked": slot.booked},
        town=category.center.town,
        summary=f"取消预约 {category.name} {_slot_text(slot)}",
    )
    send_after_commit(appointment.phone, f"您预约的{category.center.name}“{category.name}”{_slot_text(slot)}已取消。")
    return appointment


@transaction.atomic
def appointment_check_in(*, actor, center, code: str, now=None) -> Ticket:
    """At the kiosk: the appointment code becomes a ticket of the slot's category (source 预约签到)."""
    now = now or timezone.now()
    digits = "".join(ch for ch in str(code or "") if ch.isdigit())[:8]
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot__category")
        .filter(code=digits, slot__category__center=center)
        .first()
        if digits
        else None
    )
    if appointment is None:
        raise NotFound("预约码不正确，请核对预约短信中的8位数字", code="hall.appointment_unknown")
    if appointment.status == AppointmentStatus.CHECKED_IN:
        number = Ticket.objects.filter(appointment=appointment).values_list("number", flat=True).first()
        raise Conflict(f"该预约已签到取号（{number}），请留意叫号", code="hall.already_checked_in")
    if appointment.status == AppointmentStatus.CANCELLED:
        raise Conflict("该预约已取消，请直接选择业务取号", code="hall.appointment_cancelled")
    slot = appointment.slot
    local = timezone.localtime(now)
    if slot.day != local.date():
        raise Conflict(f"您预约的是{_slot_text(slot)}，请在当天签到", code="hall.wrong_day")
    start = timezone.make_aware(datetime.combine(slot.day, slot.start))
    end = timezone.make_aware(datetime.combine(slot.day, slot.end))
    if now < start - CHECK_IN_EARLY:
        raise Conflict(f"签到时间未到：请在{slot.start:%H:%M}前1小时内签到", code="hall.too_early")
    if now >= end:
        raise Conflict("预约时段已过，请直接选择业务取号", code="hall.too_late")
    ticket = ticket_issue(
        actor=actor, category=slot.category, source=TicketSource.APPOINTMENT, appointment=appointment, now=now
    )
    appointment.status = AppointmentStatus.CHECKED_IN
    appointment.save(update_fields=["status"])
    return ticket
