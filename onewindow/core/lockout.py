"""The response for a locked-out account (django-axes): JSON for the API, a Chinese page otherwise."""

from django.http import JsonResponse
from django.shortcuts import render

from onewindow.core.api import error_body

LOCKED_MESSAGE = "登录失败次数过多，账号已被临时锁定，请稍后再试或联系管理员"


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body("auth.locked", LOCKED_MESSAGE), status=403, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "registration/locked_out.html", status=429)
