"""政务服务微创新: the public list of adopted proposals and the public proposal form; the staff's proposals,
their own form, and one proposal with its evaluation (director or county)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from onewindow.audit.services import PUBLIC
from onewindow.catalog import selectors as catalog
from onewindow.citizens.session import citizen_actor, current_citizen
from onewindow.core.errors import DomainError, Forbidden, ValidationFailed
from onewindow.core.logging import redact
from onewindow.core.middleware import client_ip
from onewindow.core.pii import mask_name
from onewindow.core.ratelimit import FailureLimit, TooManyAttempts
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role
from onewindow.feedback import selectors_supervision as selectors
from onewindow.feedback.models import ProposalArea, ProposalStatus
from onewindow.feedback.services import proposals as service

PROPOSALS_PER_HOUR = FailureLimit(scope="proposal-public", limit=10, window_seconds=3600)


class TooManyProposals(DomainError):
    status = 429
    code = "proposal.rate_limited"
    message = "同一网络1小时内提交次数过多，请稍后再试"


def _town_or_none(code: str):
    code = (code or "").strip()
    return catalog.public_town(code) if code else None


# --- public -------------------------------------------------------------------------------------------


@require_safe
def innovation_list(request):
    town = _town_or_none(request.GET.get("town"))
    rows = list(selectors.adopted_proposals(town)[:200])
    for row in rows:
        # A public page: the proposer's surname only, and no ID or phone number someone typed into the text.
        row.masked_name = mask_name(row.proposer_name)
        row.public_content, row.public_evaluation = redact(row.content), redact(row.evaluation)
    return render(
        request,
        "feedback/innovation_list.html",
        {
            "town": town,
            "towns": list(catalog.public_towns()),
            "rows": rows,
        },
    )


def _public_form_context(request, **extra) -> dict:
    return {
        "towns": list(catalog.public_towns()),
        "areas": ProposalArea.choices,
        "citizen": current_citizen(request),
        "title_max": service.TITLE_MAX,
        "content_max": service.CONTENT_MAX,
        "form": {"town": request.GET.get("town", "")},
        "errors": {},
        **extra,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def innovation_new(request):
    if request.method == "GET":
        return render(request, "feedback/innovation_new.html", _public_form_context(request))
    who = client_ip(request) or "unknown"
    citizen = current_citizen(request)
    try:
        try:
            PROPOSALS_PER_HOUR.check(who)
        except TooManyAttempts:
            raise TooManyProposals() from None
        proposal = service.proposal_submit(
            actor=citizen_actor(citizen) if citizen else PUBLIC,
            citizen=citizen,
            town=_town_or_none(request.POST.get("town")),
            area=request.POST.get("area", ""),
            title=request.POST.get("title", ""),
            content=request.POST.get("content", ""),
            proposer_name=request.POST.get("proposer_name", ""),
        )
    except DomainError as error:
        context = _public_form_context(request, form=request.POST, errors=error.fields)
        context["error_message"] = error.full_message
        return render(request, "feedback/innovation_new.html", context, status=error.status)
    PROPOSALS_PER_HOUR.fail(who)  # counts proposals filed
    messages.success(request, f"您的建议“{proposal.title}”已提交，感谢您为改进政务服务出主意。评估采纳后将在本页公布。")
    return redirect("feedback:innovation")


# --- staff --------------------------------------------------------------------------------------------


def _staff_only(user) -> None:
    if effective_role(user) not in service.PROPOSER_ROLES:
        raise Forbidden("您的账号不能使用微创新功能")


@login_required
def proposals(request):
    _staff_only(request.user)
    status = request.GET.get("status", "")
    rows = selectors.proposals_for(request.user)
    if status:
        if status not in ProposalStatus.values:
            raise ValidationFailed(fields={"status": "状态无效"})
        rows = rows.filter(status=status)
    return render(
        request,
        "feedback/proposal_list.html",
        {
            "rows": list(rows[:500]),
            "status": status,
            "statuses": ProposalStatus.choices,
            "evaluator": effective_role(request.user) in service.EVALUATORS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request):
    _staff_only(request.user)
    user = request.user
    context = {
        "areas": ProposalArea.choices,
        "towns": list(catalog.public_towns()) if effective_role(user) == Role.COUNTY_ADMIN else [],
        "title_max": service.TITLE_MAX,
        "content_max": service.CONTENT_MAX,
        "form": {},
        "errors": {},
    }
    if request.method == "GET":
        return render(request, "feedback/proposal_new.html", context)
    try:
        proposal = service.proposal_submit(
            actor=user,
            town=_town_or_none(request.POST.get("town")) if context["towns"] else None,
            area=request.POST.get("area", ""),
            title=request.POST.get("title", ""),
            content=request.POST.get("content", ""),
            proposer_name=request.POST.get("proposer_name", ""),
        )
    except DomainError as error:
        context.update(form=request.POST, errors=error.fields, error_message=error.full_message)
        return render(request, "feedback/proposal_new.html", context, status=error.status)
    messages.success(request, "建议已提交。")
    return redirect("feedback:proposal", proposal.pk)


def _decide(request, proposal) -> str:
    action, post = request.POST.get("action"), request.POST
    if action == "evaluate":
        service.proposal_start_evaluation(actor=request.user, proposal=proposal)
        return "已开始评估。"
    if action in ("adopt", "decline"):
        row = service.proposal_decide(
            actor=request.user,
            proposal=proposal,
            adopt=action == "adopt",
            evaluation=post.get("evaluation", ""),
            recognition=post.get("recognition", ""),
        )
        return f"评估结论：{row.get_status_display()}。"
    if action == "recognise":
        service.proposal_recognise(actor=request.user, proposal=proposal, recognition=post.get("recognition", ""))
        return "表彰激励已记录。"
    raise ValidationFailed("请选择操作")


@login_required
@require_http_methods(["GET", "POST"])
def proposal_detail(request, pk: int):
    _staff_only(request.user)
    proposal = selectors.proposal_get(request.user, pk)
    context = {
        "p": proposal,
        "evaluator": effective_role(request.user) in service.EVALUATORS,
        "form": {},
        "errors": {},
    }
    if request.method == "POST":
        try:
            done = _decide(request, proposal)
        except DomainError as error:
            if error.status == 404:
                raise
            context.update(
                p=selectors.proposal_get(request.user, pk),
                form=request.POST,
                errors=error.fields,
                error_message=error.full_message,
            )
            return render(request, "feedback/proposal_detail.html", context, status=error.status)
        messages.success(request, done)
        return redirect("feedback:proposal", pk)
    return render(request, "feedback/proposal_detail.html", context)


urlpatterns = [
    path("innovation/", innovation_list, name="innovation"),
    path("innovation/new/", innovation_new, name="innovation-new"),
    path("feedback/innovation/", proposals, name="proposals"),
    path("feedback/innovation/new/", proposal_new, name="proposal-new"),
    path("feedback/innovation/<int:pk>/", proposal_detail, name="proposal"),
]
