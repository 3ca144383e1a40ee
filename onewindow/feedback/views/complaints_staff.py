"""Staff 吐槽找茬 pages: the list (overdue ones marked), the 吐槽找茬窗口 entry screen where a clerk types in a
spoken or paper complaint, and one complaint with the next GB/T 36113 step and "put on the problem ledger"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from onewindow.catalog import selectors as catalog
from onewindow.core.errors import DomainError, Forbidden, ValidationFailed
from onewindow.core.parsing import int_or_none
from onewindow.core.pii import mask_mobile, mask_name
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role
from onewindow.feedback import selectors_supervision as selectors
from onewindow.feedback.models import ComplaintChannel, ComplaintStatus, ProblemKind
from onewindow.feedback.services import complaints as service
from onewindow.feedback.views.complaints_public import RECEIPT_KEY
from onewindow.org.models import Department, User

LEDGER_ROLES = service.MANAGERS | {Role.OUTPUT_CLERK}
LIST_ROLES = selectors.COMPLAINT_READERS | service.WINDOW_ENTRY_ROLES | service.HANDLER_ROLES


@login_required
def complaints(request):
    if effective_role(request.user) not in LIST_ROLES:
        raise Forbidden("您的账号不能查看“吐槽找茬”")
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    rows = selectors.complaint_list(request.user, status=status, overdue=overdue)
    return render(
        request,
        "feedback/complaint_list.html",
        {
            "rows": rows,
            "status": status,
            "overdue": overdue,
            "statuses": ComplaintStatus.choices,
            "counts": selectors.complaint_counts(request.user),
            "can_enter": effective_role(request.user) in service.WINDOW_ENTRY_ROLES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint_window(request):
    """吐槽找茬窗口: the clerk types in what a citizen says or wrote on paper; the receipt is shown once."""
    user = request.user
    if effective_role(user) not in service.WINDOW_ENTRY_ROLES or user.town is None:
        raise Forbidden("只有镇街为民服务中心的窗口工作人员可以登记“吐槽找茬”")
    town = user.town
    context = {
        "town": town,
        "items": list(catalog.public_items(town).order_by("name").values_list("code", "name")),
        "content_max": service.CONTENT_MAX,
        "form": {},
        "errors": {},
        "receipt": None,
    }
    if request.method == "GET":
        context["receipt"] = request.session.pop(RECEIPT_KEY, None)
        return render(request, "feedback/complaint_window.html", context)
    try:
        code = (request.POST.get("item") or "").strip()
        item = catalog.public_items(town).filter(code=code).first() if code else None
        if code and item is None:
            raise ValidationFailed(fields={"item": "请选择本镇街公布的事项"})
        receipt = service.complaint_receive(
            actor=user,
            town=town,
            channel=ComplaintChannel.WINDOW,
            content=request.POST.get("content", ""),
            item=item,
            name=request.POST.get("name", ""),
            mobile=request.POST.get("mobile", ""),
            anonymous=request.POST.get("anonymous") == "1",
        )
    except DomainError as error:
        context.update(form=request.POST, errors=error.fields, error_message=error.full_message)
        return render(request, "feedback/complaint_window.html", context, status=error.status)
    request.session[RECEIPT_KEY] = {"number": receipt.complaint.number, "code": receipt.query_code}
    return redirect("feedback:complaint-window")


def _detail_context(request, complaint) -> dict:
    user = request.user
    steps = service.next_steps(user, complaint)
    return {
        "c": complaint,
        "who": mask_name(complaint.name) if complaint.name else "匿名",
        "phone": mask_mobile(complaint.mobile) if complaint.mobile else "",
        "can_reveal": bool(complaint.mobile)
        and (service.can(user, service.REPLY, complaint) or service.can(user, service.REVIEW, complaint)),
        "overdue": service.is_overdue(complaint),
        "steps": steps,
        "handlers": (
            User.objects.filter(town_id=complaint.town_id, is_active=True, role__in=service.HANDLER_ROLES).order_by(
                "role", "username"
            )
            if service.HANDLE in steps
            else []
        ),
        "problems": list(complaint.problems.all()),
        "can_ledger": effective_role(user) in LEDGER_ROLES and not complaint.problems.exists(),
        "kinds": ProblemKind.choices,
        "departments": Department.objects.visible_to(user).filter(town_id=complaint.town_id).order_by("name"),
        "levels": [(5, "非常满意"), (4, "满意"), (3, "基本满意"), (2, "不满意"), (1, "非常不满意")],
        "form": {},
        "errors": {},
    }


def _act(request, complaint) -> str:
    action, post, user = request.POST.get("action"), request.POST, request.user
    if action == service.HANDLE:
        handler = User.objects.filter(pk=int_or_none(post.get("handler"))).first()
        row = service.complaint_handle(actor=user, complaint=complaint, handler=handler, note=post.get("note", ""))
        return f"已交{row.handler.display_name}办理。"
    if action == service.REPLY:
        service.complaint_reply(actor=user, complaint=complaint, reply=post.get("reply", ""))
        return "已答复。" + ("已短信通知反映人查看答复。" if complaint.mobile else "")
    if action == service.CLOSE:
        service.complaint_close(actor=user, complaint=complaint)
        return "已办结。"
    if action == service.REVIEW:
        service.complaint_review(
            actor=user, complaint=complaint, satisfaction=post.get("satisfaction"), note=post.get("review_note", "")
        )
        return "回访评价已记录。"
    if action == "ledger":
        department = Department.objects.visible_to(user).filter(pk=int_or_none(post.get("department"))).first()
        if post.get("department") and department is None:
            raise ValidationFailed(fields={"department": "请选择涉及的部门"})
        service.complaint_to_ledger(
            actor=user,
            complaint=complaint,
            kind=post.get("kind", ""),
            description=post.get("description", ""),
            department=department,
        )
        return "已登记到堵点难点卡点问题台账。"
    raise ValidationFailed("请选择要办理的步骤")


@login_required
@require_http_methods(["GET", "POST"])
def complaint_detail(request, pk: int):
    complaint = selectors.complaint_get(request.user, pk)
    if request.method == "POST" and request.POST.get("action") == "reveal_phone":
        # Drawn on this response only (never stored in a message or a URL), after an audited reveal.
        context = _detail_context(request, complaint)
        context["phone"] = service.complainant_phone_reveal(actor=request.user, complaint=complaint)
        context["phone_revealed"] = True
        return render(request, "feedback/complaint_detail.html", context)
    if request.method == "POST":
        try:
            done = _act(request, complaint)
        except DomainError as error:
            if error.status == 404:
                raise
            complaint = selectors.complaint_get(request.user, pk)
            context = _detail_context(request, complaint)
            context.update(
                form=request.POST,
                errors=error.fields,
                error_message=error.full_message,
                failed=request.POST.get("action"),
            )
            return render(request, "feedback/complaint_detail.html", context, status=error.status)
        messages.success(request, done)
        return redirect("feedback:complaint", pk)
    return render(request, "feedback/complaint_detail.html", _detail_context(request, complaint))


urlpatterns = [
    path("feedback/complaints/", complaints, name="complaints"),
    path("feedback/complaints/window/", complaint_window, name="complaint-window"),
    path("feedback/complaints/<int:pk>/", complaint_detail, name="complaint"),
]
