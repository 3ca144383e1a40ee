"""差评整改 pages: the scoped list (with the county's review queue), one rectification with its timeline and the
actions the viewer may take now (one POST URL per action, each calling one service), and the audited reveal of
the rater's number for a callback. The follow-up call pages live in views/followups.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.cases import forms
from onewindow.core.errors import DomainError, NotFound, ValidationFailed
from onewindow.core.pii import mask_mobile, mask_name
from onewindow.feedback.models import Outcome, ProblemKind, RectificationStatus, ReviewState
from onewindow.feedback.selectors_rectification import (
    pending_reviews,
    rectification_detail,
    rectification_list,
)
from onewindow.feedback.services import rectification as verification
from onewindow.feedback.services import rectification_work as work
from onewindow.feedback.views import followups


def _yes_no(data, name: str, message: str, *, required: bool = True) -> bool | None:
    value = data.get(name)
    if value in ("yes", "no"):
        return value == "yes"
    if required:
        raise ValidationFailed(fields={name: message})
    return None


def _pending_review(request, r):
    review = next((v for v in r.reviews.all() if v.state == ReviewState.PENDING), None)
    if review is None or str(review.pk) != request.POST.get("review"):
        raise ValidationFailed(fields={"review": "该申请已审核或不存在，请刷新页面"})
    return review


ACTIONS = {
    "callback": lambda q, r: verification.rectification_callback(
        actor=q.user,
        rectification=r,
        reached=_yes_no(q.POST, "reached", "请选择是否联系上评价人"),
        valid=_yes_no(q.POST, "valid", "", required=False),
        summary=forms.text(q.POST, "summary"),
    ),
    "verify": lambda q, r: verification.rectification_verify(
        actor=q.user,
        rectification=r,
        valid=_yes_no(q.POST, "valid", "请选择核实结论"),
        summary=forms.text(q.POST, "summary"),
    ),
    "appeal": lambda q, r: verification.rectification_appeal(
        actor=q.user, rectification=r, reason=forms.text(q.POST, "reason")
    ),
    "choose_outcome": lambda q, r: work.rectification_choose_outcome(
        actor=q.user,
        rectification=r,
        outcome=forms.text(q.POST, "outcome", 12),
        measures=forms.text(q.POST, "measures", 600),
        problem_kind=forms.text(q.POST, "problem_kind", 12),
    ),
    "complete": lambda q, r: work.rectification_complete(
        actor=q.user, rectification=r, measures=forms.text(q.POST, "measures", 600)
    ),
    "request_extension": lambda q, r: work.rectification_request_extension(
        actor=q.user,
        rectification=r,
        reason=forms.text(q.POST, "reason"),
        extra_days=forms.integer(q.POST, "extra_days", "延期天数"),
    ),
    "decide_review": lambda q, r: work.rectification_review_decide(
        actor=q.user,
        review=_pending_review(q, r),
        approve=_yes_no(q.POST, "approve", "请选择同意或不同意"),
        opinion=forms.text(q.POST, "opinion"),
    ),
    "reply": lambda q, r: verification.rectification_reply(
        actor=q.user, rectification=r, text=forms.text(q.POST, "text", 300)
    ),
}
DONE_LABELS = {
    "callback": "已记录回访",
    "verify": "已记录核实结论",
    "appeal": "已提交县局申诉复核",
    "choose_outcome": "已确定整改方式",
    "complete": "已登记整改完成",
    "request_extension": "已提交延期申请",
    "decide_review": "已审核",
    "reply": "已答复评价人，整改办结",
}


def _page_number(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


@login_required
@require_safe
def rectification_list_view(request):
    page = rectification_list(
        request.user,
        status=request.GET.get("status", ""),
        month=request.GET.get("month", ""),
        overdue=request.GET.get("overdue") == "1",
        page=_page_number(request.GET.get("page")),
    )
    return render(
        request,
        "feedback/rectification_list.html",
        {
            "page": page,
            "statuses": RectificationStatus.choices,
            "status_counts": [(code, label, page.counts.get(code, 0)) for code, label in RectificationStatus.choices],
            "overdue": request.GET.get("overdue") == "1",
            "reviews": pending_reviews(request.user),
        },
    )


def _timeline(r) -> list[dict]:
    events = [{"at": r.opened_at, "what": "收到差评，自动生成整改", "who": "系统", "text": ""}]
    for c in r.callbacks.all():
        if verification.is_record_review(c):
            what = f"查阅服务记录核实：差评{'属实' if c.valid else '不属实'}"
        else:
            verdict = "" if c.valid is None else f"，差评{'属实' if c.valid else '不属实'}"
            what = f"电话回访：{'联系上评价人' if c.reached else '未联系上'}{verdict}"
        events.append({"at": c.called_at, "what": what, "who": c.called_by.display_name, "text": c.summary})
    for v in r.reviews.all():
        asked = f"申请{v.get_kind_display()}" + (f"（延期{v.extra_days}个工作日）" if v.extra_days else "")
        events.append({"at": v.requested_at, "what": asked, "who": v.requested_by.display_name, "text": v.reason})
        if v.decided_at:
            events.append(
                {
                    "at": v.decided_at,
                    "what": f"县局审核{v.get_kind_display()}：{v.get_state_display()}",
                    "who": v.decided_by.display_name,
                    "text": v.opinion,
                }
            )
    chosen = (
        AuditEvent.objects.filter(
            action=AuditAction.RECTIFICATION_OUTCOME_CHOSEN, target_type="feedback.rectification", target_id=str(r.pk)
        )
        .values("created_at", "actor_name")
        .last()
    )
    if r.outcome and chosen:
        until = f"，整改期限 {r.deadline:%Y-%m-%d}" if r.outcome == Outcome.BY_DEADLINE and r.deadline else ""
        what = f"确定整改方式：{r.get_outcome_display()}{until}"
        events.append({"at": chosen["created_at"], "what": what, "who": chosen["actor_name"], "text": r.measures})
    if r.rectified_at:
        events.append({"at": r.rectified_at, "what": f"整改完成（{r.get_outcome_display()}）", "who": "", "text": ""})
    if r.replied_at:
        events.append({"at": r.replied_at, "what": "答复评价人，整改办结", "who": "", "text": r.reply})
    return sorted(events, key=lambda e: e["at"])


def _render_detail(request, r, *, revealed_phone: str = ""):
    rating = r.rating
    callbacks, reviews = list(r.callbacks.all()), list(r.reviews.all())
    phone = verification.rater_phone(rating)
    today = timezone.localdate()
    overdue = r.is_overdue_on(today)
    return render(
        request,
        "feedback/rectification_detail.html",
        {
            "r": r,
            "rating": rating,
            "rater": "匿名评价" if rating.anonymous else mask_name(rating.rater_name),
            "phone_masked": mask_mobile(phone) if phone else "",
            "revealed_phone": revealed_phone,
            "actions": verification.available_actions(
                r, request.user, callbacks=callbacks, reviews=reviews, phone=phone
            ),
            "pending": next((v for v in reviews if v.state == ReviewState.PENDING), None),
            "timeline": _timeline(r),
            "overdue": overdue,
            "outcomes": Outcome.choices,
            "problem_kinds": ProblemKind.choices,
            "working_days": verification.working_days_allowed(),
            "extension_max": work.EXTENSION_MAX_DAYS,
        },
    )


@login_required
@require_safe
def rectification_detail_view(request, pk: int):
    return _render_detail(request, rectification_detail(request.user, pk))


@login_required
@require_POST
def rectification_act(request, pk: int, action: str):
    handler = ACTIONS.get(action)
    if handler is None:
        raise NotFound()
    r = rectification_detail(request.user, pk)  # another town's: 404 before anything else
    try:
        handler(request, r)
    except DomainError as exc:
        messages.error(request, exc.full_message)
    else:
        messages.success(request, DONE_LABELS[action] + "。")
    return redirect("feedback:rectification", pk=pk)


@never_cache
@login_required
@require_POST
def rectification_reveal(request, pk: int):
    """Shows the rater's number on the page once (never in a URL); the service audits the reveal."""
    r = rectification_detail(request.user, pk)
    try:
        phone = verification.rater_phone_reveal(actor=request.user, rectification=r)
    except DomainError as exc:
        messages.error(request, exc.full_message)
        return redirect("feedback:rectification", pk=pk)
    return _render_detail(request, r, revealed_phone=phone)


urlpatterns = [
    path("feedback/rectifications/", rectification_list_view, name="rectifications"),
    path("feedback/rectifications/<int:pk>/", rectification_detail_view, name="rectification"),
    path("feedback/rectifications/<int:pk>/act/<str:action>/", rectification_act, name="rectification-act"),
    path("feedback/rectifications/<int:pk>/reveal/", rectification_reveal, name="rectification-reveal"),
    *followups.urlpatterns,
]
