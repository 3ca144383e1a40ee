"""Request-wide middleware: request context for audit, idle-session timeout (等保 会话超时)."""

import re
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from onewindow.core import context
from onewindow.core.errors import DomainError
from onewindow.core.roles import Role

_LAST_SEEN = "onewindow_last_seen"
_TOUCH_INTERVAL_SECONDS = 60


def client_ip(request) -> str | None:
    """The peer address; behind the county's reverse proxy set ONEWINDOW_TRUST_X_FORWARDED_FOR."""
    if settings.ONEWINDOW_TRUST_X_FORWARDED_FOR:
        # The right-most entry is the one our proxy appended; the ones before it the client can forge.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def _request_id(request) -> str:
    """The caller's X-Request-Id when it is a plain token (it lands in logs), else a fresh one."""
    given = request.headers.get("X-Request-Id", "")
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.activate(
            context.RequestContext(
                ip=client_ip(request), request_id=request.headers.get("X-Request-Id") or uuid.uuid4().hex
            )
        )
        try:
            return self.get_response(request)
        finally:
            context.deactivate(token)


class IdleTimeoutMiddleware:
    """Signs a browser session out after ONEWINDOW_IDLE_TIMEOUT_MINUTES without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only browser sessions idle out; API tokens are authenticated later, by DRF, and are unaffected.
        # Device sessions (kiosk, board) never idle out: onewindow.org.middleware keeps them instead.
        if request.user.is_authenticated and request.user.role != Role.DEVICE:
            now = time.time()
            last_seen = request.session.get(_LAST_SEEN)
            limit = settings.ONEWINDOW_IDLE_TIMEOUT_MINUTES * 60
            if last_seen is not None and now - last_seen > limit:
                logout(request)
                messages.warning(request, "您已长时间未操作，为保护信息安全已自动退出，请重新登录。")
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect_to_login(request.get_full_path())
            # Write the session at most once a minute, not on every page view.
            if last_seen is None or now - last_seen > _TOUCH_INTERVAL_SECONDS:
                request.session[_LAST_SEEN] = now
        return self.get_response(request)


class DomainErrorMiddleware:
    """Renders a DomainError escaping an HTML view as the matching Chinese error page (404, 403, 400…).

    Views may let NotFound from a scoped selector propagate: "not found" and "not yours" look the same.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.path.startswith("/api/"):
            # Django answers a wrong method with an empty body; a person who typed the address sees a page.
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        template = {404: "404.html", 403: "403.html"}.get(exception.status, "error.html")
        return render(request, template, {"error": exception}, status=exception.status)
