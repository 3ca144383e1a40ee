"""Helpers for the Excel import/export tests: read and edit workbooks by header, count what the DB holds."""

import io

from openpyxl import load_workbook

from onewindow.audit.models import AuditEvent
from onewindow.audit.services import SYSTEM
from onewindow.catalog.models import CatalogEntry, GuideMaterial, GuideVersion, RouteStage, ServiceItem
from onewindow.catalog.services import catalog_adopt, catalog_entry_update
from onewindow.catalog.spec import ProcedureSpec, spec_from_guide
from onewindow.testing.catalog import make_item, sample_spec


def open_book(data: bytes):
    return load_workbook(io.BytesIO(data))


def to_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def column_of(ws, header: str) -> int:
    for cell in ws[1]:
        if cell.value == header:
            return cell.column
    raise KeyError(header)


def rows(data: bytes, sheet: str) -> list[dict]:
    ws = open_book(data)[sheet]
    headers = [c.value for c in ws[1]]
    return [dict(zip(headers, values, strict=False)) for values in ws.iter_rows(min_row=2, values_only=True)]


def edit(data: bytes, sheet: str, row: int, header: str, value) -> bytes:
    """`data` with one cell changed (row as Excel numbers it; the column found by its header)."""
    wb = open_book(data)
    ws = wb[sheet]
    ws.cell(row=row, column=column_of(ws, header)).value = value  # cell(value=None) would leave it as it was
    return to_bytes(wb)


def append(data: bytes, sheet: str, values: dict) -> bytes:
    wb = open_book(data)
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    ws.append([values.get(h) for h in headers])
    return to_bytes(wb)


def row_of(data: bytes, sheet: str, **match) -> int:
    """The Excel row number of the first row whose cells equal `match` (keys are headers)."""
    for number, row in enumerate(rows(data, sheet), start=2):
        if all(row.get(k) == v for k, v in match.items()):
            return number
    raise LookupError(match)


def db_counts() -> dict:
    return {
        "items": ServiceItem.objects.count(),
        "versions": GuideVersion.objects.count(),
        "materials": GuideMaterial.objects.count(),
        "stages": RouteStage.objects.count(),
        "entries": CatalogEntry.objects.count(),
        "published_entries": CatalogEntry.objects.filter(is_published=True).count(),
        "audit": AuditEvent.objects.count(),
    }


def build_catalog(world):
    """A county-wide item published in town A at window 2 and adopted (unpublished) in B; a county-wide
    instant item nobody adopted; town B's own item with a fee and a special procedure, published at window 1."""
    county_item = make_item("370829-DB-001", adopt_in=(world.a.region,), window=world.a.windows[1])
    catalog_adopt(actor=SYSTEM, town=world.b.region, item=county_item)
    instant = make_item("370829-JB-002", spec=instant_spec())
    own = make_item(
        "B-TS-001",
        owner_town=world.b.region,
        spec=sample_spec(
            name="农村宅基地使用权申请",
            keywords="宅基地",
            fee_free=False,
            fee_standard="每宗10元",
            fee_basis="鲁价费发〔2019〕1号",
            special_procedures=[ProcedureSpec(name="村内公示", limit_days=7, counted_in_limit=False, note="公示7天")],
        ),
    )
    entry = CatalogEntry.objects.get(town=world.b.region, item=own)
    catalog_entry_update(actor=SYSTEM, entry=entry, window=world.b.windows[0], is_published=True)
    return county_item, instant, own


def instant_spec():
    return sample_spec(
        name="城乡居民医保参保登记",
        kind="20",
        source="public_service",
        delegation_mode="",
        source_department="",
        handling_type="instant",
        legal_limit_days=0,
        promised_limit_days=0,
        stages=[],
        exercise_levels=["town", "village"],
        window_category="high_frequency",
        faq=[],
    )


def catalog_snapshot() -> dict:
    """What the catalog says, without ids, dates or files: items with their current guides, and entries."""
    items = {
        item.code: (item.owner_town.code if item.owner_town_id else None, spec_from_guide(item.current_guide))
        for item in ServiceItem.objects.filter(current_guide__isnull=False).select_related("owner_town")
    }
    items = {code: (owner, spec.without_files().as_dict()) for code, (owner, spec) in items.items()}
    entries = set(CatalogEntry.objects.values_list("town__code", "item__code", "window__number", "is_published"))
    return {"items": items, "entries": entries}
