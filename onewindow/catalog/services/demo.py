"""Loads the 嘉祥县 demo catalog (part of manage.py demo) through the catalog services, as SYSTEM.

Creates and publishes the county-wide items, adopts every one into every demo town's catalog at the
window that serves its business category (综合受理 when none does) and publishes the entries, and adds
the town-own (特色) items. A few guides get sample and blank forms and a result sample (small PDFs
generated here, demo_forms.py), attached to the first draft before it is published. Running it again
changes nothing: what exists is left as it is.
"""

from __future__ import annotations

import logging
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile

from onewindow.audit.services import SYSTEM
from onewindow.catalog.demo_catalog import (
    COMMON,
    HIGH_FREQUENCY_CATEGORIES,
    PHONES,
    PLACES,
    STEPS_INSTANT,
    STEPS_ONLINE,
    STEPS_PROMISED,
    TOWN_ITEMS,
)
from onewindow.catalog.demo_catalog_affairs import ITEMS as AFFAIRS_ITEMS
from onewindow.catalog.demo_catalog_insurance import ITEMS as INSURANCE_ITEMS
from onewindow.catalog.demo_catalog_services import ITEMS as SERVICES_ITEMS
from onewindow.catalog.demo_catalog_welfare import ITEMS as WELFARE_ITEMS
from onewindow.catalog.demo_forms import MATERIAL_FORMS, RESULT_FORMS
from onewindow.catalog.documents.fonts import FontMissing
from onewindow.catalog.documents.form_pdf import FormSpec, build_form_pdf
from onewindow.catalog.models import CatalogEntry, ServiceItem, WindowCategory
from onewindow.catalog.services.catalog import catalog_adopt, catalog_entry_update
from onewindow.catalog.services.files import guide_attach_file
from onewindow.catalog.services.guides import guide_publish, item_create
from onewindow.catalog.spec import GuideSpec
from onewindow.org import demo_data
from onewindow.org.models import Region, Window

logger = logging.getLogger(__name__)
COUNTY_ITEMS = [*INSURANCE_ITEMS, *WELFARE_ITEMS, *AFFAIRS_ITEMS, *SERVICES_ITEMS]
# The window that takes anything no category-specific window serves.
FALLBACK_CATEGORY = "comprehensive"
_RECEIVING_KINDS = (Window.Kind.HIGH_FREQUENCY, Window.Kind.COMPREHENSIVE)


def demo_spec(data: dict) -> tuple[str, GuideSpec]:
    """(implementation code, GuideSpec) of one demo item, the shared defaults filled in."""
    data = dict(data)
    code = data.pop("code")
    category = data["business_category"]
    instant = data["handling_type"] == "instant"
    online_only = data.get("visits_needed", COMMON["visits_needed"]) == 0
    merged = {
        **COMMON,
        "place": PLACES[category],
        "consult_phone": PHONES[data["source_department"]],
        "window_category": (
            WindowCategory.HIGH_FREQUENCY if category in HIGH_FREQUENCY_CATEGORIES else WindowCategory.COMPREHENSIVE
        ),
        "process_steps": STEPS_ONLINE if online_only else STEPS_INSTANT if instant else STEPS_PROMISED,
        **data,
    }
    merged["exercise_levels"] = list(merged["exercise_levels"])
    merged["process_steps"] = list(merged["process_steps"])
    merged["materials"] = [dict(m) for m in merged.get("materials", [])]
    merged["stages"] = [
        {"name": name, "department_codes": list(codes), "limit_days": days}
        for name, codes, days in data.get("stages", [])
    ]
    merged["special_procedures"] = [
        {"name": name, "limit_days": days, "counted_in_limit": counted, "note": note}
        for name, days, counted, note in data.get("special_procedures", [])
    ]
    merged["faq"] = [{"question": q, "answer": a} for q, a in data.get("faq", [])]
    return code, GuideSpec.from_dict(merged)


def county_specs() -> list[tuple[str, GuideSpec]]:
    return [demo_spec(data) for data in COUNTY_ITEMS]


def town_specs() -> list[tuple[str, str, GuideSpec]]:
    """(town code, implementation code, GuideSpec) of the town-own items."""
    return [(town_code, *demo_spec(data)) for town_code, data in TOWN_ITEMS]


