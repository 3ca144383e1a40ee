"""Excel import and export of the catalog (事项目录): items with their guides, and towns' catalogs.

An import is all or nothing: every row is checked first (onewindow.catalog.excel.importer) and
nothing is written when any row is wrong. A valid file is applied in one transaction through the
catalog services — new items are created and published, changed guides get a new published version,
unchanged ones are left alone (so re-importing an export changes nothing) — and audited once.
"""

from __future__ import annotations

from django.db import transaction

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import lock_chains, record
from onewindow.catalog.excel import exporter
from onewindow.catalog.excel.importer import ADOPT, CREATE, UNCHANGED, UPDATE, ImportPlan, plan_import
from onewindow.catalog.excel.reader import read_workbook
from onewindow.catalog.excel.report import CellError, ImportReport
from onewindow.catalog.models import CatalogEntry, ServiceItem
from onewindow.catalog.services.catalog import catalog_adopt, catalog_entry_update
from onewindow.catalog.services.guides import guide_publish, guide_save_draft, item_create
from onewindow.catalog.services.permissions import catalog_scope_town
from onewindow.core.errors import DomainError, Forbidden
from onewindow.org.models import Region

CHANGE_NOTE = "Excel导入"


def catalog_import(*, actor, file, dry_run: bool = False) -> ImportReport:
    """Imports an Excel workbook (bytes or a file object); `dry_run` only checks it."""
    scope_town = catalog_scope_town(actor)
    book = read_workbook(file)
    if book.fatal:
        return ImportPlan(errors=book.errors).report(dry_run=dry_run)
    try:
        with transaction.atomic():
            plan = plan_import(book, scope_town=scope_town)
            report = plan.report(dry_run=dry_run)
            if not report.ok or dry_run:
                return report
            _lock_items(plan)
            _lock_chains(plan, scope_town)
            _apply(plan, actor)
            record(
                actor=actor,
                action=AuditAction.CATALOG_IMPORTED,
                target=scope_town,
                before=None,
                after={**report.counts, "file": getattr(file, "name", "")[:200]},
                town=scope_town,
                summary=report.summary,
            )
            return report
    except DomainError as exc:  # a rule the checks did not foresee (or a concurrent change): all rolled back
        detail = "；".join(str(m) for m in exc.fields.values())
        message = f"导入未完成，没有保存任何内容：{exc.message}{'（' + detail + '）' if detail else ''}"
        return ImportReport(errors=[CellError(message)], error_count=1, dry_run=dry_run)


def _lock_items(plan: ImportPlan) -> None:
    """Locks every existing item the import changes or publishes, before any audit chain head: the
    catalog services lock an item and then write a chain, so taking them the other way round could
    deadlock with a director publishing one of these items at the same moment."""
    codes = {p.code for p in plan.items if p.action != UNCHANGED} | {
        e.code for e in plan.entries if e.action != UNCHANGED and e.is_published
    }
    list(ServiceItem.objects.select_for_update(of=("self",)).filter(code__in=codes).order_by("pk"))


def _lock_chains(plan: ImportPlan, scope_town: Region | None) -> None:
    """Takes the audit chain heads this import will append to, towns first and the county last.

    The services below write to the county chain (county-wide items) before the towns' (catalog rows);
    audit.record's rule is town before county, so the heads are locked up front in that order.
    """
    towns = {p.owner_town for p in plan.items if p.action != UNCHANGED} | {
        e.town for e in plan.entries if e.action != UNCHANGED
    }
    county = scope_town is None or any(p.owner_town is None and p.action != UNCHANGED for p in plan.items)
    lock_chains(towns | {scope_town}, county=county)


def _apply(plan: ImportPlan, actor) -> None:
    def entry_of(e):
        return CatalogEntry.objects.get(town=e.town, item__code=e.code)

    for e in plan.entries:  # withdrawals first: a changed route then need not fit a town that drops the item
        if e.unpublish_first:
            catalog_entry_update(actor=actor, entry=entry_of(e), window=e.window, is_published=False)
    for p in plan.items:
        if p.action == CREATE:
            item = item_create(actor=actor, code=p.code, spec=p.spec, owner_town=p.owner_town, change_note=CHANGE_NOTE)
            guide_publish(actor=actor, item=item)
        elif p.action == UPDATE:
            guide_save_draft(actor=actor, item=p.item, spec=p.spec, change_note=CHANGE_NOTE)
            guide_publish(actor=actor, item=p.item)
    for e in plan.entries:
        if e.action == ADOPT:
            item = ServiceItem.objects.get(code=e.code)
            catalog_adopt(actor=actor, town=e.town, item=item, window=e.window, publish=e.is_published)
        elif e.action == UPDATE and not e.unpublish_first:
            catalog_entry_update(actor=actor, entry=entry_of(e), window=e.window, is_published=e.is_published)


def catalog_export(*, actor, town: Region | None = None) -> bytes:
    """The catalog as an .xlsx workbook: the county admin everything (or one town's), a director their town's."""
    scope_town = catalog_scope_town(actor)
    if scope_town is not None:
        if town is not None and town.pk != scope_town.pk:
            raise Forbidden("您只能导出本镇街的事项目录")
        town = scope_town
    return exporter.export_workbook(town=town)


def catalog_template() -> bytes:
    """The empty template: every sheet with its headers, and the 说明 sheet."""
    return exporter.build_workbook(items=[], entries=[])


__all__ = ["catalog_export", "catalog_import", "catalog_template"]
