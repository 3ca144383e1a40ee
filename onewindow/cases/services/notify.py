"""Texts to the applicant at the moments that matter to them. A text carries the case number and the
query code for the progress page — never an ID number."""

from onewindow.cases.models import Case
from onewindow.core.sms import send_after_commit

_TEXTS = {
    "accepted": "您申请的“{item}”已受理，办件编号{number}，查询码{code}，承诺{deadline}前办结。",
    "accepted_with_deficiency": "您申请的“{item}”已容缺受理，办件编号{number}，查询码{code}。请于{due}前补交容缺材料。",
    "correction_required": "您申请的“{item}”（办件编号{number}）需补正材料，请按一次性告知书准备。查询码{code}。",
    "rejected": "您申请的“{item}”（办件编号{number}）不予受理，理由见不予受理通知书。查询码{code}。",
    "decided": "您申请的“{item}”（办件编号{number}）已办结，请到为民服务中心出件窗口领取结果。查询码{code}。",
    "denied": "您申请的“{item}”（办件编号{number}）已办结（不予批准），请凭查询码{code}查看办理意见。",
    "delivered": "您申请的“{item}”（办件编号{number}）结果已送达。欢迎对本次服务作出评价。",
    "terminated": "您申请的“{item}”（办件编号{number}）因容缺材料逾期未补交已终止办理。查询码{code}。",
}


def notify_applicant(case: Case, event: str) -> None:
    text = _TEXTS[event].format(
        item=case.guide.name,
        number=case.number,
        code=case.query_code,
        deadline=f"{case.deadline:%Y年%m月%d日}" if case.deadline else "",
        due=f"{case.deficiency_due:%Y年%m月%d日}" if case.deficiency_due else "",
    )
    send_after_commit(case.contact_phone, text)