def window_for(windows: list[Window], category_code: str) -> Window | None:
    """The open receiving window serving the category, else the one serving 综合事项, else any
    comprehensive window. `windows` come with their categories prefetched, ordered by number."""

    def serving(code):
        return [w for w in windows if w.kind in _RECEIVING_KINDS and any(c.code == code for c in w.categories.all())]

    for candidates in (serving(category_code), serving(FALLBACK_CATEGORY)):
        open_ones = [w for w in candidates if w.is_open]
        if open_ones or candidates:
            return (open_ones or candidates)[0]
    return next((w for w in windows if w.kind == Window.Kind.COMPREHENSIVE), None)


def _town_windows(town: Region) -> list[Window]:
    return list(Window.objects.filter(town=town).prefetch_related("categories").order_by("number"))


@cache
def _form_pdf(form: FormSpec, sample: bool) -> bytes:
    # The demo is loaded many times in one test run; the same bytes serve every load.
    return build_form_pdf(form, sample=sample)


def _attach(item: ServiceItem, *, kind: str, target: int | None, form: FormSpec, sample: bool) -> None:
    upload = SimpleUploadedFile(f"{form.title}.pdf", _form_pdf(form, sample), content_type="application/pdf")
    guide_attach_file(actor=SYSTEM, item=item, target=target, kind=kind, upload=upload)


def attach_demo_files(item: ServiceItem, spec: GuideSpec) -> int:
    """Attaches the demo's forms for `item` to its draft; returns how many files. Without the CJK
    font the demo simply has no files (the rest of the demo does not need it)."""
    forms = MATERIAL_FORMS.get(item.code, {})
    result = RESULT_FORMS.get(item.code)
    positions = {m.name: index for index, m in enumerate(spec.materials, start=1)}
    attached = 0
    try:
        for name, form in forms.items():
            _attach(item, kind="sample", target=positions[name], form=form, sample=True)
            _attach(item, kind="blank", target=positions[name], form=form, sample=False)
            attached += 2
        if result is not None:
            _attach(item, kind="result", target=None, form=result, sample=True)
            attached += 1
    except FontMissing:
        logger.warning("demo catalog: no CJK font, %s gets no sample forms", item.code)
    return attached


def _ensure_item(result, code: str, spec: GuideSpec, owner_town: Region | None = None) -> tuple[ServiceItem, bool]:
    item = ServiceItem.objects.filter(code=code).first()
    if item is not None:
        return item, False
    item = item_create(actor=SYSTEM, code=code, spec=spec, owner_town=owner_town, change_note="演示数据")
    attach_demo_files(item, spec)  # only a draft takes files
    guide_publish(actor=SYSTEM, item=item)
    result.created += 1
    return item, True


def _adopt_everywhere(result, towns: list[Region], codes: list[str]) -> None:
    items = list(
        ServiceItem.objects.filter(code__in=codes, owner_town__isnull=True, current_guide__isnull=False)
        .select_related("current_guide__business_category")
        .prefetch_related("current_guide__stages")
        .order_by("code")
    )
    adopted = set(CatalogEntry.objects.filter(town__in=towns).values_list("town_id", "item_id"))
    for town in towns:
        windows = _town_windows(town)
        for item in items:
            if (town.pk, item.pk) in adopted:
                continue
            category = item.current_guide.business_category
            window = window_for(windows, category.code if category else FALLBACK_CATEGORY)
            catalog_adopt(actor=SYSTEM, town=town, item=item, window=window, publish=True)
            result.created += 1


def _add_town_items(result, towns_by_code: dict[str, Region]) -> None:
    for town_code, code, spec in town_specs():
        town = towns_by_code.get(town_code)
        if town is None:
            continue
        item, created = _ensure_item(result, code, spec, owner_town=town)
        if not created:
            continue
        # item_create put it in the town's catalog, unpublished and at no window yet.
        entry = CatalogEntry.objects.get(town=town, item=item)
        window = window_for(_town_windows(town), spec.business_category or FALLBACK_CATEGORY)
        catalog_entry_update(actor=SYSTEM, entry=entry, window=window, is_published=True)


def load_demo_catalog(result) -> None:
    """Demo items, published, in every demo town's published catalog. `result.created` counts what
    was new (items and catalog entries)."""
    towns = list(Region.objects.towns().filter(code__in=[t[0] for t in demo_data.TOWNS]).order_by("code"))
    if not towns:
        return
    specs = county_specs()
    for code, spec in specs:
        _ensure_item(result, code, spec)
    _adopt_everywhere(result, towns, [code for code, _ in specs])
    _add_town_items(result, {town.code: town for town in towns})
