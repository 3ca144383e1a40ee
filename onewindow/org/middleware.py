"""Device browser sessions (取号机、大屏、窗口屏): long-lived, and bound to the token they were opened with.

A kiosk stands in the hall all night and must still be signed in the next morning, so device sessions do
not idle out (IdleTimeoutMiddleware skips them) and their expiry slides forward, written at most once a day.
A session opened with a token ends at the next request once that token is revoked or replaced; the device
then lands on the device sign-in page with the reason.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

from onewindow.core.roles import Role
from onewindow.org.services.devices import token_still_valid

DEVICE_TOKEN_SESSION_KEY = "onewindow_device_token"
_RENEWED_AT = "onewindow_device_renewed"
_RENEW_SECONDS = 24 * 3600


def is_device_session(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.role == Role.DEVICE)


def open_device_session(request, digest: str | None) -> None:
    """Called right after login(): remember the token's digest (None for a password sign-in) and the expiry."""
    if digest is not None:
        request.session[DEVICE_TOKEN_SESSION_KEY] = digest
    request.session.set_expiry(settings.ONEWINDOW_DEVICE_SESSION_DAYS * 24 * 3600)
    request.session[_RENEWED_AT] = time.time()


class DeviceSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_device_session(request):
            digest = request.session.get(DEVICE_TOKEN_SESSION_KEY)
            if digest is not None and not token_still_valid(request.user, digest):
                logout(request)
                messages.warning(request, "本设备的令牌已停用或已重新签发，请输入中心主任新签发的设备令牌。")
            elif time.time() - request.session.get(_RENEWED_AT, 0) > _RENEW_SECONDS:
                open_device_session(request, None)
        return self.get_response(request)
