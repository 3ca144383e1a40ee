"""The window console (窗口叫号): the current ticket and one button per action, each a POST to one service.

Errors come back in Chinese through messages and nothing changes (the services check window, state and owner).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, re_path
from django.utils import timezone
from django.views.decorators.http import require_POST

from onewindow.core.errors import DomainError, NotFound, ValidationFailed
from onewindow.hall import selectors
from onewindow.hall.models import HallSettings, PriorityKind, TicketStatus
from onewindow.hall.services import calling

# action → (service, what the clerk is told); every action but call-next names its ticket in the form.
ACTIONS = {
    "call-next": (None, ""),
    "recall": (calling.ticket_recall, "已重呼 {number}（第{recalls}次）"),
    "start": (calling.ticket_start, "{number} 开始办理"),
    "hold": (calling.ticket_hold, "{number} 已暂挂"),
    "resume": (calling.ticket_resume, "{number} 已恢复办理"),
    "no-show": (calling.ticket_no_show, "{number} 已做过号处理"),
    "transfer": (calling.ticket_transfer, "已转至“{category}”，新号 {number}"),
    "finish": (calling.ticket_finish, "{number} 已办结"),
}


@login_required
def window_list(request):
    windows = list(selectors.windows_for(request.user).select_related("center"))
    return render(request, "hall/window_list.html", {"windows": windows})


@login_required
def console(request, window_id: int):
    window = selectors.window_for(request.user, window_id)
    current = selectors.window_current(window)
    today = timezone.localdate()
    settings = HallSettings.objects.filter(center_id=window.center_id).first()
    context = {
        "window": window,
        "current": current,
        "priority_label": PriorityKind(current.priority).label if current and current.priority else "",
        "held": selectors.window_held(window, day=today),
        "waiting": selectors.window_waiting(window, day=today),
        "finished": selectors.window_finished_today(window, day=today),
        "targets": selectors.transfer_targets(current) if current else [],
        "recalls_needed": settings.recalls_before_no_show if settings else 0,
        "statuses": TicketStatus,
    }
    return render(request, "hall/window.html", context)


def _run(request, window, action: str):
    service, done = ACTIONS[action]
    actor = request.user
    if service is None:
        ticket = calling.call_next(actor=actor, window=window)
        if ticket is None:
            messages.info(request, "目前没有等候的号。")
        else:
            messages.success(request, f"已叫号 {ticket.number}，请到{window.number}号窗口。")
        return
    if not request.POST.get("ticket"):
        raise ValidationFailed("请先叫号，再进行此操作")
    ticket = selectors.window_ticket(window, request.POST.get("ticket"))
    kwargs = {}
    if action == "transfer":
        if not request.POST.get("category"):
            raise ValidationFailed(fields={"category": "请选择要转去的业务类别"})
        kwargs["category"] = selectors.center_category(window.center, request.POST.get("category"))
    if action == "hold":
        kwargs["reason"] = (request.POST.get("reason") or "")[:100]
    result = service(actor=actor, ticket=ticket, window=window, **kwargs)
    messages.success(request, done.format(number=result.number, recalls=result.recalls, category=result.category.name))


@login_required
@require_POST
def act(request, window_id: int, action: str):
    window = selectors.window_for(request.user, window_id)
    if action not in ACTIONS:
        raise NotFound()
    try:
        _run(request, window, action)
    except DomainError as exc:
        messages.error(request, f"操作未完成：{exc.full_message}")
    return redirect("hall:window", window_id=window.pk)


urlpatterns = [
    path("hall/window/", window_list, name="windows"),
    path("hall/window/<int:window_id>/", console, name="window"),
    # Only the actions above: other words under a window's address belong to other pages (its display).
    re_path(rf"^hall/window/(?P<window_id>[0-9]+)/(?P<action>{'|'.join(ACTIONS)})/$", act, name="window-act"),
]
