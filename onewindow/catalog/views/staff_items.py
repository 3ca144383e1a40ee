"""Staff screens for service items and their guides: list, create, edit the draft, upload files.

Thin adapters: they parse the request, call one selector or service, and render. Every rule (who may
edit, what a valid guide is) is the services' and spec's; their errors are shown on the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from onewindow.catalog import selectors
from onewindow.catalog.forms import GuideEditor
from onewindow.catalog.models import CatalogEntry, GuideStatus, GuideVersion, ItemSource
from onewindow.catalog.services import guide_save_draft, item_create
from onewindow.catalog.services.files import FILE_KINDS, guide_attach_file
from onewindow.catalog.services.permissions import require_item_manager
from onewindow.catalog.spec import spec_from_guide
from onewindow.catalog.views.staff_common import (
    can_manage,
    catalog_staff_required,
    excel_links,
    is_county_admin,
    item_for,
)
from onewindow.catalog.views.staff_diff import diff_specs
from onewindow.core.errors import Conflict, ValidationFailed
from onewindow.core.uploads import ACCEPT_ATTRIBUTE, ALLOWED_LABEL
from onewindow.org.models import BusinessCategory, Region

PAGE_SIZE = 50
STATUS_FILTERS = {
    "in_service": ("在用（已发布）", Q(current_guide__isnull=False)),
    "draft": ("有待发布的草稿", Q(draft_version__isnull=False)),
    "out": ("未在用（未发布或已废止）", Q(current_guide__isnull=True)),
}
SCOPE_FILTERS = {
    "county": ("全县通用事项", Q(owner_town__isnull=True)),
    "town": ("镇街特色事项", Q(owner_town__isnull=False)),
}


def _annotated_items(actor):
    drafts = GuideVersion.objects.filter(item=OuterRef("pk"), status=GuideStatus.DRAFT)
    items = (
        selectors.items_for(actor)
        .select_related("business_category")
        .annotate(draft_version=Subquery(drafts.values("version")[:1]))
    )
    if is_county_admin(actor):
        return items.annotate(
            towns_adopted=Count("catalog_entries", distinct=True),
            towns_published=Count("catalog_entries", filter=Q(catalog_entries__is_published=True), distinct=True),
        )
    entries = CatalogEntry.objects.filter(item=OuterRef("pk"), town_id=actor.town_id)
    return items.annotate(in_town=Exists(entries), published_in_town=Exists(entries.filter(is_published=True)))


@catalog_staff_required
def item_list(request):
    actor = request.user
    items = _annotated_items(actor)
    chosen = {key: request.GET.get(key, "").strip() for key in ("status", "category", "source", "scope", "q")}
    if chosen["status"] in STATUS_FILTERS:
        items = items.filter(STATUS_FILTERS[chosen["status"]][1])
    if chosen["scope"] in SCOPE_FILTERS:
        items = items.filter(SCOPE_FILTERS[chosen["scope"]][1])
    if chosen["category"]:
        items = items.filter(business_category__code=chosen["category"])
    if chosen["source"] in ItemSource.values:
        # The source of the version in force, else of the draft (an item never published yet).
        drafts = GuideVersion.objects.filter(status=GuideStatus.DRAFT, source=chosen["source"]).values("item")
        items = items.filter(Q(current_guide__source=chosen["source"]) | Q(current_guide__isnull=True, pk__in=drafts))
    page = None
    if chosen["q"]:
        rows = [hit.item for hit in selectors.search_items(items, chosen["q"])]
    else:
        page = Paginator(items.order_by("code"), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = page.object_list
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/staff/item_list.html",
        {
            "rows": rows,
            "page": page,
            "chosen": chosen,
            "query": query.urlencode(),
            "status_filters": [(k, v[0]) for k, v in STATUS_FILTERS.items()],
            "scope_filters": [(k, v[0]) for k, v in SCOPE_FILTERS.items()],
            "sources": ItemSource.choices,
            "categories": BusinessCategory.objects.all(),
            "is_county_admin": is_county_admin(actor),
            "excel_links": excel_links() if is_county_admin(actor) else [],
        },
    )


def _render_form(request, editor, *, item=None, status=200):
    return render(request, "catalog/staff/item_form.html", {"editor": editor, "item": item}, status=status)


def _service_failed(editor, error: ValidationFailed) -> None:
    editor.apply_errors(error.fields or {})
    if not error.fields:
        editor.form.add_error(None, error.message)
        editor.error_summary.append(("", error.message, "guide-errors"))


@catalog_staff_required
def item_new(request):
    actor = request.user
    admin = is_county_admin(actor)
    towns = Region.objects.towns().filter(is_active=True).order_by("code") if admin else None
    own_town = None if admin else actor.town
    if request.method != "POST":
        return _render_form(request, GuideEditor(creating=True, towns=towns, owner_town=own_town))
    editor = GuideEditor(data=request.POST, creating=True, towns=towns, owner_town=own_town)
    if not editor.is_valid():
        return _render_form(request, editor, status=400)
    owner_town = own_town
    if admin and editor.form.cleaned_data.get("owner_town"):
        owner_town = Region.objects.towns().get(code=editor.form.cleaned_data["owner_town"])
    try:
        spec = editor.to_spec()
        item = item_create(
            actor=actor, code=editor.code, spec=spec, owner_town=owner_town, change_note=editor.change_note
        )
    except ValidationFailed as error:
        _service_failed(editor, error)
        return _render_form(request, editor, status=400)
    messages.success(request, f"已新增事项“{item.name}”，办事指南第1版已存为草稿；核对无误后请点“发布”。")
    return redirect("catalog:staff-item", code=item.code)


@catalog_staff_required
def item_edit(request, code):
    """Edits the draft; on a published guide the first save starts the next version (the service
    does the versioning), prefilled from the version in force."""
    actor = request.user
    item = item_for(actor, code)
    require_item_manager(actor, item.owner_town_id)
    draft = selectors.draft_of(item)
    base_guide = draft or item.current_guide or item.versions.order_by("-version").first()
    base = spec_from_guide(base_guide)
    if request.method != "POST":
        editor = GuideEditor(spec=base, owner_town=item.owner_town, change_note=draft.change_note if draft else "")
        return _render_form(request, editor, item=item)
    editor = GuideEditor(data=request.POST, spec=base, owner_town=item.owner_town)
    if not editor.is_valid():
        return _render_form(request, editor, item=item, status=400)
    try:
        guide = guide_save_draft(actor=actor, item=item, spec=editor.to_spec(base), change_note=editor.change_note)
    except ValidationFailed as error:
        _service_failed(editor, error)
        return _render_form(request, editor, item=item, status=400)
    messages.success(request, f"已保存办事指南第{guide.version}版草稿。草稿发布前，群众看到的仍是现行版本。")
    return redirect("catalog:staff-item", code=item.code)


def _upload_groups(draft, errors):
    """The draft's file slots, grouped per material then the result, each with its upload error."""

    def slot(kind, target, owner, stored):
        key = f"{kind}-{target}"
        return {"kind": kind, "target": target, "owner": owner, "label": FILE_KINDS[kind].label, "stored": stored,
                "key": key, "error": errors.get(key)}  # fmt: skip

    groups = [
        {
            "title": f"{m.position}. {m.name}",
            "slots": [
                slot("sample", m.position, m.name, m.sample_file.name),
                slot("blank", m.position, m.name, m.blank_file.name),
            ],
        }
        for m in draft.materials.all()
    ]
    result = slot("result", 0, draft.result_name, draft.result_sample.name)
    groups.append({"title": f"办理结果：{draft.result_name}", "slots": [result]})
    return groups


