"""Template helpers for portal pages: the signed-in citizen and the town the visitor chose (remembered)."""

from django import template
from django.conf import settings

from onewindow.citizens.session import current_citizen, terminal_town_code

register = template.Library()

# The town chosen on the portal home, remembered in a cookie (a region code: not personal data).
TOWN_COOKIE = "ow_town"


@register.simple_tag(takes_context=True)
def portal_citizen(context):
    """The citizen signed in on this browser, or None (also on pages without a request)."""
    request = context.get("request")
    return current_citizen(request) if request is not None and hasattr(request, "session") else None


@register.simple_tag(takes_context=True)
def portal_town_code(context):
    """The town code the visitor chose on the portal home; a page's own `town` wins."""
    town = context.get("town")
    if town is not None and getattr(town, "code", None):
        return town.code
    request = context.get("request")
    code = request.COOKIES.get(TOWN_COOKIE, "") if request is not None else ""
    return code if code.isdigit() and len(code) == 12 else ""


@register.simple_tag(takes_context=True)
def portal_terminal(context):
    """{"town", "idle", "citizen"} when this browser is a hall self-service terminal, else None."""
    request = context.get("request")
    if request is None or not hasattr(request, "session"):
        return None
    code = terminal_town_code(request)
    if not code:
        return None
    return {
        "town": code,
        "idle": settings.ONEWINDOW_TERMINAL_IDLE_SECONDS,
        "citizen": current_citizen(request) is not None,
    }
