"""Citizen sign-in (SMS code, unified identity), sign-out and profile.

The mobile number travels only in POST bodies: between the two sign-in steps the session keeps the code
row's id and the masked number, so neither a URL nor a log line ever carries it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.citizens.errors import OidcFailed
from onewindow.citizens.models import CodePurpose, SignInCode
from onewindow.citizens.services import accounts, oidc
from onewindow.citizens.services.codes import code_send
from onewindow.citizens.session import (
    CITIZEN_PREFIX,
    citizen_required,
    current_citizen,
    login_citizen,
    logout_citizen,
    terminal_town_code,
)
from onewindow.core.errors import DomainError
from onewindow.core.middleware import client_ip
from onewindow.core.pii import mask_mobile

PENDING = f"{CITIZEN_PREFIX}_pending_code"  # {"id": code row, "masked": 138****5678}
PENDING_MOBILE = f"{CITIZEN_PREFIX}_pending_mobile_code"
PENDING_OIDC = f"{CITIZEN_PREFIX}_oidc"


def safe_next(request, default: str = "") -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _after_sign_in(request) -> str:
    town = terminal_town_code(request)
    default = reverse("portal:terminal", args=[town]) if town else reverse("portal:home")
    return safe_next(request, default)


def _login_page(request, *, error: DomainError | None = None, status: int = 200):
    pending = request.session.get(PENDING)
    context = {
        "next": safe_next(request),
        "pending": pending if isinstance(pending, dict) else None,
        "error": error.full_message if error else "",
        "oidc_enabled": oidc.enabled(),
        "oidc_label": settings.ONEWINDOW_OIDC_BUTTON_LABEL,
        "code_minutes": max(1, settings.ONEWINDOW_CITIZEN_CODE_TTL_SECONDS // 60),
    }
    return render(request, "citizens/login.html", context, status=error.status if error else status)


@require_http_methods(["GET", "POST"])
def login(request):
    """Step 1: the mobile number → a code by SMS. Step 2: the code → signed in (the first time registers)."""
    if request.method == "GET":
        if current_citizen(request) is not None and "switch" not in request.GET:
            return redirect(_after_sign_in(request))
        return _login_page(request)
    action = request.POST.get("action", "")
    ip = client_ip(request)
    try:
        if action == "send":
            row = code_send(mobile=request.POST.get("mobile", ""), ip=ip)
            request.session[PENDING] = {"id": row.pk, "masked": mask_mobile(row.mobile)}
            messages.success(request, f"验证码已发送至 {mask_mobile(row.mobile)}，请查看短信。")
        elif action == "resend":
            pending = request.session.get(PENDING) or {}
            previous = _pending_row(pending.get("id"))
            if previous is None:
                request.session.pop(PENDING, None)
                return _login_page(request)
            row = code_send(mobile=previous.mobile, ip=ip)
            request.session[PENDING] = {"id": row.pk, "masked": mask_mobile(row.mobile)}
            messages.success(request, "验证码已重新发送。")
        elif action == "restart":
            request.session.pop(PENDING, None)
        elif action == "verify":
            pending = request.session.get(PENDING) or {}
            citizen = accounts.citizen_sign_in_with_code(
                code_id=pending.get("id"), code=request.POST.get("code", ""), ip=ip
            )
            target = _after_sign_in(request)
            login_citizen(request, citizen)
            messages.success(request, "登录成功。")
            return redirect(target)
        else:
            return _login_page(request)
    except DomainError as exc:
        return _login_page(request, error=exc)
    target = safe_next(request)
    return redirect(reverse("citizens:login") + (f"?{urlencode({REDIRECT_FIELD_NAME: target})}" if target else ""))


def _pending_row(pk):
    return SignInCode.objects.filter(pk=pk, purpose=CodePurpose.SIGN_IN).first() if str(pk).isdigit() else None


@require_POST
def logout(request):
    citizen = current_citizen(request)
    town = terminal_town_code(request)
    if citizen is not None:
        accounts.citizen_sign_out(citizen=citizen)
    logout_citizen(request)
    if town:
        return redirect("portal:terminal", town)
    messages.success(request, "您已安全退出。")
    return redirect("portal:home")


@require_GET
def oidc_start(request):
    if not oidc.enabled():
        return _login_page(request, error=OidcFailed("未开通统一身份认证登录，请使用手机验证码登录"))
    try:
        url, pending = oidc.begin(redirect_uri=_callback_uri(request))
    except DomainError as exc:
        return _login_page(request, error=exc)
    request.session[PENDING_OIDC] = {**pending, "next": safe_next(request)}
    return redirect(url)


def _callback_uri(request) -> str:
    path_ = reverse("citizens:oidc-callback")
    base = settings.ONEWINDOW_PUBLIC_BASE_URL
    return f"{base}{path_}" if base else request.build_absolute_uri(path_)


@require_GET
def oidc_callback(request):
    pending = request.session.pop(PENDING_OIDC, None)  # one use: a replayed callback finds nothing
    try:
        if not oidc.enabled():
            raise OidcFailed("未开通统一身份认证登录，请使用手机验证码登录")
        claims = oidc.complete(pending=pending, params=request.GET, redirect_uri=_callback_uri(request))
        citizen = oidc.citizen_from_claims(claims)
    except DomainError as exc:
        return _login_page(request, error=exc)
    target = (pending or {}).get("next") or _after_sign_in(request)
    login_citizen(request, citizen)
    messages.success(request, "登录成功。")
    return redirect(target)


@citizen_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """Name, ID number (masked; typing a new one replaces it), address; the mobile changes only with a code
    sent to the new number."""
    citizen = request.citizen
    context = {"citizen": citizen, "values": {"name": citizen.name, "address": citizen.address}, "errors": {}}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        ip = client_ip(request)
        try:
            if action == "save":
                context["values"] = {"name": request.POST.get("name", ""), "address": request.POST.get("address", "")}
                accounts.citizen_profile_update(
                    citizen=citizen,
                    name=request.POST.get("name", ""),
                    id_number=request.POST.get("id_number", ""),
                    address=request.POST.get("address", ""),
                )
                messages.success(request, "个人信息已保存。")
            elif action == "mobile_send":
                row = code_send(
                    mobile=request.POST.get("new_mobile", ""),
                    ip=ip,
                    purpose=CodePurpose.CHANGE_MOBILE,
                    citizen=citizen,
                )
                request.session[PENDING_MOBILE] = {"id": row.pk, "masked": mask_mobile(row.mobile)}
                messages.success(request, f"验证码已发送至新号码 {mask_mobile(row.mobile)}。")
            elif action == "mobile_verify":
                pending = request.session.get(PENDING_MOBILE) or {}
                accounts.citizen_mobile_change(
                    citizen=citizen, code_id=pending.get("id"), code=request.POST.get("code", ""), ip=ip
                )
                request.session.pop(PENDING_MOBILE, None)
                messages.success(request, "手机号码已更换，以后请用新号码登录。")
            elif action == "mobile_cancel":
                request.session.pop(PENDING_MOBILE, None)
            return redirect(safe_next(request, reverse("citizens:profile")))
        except DomainError as exc:
            context["errors"] = exc.fields
            context["error"] = exc.full_message
            status = exc.status
    pending = request.session.get(PENDING_MOBILE)
    context["pending_mobile"] = pending if isinstance(pending, dict) else None
    context["next"] = safe_next(request)
    return render(request, "citizens/profile.html", context, status=status)


urlpatterns = [
    path("account/login/", login, name="login"),
    path("account/logout/", logout, name="logout"),
    path("account/profile/", profile, name="profile"),
    path("account/oidc/", oidc_start, name="oidc-start"),
    path("account/oidc/callback/", oidc_callback, name="oidc-callback"),
]
