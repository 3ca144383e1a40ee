"""Staff pages: home per role, windows of the town, display preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from onewindow.core.context_processors import ELDERLY, HIGH_CONTRAST, LARGE_TEXT, UI_PREFERENCES_COOKIE
from onewindow.core.errors import ValidationFailed
from onewindow.core.models import Notification
from onewindow.core.roles import Role
from onewindow.core.services.notifications import mark_read, unread_for
from onewindow.org import selectors
from onewindow.org.home import tasks_for_role
from onewindow.org.services import window_set_open


def home(request):
    """Staff see their workbench; everyone else starts at the public portal (网上办事大厅)."""
    if not request.user.is_authenticated:
        return redirect("portal:home")
    user = request.user
    context = {
        "tasks": tasks_for_role(user),
        "unread": list(unread_for(user)[:5]),
        "unread_count": unread_for(user).count(),
    }
    if user.town_id:
        context["overview"] = selectors.town_overview(user, town_id=user.town_id)
    return render(request, "org/home.html", context)


@login_required
def notifications(request):
    """The staff member's reminders (超时提醒, 催办); viewing the list marks them read."""
    notes = list(Notification.objects.filter(user=request.user)[:100])
    mark_read(request.user)
    return render(request, "org/notifications.html", {"notes": notes})


@login_required
def window_list(request):
    windows = selectors.windows_for(request.user).order_by("town__code", "number")
    return render(
        request,
        "org/window_list.html",
        {
            "windows": windows,
            "can_toggle": request.user.role in {Role.COUNTY_ADMIN, Role.CENTER_DIRECTOR},
        },
    )


@login_required
@require_POST
def window_toggle(request, window_id: int):
    """Opens or closes a window. The form says which state it wants, so a stale page cannot flip a
    window that someone else changed meanwhile."""
    window = selectors.window_get(request.user, window_id=window_id)  # another town's: 404 first
    wanted = request.POST.get("is_open")
    if wanted not in {"0", "1"}:
        raise ValidationFailed("请求缺少窗口的目标状态，请刷新页面后重试")
    window = window_set_open(actor=request.user, window=window, is_open=wanted == "1")
    messages.success(request, f"{window}已{'开启' if window.is_open else '关闭'}。")
    return redirect("window-list")


@require_http_methods(["POST"])
def ui_preferences(request):
    """Large text, high contrast and the elderly mode (适老化) are remembered in a cookie for a year.

    The elderly-mode button posts toggle=elderly and keeps the other two; the checkboxes keep the elderly mode.
    """
    current = set(request.COOKIES.get(UI_PREFERENCES_COOKIE, "").split("."))
    if request.POST.get("toggle") == ELDERLY:
        kept = [p for p in (LARGE_TEXT, HIGH_CONTRAST) if p in current]
        chosen = kept if ELDERLY in current else [*kept, ELDERLY]
    else:
        chosen = [p for p in (LARGE_TEXT, HIGH_CONTRAST) if request.POST.get(p) == "on"]
        chosen += [ELDERLY] if ELDERLY in current else []
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    response.set_cookie(UI_PREFERENCES_COOKIE, ".".join(chosen), max_age=365 * 86400, samesite="Lax")
    return response
