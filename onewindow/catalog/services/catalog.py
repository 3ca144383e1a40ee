"""Write use-cases for a town's catalog (一窗受理事项目录): adopt, place at a window, publish, remove.

Publishing an entry locks the item's row first, as guide_publish does: the entry's check (does the
route of the current guide resolve in this town?) and guide_publish's check (does the new route
resolve in every town that publishes the item?) then never pass side by side on stale reads.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record
from onewindow.catalog.models import CatalogEntry, ServiceItem
from onewindow.catalog.routing import missing_departments
from onewindow.catalog.services.permissions import require_catalog_manager
from onewindow.core.errors import Conflict, DomainError, ValidationFailed
from onewindow.org.models import Region, Window

_UNSET = object()


def _lock_item(item_id: int) -> ServiceItem:
    return ServiceItem.objects.select_for_update(of=("self",)).select_related("current_guide").get(pk=item_id)


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
    if publish:
        item = _lock_item(item.pk)
    duplicate = Conflict(f"事项“{item.name}”已在本镇街目录中", code="catalog.duplicate")
    if CatalogEntry.objects.filter(town=town, item=item).exists():
        raise duplicate
    _check_window(window, town)
    entry = CatalogEntry(town=town, item=item, window=window)
    if publish:
        _check_publishable(entry)
        entry.is_published, entry.published_at = True, timezone.now()
    try:
        with transaction.atomic():  # a savepoint: the same item adopted twice at once (two tabs, two staff)
            entry.save()
    except IntegrityError as exc:
        raise duplicate from exc
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
    if is_published is not _UNSET and is_published:
        _lock_item(entry.item_id)  # before the entry: the order guide_publish and item_retire take
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
def catalog_adopt_many(
    *, actor, town: Region, items: Iterable[ServiceItem], window: Window | None = None, publish: bool = False
) -> dict[str, DomainError]:
    """Adopts every item, or none: {item code: why it cannot be adopted} for each that fails (every
    problem is found in one pass, a savepoint per item), and then nothing is saved."""
    require_catalog_manager(actor, town.pk)
    items = sorted(items, key=lambda item: item.pk)
    if not items:
        raise ValidationFailed(fields={"items": "请至少选择一个要纳入目录的事项"}, code="catalog.no_items")
    if publish:
        # All items before any audit chain head (catalog_adopt writes the town's chain): a batch must not
        # hold the chain while it waits for an item another transaction publishes into the same town.
        list(ServiceItem.objects.select_for_update(of=("self",)).filter(pk__in=[i.pk for i in items]).order_by("pk"))
    errors: dict[str, DomainError] = {}
    for item in items:
        try:
            with transaction.atomic():
                catalog_adopt(actor=actor, town=town, item=item, window=window, publish=publish)
        except (ValidationFailed, Conflict) as error:
            errors[item.code] = error
    if errors:
        transaction.set_rollback(True)
    return errors


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
