"""Staff screens for a town's catalog (一窗受理事项目录): adopt items, set windows, publish, remove.

A director works on their own town only (another town's address answers "not found"); the county
admin chooses any town. Every change goes through the catalog services.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from onewindow.catalog import selectors
from onewindow.catalog.models import CatalogEntry
from onewindow.catalog.services import catalog_adopt_many, catalog_entry_remove, catalog_entry_update
from onewindow.catalog.views.staff_common import catalog_staff_required, is_county_admin, town_document_links, town_for
from onewindow.core.errors import Conflict, DomainError, Forbidden, ValidationFailed
from onewindow.core.scoping import one_or_not_found
from onewindow.org.models import Department, Region, Window

CANDIDATE_LIMIT = 100
ROUTE_HINT = "请县行政审批服务局调整该事项的审批环节，或在“配置管理”中为本镇街添加对应部门后再公布。"


def _message(error: DomainError) -> str:
    """The most specific Chinese text of a service error."""
    if error.message != type(error).message or not error.fields:
        return error.message
    return "；".join(error.fields.values())


@catalog_staff_required
def town_list(request):
    """County admin: pick a town. A director goes straight to their own town's catalog."""
    if not is_county_admin(request.user):
        if request.user.town is None:
            raise Forbidden("您的账号未绑定镇街，请联系县行政审批服务局")
        return redirect("catalog:staff-town-catalog", town_code=request.user.town.code)
    towns = (
        Region.objects.towns()
        .filter(is_active=True)
        .annotate(
            entries=Count("catalog_entries", distinct=True),
            published=Count(
                "catalog_entries",
                # A retired item's entry no longer reaches the public, whatever its flag says.
                filter=Q(catalog_entries__is_published=True, catalog_entries__item__current_guide__isnull=False),
                distinct=True,
            ),
        )
        .order_by("code")
    )
    return render(request, "catalog/staff/town_list.html", {"towns": towns})


def _windows(actor, town):
    return Window.objects.visible_to(actor).filter(town=town).order_by("number")


def _candidates(actor, town, q):
    """Items in service the town may adopt (county-wide or its own) and has not adopted yet."""
    items = (
        selectors.items_for(actor)
        .in_service()
        .filter(Q(owner_town__isnull=True) | Q(owner_town=town))
        .exclude(catalog_entries__town=town)
        .select_related("current_guide", "business_category")
    )
    if q:
        return [hit.item for hit in selectors.search_items(items, q, limit=CANDIDATE_LIMIT)], False
    rows = list(items.order_by("business_category__sort_order", "code")[: CANDIDATE_LIMIT + 1])
    return rows[:CANDIDATE_LIMIT], len(rows) > CANDIDATE_LIMIT


def _render_catalog(request, town, *, status=200, entry_errors=None, adopt_errors=None, adopt_error=""):
    actor = request.user
    q = request.GET.get("q", "").strip()
    entries = list(
        selectors.town_catalog_entries(actor, town)
        .select_related("item__owner_town", "item__business_category")
        .prefetch_related("item__current_guide__stages")
        .order_by("item__current_guide__window_category", "item__code")
    )
    available = set(
        Department.objects.filter(Q(town=town) | Q(town__isnull=True), is_active=True).values_list("code", flat=True)
    )
    rows = []
    for entry in entries:
        guide = entry.item.current_guide
        codes = [c for s in guide.stages.all() for c in s.department_codes] if guide else []
        missing = sorted({c for c in codes if c not in available})
        rows.append({"entry": entry, "missing": missing, "error": (entry_errors or {}).get(entry.pk)})
    candidates, more = _candidates(actor, town, q)
    context = {
        "town": town,
        "rows": rows,
        "windows": list(_windows(actor, town)),
        "candidates": candidates,
        "more_candidates": more,
        "q": q,
        "adopt_errors": adopt_errors or {},
        "adopt_error": adopt_error,
        "selected": set(request.POST.getlist("items")) if request.method == "POST" else set(),
        "documents": town_document_links(town),
        "is_county_admin": is_county_admin(actor),
        "route_hint": ROUTE_HINT,
        "published_count": sum(1 for r in rows if r["entry"].is_published and r["entry"].item.current_guide_id),
    }
    return render(request, "catalog/staff/town_catalog.html", context, status=status)


