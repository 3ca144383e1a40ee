"""What the public progress lookup shares between the page and the API: one failure counter per client
address (against guessing query codes) and the plain-Chinese names of the steps an applicant sees."""

from onewindow.cases import flow
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
