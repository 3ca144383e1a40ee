"""Write use-cases for a town's catalog (一窗受理事项目录): adopt, place at a window, publish, remove."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record
from onewindow.catalog.models import CatalogEntry, ServiceItem
from onewindow.catalog.routing import missing_departments
from onewindow.catalog.services.permissions import require_catalog_manager
from onewindow.core.errors import Conflict, ValidationFailed
from onewindow.org.models import Region, Window

_UNSET = object()


def _locked_entries():
    return CatalogEntry.objects.select_for_update(of=("self",)).select_related("town", "item", "window")


def _entry_snapshot(entry: CatalogEntry) -> dict:
    return {
        "item": entry.item.code,
        "window": entry.window.number if entry.window_id else None,
        "is_published": entry.is_published,
    }


def _check_window(window: Window | None, town: Region) -> None:
    if window is not None and window.town_id != town.pk:
        raise ValidationFailed(fields={"window": f"{window}不属于{town.name}为民服务中心"}, code="catalog.window_town")


def _check_publishable(entry: CatalogEntry) -> None:
    guide = entry.item.current_guide
    if guide is None:
        raise Conflict(f"事项“{entry.item.name}”尚无已发布的办事指南，不能公布", code="catalog.no_guide")
    if missing := missing_departments(guide, entry.town):
        raise ValidationFailed(
            f"事项“{entry.item.name}”的审批环节需要本镇街没有的部门：{'、'.join(missing)}",
            code="catalog.route_unresolved",
            fields={"item": f"本镇街缺少审批部门：{'、'.join(missing)}"},
        )


@transaction.atomic
def catalog_adopt(
    *, actor, town: Region, item: ServiceItem, window: Window | None = None, publish: bool = False
) -> CatalogEntry:
    """Takes an item of the county-wide list (or the town's own) into the town's catalog."""
    require_catalog_manager(actor, town.pk)
    if town.level != Region.Level.TOWN:
        raise ValidationFailed(fields={"town": "只有镇街有一窗受理事项目录"})
    if item.owner_town_id not in (None, town.pk):
        raise ValidationFailed(fields={"item": "其他镇街的特色事项不能纳入本镇街目录"}, code="catalog.foreign_item")
    if CatalogEntry.objects.filter(town=town, item=item).exists():
        raise Conflict(f"事项“{item.name}”已在本镇街目录中", code="catalog.duplicate")
    _check_window(window, town)
    entry = CatalogEntry(town=town, item=item, window=window)
    if publish:
        _check_publishable(entry)
        entry.is_published, entry.published_at = True, timezone.now()
    entry.save()
    record(
        actor=actor,
        action=AuditAction.CATALOG_ENTRY_ADOPTED,
        target=entry,
        before=None,
        after=_entry_snapshot(entry),
        town=town,
        summary=f"{town.name}目录纳入事项 {item.name}",
    )
    return entry


@transaction.atomic
def catalog_entry_update(*, actor, entry: CatalogEntry, window=_UNSET, is_published=_UNSET) -> CatalogEntry:
    """Moves an entry to another window and/or publishes or withdraws it from the public catalog."""
    entry = _locked_entries().get(pk=entry.pk)
    require_catalog_manager(actor, entry.town_id)
    before = _entry_snapshot(entry)
    if window is not _UNSET:
        _check_window(window, entry.town)
        entry.window = window
    if is_published is not _UNSET and bool(is_published) != entry.is_published:
        if is_published:
            _check_publishable(entry)
            entry.published_at = timezone.now()
        entry.is_published = bool(is_published)
    after = _entry_snapshot(entry)
    if after == before:
        return entry
    entry.save(update_fields=["window", "is_published", "published_at"])
    record(
        actor=actor,
        action=AuditAction.CATALOG_ENTRY_UPDATED,
        target=entry,
        before=before,
        after=after,
        town=entry.town,
        summary=f"修改{entry.town.name}目录条目 {entry.item.name}",
    )
    return entry


@transaction.atomic
def catalog_entry_remove(*, actor, entry: CatalogEntry) -> None:
    entry = _locked_entries().get(pk=entry.pk)
    require_catalog_manager(actor, entry.town_id)
    before = _entry_snapshot(entry)
    town, name = entry.town, entry.item.name
    entry.delete()
    record(
        actor=actor,
        action=AuditAction.CATALOG_ENTRY_REMOVED,
        target=town,
        before=before,
        after=None,
        town=town,
        summary=f"{town.name}目录移出事项 {name}",
    )