@catalog_staff_required
def town_catalog(request, town_code):
    return _render_catalog(request, town_for(request.user, town_code))


def _window_from(request, town, *, field="window"):
    """The chosen window of this town, None for "not set"; another town's id is a field error."""
    value = request.POST.get(field, "")
    if not value:
        return None
    window = _windows(request.user, town).filter(pk=value if value.isdigit() else 0).first()
    if window is None:
        raise ValidationFailed(fields={"window": "请选择本镇街为民服务中心的窗口"}, code="catalog.window_town")
    return window


@catalog_staff_required
@require_POST
def town_adopt(request, town_code):
    """Adopts every ticked item, or none: one item that cannot be adopted (e.g. its route needs a
    department the town lacks) stops the batch, and the page says which and why."""
    actor = request.user
    town = town_for(actor, town_code)
    codes = request.POST.getlist("items")
    items = list(selectors.items_for(actor).filter(code__in=codes).order_by("code"))
    if not items:
        return _render_catalog(request, town, status=400, adopt_error="请至少勾选一个要纳入目录的事项。")
    try:
        window = _window_from(request, town)
    except ValidationFailed as error:
        return _render_catalog(request, town, status=400, adopt_error=_message(error))
    publish = request.POST.get("publish") == "1"
    failed = catalog_adopt_many(actor=actor, town=town, items=items, window=window, publish=publish)
    errors = {code: _message(error) for code, error in failed.items()}
    if errors:
        return _render_catalog(
            request,
            town,
            status=400,
            adopt_errors=errors,
            adopt_error=f"有{len(errors)}个事项无法纳入，本次未纳入任何事项。请处理下列问题或取消勾选后重试。",
        )
    done = "并向群众公布" if publish else "（尚未公布，核对窗口后点“公布”）"
    messages.success(request, f"已将{len(items)}个事项纳入{town.name}目录{done}。")
    return redirect("catalog:staff-town-catalog", town_code=town.code)


def _entry(request, town, entry_id) -> CatalogEntry:
    entries = CatalogEntry.objects.visible_to(request.user).filter(town=town).select_related("item", "window")
    return one_or_not_found(entries, pk=entry_id)


@catalog_staff_required
@require_POST
def entry_update(request, town_code, entry_id):
    """Sets the entry's window (action=window) or publishes / withdraws it (action=publish/unpublish)."""
    town = town_for(request.user, town_code)
    entry = _entry(request, town, entry_id)
    action = request.POST.get("action", "")
    try:
        if action == "window":
            entry = catalog_entry_update(actor=request.user, entry=entry, window=_window_from(request, town))
            done = f"“{entry.item.name}”的受理窗口已设为{entry.window or '未指定'}。"
        elif action in ("publish", "unpublish"):
            entry = catalog_entry_update(actor=request.user, entry=entry, is_published=action == "publish")
            done = f"“{entry.item.name}”已{'向群众公布' if entry.is_published else '撤下，不再向群众公布'}。"
        else:
            raise ValidationFailed("请求缺少要执行的操作，请刷新页面后重试")
    except (ValidationFailed, Conflict) as error:
        return _render_catalog(request, town, status=400, entry_errors={entry.pk: _message(error)})
    messages.success(request, done)
    return redirect(reverse("catalog:staff-town-catalog", args=[town.code]) + f"#entry-{entry.pk}")


@catalog_staff_required
def entry_remove(request, town_code, entry_id):
    town = town_for(request.user, town_code)
    entry = _entry(request, town, entry_id)
    if request.method != "POST":
        context = {"item": entry.item, "action": "remove", "entry": entry, "town": town}
        return render(request, "catalog/staff/confirm.html", context)
    name = entry.item.name
    catalog_entry_remove(actor=request.user, entry=entry)
    messages.success(request, f"已将“{name}”移出{town.name}目录。")
    return redirect("catalog:staff-town-catalog", town_code=town.code)
