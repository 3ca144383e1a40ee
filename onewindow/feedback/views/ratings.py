"""Rating pages: the window's evaluator tablet (评价器), the signed link on the citizen's phone (短信 / 扫码评价),
the clerk's rating-card entry (评议卡录入) and the QR code a window shows for a case step.

Each page parses its form, calls `rating_submit` once and renders; refusals come back in Chinese with nothing
saved. The tablet polls a small JSON twin of itself, so it lights up when the window finishes a ticket.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from onewindow.audit.services import PUBLIC
from onewindow.core.api import error_body
from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.core.parsing import int_or_none
from onewindow.feedback import selectors
from onewindow.feedback.links import rating_link, rating_qr_svg, step_id_from_token
from onewindow.feedback.models import Channel
from onewindow.feedback.services.ratings import (
    AlreadyRated,
    Subject,
    is_rated,
    rating_submit,
    subject_for_step,
    subject_for_ticket,
)
from onewindow.hall.views.board import display_user

THANKS_SECONDS = 6  # the tablet's "谢谢" screen, then back to idle


def _form_input(post, mode: str | None = None) -> dict:
    """The rating form's fields as rating_submit takes them (shape only; the service judges them)."""
    indicators = {}
    if mode:
        indicators = {key: post.get(f"indicator_{key}", "") for key, _ in selectors.indicator_rows(mode)}
    return {
        "level": post.get("level"),
        "reasons": post.getlist("reasons"),
        "indicators": indicators,
        "comment": post.get("comment", ""),
        "anonymous": post.get("real_name") != "1",
        "rater_name": post.get("rater_name", ""),
        "rater_mobile": post.get("rater_mobile", ""),
    }


def _form_context(subject: Subject, *, post=None, error: DomainError | None = None, indicators=True) -> dict:
    post = post if post is not None else QueryDict()
    fields = error.fields if error else {}
    rows = [
        {
            "key": key,
            "label": label,
            "chosen": int_or_none(post.get(f"indicator_{key}")),
            "error": fields.get(f"indicators.{key}"),
        }
        for key, label in (selectors.indicator_rows(subject.mode) if indicators else [])
    ]
    return {
        "subject": subject,
        "levels": selectors.form_levels(),
        "indicator_rows": rows,
        "chosen_level": int_or_none(post.get("level")),
        "chosen_reasons": post.getlist("reasons"),
        "comment": post.get("comment", ""),
        "real_name": post.get("real_name") == "1",
        "rater_name": post.get("rater_name", ""),
        "deadline": subject.deadline,
        "error": error,
        "errors": fields,
    }


# --- the evaluator tablet ---------------------------------------------------------------------------


def _evaluator_user(request):
    return display_user(request)


@never_cache
@require_http_methods(["GET", "POST"])
def evaluator(request, window_id: int):
    """评价器: idle until the window finishes a ticket, then five large buttons, reasons, submit, 谢谢, idle."""
    user = _evaluator_user(request)
    if user is None:
        return redirect_to_login(request.get_full_path(), login_url=reverse("hall:device-sign-in"))
    window = selectors.evaluator_window(user, window_id)
    context = {
        "window": window,
        "center": window.center,
        "state_url": reverse("feedback:evaluator-current", args=[window.pk]),
        "page_url": reverse("feedback:evaluator", args=[window.pk]),
        "poll_seconds": settings.ONEWINDOW_EVALUATOR_POLL_SECONDS,
        "reset_seconds": settings.ONEWINDOW_EVALUATOR_RESET_SECONDS,
        "thanks_seconds": THANKS_SECONDS,
        "thanks": request.GET.get("thanks") == "1",
    }
    if request.method == "POST":
        ticket = selectors.evaluator_ticket(window, ticket_id=int_or_none(request.POST.get("ticket")))
        if ticket is None:
            context.update(notice="本次服务的评价已结束或已评价，感谢您的支持")
            return render(request, "feedback/evaluator.html", context, status=409)
        subject = subject_for_ticket(ticket)
        try:
            rating_submit(actor=user, subject=subject, channel=Channel.EVALUATOR, **_form_input(request.POST))
        except DomainError as exc:
            context.update(ticket=ticket, **_form_context(subject, post=request.POST, error=exc, indicators=False))
            return render(request, "feedback/evaluator.html", context, status=exc.status)
        return redirect(reverse("feedback:evaluator", args=[window.pk]) + "?thanks=1")
    ticket = None if context["thanks"] else selectors.evaluator_ticket(window)
    if ticket is not None:
        context.update(ticket=ticket, **_form_context(subject_for_ticket(ticket), indicators=False))
    return render(request, "feedback/evaluator.html", context)


@never_cache
@require_GET
def evaluator_current(request, window_id: int):
    """The tablet's poll: {"window", "service": null | {kind, id, number, category, staff, finished_at}}."""
    try:
        user = _evaluator_user(request)
        if user is None:
            return _json_error(401, "not_authenticated", "请先以评价器设备账号登录")
        window = selectors.evaluator_window(user, window_id)
    except DomainError as exc:
        return _json_error(exc.status, exc.code, exc.message)
    return JsonResponse(selectors.evaluator_state(window), json_dumps_params={"ensure_ascii": False})


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status, json_dumps_params={"ensure_ascii": False})


# --- the signed link (no login) ---------------------------------------------------------------------


