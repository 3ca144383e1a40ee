"""吐槽找茬: intake (public form, hall QR code, the window's entry screen) and the GB/T 36113 steps
受理 → 办理 → 答复 → 办结 → 回访评价, each one audited; a complaint can be put on the problem ledger.

A complaint number is TC + the town's 9-digit code prefix + the date + a daily sequence
(TC370829001202609010001). The query code is shown once to the complainant and kept only as a blind index.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import AuditActor, record
from onewindow.cases.services.numbering import new_query_code
from onewindow.catalog.selectors import public_items
from onewindow.core import crypto, pii
from onewindow.core.calendar import add_working_days
from onewindow.core.errors import Conflict, Forbidden, ValidationFailed
from onewindow.core.parsing import text_field
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role, one_or_not_found
from onewindow.core.sequences import draw_next
from onewindow.core.services.notifications import notify_staff
from onewindow.core.sms import send_after_commit
from onewindow.feedback.models import Complaint, ComplaintChannel, ComplaintSequence, ComplaintStatus, ProblemSource
from onewindow.feedback.services.ledger import problem_record
from onewindow.org.models import Region, User
from onewindow.org.selectors import town_directors

CONTENT_MAX = 2000
NAME_MAX = 40
TEXT_MAX = 2000
REVIEW_NOTE_MAX = 500

# Who may do what. The complaint goes to the town's director (谁主管、谁负责); the county administrator may act
# on any town's. The handler the director assigns writes the reply; the 回访 is the output window's work.
MANAGERS = frozenset({Role.CENTER_DIRECTOR, Role.COUNTY_ADMIN})
WINDOW_ENTRY_ROLES = frozenset(
    {Role.FRONT_CLERK, Role.CONSULT_CLERK, Role.OUTPUT_CLERK, Role.COORDINATOR, Role.CENTER_DIRECTOR}
)
REVIEW_ROLES = MANAGERS | {Role.OUTPUT_CLERK}
HANDLER_ROLES = frozenset(
    {Role.CENTER_DIRECTOR, Role.FRONT_CLERK, Role.CONSULT_CLERK, Role.REVIEWER, Role.COORDINATOR, Role.OUTPUT_CLERK}
)

# The one transition table: which step may start from which status.
HANDLE, REPLY, CLOSE, REVIEW = "handle", "reply", "close", "review"
ALLOWED_FROM = {
    HANDLE: frozenset({ComplaintStatus.ACCEPTED, ComplaintStatus.HANDLING}),
    REPLY: frozenset({ComplaintStatus.HANDLING}),
    CLOSE: frozenset({ComplaintStatus.REPLIED}),
    REVIEW: frozenset({ComplaintStatus.CLOSED}),
}
STEP_LABELS = {HANDLE: "交办", REPLY: "答复", CLOSE: "办结", REVIEW: "回访评价"}
OPEN_STATUSES = frozenset({ComplaintStatus.ACCEPTED, ComplaintStatus.HANDLING})


@dataclass(frozen=True)
class ComplaintReceipt:
    complaint: Complaint
    query_code: str  # shown once; only its blind index is stored


def query_code_index(code: str) -> str:
    return crypto.blind_index((code or "").strip().upper(), purpose="complaint_query_code")


def working_days() -> int:
    return settings.ONEWINDOW_COMPLAINT_WORKING_DAYS


def is_overdue(complaint: Complaint, today=None) -> bool:
    """Not yet answered on the day after its deadline."""
    return complaint.status in OPEN_STATUSES and complaint.deadline < (today or timezone.localdate())


def can(actor, step: str, complaint: Complaint) -> bool:
    """Whether the actor's role may take the step (the screens show only these); scope is checked on the row."""
    role = effective_role(actor)
    if step in (HANDLE, CLOSE):
        return role in MANAGERS
    if step == REPLY:
        return role in MANAGERS or (complaint.handler_id is not None and complaint.handler_id == actor.pk)
    if step == REVIEW:
        return role in REVIEW_ROLES
    return False


def next_steps(actor, complaint: Complaint) -> list[str]:
    return [s for s, allowed in ALLOWED_FROM.items() if complaint.status in allowed and can(actor, s, complaint)]


# --- intake -----------------------------------------------------------------------------------------------


