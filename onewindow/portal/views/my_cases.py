"""我的办件: the citizen's drafts and cases, a case's plain-Chinese timeline and deadline, its notices and
own uploads to download, the correction (补正) upload, and withdrawal with a confirm step.

Every case is read through portal.selectors.my_case: another person's case number is the same 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from onewindow.cases.notices.render import render_notice
from onewindow.cases.services.attachments import attachment_open
from onewindow.citizens.session import citizen_required
from onewindow.core.errors import DomainError, NotFound
from onewindow.core.uploads import ACCEPT_ATTRIBUTE, ALLOWED_LABEL
from onewindow.portal import selectors
from onewindow.portal.services.files import upload_field, uploads_by_position
from onewindow.portal.services.my_cases import my_case_supplement, my_case_withdraw


@citizen_required
@require_safe
def list_page(request):
    in_progress, finished = selectors.my_case_rows(request.citizen)
    return render(
        request,
        "portal/my_cases.html",
        {"drafts": selectors.my_drafts(request.citizen), "in_progress": in_progress, "finished": finished},
    )


def _detail_context(request, case, error: DomainError | None = None) -> dict:
    fields = error.fields if error is not None else {}
    corrections = [
        {"material": m, "field": upload_field(m.position), "error": fields.get(upload_field(m.position), "")}
        for m in selectors.correction_items(case)
    ]
    return {
        "case": case,
        "summary": selectors.case_summary(case),
        "steps": selectors.timeline(case),
        "materials": list(case.materials.all()),
        "notices": list(case.notices.all()),
        "attachments": list(selectors.my_attachments(case)),
        "corrections": corrections,
        "correction_notice": selectors.correction_notice(case),
        "error": error,
        "accept": ACCEPT_ATTRIBUTE,
        "allowed_label": ALLOWED_LABEL,
        "max_mb": settings.ONEWINDOW_ATTACHMENT_MAX_BYTES // (1024 * 1024),
    }


@citizen_required
@require_safe
def detail_page(request, number: str):
    case = selectors.my_case(request.citizen, number)
    return render(request, "portal/my_case.html", _detail_context(request, case))


@citizen_required
@require_safe
def notice_pdf(request, number: str, notice_id: int):
    case = selectors.my_case(request.citizen, number)
    notice = next((n for n in case.notices.all() if n.pk == notice_id), None)
    if notice is None:
        raise NotFound()
    response = HttpResponse(render_notice(notice, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=notice-{case.number}-{notice.pk}.pdf"
    return response


@citizen_required
@require_safe
def attachment_download(request, number: str, attachment_id: int):
    case = selectors.my_case(request.citizen, number)
    attachment = selectors.my_attachments(case).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound()
    try:
        handle = attachment_open(attachment)
    except FileNotFoundError as exc:
        raise NotFound("附件文件不存在") from exc
    return FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )


@citizen_required
@require_POST
def supplement(request, number: str):
    case = selectors.my_case(request.citizen, number)
    try:
        my_case_supplement(citizen=request.citizen, case=case, uploads=uploads_by_position(request.FILES))
    except DomainError as exc:
        case = selectors.my_case(request.citizen, number)
        return render(request, "portal/my_case.html", _detail_context(request, case, exc), status=exc.status)
    messages.success(request, "补正材料已提交，窗口工作人员将重新预审，结果会短信告知您。")
    return redirect("portal:my-case", number=case.number)


@citizen_required
@require_http_methods(["GET", "POST"])
def withdraw(request, number: str):
    """撤回申请: a confirm page with the reason; only before acceptance."""
    case = selectors.my_case(request.citizen, number)
    context = {"case": case, "summary": selectors.case_summary(case), "reason": ""}
    if request.method == "POST":
        context["reason"] = request.POST.get("reason", "")[:300]
        try:
            my_case_withdraw(citizen=request.citizen, case=case, reason=context["reason"])
        except DomainError as exc:
            context["error"] = exc
            return render(request, "portal/my_case_withdraw.html", context, status=exc.status)
        messages.success(request, "申请已撤回。")
        return redirect("portal:my-case", number=case.number)
    return render(request, "portal/my_case_withdraw.html", context)


urlpatterns = [
    path("my/cases/", list_page, name="my-cases"),
    path("my/cases/<str:number>/", detail_page, name="my-case"),
    path("my/cases/<str:number>/notices/<int:notice_id>.pdf", notice_pdf, name="my-case-notice"),
    path("my/cases/<str:number>/attachments/<int:attachment_id>/", attachment_download, name="my-case-attachment"),
    path("my/cases/<str:number>/supplement/", supplement, name="my-case-supplement"),
    path("my/cases/<str:number>/withdraw/", withdraw, name="my-case-withdraw"),
]
