"""设备管理: the director's list of the town's device accounts (取号机、大屏、窗口屏、评价器) and their tokens.

A new token is shown once, in the response to the POST that issued it, and never again: the page is not
cached and the token is neither put in a message nor in the session.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from onewindow.core.errors import Forbidden, ValidationFailed
from onewindow.core.parsing import int_or_none
from onewindow.core.roles import Role
from onewindow.hall.views.manage import managed_center
from onewindow.org.models import User, Window
from onewindow.org.services import devices


def _devices_context(center) -> dict:
    accounts = list(User.objects.filter(town_id=center.town_id, role=Role.DEVICE).order_by("-is_active", "name", "pk"))
    tokens = dict(Token.objects.filter(user__in=accounts).values_list("user_id", "created"))
    for account in accounts:
        account.token_created = tokens.get(account.pk)
    windows = Window.objects.filter(center=center).order_by("number")
    return {"center": center, "devices": accounts, "windows": windows, "form": {}, "errors": {}}


def _device_post(request, center):
    action = request.POST.get("action")
    if action == "create":
        device = devices.device_create(actor=request.user, town=center.town, name=request.POST.get("name", ""))
        return device, devices.device_token_issue(actor=request.user, device=device), f"已新增设备“{device.name}”"
    device = User.objects.filter(
        town_id=center.town_id, role=Role.DEVICE, pk=int_or_none(request.POST.get("device"))
    ).first()
    if device is None:
        raise ValidationFailed("请选择本镇街的设备账号")
    if action == "issue":
        return device, devices.device_token_issue(actor=request.user, device=device), None
    if action == "revoke":
        revoked = devices.device_token_revoke(actor=request.user, device=device)
        done = f"已停用“{device.name}”的令牌，该设备需重新登录" if revoked else f"“{device.name}”没有有效令牌"
        return device, None, done
    if action in ("disable", "enable"):
        devices.device_set_active(actor=request.user, device=device, active=action == "enable")
        return device, None, f"已{'启用' if action == 'enable' else '停用'}设备“{device.name}”"
    raise ValidationFailed("不支持的操作")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def hall_devices(request, center_id: int):
    center = managed_center(request.user, center_id)
    if request.method == "POST":
        try:
            device, token, done = _device_post(request, center)
        except (ValidationFailed, Forbidden) as error:
            context = _devices_context(center)
            context.update(form=request.POST, errors=error.fields, error_message=error.message)
            return render(request, "hall/manage/devices.html", context, status=error.status)
        if token is None:
            messages.success(request, done)
            return redirect("hall-devices", center.pk)
        context = _devices_context(center)
        context.update(issued_device=device, issued_key=token.key, done=done)
        return render(request, "hall/manage/devices.html", context)
    return render(request, "hall/manage/devices.html", _devices_context(center))