def _clean_intake(*, actor, town, channel, content, item, name, mobile, anonymous) -> dict:
    errors = {}
    if channel not in ComplaintChannel.values:
        errors["channel"] = "反映渠道无效"
    elif channel == ComplaintChannel.WINDOW:
        if isinstance(actor, AuditActor) or effective_role(actor) not in WINDOW_ENTRY_ROLES:
            raise Forbidden("只有本镇街为民服务中心的窗口工作人员可以登记“吐槽找茬”")
        if actor.town_id != getattr(town, "pk", None):
            raise Forbidden("只能登记本镇街为民服务中心收到的“吐槽找茬”")
    if not isinstance(town, Region) or town.level != Region.Level.TOWN or not town.is_active:
        errors["town"] = "请选择镇街"
    content = (content or "").strip()
    if not content:
        errors["content"] = "请填写您要反映的问题"
    elif len(content) > CONTENT_MAX:
        errors["content"] = f"反映内容不能超过{CONTENT_MAX}个字（现有{len(content)}个字）"
    name, mobile = (name or "").strip(), (mobile or "").strip()
    if anonymous and (name or mobile):
        errors["name"] = "选择匿名反映时，请不要填写姓名和联系电话"
    if len(name) > NAME_MAX:
        errors["name"] = f"姓名不能超过{NAME_MAX}个字"
    if mobile and "mobile" not in errors:
        try:
            mobile = pii.validate_mobile(mobile)
        except pii.InvalidMobile as error:
            errors["mobile"] = error.message
    if item is not None and "town" not in errors and not public_items(town).filter(pk=item.pk).exists():
        errors["item"] = "请选择本镇街公布的事项"
    if errors:
        raise ValidationFailed(fields=errors)
    return {"content": content, "name": name, "mobile": mobile, "anonymous": anonymous or not (name or mobile)}


def _insert_numbered(town, day, values: dict) -> Complaint:
    """TC + the town's 9-digit code prefix + the date + the day's sequence in that town (gapless, locked counter)."""
    sequence = draw_next(ComplaintSequence, town=town, day=day)
    return Complaint.objects.create(number=f"TC{town.code[:9]}{day:%Y%m%d}{sequence:04d}", **values)


@transaction.atomic
def complaint_receive(
    *, actor, town, channel: str, content: str, item=None, name: str = "", mobile: str = "", anonymous: bool = False
) -> ComplaintReceipt:
    """受理: a numbered complaint with a deadline in working days, routed to the town's directors."""
    clean = _clean_intake(
        actor=actor,
        town=town,
        channel=channel,
        content=content,
        item=item,
        name=name,
        mobile=mobile,
        anonymous=anonymous,
    )
    now = timezone.now()
    today = timezone.localdate(now)
    code = new_query_code()
    complaint = _insert_numbered(
        town,
        today,
        {
            "town": town,
            "channel": channel,
            "content": clean["content"],
            "item": item,
            "anonymous": clean["anonymous"],
            "name": clean["name"],
            "mobile": clean["mobile"],
            "mobile_index": crypto.blind_index(clean["mobile"], purpose="mobile") if clean["mobile"] else "",
            "received_at": now,
            "received_by": actor if channel == ComplaintChannel.WINDOW else None,
            "deadline": add_working_days(today, working_days()),
            "query_code_index": query_code_index(code),
        },
    )
    record(
        actor=actor,
        action=AuditAction.COMPLAINT_RECEIVED,
        target=complaint,
        town=town,
        after={
            "number": complaint.number,
            "channel": channel,
            "item": getattr(item, "pk", None),
            "anonymous": complaint.anonymous,
            "deadline": complaint.deadline,
        },
        summary=f"受理“吐槽找茬”{complaint.number}（{complaint.get_channel_display()}）",
    )
    notify_staff(
        town_directors(town.pk),
        kind="complaint",
        title="收到“吐槽找茬”，请及时交办",
        body=f"{complaint.number}（{complaint.deadline:%m月%d日}前答复）：{clean['content'][:120]}",
        url=reverse("feedback:complaint", args=[complaint.pk]),
    )
    return ComplaintReceipt(complaint=complaint, query_code=code)


# --- the steps ----------------------------------------------------------------------------------------------


def _locked(actor, complaint: Complaint, step: str) -> Complaint:
    """The row, locked, if the actor may see it; the role and the status must allow the step."""
    row = one_or_not_found(Complaint.objects.visible_to(actor).select_for_update(), pk=complaint.pk)
    if not can(actor, step, row):
        raise Forbidden(f"您没有“{STEP_LABELS[step]}”此件“吐槽找茬”的权限")
    if row.status not in ALLOWED_FROM[step]:
        raise Conflict(
            f"此件“吐槽找茬”当前为“{row.get_status_display()}”，不能{STEP_LABELS[step]}",
            code="complaint.illegal_step",
        )
    return row


@transaction.atomic
def complaint_handle(*, actor, complaint: Complaint, handler: User | None, note: str = "") -> Complaint:
    """办理: the director assigns a handler (again, to reassign) with instructions or notes."""
    row = _locked(actor, complaint, HANDLE)
    note = text_field(note, field="note", label="办理情况", required=False, limit=TEXT_MAX)
    if (
        handler is None
        or not handler.is_active
        or handler.town_id != row.town_id
        or effective_role(handler) not in HANDLER_ROLES
    ):
        raise ValidationFailed(fields={"handler": "请选择本镇街的工作人员作为承办人"})
    before = {"status": row.status, "handler": row.handler_id}
    row.status, row.handler, row.handling_note = ComplaintStatus.HANDLING, handler, note
    row.save(update_fields=["status", "handler", "handling_note"])
    record(
        actor=actor,
        action=AuditAction.COMPLAINT_HANDLING,
        target=row,
        town=row.town,
        before=before,
        after={"status": row.status, "handler": handler.pk},
        summary=f"“吐槽找茬”{row.number}交{handler.display_name}办理",
    )
    if handler.pk != getattr(actor, "pk", None):
        notify_staff(
            [handler],
            kind="complaint",
            title="交办“吐槽找茬”，请办理并答复",
            body=f"{row.number}（{row.deadline:%m月%d日}前答复）：{row.content[:120]}",
            url=reverse("feedback:complaint", args=[row.pk]),
        )
    return row


