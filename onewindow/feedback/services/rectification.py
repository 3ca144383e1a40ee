"""差评整改 (谁办理、谁负责): every bad rating opens a rectification, which runs to a reply to the rater.

    verifying ─callback reached, 属实 / director's verdict 属实→ rectifying
              ─verdict 不属实 (stays verifying) ─appeal→ appealing ─county approves→ invalid (not counted)
                                                                  └county refuses→ rectifying
    rectifying ─立行立改 / 解释说明→ replying;  ─限期整改→ (deadline) ─done→ replying
    replying ─reply (SMS when real-name with a number)→ closed

Who: the town's director runs it (the center answers for its windows and the departments in its hall); the output
window may record callbacks (回访 is its job); the responsible department's reviewer reads its own rectifications;
the county admin decides appeals and extensions.

Verification: a rating with a number to call (real-name, with the rater's mobile or the case's contact phone) is
verified by calling back. A rating nobody can call (anonymous, or real-name without any number) is verified by the
director against the service record (ticket, case timeline, window video); that verdict is stored as a Callback
with reached=False and a verdict — a phone call that did not get through never has a verdict, so the two never mix.
The director may also give that verdict when the rater cannot be reached. A real-name rating with a number is never
closed without at least one call attempt ("请先回访评价人").
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import SYSTEM, record
from onewindow.core.errors import Conflict, Forbidden, ValidationFailed
from onewindow.core.logging import redact
from onewindow.core.parsing import text_field
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role, one_or_not_found
from onewindow.core.services.notifications import notify_staff
from onewindow.core.sms import send_after_commit
from onewindow.feedback.models import (
    Callback,
    CountyReview,
    Outcome,
    Rating,
    Rectification,
    RectificationStatus,
    ReviewKind,
    ReviewState,
)
from onewindow.org.selectors import county_admins, town_directors

S = RectificationStatus
CALLBACK_ROLES = frozenset({Role.CENTER_DIRECTOR, Role.OUTPUT_CLERK})
CALLBACK_STATUSES = frozenset({S.VERIFYING, S.RECTIFYING, S.REPLYING})
TEXT_MAX = 500
EXTENSION_MAX_DAYS = 20


def working_days_allowed() -> int:
    return max(1, settings.ONEWINDOW_RECTIFICATION_WORKING_DAYS)


def detail_url(rectification: Rectification) -> str:
    return reverse("feedback:rectification", args=[rectification.pk])


@transaction.atomic
def rectification_open(*, rating: Rating) -> Rectification:
    """谁办理、谁负责: the rectification goes to the department of the rated step (the town's center when the
    front desk or a window served), with the staff member who served as the one responsible."""
    if not rating.is_bad:
        raise ValueError("only a bad rating (1–2) opens a rectification")
    rectification = Rectification.objects.create(
        rating=rating,
        town=rating.town,
        department=rating.department,
        responsible_staff=rating.staff,
        opened_at=timezone.now(),
    )
    record(
        actor=SYSTEM,
        action=AuditAction.RECTIFICATION_OPENED,
        target=rectification,
        town=rating.town,
        after={"rating": rating.pk, "level": rating.level, "department": rating.department_id},
        summary=f"差评（{rating.get_level_display()}）自动生成整改，待回访核实",
    )
    notify_staff(
        town_directors(rating.town_id),
        kind="rectification",
        title="收到差评，请安排回访核实",
        body=f"{rating.get_level_display()}：{'、'.join(rating.reasons)[:200]}",
        url=detail_url(rectification),
    )
    return rectification


# --- Guards: what may happen now (the detail page offers exactly these; the services check the same) ---------


def rater_phone(rating: Rating) -> str:
    """The number a callback dials: the rater's own, else the case's contact phone; none for an anonymous rating."""
    if rating.anonymous:
        return ""
    if rating.rater_mobile:
        return rating.rater_mobile
    return rating.case.contact_phone if rating.case_id else ""


def is_record_review(callback: Callback) -> bool:
    return not callback.reached and callback.valid is not None


def phone_attempts(callbacks) -> list[Callback]:
    return [c for c in callbacks if not is_record_review(c)]


def last_verdict(callbacks) -> bool | None:
    verdicts = [c.valid for c in callbacks if c.valid is not None]
    return verdicts[-1] if verdicts else None


def available_actions(rectification: Rectification, actor, *, callbacks, reviews, phone: str) -> set[str]:
    """callbacks / reviews: the rectification's rows in order (prefetched by the caller)."""
    role = effective_role(actor)
    status = rectification.status
    pending = {r.kind for r in reviews if r.state == ReviewState.PENDING}
    actions = set()
    if role in CALLBACK_ROLES and status in CALLBACK_STATUSES and phone:
        actions.add("callback")
    if role == Role.CENTER_DIRECTOR:
        if status == S.VERIFYING:
            actions.add("verify")
            if last_verdict(callbacks) is False:
                actions.add("appeal")
        if status == S.REPLYING:
            actions.add("reply")
        if status == S.RECTIFYING and not rectification.outcome:
            actions.add("choose_outcome")
        elif status == S.RECTIFYING and rectification.outcome == Outcome.BY_DEADLINE:
            actions.add("complete")
            if ReviewKind.EXTENSION not in pending:
                actions.add("request_extension")
    if role == Role.COUNTY_ADMIN and pending:
        actions.add("decide_review")
    return actions


