"""Public guide pages (no login): choose a town, its published catalog with search, an item's
one-time notice (一次性告知) with its QR code and downloadable forms, and the town's QR wall.

Everything here reads through the public selectors, so only the current published guide of an item
in a town's published catalog is ever shown or served; anything else is the same 404.
"""

from __future__ import annotations

import io
import os
import re
from itertools import groupby

from django.core.exceptions import SuspiciousFileOperation
from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from onewindow.catalog import qr, routing, selectors
from onewindow.catalog.models import CatalogEntry, ExerciseLevel, WindowCategory
from onewindow.catalog.safe_output import safe_filename
from onewindow.catalog.services.files import FILE_KINDS
from onewindow.core.errors import NotFound


class TownCodeConverter:
    regex = "[0-9]{12}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class ItemCodeConverter:
    regex = r"[0-9A-Za-z][0-9A-Za-z\-_.]{1,63}"  # item_codes.ITEM_CODE_RE

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TownCodeConverter, "town_code")
register_converter(ItemCodeConverter, "item_code")

WINDOW_ORDER = [WindowCategory.HIGH_FREQUENCY, WindowCategory.COMPREHENSIVE]
_PHONE_SPLIT = re.compile(r"[、，,/；;]+|\s{2,}")


def _by_window_category(entries):
    """[(window category label, [entries])], 高频事项 first, empty groups left out."""
    groups = {category: [] for category in WINDOW_ORDER}
    for entry in entries:
        groups.setdefault(entry.item.current_guide.window_category, []).append(entry)
    return [(WindowCategory(category).label, rows) for category, rows in groups.items() if rows]


def _by_business_category(entries):
    def key(entry):
        category = entry.item.current_guide.business_category
        return (category.sort_order, category.name) if category else (10_000, "其他事项")

    return [(name, list(rows)) for (_, name), rows in groupby(sorted(entries, key=key), key=key)]


@require_safe
def public_index(request):
    published = Q(catalog_entries__is_published=True, catalog_entries__item__current_guide__isnull=False)
    towns = selectors.public_towns().annotate(item_count=Count("catalog_entries", filter=published))
    return render(request, "catalog/public/index.html", {"towns": towns})


@require_safe
def public_town(request, town_code):
    town = selectors.public_town(town_code)
    q = (request.GET.get("q") or "").strip()[:60]
    context = {"town": town, "q": q}
    if q:
        hits = selectors.search_items(selectors.public_items(town), q)
        entries = {e.item_id: e for e in selectors.public_entries(town).filter(item_id__in=[h.item.pk for h in hits])}
        context["results"] = [entries[h.item.pk] for h in hits if h.item.pk in entries]
    else:
        context["groups"] = [
            (label, _by_business_category(rows)) for label, rows in _by_window_category(selectors.public_entries(town))
        ]
    return render(request, "catalog/public/town.html", context)


def _phone_links(text: str) -> list[tuple[str, str]]:
    """'0537-6851234、12345' → [(shown text, tel: address)] so a phone can call with one tap."""
    links = []
    for part in _PHONE_SPLIT.split(text or ""):
        part = part.strip()
        digits = re.sub(r"[^0-9+\-]", "", part.split("转")[0]).strip("-")
        if part:
            links.append((part, f"tel:{digits}" if len(digits) >= 3 else ""))
    return links


def _stages(guide, town):
    """[{stage, departments: [names in this town]}]; a code the town cannot resolve shows as pending."""
    found = routing.resolve_codes(routing.route_codes(guide), town)

    def name(code):
        return found[code].name if found.get(code) else f"{code}（待确定）"

    return [{"stage": stage, "departments": [name(c) for c in stage.department_codes]} for stage in guide.stages.all()]


def _published(town_code: str, item_code: str):
    town = selectors.public_town(town_code)
    return town, selectors.public_guide(item_code, town)


@require_safe
def public_guide(request, town_code, item_code):
    town, guide = _published(town_code, item_code)
    entry = CatalogEntry.objects.published().filter(town=town, item=guide.item).select_related("window").first()
    levels = [ExerciseLevel(level).label for level in guide.exercise_levels if level in ExerciseLevel.values]
    context = {
        "town": town,
        "guide": guide,
        "item": guide.item,
        "entry": entry,
        "levels": levels,
        "stages": _stages(guide, town),
        "materials": list(guide.materials.all()),
        "procedures": list(guide.special_procedures.all()),
        "consult_phones": _phone_links(guide.consult_phone),
        "complaint_phones": _phone_links(guide.complaint_phone),
        "qr_svg": qr.qr_svg(qr.guide_url(town.code, guide.item.code, request), scale=4),
    }
    return render(request, "catalog/public/guide.html", context)


def _guide_file(guide, kind: str, pk: int):
    """(FieldFile, Chinese label) of one file of this guide version; NotFound otherwise."""
    if kind == "result":
        if pk == guide.pk and guide.result_sample:
            return guide.result_sample, guide.result_name
        raise NotFound()
    if kind not in FILE_KINDS:
        raise NotFound()
    material = next((m for m in guide.materials.all() if m.pk == pk), None)
    field = getattr(material, f"{kind}_file", None)
    if not field:
        raise NotFound()
    return field, material.name


@require_safe
def guide_file(request, town_code, item_code, kind, pk):
    _, guide = _published(town_code, item_code)
    field, name = _guide_file(guide, kind, pk)
    try:
        handle = field.open("rb")
    except (OSError, SuspiciousFileOperation) as exc:
        raise NotFound("该文件暂不可下载，请联系窗口工作人员") from exc
    extension = os.path.splitext(field.name)[1].lower()
    filename = safe_filename(f"{name}（{FILE_KINDS[kind].short_label}）", extension)
    # Django writes a non-ASCII name as filename*=utf-8''… (RFC 5987), which every current browser reads.
    return FileResponse(handle, as_attachment=True, filename=filename)


@require_safe
def guide_qr(request, town_code, item_code):
    town, guide = _published(town_code, item_code)
    # A standalone SVG document (XML declaration, SVG namespace) that prints sharp at any size.
    buffer = io.BytesIO()
    qr.make_qr(qr.guide_url(town.code, guide.item.code, request)).save(
        buffer, kind="svg", scale=10, border=4, title=f"{guide.name} 办事指南", unit="px"
    )
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml; charset=utf-8")


@require_safe
def qr_wall(request, town_code):
    town = selectors.public_town(town_code)
    groups = [
        (label, [(entry, qr.qr_svg(qr.guide_url(town.code, entry.item.code, request), scale=3)) for entry in rows])
        for label, rows in _by_window_category(selectors.public_entries(town))
    ]
    return render(request, "catalog/public/qr_wall.html", {"town": town, "groups": groups})


urlpatterns = [
    path("guide/", public_index, name="public-index"),
    path("guide/<town_code:town_code>/", public_town, name="public-town"),
    # Before the item pattern: `qr-wall` is also a well-formed item code, and the town's wall wins.
    path("guide/<town_code:town_code>/qr-wall/", qr_wall, name="qr-wall"),
    path("guide/<town_code:town_code>/<item_code:item_code>/", public_guide, name="public-guide"),
    path("guide/<town_code:town_code>/<item_code:item_code>/qr.svg", guide_qr, name="guide-qr"),
    path(
        "guide/<town_code:town_code>/<item_code:item_code>/files/<str:kind>/<int:pk>/",
        guide_file,
        name="guide-file",
    ),
]
