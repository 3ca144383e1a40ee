"""A case's page: applicant (masked), materials, review stages, timeline, notices — and the actions the
viewer may take now. Every action posts to one URL per action and calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from onewindow.cases import flow, forms
from onewindow.cases.deadlines import deadline_state, working_days_left
from onewindow.cases.models import DeliveryMethod, MaterialState, ReviewTask, TaskStatus
from onewindow.cases.selectors import case_detail
from onewindow.cases.services import acceptance, output, review, suspension
from onewindow.core.errors import DomainError, NotFound
from onewindow.core.pii import mask_mobile, mask_name
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role
from onewindow.org.models import Department


def _materials_count(case):
    return case.materials.count()


def _task(request, case) -> ReviewTask:
    task = get_object_or_404(ReviewTask, pk=forms.integer(request.POST, "task", "审批任务"), case=case)
    return task


ACTIONS = {
    "accept": lambda r, c: acceptance.case_accept(
        actor=r.user, case=c, materials=forms.material_marks(r.POST, _materials_count(c))
    ),
    "accept_with_deficiency": lambda r, c: acceptance.case_accept_with_deficiency(
        actor=r.user,
        case=c,
        deficient=forms.positions(r.POST, "deficient"),
        due=forms.day(r.POST, "due", "补交期限"),
        materials=forms.material_marks(r.POST, _materials_count(c)),
    ),
    "request_correction": lambda r, c: acceptance.case_request_correction(
        actor=r.user,
        case=c,
        problems=forms.material_problems(r.POST, _materials_count(c)),
        note=forms.text(r.POST, "note"),
    ),
    "supplement": lambda r, c: acceptance.case_supplement(
        actor=r.user, case=c, received=forms.positions(r.POST, "received")
    ),
    "reject": lambda r, c: acceptance.case_reject(actor=r.user, case=c, reason=forms.text(r.POST, "reason")),
    "complete_instantly": lambda r, c: acceptance.case_complete_instantly(
        actor=r.user, case=c, certificate_number=forms.text(r.POST, "certificate_number", 80)
    ),
    "approve_task": lambda r, c: review.task_approve(
        actor=r.user, task=_task(r, c), opinion=forms.text(r.POST, "opinion")
    ),
    "return": lambda r, c: review.task_return(actor=r.user, task=_task(r, c), reason=forms.text(r.POST, "opinion")),
    "deny": lambda r, c: review.task_deny(actor=r.user, task=_task(r, c), opinion=forms.text(r.POST, "opinion")),
    "reassign": lambda r, c: review.task_reassign(
        actor=r.user,
        task=_task(r, c),
        reason=forms.text(r.POST, "reason"),
        department=get_object_or_404(Department, pk=forms.integer(r.POST, "department", "部门")),
    ),
    "chase": lambda r, c: review.task_chase(actor=r.user, task=_task(r, c), message=forms.text(r.POST, "message")),
    "resend": lambda r, c: review.case_resend(actor=r.user, case=c, note=forms.text(r.POST, "note")),
    "decide": lambda r, c: review.case_decide(
        actor=r.user,
        case=c,
        certificate_number=forms.text(r.POST, "certificate_number", 80),
        opinion=forms.text(r.POST, "opinion"),
    ),
    "suspend": lambda r, c: suspension.case_suspend(
        actor=r.user,
        case=c,
        procedure=forms.text(r.POST, "procedure", 100),
        reason=forms.text(r.POST, "reason"),
        expected_days=forms.integer(r.POST, "expected_days", "预计时长"),
    ),
    "resume": lambda r, c: suspension.case_resume(actor=r.user, case=c, result=forms.text(r.POST, "result")),
    "extend": lambda r, c: suspension.case_extend(
        actor=r.user, case=c, days=forms.integer(r.POST, "days", "延期天数"), reason=forms.text(r.POST, "reason")
    ),
    "receive_deficient": lambda r, c: output.case_receive_deficient(
        actor=r.user, case=c, positions=forms.positions(r.POST, "positions")
    ),
    "deliver": lambda r, c: output.case_deliver(
        actor=r.user,
        case=c,
        method=forms.text(r.POST, "method", 12),
        recipient_name=forms.text(r.POST, "recipient_name", 50),
        identity_checked=r.POST.get("identity_checked") == "on",
        tracking_number=forms.text(r.POST, "tracking_number", 20),
    ),
    "withdraw": lambda r, c: output.case_withdraw(actor=r.user, case=c, reason=forms.text(r.POST, "reason")),
    "revoke": lambda r, c: output.case_revoke(actor=r.user, case=c, reason=forms.text(r.POST, "reason")),
}

UPLOAD_ROLES = frozenset(
    {
        Role.FRONT_CLERK,
        Role.CONSULT_CLERK,
        Role.CENTER_DIRECTOR,
        Role.AGENT,
        Role.OUTPUT_CLERK,
        Role.REVIEWER,
        Role.COORDINATOR,
    }
)
_OTHER_LABELS = {"deny": "不同意", "reassign": "改派", "receive_deficient": "收取容缺材料"}
FRONT = {Role.FRONT_CLERK, Role.CENTER_DIRECTOR, Role.CONSULT_CLERK}
# Which forms a role is offered (the services still decide; this only keeps pages uncluttered).
OFFERED = {
    "accept": FRONT,
    "accept_with_deficiency": FRONT,
    "request_correction": FRONT,
    "reject": FRONT,
    "supplement": FRONT | {Role.AGENT},
    "complete_instantly": FRONT,
    "resend": FRONT,
    "suspend": {Role.FRONT_CLERK, Role.REVIEWER, Role.COORDINATOR, Role.CENTER_DIRECTOR},
    "resume": {Role.FRONT_CLERK, Role.REVIEWER, Role.COORDINATOR, Role.CENTER_DIRECTOR},
    "extend": {Role.CENTER_DIRECTOR},
    "decide": {Role.REVIEWER, Role.COORDINATOR, Role.CENTER_DIRECTOR},
    "receive_deficient": {Role.FRONT_CLERK, Role.OUTPUT_CLERK, Role.CENTER_DIRECTOR, Role.COORDINATOR},
    "deliver": {Role.OUTPUT_CLERK, Role.FRONT_CLERK, Role.CENTER_DIRECTOR},
    "withdraw": FRONT | {Role.AGENT},
    "revoke": {Role.FRONT_CLERK, Role.OUTPUT_CLERK, Role.CENTER_DIRECTOR, Role.COORDINATOR},
}


def _offered_actions(case, role) -> set[str]:
    def allowed(name):
        if name == "receive_deficient":  # not a transition: any time before the case ends
            return case.status not in flow.TERMINAL
        return flow.may(case, name)

    offered = {name for name, roles in OFFERED.items() if role in roles and allowed(name)}
    if "decide" in offered:
        open_tasks = [t for t in case.tasks.all() if t.status in (TaskStatus.PENDING, TaskStatus.WAITING)]
        if open_tasks or not case.tasks.all():
            offered.discard("decide")
    if case.guide.is_instant:
        offered -= {"accept", "accept_with_deficiency"}
    else:
        offered.discard("complete_instantly")
    if "receive_deficient" in offered and not any(m.state == MaterialState.DEFICIENT for m in case.materials.all()):
        offered.discard("receive_deficient")
    return offered


@login_required
def detail(request, number: str):
    case = case_detail(request.user, number)
    role = effective_role(request.user)
    today = timezone.localdate()
    tasks = sorted(case.tasks.all(), key=lambda t: (t.round, t.stage_position, t.department_id))
    my_tasks = [
        t
        for t in tasks
        if t.status == TaskStatus.PENDING and role == Role.REVIEWER and t.department_id == request.user.department_id
    ]
    coordinator = role in {Role.COORDINATOR, Role.CENTER_DIRECTOR}
    steps = list(case.steps.select_related("department"))
    _mark_ratings(case, steps)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "masked": {
                "name": mask_name(case.applicant_name),
                "id": case.applicant_id_masked,
                "phone": mask_mobile(case.contact_phone),
            },
            "deadline_state": deadline_state(case.deadline, today) if case.status in flow.CLOCK_RUNNING else None,
            "days_left": working_days_left(case.deadline, today) if case.status in flow.CLOCK_RUNNING else None,
            "tasks": tasks,
            "task_states": {t.pk: deadline_state(t.due_on, today) for t in tasks if t.status == TaskStatus.PENDING},
            "my_tasks": my_tasks,
            "reassignable": [t for t in tasks if coordinator and t.status in (TaskStatus.PENDING, TaskStatus.WAITING)],
            "departments": Department.objects.filter(town=case.town, is_active=True) if coordinator else [],
            "actions": _offered_actions(case, role),
            "material_states": MaterialState.choices,
            "delivery_methods": DeliveryMethod.choices,
            "procedures": case.guide.special_procedures.all(),
            "steps": steps,
            "notices": case.notices.all(),
            "can_upload": role in UPLOAD_ROLES and case.status not in flow.TERMINAL,
        },
    )


def _mark_ratings(case, steps) -> None:
    """Marks the steps the applicant may rate (the window shows their QR code) and the ratings already given."""
    from onewindow.feedback.models import Level, Rating  # cases do not depend on feedback at import time
    from onewindow.feedback.services.ratings import rateable_among

    given = dict(Rating.objects.filter(case=case, case_step__isnull=False).values_list("case_step_id", "level"))
    rateable = {s.pk for s in rateable_among(steps)}
    for step in steps:
        step.rateable = step.pk in rateable
        step.rating_label = Level(given[step.pk]).label if step.pk in given else ""


@login_required
@require_POST
def act(request, number: str, action: str):
    handler = ACTIONS.get(action)
    if handler is None:
        raise NotFound()
    case = case_detail(request.user, number)  # another town's case: 404 before anything else
    try:
        handler(request, case)
    except DomainError as exc:
        messages.error(request, exc.full_message)
    else:
        label = flow.Action(action).label if action in flow.Action.values else _OTHER_LABELS.get(action, "操作")
        messages.success(request, f"已{label}。")
    return redirect("cases:detail", number=number)
