"""网上申报 pages: the application form (fields, a file input per checklist line, the declaration), saving
and resuming a draft, and the one-time confirmation with the case number and query code.

The ID number and mobile are never put back into the page: the form shows them masked and a blank field
keeps what is stored. They travel only in POST bodies, never in a URL.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

import onewindow.catalog.views.public  # noqa: F401  (registers the town_code / item_code path converters)
from onewindow.cases.models import ApplicantKind
from onewindow.citizens.session import citizen_required
from onewindow.core.errors import DomainError, NotFound
from onewindow.core.uploads import ACCEPT_ATTRIBUTE, ALLOWED_LABEL
from onewindow.portal import selectors
from onewindow.portal.models import Application, ApplicationStatus
from onewindow.portal.services.applications import (
    ApplicationInput,
    application_discard,
    application_file_remove,
    application_save,
    application_submit,
)
from onewindow.portal.services.files import MAX_FILES_PER_MATERIAL, upload_field, uploads_by_position
from onewindow.portal.views import my_cases

JUST_SUBMITTED = "portal_just_submitted"


def _form_input(post) -> ApplicationInput:
    return ApplicationInput(
        applicant_kind=post.get("applicant_kind", ApplicantKind.PERSON),
        applicant_name=post.get("applicant_name", "")[:200],
        applicant_id_number=post.get("applicant_id_number", "")[:40],
        contact_name=post.get("contact_name", "")[:100],
        contact_phone=post.get("contact_phone", "")[:40],
        address=post.get("address", "")[:400],
        request_summary=post.get("request_summary", "")[:600],
        village_code=post.get("village", "")[:12],
        declared=post.get("declared") == "on",
    )


def _unavailable(request, town_code: str, item_code: str, error: DomainError):
    return render(
        request,
        "portal/apply_unavailable.html",
        {"error": error, "town_code": town_code, "item_code": item_code},
        status=404,
    )


def _context(request, offer, draft: Application | None, *, token: str, posted=None, error=None) -> dict:
    citizen = request.citizen
    files_by_position: dict[int, list] = {}
    if draft is not None:
        for f in draft.files.all():
            files_by_position.setdefault(f.material_position, []).append(f)
    fields = error.fields if error is not None else {}
    materials = [
        {
            "material": m,
            "field": upload_field(m.position),
            "files": files_by_position.get(m.position, []),
            "error": fields.get(upload_field(m.position), ""),
        }
        for m in offer.guide.materials.all()
    ]
    if posted is not None:
        values = {
            "applicant_kind": posted.applicant_kind,
            "applicant_name": posted.applicant_name,
            "contact_name": posted.contact_name,
            "address": posted.address,
            "request_summary": posted.request_summary,
            "village": posted.village_code,
            "declared": posted.declared,
        }
    elif draft is not None:
        values = {
            "applicant_kind": draft.applicant_kind,
            "applicant_name": draft.applicant_name,
            "contact_name": draft.contact_name,
            "address": draft.address,
            "request_summary": draft.request_summary,
            "village": draft.village.code if draft.village_id else "",
            "declared": draft.declared,
        }
    else:
        values = {"applicant_kind": ApplicantKind.PERSON, "applicant_name": citizen.name, "address": citizen.address}
    stored_id = draft.id_number_masked if draft is not None and draft.applicant_id_number else ""
    stored_phone = draft.phone_masked if draft is not None and draft.contact_phone else ""
    return {
        "town": offer.town,
        "item": offer.item,
        "guide": offer.guide,
        "draft": draft,
        "token": token,
        "values": values,
        "materials": materials,
        "villages": offer.town.children.filter(level="village", is_active=True).order_by("code"),
        "id_hint": stored_id or citizen.id_number_masked,
        "phone_hint": stored_phone or citizen.mobile_masked,
        "error": error,
        "errors": fields,
        "accept": ACCEPT_ATTRIBUTE,
        "allowed_label": ALLOWED_LABEL,
        "max_mb": settings.ONEWINDOW_ATTACHMENT_MAX_BYTES // (1024 * 1024),
        "max_files": MAX_FILES_PER_MATERIAL,
        "guide_changed": draft is not None and draft.guide_id != offer.guide.pk,
    }


@citizen_required
@require_http_methods(["GET", "POST"])
def apply(request, town_code: str, item_code: str):
    try:
        offer = selectors.online_offer(town_code, item_code)
    except selectors.NotOnline as exc:
        return _unavailable(request, town_code, item_code, exc)
    draft = selectors.open_draft(request.citizen, offer.town, offer.item)
    if request.method == "GET":
        token = draft.token if draft is not None else uuid.uuid4().hex
        return render(request, "portal/apply.html", _context(request, offer, draft, token=token))
    token = request.POST.get("token", "")
    data = _form_input(request.POST)
    uploads = uploads_by_position(request.FILES)
    try:
        if request.POST.get("action") == "submit":
            case = application_submit(citizen=request.citizen, offer=offer, token=token, data=data, uploads=uploads)
            request.session[JUST_SUBMITTED] = case.number
            return redirect("portal:apply-submitted", number=case.number)
        application_save(citizen=request.citizen, offer=offer, token=token, data=data, uploads=uploads)
    except DomainError as exc:
        draft = selectors.open_draft(request.citizen, offer.town, offer.item)
        context = _context(request, offer, draft, token=token, posted=data, error=exc)
        return render(request, "portal/apply.html", context, status=exc.status)
    messages.success(request, "草稿已保存。可随时在“我的办件”中继续填写。")
    return redirect("portal:apply", town_code=offer.town.code, item_code=offer.item.code)


def _own_draft(request, town_code: str, item_code: str) -> Application:
    draft = (
        Application.objects.filter(
            citizen=request.citizen, town__code=town_code, item__code=item_code, status=ApplicationStatus.DRAFT
        )
        .select_related("town", "item")
        .first()
    )
    if draft is None:
        raise NotFound()
    return draft


@citizen_required
@require_POST
def file_remove(request, town_code: str, item_code: str, file_id: int):
    draft = _own_draft(request, town_code, item_code)
    application_file_remove(citizen=request.citizen, application=draft, file_id=file_id)
    messages.success(request, "已删除该文件。")
    return redirect("portal:apply", town_code=town_code, item_code=item_code)


@citizen_required
@require_POST
def discard(request, town_code: str, item_code: str):
    draft = _own_draft(request, town_code, item_code)
    application_discard(citizen=request.citizen, application=draft)
    messages.success(request, "草稿已删除。")
    return redirect("portal:my-cases")


@citizen_required
def submitted(request, number: str):
    """The case number and query code, shown once right after submitting; afterwards the case page."""
    case = selectors.my_case(request.citizen, number)
    if request.session.get(JUST_SUBMITTED) != case.number:
        return redirect("portal:my-case", number=case.number)
    del request.session[JUST_SUBMITTED]
    return render(request, "portal/apply_submitted.html", {"case": case})


urlpatterns = [
    path("apply/<town_code:town_code>/<item_code:item_code>/", apply, name="apply"),
    path("apply/<town_code:town_code>/<item_code:item_code>/discard/", discard, name="apply-discard"),
    path(
        "apply/<town_code:town_code>/<item_code:item_code>/files/<int:file_id>/remove/",
        file_remove,
        name="apply-file-remove",
    ),
    path("my/cases/<str:number>/submitted/", submitted, name="apply-submitted"),
    *my_cases.urlpatterns,
]
