"""Template context shared by every page: the large-font / high-contrast choices (适老化)."""

UI_PREFERENCES_COOKIE = "ow_ui"
LARGE_TEXT = "large"
HIGH_CONTRAST = "contrast"


def ui_preferences(request):
    chosen = set(request.COOKIES.get(UI_PREFERENCES_COOKIE, "").split("."))
    return {"ui_large_text": LARGE_TEXT in chosen, "ui_high_contrast": HIGH_CONTRAST in chosen}
