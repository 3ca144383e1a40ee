"""Notice PDFs of a case (rendered from the frozen notice content)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from onewindow.cases.notices.render import render_notice
from onewindow.cases.selectors import case_detail
from onewindow.core.errors import NotFound


@login_required
def notice_pdf(request, number: str, notice_id: int):
    case = case_detail(request.user, number)
    notice = case.notices.filter(pk=notice_id).first()
    if notice is None:
        raise NotFound()
    pdf = render_notice(notice, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=notice-{case.number}-{notice.pk}.pdf"
    return response
