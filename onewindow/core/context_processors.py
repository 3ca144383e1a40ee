"""Template context shared by every page: the large-font / high-contrast / elderly-mode choices (适老化)."""

from django.conf import settings

UI_PREFERENCES_COOKIE = "ow_ui"
LARGE_TEXT = "large"
HIGH_CONTRAST = "contrast"
# 长辈版: large type, high contrast and a simplified one-column layout at once, switched by one button.
ELDERLY = "elderly"


def ui_preferences(request):
    chosen = set(request.COOKIES.get(UI_PREFERENCES_COOKIE, "").split("."))
    return {
        "ui_large_text": LARGE_TEXT in chosen,
        "ui_high_contrast": HIGH_CONTRAST in chosen,
        "ui_elderly": ELDERLY in chosen,
    }


def security_policy(request):
    """The lockout and idle-timeout numbers, so pages state the rules actually in force."""
    return {
        "login_failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": settings.ONEWINDOW_LOCKOUT_MINUTES,
        "idle_timeout_minutes": settings.ONEWINDOW_IDLE_TIMEOUT_MINUTES,
    }
