"""Appointments: public booking and cancelling (no login), and the director's page that opens slots.

Check-in happens at the kiosk (views/kiosk.py)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from onewindow.audit.services import PUBLIC
from onewindow.core.errors import DomainError, NotFound, ValidationFailed
from onewindow.core.pii import mask_mobile
from onewindow.core.ratelimit import FailureLimit, TooManyAttempts
from onewindow.hall import selectors
from onewindow.hall.models import QueueCategory
from onewindow.hall.services.appointments import (
    MAX_QUOTA,
    SLOT_LENGTHS,
    appointment_book,
    appointment_cancel,
    slots_create,
)
from onewindow.hall.views.common import who

BOOKINGS = FailureLimit(scope="hall-booking", limit=5, window_seconds=3600)  # bookings per address and hour
CANCEL_GUESSES = FailureLimit(scope="hall-cancel")  # wrong code/phone pairs per address


class TooManyBookings(DomainError):
    status = 429
    code = "hall.rate_limited"
    message = f"同一网络1小时内最多预约{BOOKINGS.limit}次，请稍后再试或拨打中心咨询电话"


def _day(value, field: str, label: str) -> date:
    try:
        return date.fromisoformat(str(value or ""))
    except ValueError:
        raise ValidationFailed(fields={field: f"请选择{label}"}) from None


def _book_context(request, center, **extra):
    open_categories = [c for c in QueueCategory.objects.filter(center=center, is_open=True).order_by("position")]
    category = next((c for c in open_categories if str(c.pk) == request.GET.get("category")), None)
    days = selectors.bookable_days(center)
    chosen = next((d for d in days if d.isoformat() == request.GET.get("day")), days[0] if days else None)
    slots = selectors.bookable_slots(category, chosen) if category and chosen else []
    return {
        "center": center,
        "categories": open_categories,
        "category": category,
        "days": days,
        "day": chosen,
        "slots": slots,
        "data": request.POST,
        "errors": {},
        **extra,
    }


@require_http_methods(["GET", "POST"])
def book(request, center_id: int):
    center = selectors.public_center(center_id)
    if request.method == "GET":
        return render(request, "hall/book.html", _book_context(request, center))
    ip = who(request)
    try:
        try:
            BOOKINGS.check(ip)
        except TooManyAttempts:
            raise TooManyBookings() from None
        if not request.POST.get("slot"):
            raise ValidationFailed(fields={"slot": "请选择预约时段"})
        slot = selectors.center_slot(center, request.POST.get("slot"))
        appointment = appointment_book(
            actor=PUBLIC, slot=slot, name=request.POST.get("name", ""), phone=request.POST.get("phone", "")
        )
    except DomainError as exc:
        context = _book_context(request, center, error=exc.full_message, errors=exc.fields)
        return render(request, "hall/book.html", context, status=exc.status)
    BOOKINGS.fail(ip)
    context = {
        "center": center,
        "appointment": appointment,
        "slot": appointment.slot,
        "phone": mask_mobile(appointment.phone),
    }
    return render(request, "hall/booked.html", context)


@require_http_methods(["GET", "POST"])
def cancel(request, center_id: int):
    center = selectors.public_center(center_id)
    context = {"center": center, "data": request.POST}
    if request.method == "POST":
        ip = who(request)
        CANCEL_GUESSES.check(ip)
        try:
            appointment = appointment_cancel(
                actor=PUBLIC, code=request.POST.get("code", ""), phone=request.POST.get("phone", ""), center=center
            )
        except DomainError as exc:
            if isinstance(exc, NotFound):
                CANCEL_GUESSES.fail(ip)
            context["error"] = exc.full_message
            return render(request, "hall/cancel.html", context, status=exc.status)
        context["cancelled"] = appointment
    return render(request, "hall/cancel.html", context)


def _slot_form(data) -> dict:
    errors = {}
    try:
        start = _day(data.get("start"), "start", "开始日期")
    except ValidationFailed as exc:
        start, errors = None, exc.fields
    values = {}
    for field, low, high, label in (
        ("days", 1, 14, "天数"),
        ("quota", 1, MAX_QUOTA, "名额"),
        ("length", 15, 60, "时长"),
    ):
        try:
            values[field] = int(data.get(field, ""))
            if not low <= values[field] <= high:
                raise ValueError
        except ValueError:
            errors[field] = f"{label}应为 {low} 到 {high} 之间的整数"
    if errors:
        raise ValidationFailed(fields=errors)
    return {**values, "days": [start + timedelta(days=n) for n in range(values["days"])]}


@login_required
@require_http_methods(["GET", "POST"])
def slots(request, center_id: int):
    """Director: open appointment slots for the coming days, with a quota per slot."""
    center = selectors.managed_center(request.user, center_id)
    today = timezone.localdate()
    defaults = {"start": (today + timedelta(days=1)).isoformat(), "days": "5", "quota": "2", "length": "30"}
    context = {
        "center": center,
        "categories": QueueCategory.objects.filter(center=center).order_by("position"),
        "lengths": SLOT_LENGTHS,
        "data": request.POST or defaults,
        "errors": {},
    }
    if request.method == "POST":
        try:
            form = _slot_form(request.POST)
            category = selectors.center_category(center, request.POST.get("category"))
            made = slots_create(
                actor=request.user,
                category=category,
                days=form["days"],
                length_minutes=form["length"],
                quota=form["quota"],
            )
        except DomainError as exc:
            context.update(error=exc.full_message, errors=exc.fields)
        else:
            days = len({s.day for s in made})
            if made:
                messages.success(
                    request, f"“{category.name}”已设置 {days} 个工作日、{len(made)} 个预约时段（非工作日自动跳过）。"
                )
            else:
                messages.warning(request, "所选日期都不是工作日，未设置预约时段。")
            return redirect("hall:slots", center_id=center.pk)
    context["slots"] = selectors.slots_overview(center, start=today)
    return render(request, "hall/slots.html", context, status=400 if context.get("error") else 200)


urlpatterns = [
    path("hall/<int:center_id>/book/", book, name="book"),
    path("hall/<int:center_id>/book/cancel/", cancel, name="cancel"),
    path("hall/<int:center_id>/slots/", slots, name="slots"),
]
