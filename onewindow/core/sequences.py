"""Gapless per-key counters (case numbers per town and day, ticket numbers per category and day).

The counter row is created on first use and locked while a number is drawn, so concurrent callers queue on it
and never get the same number; the lock lasts until the caller's transaction ends.
"""

from django.db import IntegrityError, transaction


def draw_next(model, **key) -> int:
    """Increments `model`'s `last` column for the row `key` and returns the new value."""
    try:
        with transaction.atomic():
            model.objects.get_or_create(**key)
    except IntegrityError:
        pass  # created a moment ago by a concurrent caller; lock it below
    counter = model.objects.select_for_update().get(**key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
