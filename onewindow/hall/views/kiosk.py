"""The self-service kiosk (自助取号机): big touch buttons per category, the green channel, an optional ID number
typed by a card reader, appointment check-in, and a printable 80 mm ticket.

The kiosk is the town's DEVICE account signed in through the device sign-in page below (the staff login page
refuses device accounts), or a staff member of the town; an anonymous browser is sent to sign in, another
town's device or staff gets 404.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth import REDIRECT_FIELD_NAME, authenticate, login
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from onewindow.catalog.qr import qr_svg
from onewindow.core import pii
from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.core.lockout import AccountLocked
from onewindow.core.middleware import client_ip
from onewindow.core.ratelimit import FailureLimit
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role
from onewindow.hall import selectors
from onewindow.hall.models import PriorityKind, TicketSource
from onewindow.hall.services.appointments import appointment_check_in
from onewindow.hall.services.tickets import ticket_issue
from onewindow.hall.views.common import follow_url
from onewindow.org.middleware import open_device_session
from onewindow.org.services.devices import device_for_token, record_token_sign_in, token_digest
from onewindow.org.services.staff import record_failed_login, record_login

TOKEN_GUESSES = FailureLimit(scope="device_token", limit=10, window_seconds=15 * 60)

ELDERLY_AGE = 60  # 老年人权益保障法: 六十周岁以上


def kiosk_required(view):
    """Signed in (device or staff); anonymous browsers go to the device sign-in page and come back."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("hall:device-sign-in"))
        return view(request, *args, **kwargs)

    return wrapped


@require_http_methods(["GET", "POST"])
def device_sign_in(request):
    """设备登录: a device types (or a barcode reader types) the token its director issued; staff may sign in
    with their own account to take tickets on someone's behalf."""
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    context = {"next": target, "username": ""}
    if request.method == "POST":
        signed_in = _token_sign_in(request, context) if "token" in request.POST else _password_sign_in(request, context)
        if signed_in is None:
            return render(request, "hall/device_sign_in.html", context, status=400)
        if not target:
            center = selectors.own_center(signed_in)
            target = reverse("hall:kiosk", args=[center.pk]) if center else reverse("home")
        return redirect(target)
    return render(request, "hall/device_sign_in.html", context)


def _token_sign_in(request, context):
    who = client_ip(request) or "unknown"
    TOKEN_GUESSES.check(who)
    device = device_for_token(request.POST.get("token") or "")
    if device is None:
        TOKEN_GUESSES.fail(who)
        context.update(token_error="设备令牌不正确或已停用，请核对中心主任签发的令牌", mode="token")
        return None
    login(request, device, backend="django.contrib.auth.backends.ModelBackend")
    open_device_session(request, token_digest(request.POST["token"].strip()))
    record_token_sign_in(device)
    return device


def _password_sign_in(request, context):
    username = (request.POST.get("username") or "").strip()[:150]
    user = authenticate(request, username=username, password=request.POST.get("password") or "")
    if getattr(request, "axes_locked_out", False):
        raise AccountLocked()
    if user is None:
        record_failed_login(username)
    if user is None or not user.is_active or effective_role(user) not in selectors.KIOSK_ROLES:
        context.update(username=username, error="用户名或密码错误，或该账号不能用于取号机", mode="password")
        return None
    login(request, user)
    record_login(user)
    if user.role == Role.DEVICE:
        open_device_session(request, None)
    return user


def _kiosk_context(request, center, *, id_number: str = "", priority: str = "", error: str = ""):
    now = timezone.now()
    is_open, closed_reason = selectors.hall_open_now(center, now)
    enabled = [kind for kind in PriorityKind if kind.value in center.hall_settings.priority_kinds]
    return {
        "center": center,
        "now": timezone.localtime(now),
        "queues": selectors.category_queues(center, now=now),
        "priority_kinds": enabled,
        "priority": priority,
        "id_number": id_number,
        "id_masked": pii.mask_id_number(id_number) if id_number else "",
        "is_open": is_open,
        "closed_reason": closed_reason,
        "error": error,
    }


