"""Reading form and query values that a person may have typed wrong."""


def int_or_none(value) -> int | None:
    """An id or number from a form field; None for blank or garbage (the caller then answers "not found")."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
