"""Portal home (choose town and village, search, quick tiles), the self-service terminal mode (自助服务终端),
and the installable web app's service worker.

The chosen town and village are remembered in cookies (region codes, nothing personal). A terminal is a
browser signed in as the town's device or staff account that opened /portal/terminal/<town>/: its session
carries TERMINAL_KEY, which switches every page to the touch layout with the idle countdown, and makes the
server forget an idle citizen by itself (onewindow.citizens.session.TerminalIdleMiddleware).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from onewindow.catalog import selectors as catalog
from onewindow.citizens.session import TERMINAL_KEY, current_citizen, logout_citizen, terminal_town_code
from onewindow.citizens.templatetags.portal_tags import TOWN_COOKIE
from onewindow.core.errors import Forbidden, NotFound
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role
from onewindow.org.models import Region, ServiceCenter

VILLAGE_COOKIE = "ow_village"
_YEAR = 365 * 86400


def _region(code: str, *, level: str) -> Region | None:
    if not (code and code.isdigit() and len(code) == 12):
        return None
    return Region.objects.filter(code=code, level=level, is_active=True).first()


def _online_items(town: Region):
    """The town's published items that can be applied for online, by name."""
    return list(catalog.public_entries(town).filter(item__current_guide__online_capable=True))


def _home_context(request, town: Region | None, village: Region | None) -> dict:
    villages = list(Region.objects.villages().filter(parent=town, is_active=True).order_by("code")) if town else []
    station = (
        ServiceCenter.objects.filter(region=village, is_active=True).first()
        if village
        else ServiceCenter.objects.filter(region=town, is_active=True).first()
        if town
        else None
    )
    return {
        "towns": list(catalog.public_towns()),
        "town": town,
        "village": village,
        "villages": villages,
        "station": station,
        "online_entries": _online_items(town) if town else [],
        "citizen": current_citizen(request),
    }


@require_safe
def home(request):
    """网上办事大厅. `?town=` (and `?village=`) choose and remember; otherwise the remembered choice."""
    chosen_town = request.GET.get("town")
    chosen_village = request.GET.get("village")
    town = _region(chosen_town if chosen_town is not None else request.COOKIES.get(TOWN_COOKIE, ""), level="town")
    village = _region(
        chosen_village if chosen_village is not None else request.COOKIES.get(VILLAGE_COOKIE, ""), level="village"
    )
    if village is not None and (town is None or village.parent_id != town.pk):
        village = None
    status = 404 if chosen_town and town is None else 200
    response = render(request, "portal/home.html", _home_context(request, town, village), status=status)
    if chosen_town is not None and status == 200:
        _remember(response, TOWN_COOKIE, town.code if town else "")
    if chosen_village is not None or (chosen_town is not None and village is None):
        _remember(response, VILLAGE_COOKIE, village.code if village else "")
    return response


def _remember(response, name: str, value: str) -> None:
    if value:
        response.set_cookie(name, value, max_age=_YEAR, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
    else:
        response.delete_cookie(name, samesite="Lax")


def _terminal_town(request, town_code: str) -> Region:
    """The town a terminal runs for: its own device account's town. Only a device account hosts citizens: under a
    staff session a citizen at the terminal would share the staff member's rights (the workbench, the admin)."""
    user = request.user
    if effective_role(user) != Role.DEVICE:
        raise Forbidden(
            "自助服务终端须以本镇街的设备账号登录开启（由中心主任在“设备管理”中签发令牌），不能使用工作人员账号"
        )
    town = _region(town_code, level="town")
    if town is None or user.town_id != town.pk:
        raise NotFound("未找到该镇街")
    return town


@never_cache
@require_safe
def terminal(request, town_code: str):
    """自助服务终端 home: huge tiles, citizen sign-in by SMS, the idle countdown (on every page of the session)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("hall:device-sign-in"))
    town = _terminal_town(request, town_code)
    request.session[TERMINAL_KEY] = {"town": town.code}
    context = _home_context(request, town, None)
    context["timed_out"] = getattr(request, "citizen_timed_out", False)
    response = render(request, "portal/terminal.html", context)
    _remember(response, TOWN_COOKIE, town.code)
    return response


@require_POST
def terminal_exit(request):
    """The technician leaves terminal mode on this browser (the citizen part is cleared with it); the device
    account stays signed in, so leaving it gives a citizen no more than the public portal."""
    town = terminal_town_code(request)
    if current_citizen(request) is not None:
        logout_citizen(request)
    request.session.pop(TERMINAL_KEY, None)
    return redirect(reverse("portal:home") + (f"?town={town}" if town else ""))


@never_cache
@require_safe
def terminal_ping(request):
    """The terminal page script reports touches here, so a citizen typing a long form stays signed in
    on the server too; the answer says whether they still are."""
    citizen = current_citizen(request) if terminal_town_code(request) else None
    return HttpResponse(status=204 if citizen is not None else 205)


@require_safe
def service_worker(request):
    """The service worker, served from the site root so its scope covers the portal and the guides."""
    found = finders.find("portal/sw.js")
    with open(found, "rb") as handle:
        body = handle.read()
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


urlpatterns = [
    path("portal/", home, name="home"),
    path("portal/terminal/ping/", terminal_ping, name="terminal-ping"),
    path("portal/terminal/exit/", terminal_exit, name="terminal-exit"),
    path("portal/terminal/<str:town_code>/", terminal, name="terminal"),
    path("sw.js", service_worker, name="service-worker"),
]
