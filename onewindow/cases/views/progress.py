"""办件查询 without login: case number + query code → status and a plain-Chinese timeline, masked."""

from django.shortcuts import render
from django.utils import timezone

from onewindow.cases import flow
from onewindow.cases.deadlines import deadline_state
from onewindow.cases.public import GUESSES, PUBLIC_STEP_LABELS
from onewindow.cases.selectors import public_progress
from onewindow.core.middleware import client_ip
from onewindow.core.pii import mask_name


def progress(request):
    context = {"number": (request.GET.get("number") or "")[:32]}
    if request.method == "POST":
        who = client_ip(request) or "unknown"
        GUESSES.check(who)
        number, code = request.POST.get("number", ""), request.POST.get("query_code", "")
        case = public_progress(number, code)
        context["number"] = number.strip()[:32]
        if case is None:
            GUESSES.fail(who)
            context["error"] = "办件编号或查询码不正确，请核对受理通知书或短信后重新输入"
            return render(request, "cases/progress.html", context, status=404)
        today = timezone.localdate()
        context.update(
            case=case,
            applicant=mask_name(case.applicant_name),
            state=deadline_state(case.deadline, today) if case.status in flow.CLOCK_RUNNING else None,
            steps=[(s.at, PUBLIC_STEP_LABELS.get(s.action, s.get_action_display())) for s in case.steps.all()],
        )
    return render(request, "cases/progress.html", context)
