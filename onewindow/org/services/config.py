"""Write use-cases for regions, centers, departments, categories and windows.

Each saves one object in one transaction with its audit event. Callers (admin, commands, tests)
pass an unsaved or changed instance; the service validates it, fills derived fields, saves it.
"""

from django.db import transaction

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record, snapshot
from onewindow.core.errors import Conflict
from onewindow.org.models import BusinessCategory, Department, Region, ServiceCenter, Window
from onewindow.org.services.permissions import require_county_admin, require_town_manager
from onewindow.org.services.validation import full_clean_or_raise

_REGION_FIELDS = ["code", "name", "level", "parent", "is_active"]
_CENTER_FIELDS = ["region", "kind", "name", "address", "phone", "opening_hours", "is_active"]
_DEPARTMENT_FIELDS = ["name", "code", "kind", "town", "county_department", "phone", "is_active"]
_CATEGORY_FIELDS = ["code", "name", "is_high_frequency", "sort_order"]
_WINDOW_FIELDS = ["center", "number", "name", "kind", "is_open"]


def _previous(model, instance, fields):
    if instance.pk is None:
        return None
    old = model.objects.filter(pk=instance.pk).first()
    return snapshot(old, fields) if old else None


def _save(*, actor, instance, fields, created_action, updated_action, town, summary):
    before = _previous(type(instance), instance, fields)
    full_clean_or_raise(instance)
    instance.save()
    record(
        actor=actor,
        action=updated_action if before is not None else created_action,
        target=instance,
        before=before,
        after=snapshot(instance, fields),
        town=town,
        summary=summary,
    )
    return instance


@transaction.atomic
def save_region(*, actor, region: Region) -> Region:
    require_county_admin(actor)
    if region.parent_id:
        region.parent = Region.objects.get(pk=region.parent_id)
    region.town = region.derive_town() if region.level != Region.Level.TOWN else None
    if region.level == Region.Level.TOWN and region.pk is None:
        # A new town is its own town: save once to get a key, then point at itself.
        full_clean_or_raise(region)
        region.save()
        region.town = region
        region.save(update_fields=["town"])
        record(
            actor=actor,
            action=AuditAction.REGION_CREATED,
            target=region,
            after=snapshot(region, _REGION_FIELDS),
            town=region,
            summary=f"新增行政区划 {region.name}",
        )
        return region
    if region.level == Region.Level.TOWN:
        region.town = region
    return _save(
        actor=actor,
        instance=region,
        fields=_REGION_FIELDS,
        created_action=AuditAction.REGION_CREATED,
        updated_action=AuditAction.REGION_UPDATED,
        town=region.town,
        summary=f"保存行政区划 {region.name}",
    )


@transaction.atomic
def save_center(*, actor, center: ServiceCenter) -> ServiceCenter:
    center.town = center.region.town
    require_town_manager(actor, center.town_id)
    return _save(
        actor=actor,
        instance=center,
        fields=_CENTER_FIELDS,
        created_action=AuditAction.CENTER_CREATED,
        updated_action=AuditAction.CENTER_UPDATED,
        town=center.town,
        summary=f"保存{center.get_kind_display()} {center.name}",
    )


@transaction.atomic
def save_department(*, actor, department: Department) -> Department:
    if department.town_id is None:
        require_county_admin(actor)
    else:
        require_town_manager(actor, department.town_id)
    return _save(
        actor=actor,
        instance=department,
        fields=_DEPARTMENT_FIELDS,
        created_action=AuditAction.DEPARTMENT_CREATED,
        updated_action=AuditAction.DEPARTMENT_UPDATED,
        town=department.town,
        summary=f"保存部门 {department.name}",
    )


@transaction.atomic
def save_business_category(*, actor, category: BusinessCategory) -> BusinessCategory:
    require_county_admin(actor)
    return _save(
        actor=actor,
        instance=category,
        fields=_CATEGORY_FIELDS,
        created_action=AuditAction.CATEGORY_SAVED,
        updated_action=AuditAction.CATEGORY_SAVED,
        town=None,
        summary=f"保存业务类别 {category.name}",
    )


@transaction.atomic
def save_window(*, actor, window: Window, categories=None) -> Window:
    """Saves a window and, when given, the categories it serves (a list of BusinessCategory)."""
    window.town = window.center.town
    require_town_manager(actor, window.town_id)
    if window.center.kind != ServiceCenter.Kind.TOWN_CENTER:
        raise Conflict("窗口只能设在镇街为民服务中心", code="window.center_kind")
    before_categories = sorted(window.categories.values_list("code", flat=True)) if window.pk else []
    _save(
        actor=actor,
        instance=window,
        fields=_WINDOW_FIELDS,
        created_action=AuditAction.WINDOW_CREATED,
        updated_action=AuditAction.WINDOW_UPDATED,
        town=window.town,
        summary=f"保存窗口 {window}",
    )
    if categories is not None:
        window.categories.set(categories)
        after_categories = sorted(c.code for c in categories)
        if after_categories != before_categories:
            record(
                actor=actor,
                action=AuditAction.WINDOW_UPDATED,
                target=window,
                before={"categories": before_categories},
                after={"categories": after_categories},
                town=window.town,
                summary=f"调整窗口 {window} 的服务类别",
            )
    return window


@transaction.atomic
def window_set_open(*, actor, window: Window, is_open: bool) -> Window:
    window = Window.objects.select_for_update().get(pk=window.pk)
    require_town_manager(actor, window.town_id)
    if window.is_open == is_open:
        return window
    window.is_open = is_open
    window.save(update_fields=["is_open"])
    record(
        actor=actor,
        action=AuditAction.WINDOW_OPENED if is_open else AuditAction.WINDOW_CLOSED,
        target=window,
        before={"is_open": not is_open},
        after={"is_open": is_open},
        town=window.town,
        summary=f"{'开启' if is_open else '关闭'}{window}",
    )
    return window
