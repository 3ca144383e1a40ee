"""Uploading and reading a case's attachments (only for those who may see the case)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from onewindow.cases.selectors import case_detail
from onewindow.cases.services.attachments import attachment_add, attachment_open
from onewindow.core.errors import DomainError, NotFound


@login_required
@require_POST
def upload(request, number: str):
    case = case_detail(request.user, number)
    position = request.POST.get("material") or None
    try:
        attachment_add(
            actor=request.user,
            case=case,
            upload=request.FILES.get("file"),
            material_position=int(position) if position and position.isdigit() else None,
        )
    except DomainError as exc:
        messages.error(request, exc.full_message)
    else:
        messages.success(request, "附件已上传。")
    return redirect("cases:detail", number=number)


@login_required
def download(request, number: str, attachment_id: int):
    case = case_detail(request.user, number)  # another town's case: 404
    attachment = case.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound()
    try:
        handle = attachment_open(attachment)
    except FileNotFoundError as exc:
        raise NotFound("附件文件不存在") from exc
    return FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
