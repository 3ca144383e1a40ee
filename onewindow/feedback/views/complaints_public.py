"""The public 吐槽找茬 pages, no login: choose the town, the form (from the web or the hall's QR code), the
receipt showing the number and query code once, the printable QR poster and the follow page."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from onewindow.audit.services import PUBLIC
from onewindow.catalog import selectors as catalog
from onewindow.catalog.qr import absolute_url, qr_svg
from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.core.logging import redact
from onewindow.core.middleware import client_ip
from onewindow.core.pii import mask_name
from onewindow.core.ratelimit import FailureLimit, TooManyAttempts
from onewindow.feedback.models import ComplaintChannel
from onewindow.feedback.selectors_supervision import public_complaint
from onewindow.feedback.services.complaints import CONTENT_MAX, complaint_receive, is_overdue, working_days

# An abuse guard, not a quota: one address may file this many complaints an hour (a hall's Wi-Fi shares one
# address, so it is generous); failed follow-up lookups are counted against guessing query codes.
INTAKES = FailureLimit(scope="complaint-intake", limit=10, window_seconds=3600)
FOLLOW_GUESSES = FailureLimit(scope="complaint-follow", limit=10, window_seconds=15 * 60)
RECEIPT_KEY = "feedback_complaint_receipt"


class TooManyComplaints(DomainError):
    status = 429
    code = "complaint.rate_limited"
    message = "同一网络1小时内提交次数过多，请稍后再试，或到为民服务中心“吐槽找茬”窗口反映"


def _who(request) -> str:
    return client_ip(request) or "unknown"


def _items(town):
    return list(catalog.public_items(town).order_by("name").values_list("code", "name"))


@require_safe
def complaint_start(request):
    return render(request, "feedback/complaint_start.html", {"towns": list(catalog.public_towns())})


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_new(request, town_code: str):
    town = catalog.public_town(town_code)
    via_qr = request.GET.get("via") == "qr" or request.POST.get("via") == "qr"
    context = {
        "town": town,
        "items": _items(town),
        "via_qr": via_qr,
        "content_max": CONTENT_MAX,
        "days": working_days(),
        "form": {},
        "errors": {},
    }
    if request.method == "GET":
        return render(request, "feedback/complaint_new.html", context)
    who = _who(request)
    try:
        try:
            INTAKES.check(who)
        except TooManyAttempts:
            raise TooManyComplaints() from None
        code = (request.POST.get("item") or "").strip()
        item = catalog.public_items(town).filter(code=code).first() if code else None
        if code and item is None:
            raise ValidationFailed(fields={"item": "请选择本镇街公布的事项"})
        receipt = complaint_receive(
            actor=PUBLIC,
            town=town,
            channel=ComplaintChannel.QR if via_qr else ComplaintChannel.WEB,
            content=request.POST.get("content", ""),
            item=item,
            name=request.POST.get("name", ""),
            mobile=request.POST.get("mobile", ""),
            anonymous=request.POST.get("anonymous") == "1",
        )
    except DomainError as error:
        context.update(form=request.POST, errors=error.fields, error_message=error.full_message)
        return render(request, "feedback/complaint_new.html", context, status=error.status)
    INTAKES.fail(who)  # counts complaints filed, not failures
    request.session[RECEIPT_KEY] = {"number": receipt.complaint.number, "code": receipt.query_code}
    return redirect("feedback:complaint-received")


@never_cache
@require_safe
def complaint_received(request):
    """Shows the number and query code once: the session forgets them as the page is drawn."""
    receipt = request.session.pop(RECEIPT_KEY, None)
    return render(request, "feedback/complaint_received.html", {"receipt": receipt})


@require_safe
def complaint_poster(request, town_code: str):
    town = catalog.public_town(town_code)
    url = absolute_url(reverse("feedback:complaint-new", args=[town.code]) + "?via=qr", request)
    return render(
        request,
        "feedback/complaint_poster.html",
        {
            "town": town,
            "center": getattr(town, "center", None),
            "url": url,
            "qr": qr_svg(url, scale=8, title="扫码吐槽找茬"),
            "days": working_days(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_follow(request):
    context = {"number": (request.GET.get("number") or "")[:32]}
    if request.method == "POST":
        who = _who(request)
        FOLLOW_GUESSES.check(who)
        number = request.POST.get("number", "")
        complaint = public_complaint(number, request.POST.get("query_code", ""))
        context["number"] = number.strip()[:32]
        if complaint is None:
            FOLLOW_GUESSES.fail(who)
            context["error"] = "编号或查询码不正确，请核对后重新输入"
            return render(request, "feedback/complaint_follow.html", context, status=404)
        context.update(
            complaint=complaint,
            who=mask_name(complaint.name) if complaint.name and not complaint.anonymous else "匿名",
            # Free text typed by the public or staff: ID and mobile numbers in it are masked on this page.
            content=redact(complaint.content),
            reply=redact(complaint.reply),
            overdue=is_overdue(complaint),
        )
    return render(request, "feedback/complaint_follow.html", context)


_TOWN = "complaints/<str:town_code>/"
urlpatterns = [
    path("complaints/", complaint_start, name="complaint-start"),
    path("complaints/follow/", complaint_follow, name="complaint-follow"),
    path("complaints/received/", complaint_received, name="complaint-received"),
    path(_TOWN + "new/", complaint_new, name="complaint-new"),
    path(_TOWN + "poster/", complaint_poster, name="complaint-poster"),
]
