"""The hall's big screen, the per-window displays, their polling fallback and the live stream (SSE).

Screens sign in as device accounts: a session from the device sign-in page (hall:device-sign-in, shared with
the kiosk), or an `Authorization: Token …` header (kiosk browsers can add one). A token in the address is
refused: addresses end up in proxy logs.

The stream is an async view meant for the small ASGI process (DESIGN §2, §6). It checks the board version in
the cache every ~200 ms and holds no database connection while it waits: every ORM call runs through
sync_to_async and closes the connection afterwards. Under WSGI (runserver, live_server) a stream cannot
stream, so it answers 204 at once; EventSource then gives up and the page polls board.json instead.
"""

from __future__ import annotations

import asyncio
import json

from asgiref.sync import sync_to_async
from django.contrib.auth.views import redirect_to_login
from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from onewindow.core.api import error_body
from onewindow.core.errors import DomainError
from onewindow.hall.board import board_center, board_payload, board_state, board_window, event_id
from onewindow.hall.events import board_version

POLL_SECONDS = 0.2
HEARTBEAT_SECONDS = 15
# A stream ends after a while and the browser reconnects at once: the session is checked again (a disabled
# device drops off), and a display that sits idle keeps its session alive.
STREAM_SECONDS = 300
RETRY_MS = 1000
POLL_MS = 500  # the fallback's interval: a call still reaches the screen within a second


class Unauthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    message = "请先以显示设备账号登录，或在请求头中提供有效的设备令牌"


class StaleToken(DomainError):
    status = 401
    code = "authentication_failed"
    message = "设备令牌无效或已停用，请联系中心主任在配置管理中重新申领令牌"


class TokenInAddress(DomainError):
    status = 400
    code = "token_in_address"
    message = "不支持在网址中传递令牌，请登录显示设备账号或使用 Authorization 请求头"


def display_user(request):
    """The account a screen runs as: the `Authorization: Token …` header's, else the session's; None if
    neither. A wrong, rotated or disabled token is refused outright (no fallback to the session)."""
    if "token" in request.GET:
        raise TokenInAddress()
    if get_authorization_header(request):
        try:
            found = TokenAuthentication().authenticate(request)
        except AuthenticationFailed as exc:
            raise StaleToken() from exc
        if found is None:  # another scheme (Basic, Bearer…)
            raise StaleToken()
        return found[0]
    user = request.user
    return user if user.is_authenticated else None


def _json_error(exc: DomainError) -> JsonResponse:
    response = JsonResponse(
        error_body(exc.code, exc.message, exc.fields), status=exc.status, json_dumps_params={"ensure_ascii": False}
    )
    if exc.status == 401:
        response["WWW-Authenticate"] = "Token"
    return response


def _sign_in_redirect(request):
    return redirect_to_login(request.get_full_path(), login_url=reverse("hall:device-sign-in"))


# --- pages ----------------------------------------------------------------------------------------


@never_cache
@require_GET
def board_page(request, center_id):
    """The big screen (1920×1080): current calls, waiting per category with estimated waits, recent calls."""
    user = display_user(request)
    if user is None:
        return _sign_in_redirect(request)
    center = board_center(user, center_id)
    return render(request, "hall/board.html", _page_context(center, board_state(center)))


@never_cache
@require_GET
def window_display(request, window_id):
    """The screen above one window: the number called there."""
    user = display_user(request)
    if user is None:
        return _sign_in_redirect(request)
    window = board_window(user, window_id)
    state = board_state(window.center)
    current = next((w for w in state["windows"] if w["id"] == window.pk), None)
    context = _page_context(window.center, state)
    context.update(window=window, ticket=current and current["ticket"])
    return render(request, "hall/display.html", context)


def latest_calls(state: dict) -> list[dict]:
    """Windows with a current call, the newest call first (it is the one people look for)."""
    calls = [w for w in state["windows"] if w["ticket"]]
    return sorted(calls, key=lambda w: w["ticket"]["called_at"] or "", reverse=True)


def call_density(count: int) -> str:
    """How tightly the board packs its call cards (the same thresholds as hall-board.js density())."""
    return "crowded" if count > 13 else "many" if count > 7 else ""


def _page_context(center, state) -> dict:
    calls = latest_calls(state)
    return {
        "center": center,
        "state": state,
        "calls": calls,
        "density": call_density(len(calls)),
        "stream_url": reverse("hall:board-stream", args=[center.pk]),
        "json_url": reverse("hall:board-json", args=[center.pk]),
        "poll_ms": POLL_MS,
    }


@never_cache
@require_GET
def board_json(request, center_id):
    """The polling fallback: `?since=<version>&day=<day shown>` answers just the version while nothing changed."""
    try:
        user = display_user(request)
        if user is None:
            raise Unauthenticated()
        center = board_center(user, center_id)
    except DomainError as exc:
        return _json_error(exc)
    payload = board_payload(center, request.GET.get("since"), request.GET.get("day"))
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


# --- the stream -----------------------------------------------------------------------------------


def _close_connections() -> None:
    """Hands the connection back while the stream waits (never mid-transaction: tests run inside one)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


def _closing(function):
    def run(*args):
        try:
            return function(*args)
        finally:
            _close_connections()

    return run


def _open_stream(request, center_id):
    """The center to stream, or the JSON error response (401 / 403 / 404) to answer instead."""
    try:
        user = display_user(request)
        if user is None:
            raise Unauthenticated()
        return board_center(user, center_id)
    except DomainError as exc:
        return _json_error(exc)


def _event(state: dict) -> str:
    data = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event_id(state)}\nevent: board\ndata: {data}\n\n"


async def _events(center, last_seen: str | None):
    loop = asyncio.get_running_loop()
    state_of = sync_to_async(_closing(board_state))
    version_of = sync_to_async(board_version)
    await sync_to_async(_close_connections)()  # what the session middleware opened for this request
    yield f"retry: {RETRY_MS}\n\n"
    started = beat = loop.time()
    last = last_seen
    while loop.time() - started < STREAM_SECONDS:
        version = await version_of(center.pk)
        if f"{timezone.localdate().isoformat()}.{version}" != last:  # a call, or midnight
            state = await state_of(center)
            last = event_id(state)
            yield _event(state)
            beat = loop.time()
        elif loop.time() - beat >= HEARTBEAT_SECONDS:
            yield ": heartbeat\n\n"  # a comment line: keeps proxies and the browser from timing out
            beat = loop.time()
        await asyncio.sleep(POLL_SECONDS)


async def board_stream(request, center_id):
    """Server-Sent Events: the board state now (unless Last-Event-ID already has it), then after each change."""
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    if not isinstance(request, ASGIRequest):
        return HttpResponse(status=204)  # WSGI cannot stream: EventSource stops and the page polls
    opened = await sync_to_async(_closing(_open_stream))(request, center_id)
    if isinstance(opened, HttpResponse):
        return opened
    response = StreamingHttpResponse(
        _events(opened, request.headers.get("Last-Event-ID")), content_type="text/event-stream; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
