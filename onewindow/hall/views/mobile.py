"""The phone pages, no login: take a remote ticket from the center's QR code, follow its position, and the
printable A4 poster carrying that QR code."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from onewindow.audit.services import PUBLIC
from onewindow.catalog.qr import absolute_url, qr_svg
from onewindow.core.errors import DomainError, NotFound
from onewindow.core.ratelimit import FailureLimit, TooManyAttempts
from onewindow.hall import selectors
from onewindow.hall.models import PriorityKind, TicketSource, TicketStatus
from onewindow.hall.services.tickets import ticket_issue
from onewindow.hall.views.common import who

# An abuse guard, not a quota: a script cannot empty a category's numbers from one address. People inside the
# hall who hit it are told to use the kiosk.
REMOTE_TICKETS = FailureLimit(scope="hall-remote-ticket", limit=5, window_seconds=3600)
MINE_COOKIE, MINE_SALT = "hall_ticket", "hall.follow"
LIVE = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.HELD)


class TooManyRemoteTickets(DomainError):
    status = 429
    code = "hall.rate_limited"
    message = f"同一网络1小时内最多远程取号{REMOTE_TICKETS.limit}次，请到大厅取号机取号"


def _my_ticket(request, center):
    """The ticket this phone took earlier today (signed cookie), so a reload does not take a second one."""
    token = request.get_signed_cookie(MINE_COOKIE, default=None, salt=MINE_SALT)
    if not token:
        return None
    try:
        ticket = selectors.ticket_by_follow_token(token)
    except NotFound:
        return None
    if ticket.center_id != center.pk or ticket.day != timezone.localdate() or ticket.status not in LIVE:
        return None
    return ticket


def _take_context(request, center, error: str = ""):
    is_open, closed_reason = selectors.hall_open_now(center)
    return {
        "center": center,
        "queues": selectors.category_queues(center),
        "is_open": is_open,
        "closed_reason": closed_reason,
        "mine": _my_ticket(request, center),
        "error": error,
    }


@require_http_methods(["GET", "POST"])
def take(request, center_id: int):
    center = selectors.public_center(center_id)
    if request.method == "GET":
        return render(request, "hall/take.html", _take_context(request, center))
    ip = who(request)
    try:
        try:
            REMOTE_TICKETS.check(ip)
        except TooManyAttempts:
            raise TooManyRemoteTickets() from None
        category = selectors.center_category(center, request.POST.get("category"))
        ticket = ticket_issue(actor=PUBLIC, category=category, source=TicketSource.MOBILE)
    except DomainError as exc:
        return render(request, "hall/take.html", _take_context(request, center, exc.full_message), status=exc.status)
    REMOTE_TICKETS.fail(ip)  # counts tickets taken, not failures
    response = redirect("hall:follow", token=ticket.follow_token)
    response.set_signed_cookie(
        MINE_COOKIE, ticket.follow_token, salt=MINE_SALT, max_age=12 * 3600, httponly=True, samesite="Lax"
    )
    return response


def follow_state(ticket, *, now=None) -> dict:
    """What the phone shows (page and JSON twin alike)."""
    now = now or timezone.now()
    position = selectors.ticket_position(ticket, now=now)
    window = ticket.window.number if ticket.window_id else None
    today = ticket.day == timezone.localdate(now)
    messages = {
        TicketStatus.WAITING: "排队等候中，请留意叫号" if today else "该号不是今天的号，已失效",
        TicketStatus.CALLED: f"已叫号，请到{window}号窗口",
        TicketStatus.SERVING: f"正在{window}号窗口办理",
        TicketStatus.HELD: f"已暂挂：备齐材料后请回到{window}号窗口",
        TicketStatus.DONE: "已办结，感谢您的耐心等候",
        TicketStatus.NO_SHOW: "已过号，请重新取号或咨询导办人员",
        TicketStatus.TRANSFERRED: "已转到其他业务排队",
        TicketStatus.CANCELLED: "该号已取消",
    }
    return {
        "number": ticket.number,
        "category": ticket.category.name,
        "priority": PriorityKind(ticket.priority).label if ticket.priority else "",
        "status": ticket.status,
        "status_label": ticket.get_status_display(),
        "message": messages.get(ticket.status, ticket.get_status_display()),
        "people_ahead": position.people_ahead if position else None,
        "wait_minutes": position.wait_minutes if position else None,
        "wait_text": (f"约 {position.wait_minutes} 分钟" if position.wait_minutes else "即将叫号") if position else "",
        "window": window,
        "live": today and ticket.status in LIVE,
        "url": reverse("hall:follow", args=[ticket.follow_token]),
    }


@never_cache
@require_GET
def follow(request, token: str):
    ticket = selectors.ticket_by_follow_token(token)
    if ticket.follow_token != token:  # transferred: the old QR code leads to the new number
        return redirect("hall:follow", token=ticket.follow_token)
    context = {"ticket": ticket, "center": ticket.center, "state": follow_state(ticket)}
    return render(request, "hall/follow.html", context)


@never_cache
@require_GET
def follow_json(request, token: str):
    try:
        ticket = selectors.ticket_by_follow_token(token)
    except NotFound as exc:
        return JsonResponse({"error": {"code": exc.code, "message": exc.message, "fields": {}}}, status=404)
    return JsonResponse(follow_state(ticket), json_dumps_params={"ensure_ascii": False})


@require_GET
def poster(request, center_id: int):
    """扫码取号 poster (A4) for the hall entrance; its QR code opens the phone page."""
    center = selectors.public_center(center_id)
    url = absolute_url(reverse("hall:take", args=[center.pk]), request)
    context = {"center": center, "url": url, "qr": qr_svg(url, title="扫码取号", scale=10)}
    return render(request, "hall/poster.html", context)


urlpatterns = [
    path("hall/<int:center_id>/take/", take, name="take"),
    path("hall/<int:center_id>/poster/", poster, name="poster"),
    path("hall/t/<str:token>/", follow, name="follow"),
    path("hall/t/<str:token>/json/", follow_json, name="follow-json"),
]
