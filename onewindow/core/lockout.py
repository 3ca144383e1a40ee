"""The response for a locked-out account (django-axes): JSON for the API, a Chinese page otherwise.

Both answer 429 with the same code, so a device and a person see the same rule.
"""

from django.shortcuts import render

from onewindow.core.errors import DomainError


class AccountLocked(DomainError):
    status = 429
    code = "auth.locked"
    message = "登录失败次数过多，账号已被临时锁定，请稍后再试或联系管理员"


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        from onewindow.core.api import error_body

        error = AccountLocked()
        return JsonResponse(
            error_body(error.code, error.message), status=error.status, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "registration/locked_out.html", status=AccountLocked.status)