def _read_id(raw: str) -> tuple[str, str]:
    """(valid ID number or "", Chinese error or "")."""
    raw = (raw or "").strip()
    if not raw:
        return "", ""
    try:
        return pii.validate_id_number(raw), ""
    except ValidationFailed as exc:
        return "", exc.full_message


@kiosk_required
@require_http_methods(["GET", "POST"])
def kiosk(request, center_id: int):
    center = selectors.kiosk_center(request.user, center_id)
    if request.method == "GET":
        return render(request, "hall/kiosk.html", _kiosk_context(request, center))
    data = request.POST
    priority = data.get("priority") or ""
    id_number, id_error = _read_id(data.get("id_number"))
    if id_error:
        context = _kiosk_context(request, center, priority=priority, error=f"身份证号码有误：{id_error}")
        return render(request, "hall/kiosk.html", context, status=400)
    if data.get("step") == "id" or not data.get("category"):
        # A card reader typed the number and pressed Enter: remember it and suggest the green channel.
        elderly = id_number and pii.age_on(id_number, timezone.localdate()) >= ELDERLY_AGE
        if elderly and not priority and PriorityKind.ELDERLY in center.hall_settings.priority_kinds:
            priority = PriorityKind.ELDERLY
        return render(
            request, "hall/kiosk.html", _kiosk_context(request, center, id_number=id_number, priority=priority)
        )
    try:
        category = selectors.center_category(center, data.get("category"))
        ticket = ticket_issue(
            actor=request.user, category=category, source=TicketSource.KIOSK, priority=priority, id_number=id_number
        )
    except DomainError as exc:
        context = _kiosk_context(request, center, id_number=id_number, priority=priority, error=exc.full_message)
        return render(request, "hall/kiosk.html", context, status=exc.status)
    return redirect(reverse("hall:kiosk-ticket", args=[center.pk, ticket.follow_token]) + "?print=1")


@kiosk_required
def kiosk_ticket(request, center_id: int, token: str):
    """The 80 mm ticket: printed at once, then back to the start page after 15 seconds."""
    center = selectors.kiosk_center(request.user, center_id)
    ticket = selectors.kiosk_ticket(center, token)
    position = selectors.ticket_position(ticket)
    context = {
        "center": center,
        "ticket": ticket,
        "priority_label": PriorityKind(ticket.priority).label if ticket.priority else "",
        "people_ahead": position.people_ahead if position else 0,
        "wait_minutes": selectors.wait_minutes(ticket.estimated_wait_seconds),
        "issued_at": timezone.localtime(ticket.arrived_at),
        "qr": qr_svg(follow_url(request, ticket), title="扫码查看排队进度"),
        "autoprint": request.GET.get("print") == "1",
        "back": reverse("hall:kiosk", args=[center.pk]),
    }
    return render(request, "hall/kiosk_ticket.html", context)


@kiosk_required
@require_http_methods(["GET", "POST"])
def kiosk_check_in(request, center_id: int):
    """预约签到: the appointment code on the on-screen number pad → a ticket of the booked category."""
    center = selectors.kiosk_center(request.user, center_id)
    context = {"center": center, "code": "", "keys": "123456789"}
    if request.method == "POST":
        code = "".join(ch for ch in request.POST.get("code", "") if ch.isdigit())[:8]
        try:
            ticket = appointment_check_in(actor=request.user, center=center, code=code)
        except DomainError as exc:
            context.update(code=code, error=exc.full_message)
            return render(request, "hall/kiosk_check_in.html", context, status=exc.status)
        return redirect(reverse("hall:kiosk-ticket", args=[center.pk, ticket.follow_token]) + "?print=1")
    return render(request, "hall/kiosk_check_in.html", context)


urlpatterns = [
    path("hall/device/sign-in/", device_sign_in, name="device-sign-in"),
    path("hall/<int:center_id>/kiosk/", kiosk, name="kiosk"),
    path("hall/<int:center_id>/kiosk/check-in/", kiosk_check_in, name="kiosk-check-in"),
    path("hall/<int:center_id>/kiosk/ticket/<str:token>/", kiosk_ticket, name="kiosk-ticket"),
]