def lock_rectification(rectification: Rectification, actor) -> Rectification:
    queryset = Rectification.objects.select_for_update(of=("self",)).select_related("town").visible_to(actor)
    return one_or_not_found(queryset, pk=rectification.pk)


def require_action(action: str, rectification: Rectification, actor, *, message: str) -> tuple[list, Rating, str]:
    """Refuses an action the guards do not offer now; returns what the guards read (callbacks, rating, phone)."""
    callbacks = list(rectification.callbacks.all())
    reviews = list(rectification.reviews.all())
    rating = Rating.objects.select_related("case", "town").get(pk=rectification.rating_id)
    phone = rater_phone(rating)
    if action not in available_actions(rectification, actor, callbacks=callbacks, reviews=reviews, phone=phone):
        raise Conflict(message, code="rectification.not_allowed_now")
    return callbacks, rating, phone


def clean_text(value, name: str, label: str, *, required: bool = True, limit: int = TEXT_MAX) -> str:
    return text_field(value, field=name, label=label, limit=limit, required=required)


def save_audited(rectification, actor, *, action, before, fields, summary, after=None):
    rectification.save(update_fields=fields)
    record(
        actor=actor,
        action=action,
        target=rectification,
        town=rectification.town,
        before=before,
        after=after if after is not None else {f: getattr(rectification, f) for f in fields},
        summary=summary,
    )


# --- Verification -------------------------------------------------------------------------------------------


@transaction.atomic
def rectification_callback(
    *, actor, rectification: Rectification, reached: bool, summary: str, valid: bool | None = None
) -> Callback:
    """回访: one call to the rater. While verifying, a call that got through needs a verdict (属实 or not);
    属实 moves the rectification on to 整改. Later calls (about the result) are recorded without a verdict."""
    if effective_role(actor) not in CALLBACK_ROLES:
        raise Forbidden("只有中心主任或出件窗口人员可以回访")
    rectification = lock_rectification(rectification, actor)
    require_action(
        "callback", rectification, actor, message="该差评当前不能回访（匿名评价或没有联系电话时，请核查服务记录）"
    )
    summary = clean_text(summary, "summary", "回访情况")
    verifying = rectification.status == S.VERIFYING
    if not reached or not verifying:
        valid = None
    elif valid is None:
        raise ValidationFailed(fields={"valid": "联系上评价人后，请选择差评是否属实"})
    callback = Callback.objects.create(
        rectification=rectification,
        called_at=timezone.now(),
        called_by=actor,
        reached=bool(reached),
        valid=valid,
        summary=summary,
    )
    before = {"status": rectification.status}
    if valid is True:
        rectification.status = S.RECTIFYING
    verdict = "" if valid is None else ("，差评属实" if valid else "，差评不属实")
    save_audited(
        rectification,
        actor,
        action=AuditAction.RECTIFICATION_CALLBACK,
        before=before,
        fields=["status"],
        after={"status": rectification.status, "reached": bool(reached), "valid": valid, "callback": callback.pk},
        summary=f"差评回访：{'已联系上' if reached else '未联系上'}评价人{verdict}",
    )
    return callback


