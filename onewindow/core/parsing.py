"""Reading form and query values that a person may have typed wrong."""

from onewindow.core.errors import ValidationFailed


def int_or_none(value) -> int | None:
    """An id or number from a form field; None for blank or garbage (the caller then answers "not found")."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def text_field(value, *, field: str, label: str, limit: int, required: bool = True) -> str:
    """A typed text, trimmed: required and within `limit` characters, else a Chinese error under `field`."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(fields={field: f"请填写{label}"})
    if len(value) > limit:
        raise ValidationFailed(fields={field: f"{label}不能超过{limit}个字（现有{len(value)}个字）"})
    return value
