"""The case workbench: the work queues a role has, with deadline colours."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from onewindow.cases.selectors import QUEUES, queue
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role

QUEUES_BY_ROLE = {
    Role.FRONT_CLERK: ["intake_today", "awaiting_acceptance", "deficiency", "overdue"],
    Role.CONSULT_CLERK: ["intake_today", "awaiting_acceptance"],
    Role.REVIEWER: ["my_tasks", "ready_to_decide"],
    Role.COORDINATOR: ["joint", "overdue", "ready_to_decide", "deficiency"],
    Role.OUTPUT_CLERK: ["ready_for_pickup", "deficiency"],
    Role.CENTER_DIRECTOR: ["overdue", "awaiting_acceptance", "joint", "ready_to_decide", "ready_for_pickup"],
    Role.AGENT: ["intake_today", "awaiting_acceptance"],
    Role.SUPERVISOR: ["overdue", "joint"],
    Role.COUNTY_ADMIN: ["overdue"],
}


@login_required
def workbench(request):
    names = QUEUES_BY_ROLE.get(effective_role(request.user), [])
    current = request.GET.get("queue") or (names[0] if names else "")
    page = queue(request.user, current, cursor=request.GET.get("cursor"), size=50) if current in names else None
    return render(
        request,
        "cases/workbench.html",
        {
            "queues": [(name, QUEUES[name]) for name in names],
            "current": current,
            "current_label": QUEUES.get(current, ""),
            "page": page,
            "task_queue": current == "my_tasks",
            "can_intake": effective_role(request.user)
            in {Role.FRONT_CLERK, Role.CENTER_DIRECTOR, Role.CONSULT_CLERK, Role.AGENT},
        },
    )