@transaction.atomic
def rectification_verify(*, actor, rectification: Rectification, valid: bool, summary: str) -> Callback:
    """The director's verdict from the service record (anonymous ratings, raters who cannot be reached)."""
    if effective_role(actor) != Role.CENTER_DIRECTOR:
        raise Forbidden("只有中心主任可以核实差评")
    rectification = lock_rectification(rectification, actor)
    require_action("verify", rectification, actor, message="该差评已核实")
    if valid not in (True, False):
        raise ValidationFailed(fields={"valid": "请选择核实结论"})
    summary = clean_text(summary, "summary", "核查情况（查阅了哪些服务记录）")
    callback = Callback.objects.create(
        rectification=rectification,
        called_at=timezone.now(),
        called_by=actor,
        reached=False,
        valid=valid,
        summary=summary,
    )
    before = {"status": rectification.status}
    if valid:
        rectification.status = S.RECTIFYING
    save_audited(
        rectification,
        actor,
        action=AuditAction.RECTIFICATION_VERIFIED,
        before=before,
        fields=["status"],
        after={"status": rectification.status, "valid": valid, "callback": callback.pk},
        summary=f"查阅服务记录核实差评：{'属实' if valid else '不属实'}",
    )
    return callback


@transaction.atomic
def rectification_appeal(*, actor, rectification: Rectification, reason: str) -> CountyReview:
    """申诉复核: the town holds the 差评 not valid and asks the county to confirm."""
    if effective_role(actor) != Role.CENTER_DIRECTOR:
        raise Forbidden("只有中心主任可以提出申诉复核")
    rectification = lock_rectification(rectification, actor)
    require_action("appeal", rectification, actor, message="只有核实为不属实的差评可以申诉复核")
    reason = clean_text(reason, "reason", "申诉理由")
    review = CountyReview.objects.create(
        rectification=rectification,
        kind=ReviewKind.APPEAL,
        reason=reason,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    before = {"status": rectification.status}
    rectification.status = S.APPEALING
    save_audited(
        rectification,
        actor,
        action=AuditAction.RECTIFICATION_APPEALED,
        before=before,
        fields=["status"],
        after={"status": rectification.status, "review": review.pk},
        summary="差评核实不属实，提出申诉复核",
    )
    notify_staff(
        county_admins(),
        kind="rectification",
        title=f"{rectification.town.name}差评申诉待审核",
        body=reason[:200],
        url=detail_url(rectification),
    )
    return review


# --- Reply and close ----------------------------------------------------------------------------------------


@transaction.atomic
def rectification_reply(*, actor, rectification: Rectification, text: str) -> Rectification:
    """答复评价人 and close. A real-name rater with a number gets the reply by SMS (sent after commit)."""
    if effective_role(actor) != Role.CENTER_DIRECTOR:
        raise Forbidden("只有中心主任可以答复评价人")
    rectification = lock_rectification(rectification, actor)
    callbacks, rating, phone = require_action("reply", rectification, actor, message="整改完成后才能答复评价人")
    if phone and not phone_attempts(callbacks):
        raise Conflict("请先回访评价人", code="rectification.callback_required")
    text = clean_text(text, "text", "答复内容", limit=200)
    if redact(text) != text:  # a reply goes out by SMS: no ID or mobile number in it
        raise ValidationFailed(fields={"text": "答复内容会以短信发送，请勿写入身份证号或手机号"})
    now = timezone.now()
    before = {"status": rectification.status}
    rectification.reply, rectification.replied_at = text, now
    rectification.status, rectification.closed_at = S.CLOSED, now
    save_audited(
        rectification,
        actor,
        action=AuditAction.RECTIFICATION_REPLIED,
        before=before,
        fields=["reply", "replied_at", "status", "closed_at"],
        after={"status": S.CLOSED, "sms": bool(phone)},
        summary="答复评价人，差评整改办结" + ("（短信）" if phone else ""),
    )
    if phone:
        center = f"{rectification.town.name}为民服务中心"
        send_after_commit(phone, f"您{timezone.localtime(rating.created_at):%m月%d日}对{center}的评价已处理：{text}")
    return rectification


@transaction.atomic
def rater_phone_reveal(*, actor, rectification: Rectification) -> str:
    """The full number for the callback, shown once to whom may call; every reveal is audited."""
    if effective_role(actor) not in CALLBACK_ROLES:
        raise Forbidden("只有回访人员可以查看评价人电话")
    rectification = lock_rectification(rectification, actor)
    _callbacks, _rating, phone = require_action("callback", rectification, actor, message="该差评当前不需要回访")
    record(
        actor=actor,
        action=AuditAction.RATER_PHONE_REVEALED,
        target=rectification,
        town=rectification.town,
        summary="查看评价人联系电话（回访）",
    )
    return phone
