"""The citizen's portal session: a key in the Django session, separate from staff sign-in.

A browser may hold a staff login and a citizen login at once (a clerk testing the portal); signing the
citizen out clears only the citizen's part unless the whole session is the citizen's.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import timezone

from onewindow.citizens.models import Citizen

SESSION_KEY = "onewindow_citizen_id"


def login_citizen(request, citizen: Citizen) -> None:
    """Bind the citizen to this browser; a new session key guards against session fixation."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = citizen.pk
    request._citizen = citizen
    Citizen.objects.filter(pk=citizen.pk).update(last_login_at=timezone.now())


def logout_citizen(request) -> None:
    """Forget the citizen; a session holding nothing else is flushed entirely."""
    if request.user.is_authenticated:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session.flush()
    request._citizen = None


def current_citizen(request) -> Citizen | None:
    if not hasattr(request, "_citizen"):
        pk = request.session.get(SESSION_KEY)
        request._citizen = Citizen.objects.filter(pk=pk, is_active=True).first() if pk else None
    return request._citizen


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
