"""The citizen's portal session: a key in the Django session, separate from staff sign-in.

A browser may hold a staff login and a citizen login at once (a clerk testing the portal, or a hall's
self-service terminal signed in as the town's device account); signing the citizen out clears only the
citizen's part unless the whole session is the citizen's.

Convention for every portal feature: session keys that belong to the citizen start with CITIZEN_PREFIX
("onewindow_citizen"), so sign-out and the terminal's idle timeout clear all of them at once.
"""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from onewindow.audit.services import AuditActor
from onewindow.citizens.models import Citizen

CITIZEN_PREFIX = "onewindow_citizen"
SESSION_KEY = "onewindow_citizen_id"
# When the citizen last did something on a terminal (epoch seconds): the server-side idle clock.
SEEN_KEY = "onewindow_citizen_seen"
# Set on a self-service terminal's session (the town's device or staff account): {"town": code}. Not the
# citizen's: it survives the citizen's sign-out, so the next person gets the terminal layout again.
TERMINAL_KEY = "onewindow_terminal"


def login_citizen(request, citizen: Citizen) -> None:
    """Bind the citizen to this browser; a new session key guards against session fixation."""
    clear_citizen_data(request)
    request.session.cycle_key()
    request.session[SESSION_KEY] = citizen.pk
    request.session[SEEN_KEY] = time.time()
    request._citizen = citizen


def clear_citizen_data(request) -> None:
    """Every session key of the citizen's (see CITIZEN_PREFIX), leaving staff and terminal keys."""
    keys = list(request.session.keys())  # a session is not iterable
    for key in [k for k in keys if k.startswith(CITIZEN_PREFIX)]:
        del request.session[key]
    request._citizen = None


def logout_citizen(request) -> None:
    """Forget the citizen; a session holding nothing else is flushed entirely."""
    if request.user.is_authenticated:
        clear_citizen_data(request)
        # Pending messages may name what the citizen did; the next person at a terminal must not see them.
        storage = getattr(request, "_messages", None)
        if storage is not None:
            for _ in storage:  # marks them used: not stored again after this response
                pass
            storage._loaded_messages.clear()  # and not shown in it either (Django's storage keeps them here)
            storage._queued_messages.clear()
    else:
        request.session.flush()
    request._citizen = None


def terminal_town_code(request) -> str:
    """The town code when this browser is a self-service terminal, else ""."""
    if not hasattr(request, "session"):
        return ""
    flag = request.session.get(TERMINAL_KEY)
    return flag.get("town", "") if isinstance(flag, dict) and request.user.is_authenticated else ""


def current_citizen(request) -> Citizen | None:
    """The signed-in citizen (read once per request)."""
    if not hasattr(request, "_citizen"):
        pk = request.session.get(SESSION_KEY)
        request._citizen = Citizen.objects.filter(pk=pk, is_active=True).first() if pk else None
    return request._citizen


def expire_idle_terminal_citizen(request) -> None:
    """On a terminal, a citizen idle longer than ONEWINDOW_TERMINAL_IDLE_SECONDS is signed out on the server, so a
    terminal whose page script stopped still forgets them. Run before the view (TerminalIdleMiddleware), never
    while a page is being drawn."""
    if SESSION_KEY not in request.session or not terminal_town_code(request):
        return
    citizen = current_citizen(request)
    if citizen is None:
        return
    now = time.time()
    seen = request.session.get(SEEN_KEY)
    if seen is None or now - seen > settings.ONEWINDOW_TERMINAL_IDLE_SECONDS:
        from onewindow.citizens.services.accounts import citizen_sign_out

        citizen_sign_out(citizen=citizen, timed_out=True)
        logout_citizen(request)
        request.citizen_timed_out = True
    else:
        request.session[SEEN_KEY] = now


class TerminalIdleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        expire_idle_terminal_citizen(request)
        return self.get_response(request)


def citizen_actor(citizen: Citizen) -> AuditActor:
    """The audit actor for a citizen's own actions: masked name (or masked mobile), role "citizen"."""
    return AuditActor(name=f"办事群众{citizen.display_name}", role="citizen")


def citizen_required(view):
    """The signed-in citizen as `request.citizen`; anyone else goes to the portal sign-in and comes back."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        citizen = current_citizen(request)
        if citizen is None:
            return redirect_to_login(request.get_full_path(), reverse("citizens:login"))
        request.citizen = citizen
        return view(request, *args, **kwargs)

    return wrapped
