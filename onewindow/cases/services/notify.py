"""Texts to the applicant at the moments that matter to them. A text carries the case number and the
query code for the progress page — never an ID number or a phone number.

An online applicant is told at every step (issue 6): received (submitted), correction requested (with what
is missing), resubmitted, accepted, rejected (with the reason), decided / ready for pickup, delivered.
Free text a clerk typed (a rejection reason) is passed through the log redactor and shortened, so an ID or
mobile number typed into it by mistake never reaches a phone.
"""

from onewindow.cases.models import Case, Channel, Notice, NoticeKind
from onewindow.core.logging import redact
from onewindow.core.sms import send_after_commit

_TEXTS = {
    "submitted": "您在网上申报的“{item}”已提交，办件编号{number}，查询码{code}。窗口工作人员预审后将短信告知结果。",
    "resubmitted": "您补正后重新提交的“{item}”（办件编号{number}）已收到，窗口工作人员预审后将短信告知结果。",
    "accepted": "您申请的“{item}”已受理，办件编号{number}，查询码{code}，承诺{deadline}前办结。",
    "accepted_with_deficiency": "您申请的“{item}”已容缺受理，办件编号{number}，查询码{code}。请于{due}前补交容缺材料。",
    "correction_required": "您申请的“{item}”（办件编号{number}）需补正材料：{missing}。{how}查询码{code}。",
    "rejected": "您申请的“{item}”（办件编号{number}）不予受理，理由：{reason}。详见不予受理通知书。查询码{code}。",
    "decided": "您申请的“{item}”（办件编号{number}）已办结，请到为民服务中心出件窗口领取结果。查询码{code}。",
    "denied": "您申请的“{item}”（办件编号{number}）已办结（不予批准），请凭查询码{code}查看办理意见。",
    "delivered": "您申请的“{item}”（办件编号{number}）结果已送达。欢迎对本次服务作出评价。",
    "terminated": "您申请的“{item}”（办件编号{number}）因容缺材料逾期未补交已终止办理。查询码{code}。",
    "withdrawn": "您申请的“{item}”（办件编号{number}）已撤回。",
}
_HOW_TO_CORRECT = {
    Channel.ONLINE: "请登录网上办事大厅“我的办件”查看一次性告知书，补传材料后重新提交。",
}
_HOW_TO_CORRECT_AT_WINDOW = "请按一次性告知书准备后到窗口补交。"
MAX_DETAIL = 60  # characters of a list or a reason in a text; the notice has the full wording


def _shorten(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"


def _latest_notice(case: Case, kind: str) -> dict:
    notice = Notice.objects.filter(case=case, kind=kind).order_by("-issued_at", "-pk").only("content").first()
    return notice.content if notice else {}


def _missing(case: Case) -> str:
    """The materials named on the latest one-time notice (names from the guide, never the clerk's notes)."""
    names = [m.get("name", "") for m in _latest_notice(case, NoticeKind.CORRECTION).get("materials", [])]
    names = [n for n in names if n]
    if not names:
        return "详见一次性告知书"
    joined = "、".join(names)
    return joined if len(joined) <= MAX_DETAIL else f"{_shorten(names[0])}等{len(names)}项"


def _reason(case: Case) -> str:
    return _shorten(redact(_latest_notice(case, NoticeKind.REJECTION).get("reason", ""))) or "见通知书"


def notify_applicant(case: Case, event: str) -> None:
    template = _TEXTS[event]
    text = template.format(
        item=case.guide.name,
        number=case.number,
        code=case.query_code,
        deadline=f"{case.deadline:%Y年%m月%d日}" if case.deadline else "",
        due=f"{case.deficiency_due:%Y年%m月%d日}" if case.deficiency_due else "",
        missing=_missing(case) if "{missing}" in template else "",
        how=_HOW_TO_CORRECT.get(case.channel, _HOW_TO_CORRECT_AT_WINDOW),
        reason=_reason(case) if "{reason}" in template else "",
    )
    send_after_commit(case.contact_phone, text)


def notify_result_out(case: Case, *, step_action: str) -> None:
    """The result is out (delivered, or an instant item completed): one text — the rating invitation with its
    signed link when one can be sent, else the plain 'delivered' text. Never a rating on anyone's behalf."""
    from onewindow.feedback.links import send_rating_invitation  # cases must not import feedback at load time

    step = case.steps.filter(action=step_action).order_by("-at", "-pk").first()
    if step is None or not send_rating_invitation(step):
        notify_applicant(case, "delivered")
