"""Background jobs of the hall context (django-tasks), enqueued by `manage.py scheduler`."""

from django_tasks import task

from onewindow.hall.services.tidal import tidal_check_all


@task()
def hall_tidal_check_task() -> dict:
    """Every minute or two: alert directors of categories over their tidal thresholds (deduplicated)."""
    return tidal_check_all()
