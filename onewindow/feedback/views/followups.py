"""出件窗口满意度回访 pages: the list of delivered cases to call back, one case's call sheet (masked number with
an audited 显示号码, earlier attempts, the call form). Mounted through views/rectification.py's urlpatterns."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from onewindow.cases import forms
from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.core.pii import mask_mobile, mask_name
from onewindow.feedback.models import Level, ProblemKind
from onewindow.feedback.selectors_followups import followup_candidates, followup_case, recent_followups
from onewindow.feedback.services.followups import followup_phone_reveal, followup_record, lookback_days, sample_percent


@login_required
@require_safe
def followup_list(request):
    return render(
        request,
        "feedback/followup_list.html",
        {
            "candidates": followup_candidates(request.user),
            "recent": recent_followups(request.user),
            "days": lookback_days(),
            "percent": sample_percent(),
        },
    )


def _render_sheet(request, case, *, revealed_phone: str = "", form=None):
    calls = list(case.follow_ups.all())
    return render(
        request,
        "feedback/followup_form.html",
        {
            "case": case,
            "applicant": mask_name(case.applicant_name),
            "phone_masked": mask_mobile(case.contact_phone),
            "revealed_phone": revealed_phone,
            "calls": calls,
            "done": any(c.reached for c in calls),
            "levels": Level.choices,
            "problem_kinds": ProblemKind.choices,
            "form": form or {},
        },
    )


@login_required
@require_safe
def followup_sheet(request, number: str):
    return _render_sheet(request, followup_case(request.user, number))


@login_required
@require_POST
def followup_save(request, number: str):
    case = followup_case(request.user, number)
    reached = request.POST.get("reached")
    try:
        if reached not in ("yes", "no"):
            raise ValidationFailed(fields={"reached": "请选择电话是否接通"})
        satisfaction = request.POST.get("satisfaction")
        followup_record(
            actor=request.user,
            case=case,
            reached=reached == "yes",
            satisfaction=int(satisfaction) if (satisfaction or "").isdigit() else None,
            problem=forms.text(request.POST, "problem", 2100),
            problem_kind=forms.text(request.POST, "problem_kind", 12),
            note=forms.text(request.POST, "note", 600),
        )
    except DomainError as exc:
        messages.error(request, exc.full_message)
        response = _render_sheet(request, case, form=request.POST)
        response.status_code = exc.status
        return response
    messages.success(request, f"已记录 {case.number} 的回访。")
    return redirect("feedback:follow-ups")


@never_cache
@login_required
@require_POST
def followup_reveal(request, number: str):
    """The number is needed to dial: shown on the page once, never in a URL; the service audits it."""
    case = followup_case(request.user, number)
    try:
        phone = followup_phone_reveal(actor=request.user, case=case)
    except DomainError as exc:
        messages.error(request, exc.full_message)
        return redirect("feedback:follow-up", number=number)
    return _render_sheet(request, case, revealed_phone=phone)


urlpatterns = [
    path("feedback/follow-ups/", followup_list, name="follow-ups"),
    path("feedback/follow-ups/<str:number>/", followup_sheet, name="follow-up"),
    path("feedback/follow-ups/<str:number>/record/", followup_save, name="follow-up-record"),
    path("feedback/follow-ups/<str:number>/reveal/", followup_reveal, name="follow-up-reveal"),
]
