"""办件查询 without login: case number + query code → status and a plain-Chinese timeline, masked."""

from django.shortcuts import render
from django.utils import timezone

from onewindow.cases import flow
from onewindow.cases.deadlines import deadline_state
from onewindow.cases.selectors import public_progress
from onewindow.core.middleware import client_ip
from onewindow.core.pii import mask_name
from onewindow.core.ratelimit import FailureLimit

GUESSES = FailureLimit(scope="progress", limit=10, window_seconds=15 * 60)
# Steps the applicant sees; internal ones (a department's own approval) show without the staff member's name.
PUBLIC_STEP_LABELS = {
    flow.Action.SUBMIT: "已接件",
    flow.Action.ACCEPT: "窗口受理",
    flow.Action.ACCEPT_WITH_DEFICIENCY: "容缺受理",
    flow.Action.ROUTE: "转部门审批",
    flow.Action.APPROVE_TASK: "部门审核通过",
    flow.Action.REQUEST_CORRECTION: "需要补正材料",
    flow.Action.SUPPLEMENT: "材料已补正",
    flow.Action.REJECT: "不予受理",
    flow.Action.RETURN: "退回窗口核实",
    flow.Action.RESEND: "重新提交审批",
    flow.Action.SUSPEND: "进入特别程序（暂停计时）",
    flow.Action.RESUME: "特别程序结束",
    flow.Action.EXTEND: "经批准延期",
    flow.Action.DECIDE: "已办结",
    flow.Action.COMPLETE_INSTANTLY: "当场办结",
    flow.Action.DELIVER: "结果已送达",
    flow.Action.WITHDRAW: "已撤回",
    flow.Action.REVOKE: "已撤销",
    flow.Action.TERMINATE: "已终止办理",
}


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
