"""综合受理 screen: find the item, record the applicant and the materials checklist, decide at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from onewindow.cases import forms
from onewindow.cases.models import ApplicantKind, Channel, MaterialState
from onewindow.cases.services.acceptance import (
    case_accept,
    case_accept_with_deficiency,
    case_complete_instantly,
    case_reject,
    case_request_correction,
)
from onewindow.cases.services.intake import INTAKE_ROLES, case_intake
from onewindow.catalog.selectors import public_items, search_items
from onewindow.core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from onewindow.core.scoping import effective_role, one_or_not_found
from onewindow.hall.models import Ticket
from onewindow.org.models import Region

DECISIONS = {
    "receive": "仅接件（稍后受理）",
    "accept": "受理",
    "deficiency": "容缺受理",
    "correction": "出具一次性告知书（补正）",
    "reject": "不予受理",
    "instant": "即办件当场办结",
}


DONE = {
    "receive": "已接件",
    "accept": "已受理",
    "deficiency": "已容缺受理",
    "correction": "已出具一次性告知书",
    "reject": "已作出不予受理决定",
    "instant": "已当场办结",
}


def _town(user) -> Region:
    if effective_role(user) not in INTAKE_ROLES or not user.town_id:
        raise Forbidden("您不能在本中心受理申请")
    return user.town


def _ticket(request, town):
    """The hall ticket the window console sent along (?ticket=<id>), kept across the form; own town only."""
    raw = request.GET.get("ticket") or request.POST.get("ticket")
    if not raw:
        return None
    tickets = Ticket.objects.visible_to(request.user).filter(center__region=town).select_related("category")
    return one_or_not_found(tickets, pk=raw)


def _offered(town, q: str):
    items = public_items(town).select_related("current_guide")
    if q:
        return [hit.item for hit in search_items(items, q, limit=30)]
    return list(items.order_by("business_category__sort_order", "code"))


def _guide_of(town, code: str):
    item = public_items(town).select_related("current_guide").filter(code=code).first()
    if item is None:
        raise NotFound("该事项不在本镇街公布的事项目录中")
    guide = item.current_guide
    return item, guide, list(guide.materials.all())


def _decide(request, case, decision: str, count: int):
    data = request.POST
    actor = request.user
    if decision == "accept":
        return case_accept(actor=actor, case=case)
    if decision == "deficiency":
        marks = forms.material_marks(data, count)
        deficient = [position for position, state in marks.items() if state == MaterialState.DEFICIENT]
        return case_accept_with_deficiency(
            actor=actor, case=case, deficient=deficient, due=forms.day(data, "due", "容缺材料补交期限")
        )
    if decision == "correction":
        return case_request_correction(
            actor=actor, case=case, problems=forms.material_problems(data, count), note=forms.text(data, "note")
        )
    if decision == "reject":
        return case_reject(actor=actor, case=case, reason=forms.text(data, "reason"))
    if decision == "instant":
        return case_complete_instantly(
            actor=actor, case=case, certificate_number=forms.text(data, "certificate_number", 80)
        )
    return case


@login_required
def intake(request):
    town = _town(request.user)
    q = forms.text(request.GET, "q", 60)
    code = request.GET.get("item") or request.POST.get("item") or ""
    context = {
        "q": q,
        "decisions": DECISIONS,
        "channels": Channel.choices,
        "kinds": ApplicantKind.choices,
        "states": MaterialState.choices,
        "villages": town.children.filter(is_active=True).order_by("code"),
        "errors": {},
        "data": request.POST,
        "town": town,
        "ticket": _ticket(request, town),
    }
    if not code:
        context["items"] = _offered(town, q)
        return render(request, "cases/intake_choose.html", context)
    item, guide, materials = _guide_of(town, code)
    context.update(item=item, guide=guide, materials=materials)
    if request.method != "POST":
        return render(request, "cases/intake.html", context)
    data = request.POST
    decision = data.get("decision", "receive")
    village = None
    if data.get("village"):
        village = town.children.filter(code=data["village"]).first()
    try:
        case = case_intake(
            actor=request.user,
            item=item,
            town=town,
            applicant=forms.applicant(data),
            channel=data.get("channel") or Channel.WINDOW,
            materials=forms.material_marks(data, len(materials)),
            problems=forms.material_problems(data, len(materials)),
            village=village,
            request_summary=forms.text(data, "request_summary", 300),
            idempotency_key=data.get("form_token"),
            ticket=context["ticket"],
        )
    except ValidationFailed as exc:
        context["errors"], context["error"] = exc.fields, exc.message
        return render(request, "cases/intake.html", context, status=400)
    try:
        case = _decide(request, case, decision, len(materials))
    except DomainError as exc:
        # The application is received; the decision was refused. The clerk sees why on the case page.
        messages.error(
            request,
            f"已接件（{case.number}），但{DECISIONS.get(decision, '')}未完成：{exc.full_message}",
        )
        return redirect("cases:detail", number=case.number)
    messages.success(request, f"办件 {case.number} {DONE.get(decision, '已接件')}，查询码 {case.query_code}。")
    return redirect("cases:detail", number=case.number)