@transaction.atomic
def complaint_reply(*, actor, complaint: Complaint, reply: str) -> Complaint:
    """答复: the reply is shown on the public follow page; a text message (no content, no PII) says it is there."""
    row = _locked(actor, complaint, REPLY)
    reply = text_field(reply, field="reply", label="答复内容", required=True, limit=TEXT_MAX)
    row.status, row.reply, row.replied_at = ComplaintStatus.REPLIED, reply, timezone.now()
    row.save(update_fields=["status", "reply", "replied_at"])
    record(
        actor=actor,
        action=AuditAction.COMPLAINT_REPLIED,
        target=row,
        town=row.town,
        before={"status": ComplaintStatus.HANDLING},
        after={"status": row.status, "late": timezone.localdate(row.replied_at) > row.deadline},
        summary=f"答复“吐槽找茬”{row.number}",
    )
    if row.mobile:
        send_after_commit(
            row.mobile, f"您反映的问题（编号{row.number}）已答复，请凭编号和查询码在“吐槽找茬”查询页面查看。"
        )
    return row


@transaction.atomic
def complaint_close(*, actor, complaint: Complaint) -> Complaint:
    """办结."""
    row = _locked(actor, complaint, CLOSE)
    row.status, row.closed_at = ComplaintStatus.CLOSED, timezone.now()
    row.save(update_fields=["status", "closed_at"])
    record(
        actor=actor,
        action=AuditAction.COMPLAINT_CLOSED,
        target=row,
        town=row.town,
        before={"status": ComplaintStatus.REPLIED},
        after={"status": row.status},
        summary=f"“吐槽找茬”{row.number}办结",
    )
    return row


@transaction.atomic
def complaint_review(*, actor, complaint: Complaint, satisfaction, note: str = "") -> Complaint:
    """回访评价: the complainant's satisfaction with the handling (1 非常不满意 … 5 非常满意)."""
    row = _locked(actor, complaint, REVIEW)
    try:
        satisfaction = int(satisfaction)
    except (TypeError, ValueError):
        satisfaction = 0
    if not 1 <= satisfaction <= 5:
        raise ValidationFailed(fields={"satisfaction": "请选择回访满意度（1至5）"})
    note = text_field(note, field="review_note", label="回访评价", required=False, limit=REVIEW_NOTE_MAX)
    row.status, row.review_satisfaction, row.review_note = ComplaintStatus.REVIEWED, satisfaction, note
    row.reviewed_at = timezone.now()
    row.save(update_fields=["status", "review_satisfaction", "review_note", "reviewed_at"])
    record(
        actor=actor,
        action=AuditAction.COMPLAINT_REVIEWED,
        target=row,
        town=row.town,
        before={"status": ComplaintStatus.CLOSED},
        after={"status": row.status, "satisfaction": satisfaction},
        summary=f"“吐槽找茬”{row.number}回访评价：{satisfaction}",
    )
    return row


@transaction.atomic
def complainant_phone_reveal(*, actor, complaint: Complaint) -> str:
    """The full number, for whoever may reply or call back (回访); every reveal is audited."""
    row = one_or_not_found(Complaint.objects.visible_to(actor), pk=complaint.pk)
    if not row.mobile:
        raise Conflict("反映人没有留下联系电话", code="complaint.no_phone")
    if not (can(actor, REPLY, row) or can(actor, REVIEW, row)):
        raise Forbidden("只有承办人、回访人员和中心主任可以查看反映人电话")
    record(
        actor=actor,
        action=AuditAction.COMPLAINANT_PHONE_REVEALED,
        target=row,
        town=row.town,
        summary=f"查看“吐槽找茬”{row.number}反映人联系电话",
    )
    return row.mobile


@transaction.atomic
def complaint_to_ledger(*, actor, complaint: Complaint, kind: str, description: str = "", department=None):
    """Puts the problem the complaint revealed on the 堵点、难点、卡点 ledger (once per complaint)."""
    row = one_or_not_found(Complaint.objects.visible_to(actor).select_for_update(), pk=complaint.pk)
    if effective_role(actor) not in MANAGERS | {Role.OUTPUT_CLERK}:
        raise Forbidden("只有中心主任、出件窗口人员和县局管理员可以登记问题台账")
    if row.problems.exists():
        raise Conflict("此件“吐槽找茬”已登记到问题台账", code="complaint.already_on_ledger")
    return problem_record(
        actor=actor,
        town=row.town,
        kind=kind,
        source=ProblemSource.COMPLAINT,
        description=description or row.content,
        item=row.item,
        department=department,
        complaint=row,
    )