def _link_channel(request) -> str:
    """How the link was opened: scanned at the window (?via=qr), from 我的办件 on the portal (?via=web: phone or
    PC by the browser), else the text message."""
    via = request.GET.get("via")
    if via == "qr":
        return Channel.QR
    if via == "web":
        return Channel.MOBILE if "Mobile" in request.headers.get("User-Agent", "") else Channel.PC
    return Channel.SMS


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request, token: str):
    """The citizen's rating form for one case step, opened from the SMS or the QR code."""
    try:
        step = selectors.link_step(step_id_from_token(token))
        subject = subject_for_step(step)
        if is_rated(subject):
            raise AlreadyRated("该服务已评价，感谢您的参与。每次服务只能评价一次")
    except DomainError as exc:
        return render(request, "feedback/rate_closed.html", {"error": exc}, status=exc.status)
    if request.method == "POST":
        channel = _link_channel(request)
        try:
            rating_submit(actor=PUBLIC, subject=subject, channel=channel, **_form_input(request.POST, subject.mode))
        except ValidationFailed as exc:
            return render(
                request, "feedback/rate.html", _form_context(subject, post=request.POST, error=exc), status=400
            )
        except DomainError as exc:
            return render(request, "feedback/rate_closed.html", {"error": exc}, status=exc.status)
        return redirect("feedback:rate-thanks")
    return render(request, "feedback/rate.html", _form_context(subject))


@require_GET
def rate_thanks(request):
    return render(request, "feedback/rate_thanks.html")


# --- staff: rating cards and the window's QR code ---------------------------------------------------


def _day(value) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _card_subject(request, data) -> Subject | None:
    if step_id := int_or_none(data.get("step")):
        return subject_for_step(selectors.staff_step(request.user, step_id))
    if ticket_id := int_or_none(data.get("ticket_id")):
        return subject_for_ticket(selectors.staff_ticket(request.user, ticket_id))
    return None


# What staff type in, by where the citizen gave it: a paper card, on a follow-up call, at the 吐槽找茬 window.
TYPED_SOURCES = (
    (Channel.CARD, "评议卡"),
    (Channel.CALLBACK, "电话回访时群众作出的评价"),
    (Channel.COMPLAINT_WINDOW, "“吐槽找茬”窗口"),
)


def _typed_channel(value) -> str:
    return value if value in dict(TYPED_SOURCES) else Channel.CARD


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def card_new(request):
    """评议卡录入: find the service (case number → its rateable steps; or ticket number + date), then type in
    what the citizen wrote on the card."""
    selectors.require_entry_role(request.user)
    data = request.POST if request.method == "POST" else request.GET
    day = _day(data.get("day")) or timezone.localdate()
    case, steps = selectors.card_case(request.user, data.get("case", ""))
    context = {
        "query_case": (data.get("case") or "").strip(),
        "query_ticket": (data.get("ticket") or "").strip(),
        "query_day": day,
        "case": case,
        "steps": steps,
        "tickets": selectors.card_tickets(request.user, data.get("ticket", ""), day),
        "searched": bool(data.get("case") or data.get("ticket")),
        "sources": TYPED_SOURCES,
        "source": _typed_channel(data.get("source")),
    }
    try:
        subject = _card_subject(request, data)
    except DomainError as exc:
        context.update(search_error=exc.message)
        return render(request, "feedback/card_new.html", context, status=exc.status)
    if subject is None:
        return render(request, "feedback/card_new.html", context)
    context.update(_form_context(subject, post=request.POST if request.method == "POST" else None))
    context.update(selected_step=int_or_none(data.get("step")), selected_ticket=int_or_none(data.get("ticket_id")))
    if request.method == "POST":
        try:
            rating_submit(
                actor=request.user,
                subject=subject,
                channel=_typed_channel(data.get("source")),
                entered_by=request.user,
                **_form_input(request.POST, subject.mode),
            )
        except DomainError as exc:
            context.update(_form_context(subject, post=request.POST, error=exc))
            return render(request, "feedback/card_new.html", context, status=exc.status)
        messages.success(request, f"已录入评议卡：{subject.label}")
        return redirect("feedback:card-new")
    return render(request, "feedback/card_new.html", context)


@never_cache
@login_required
@require_GET
def rating_qr(request, step_id: int):
    """The step's rating QR code, large, for the citizen at the window to scan (also printable)."""
    selectors.require_entry_role(request.user)
    step = selectors.staff_step(request.user, step_id)
    subject = subject_for_step(step)
    context = {"subject": subject, "rated": is_rated(subject), "deadline": subject.deadline}
    if not context["rated"]:
        context.update(qr=rating_qr_svg(step, request=request), link=rating_link(step, request=request, via="qr"))
    return render(request, "feedback/rate_qr.html", context)


urlpatterns = [
    path("feedback/evaluator/<int:window_id>/", evaluator, name="evaluator"),
    path("feedback/evaluator/<int:window_id>/current.json", evaluator_current, name="evaluator-current"),
    path("rate/<str:token>/", rate, name="rate"),
    path("rate-thanks/", rate_thanks, name="rate-thanks"),
    path("feedback/cards/new/", card_new, name="card-new"),
    path("feedback/steps/<int:step_id>/rating-qr/", rating_qr, name="rating-qr"),
]