def _detail_context(request, item, *, upload_errors=None):
    actor = request.user
    draft = selectors.draft_of(item)
    current = item.current_guide
    entry = None
    if not is_county_admin(actor):
        entry = CatalogEntry.objects.filter(item=item, town_id=actor.town_id).select_related("window").first()
    changes = None
    if draft is not None and current is not None:
        changes = diff_specs(spec_from_guide(current), spec_from_guide(draft))
    return {
        "item": item,
        "draft": draft,
        "upload_groups": _upload_groups(draft, upload_errors or {}) if draft else [],
        "current": current,
        "shown": draft or current or item.versions.order_by("-version").first(),
        "changes": changes,
        "can_manage": can_manage(actor, item),
        "entry": entry,
        "accept": ACCEPT_ATTRIBUTE,
        "allowed_label": ALLOWED_LABEL,
    }


@catalog_staff_required
def item_detail(request, code):
    item = item_for(request.user, code)
    return render(request, "catalog/staff/item_detail.html", _detail_context(request, item))


@catalog_staff_required
@require_POST
def item_file_upload(request, code):
    """One sample form, blank form or result sample onto the draft (multipart POST)."""
    actor = request.user
    item = item_for(actor, code)
    kind = request.POST.get("kind", "")
    target = request.POST.get("target", "")
    target = int(target) if target.isdigit() else None
    try:
        guide_attach_file(actor=actor, item=item, target=target, kind=kind, upload=request.FILES.get("file"))
    except ValidationFailed as error:
        key = f"{kind}-{target or 0}"
        context = _detail_context(request, item, upload_errors={key: next(iter(error.fields.values()), error.message)})
        return render(request, "catalog/staff/item_detail.html", context, status=400)
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("catalog:staff-item", code=item.code)
    messages.success(request, f"已上传{FILE_KINDS[kind].label}，发布草稿后群众即可下载。")
    return redirect(reverse("catalog:staff-item", args=[item.code]) + "#files")
