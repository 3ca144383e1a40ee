"""Background jobs of the cases context (django-tasks)."""

from django_tasks import task

from onewindow.cases.services.deadlines import sweep_deadlines


@task()
def sweep_deadlines_task() -> dict:
    report = sweep_deadlines()
    return {
        "case_reminders": report.case_reminders,
        "task_reminders": report.task_reminders,
        "terminated": report.terminated,
    }
