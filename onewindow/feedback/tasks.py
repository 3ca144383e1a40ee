"""Background jobs of the feedback context (django-tasks)."""

from django_tasks import task

from onewindow.feedback.services.rectification_work import sweep_rectifications


@task()
def sweep_rectifications_task() -> dict:
    """Alerts directors about overdue 限期整改 (once per day each, however often it runs)."""
    return {"alerted": sweep_rectifications()}
