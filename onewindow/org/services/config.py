"""Write use-cases for regions, centers, departments, categories and windows.

Each saves one object in one transaction with its audit event. Callers (admin, commands, tests)
pass an unsaved or changed instance; the service authorizes it against both the stored and the new
version, validates it, fills derived fields and saves it.
"""

from django.db import transaction

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record, snapshot
from onewindow.core.errors import Conflict
from onewindow.org.models import BusinessCategory, Department, Region, ServiceCenter, Window
from onewindow.org.services.permissions import authorize_change
from onewindow.org.services.validation import full_clean_or_raise

_REGION_FIELDS = ["code", "name", "level", "parent", "is_active"]
_CENTER_FIELDS = ["region", "kind", "name", "address", "phone", "opening_hours", "is_active"]
_DEPARTMENT_FIELDS = ["name", "code", "kind", "town", "county_department", "phone", "is_active"]
_CATEGORY_FIELDS = ["code", "name", "is_high_frequency", "sort_order"]
_WINDOW_FIELDS = ["center", "number", "name", "kind", "is_open", "categories"]


def _save(*, actor, instance, fields, created_action, updated_action, town, summary, after_save=None):
    authorize_change(actor, instance)
    stored = type(instance).objects.filter(pk=instance.pk).first() if instance.pk else None
    before = snapshot(stored, fields) if stored else None
    full_clean_or_raise(instance)
    instance.save()
    if after_save:
        after_save(instance)
    record(
        actor=actor,
        action=updated_action if before is not None else created_action,
        target=instance,
        before=before,
        after=snapshot(instance, fields),
        town=town() if callable(town) else town,
        summary=summary,
    )
    return instance


def _region_in_use(region: Region) -> bool:
    return (
        region.children.exists()
        or ServiceCenter.objects.filter(region=region).exists()
        or region.staff.exists()
        or region.agents.exists()
        or region.departments.exists()
    )


@transaction.atomic
def save_region(*, actor, region: Region) -> Region:
    if region.pk is not None:
        stored = Region.objects.get(pk=region.pk)
        moved = (stored.code, stored.level, stored.parent_id) != (region.code, region.level, region.parent_id)
        if moved and _region_in_use(stored):
            # Everything below a region points at its town; re-parenting would leave them in the old scope.
            raise Conflict(
                "该区划已有下级区划、服务中心、部门或工作人员，不能修改代码、层级或上级", code="region.in_use"
            )
    if region.level != Region.Level.TOWN:
        region.town = region.derive_town()

    def point_town_at_itself(saved):
        if saved.level == Region.Level.TOWN and saved.town_id != saved.pk:
            saved.town = saved
            saved.save(update_fields=["town"])

    return _save(actor=actor, instance=region, fields=_REGION_FIELDS,
                 created_action=AuditAction.REGION_CREATED, updated_action=AuditAction.REGION_UPDATED,
                 town=lambda: region.town, summary=f"保存行政区划 {region.name}", after_save=point_town_at_itself)


@transaction.atomic
def save_center(*, actor, center: ServiceCenter) -> ServiceCenter:
    center.town = center.region.town
    return _save(actor=actor, instance=center, fields=_CENTER_FIELDS,
                 created_action=AuditAction.CENTER_CREATED, updated_action=AuditAction.CENTER_UPDATED,
                 town=center.town, summary=f"保存{center.get_kind_display()} {center.name}")


@transaction.atomic
def save_department(*, actor, department: Department) -> Department:
    return _save(actor=actor, instance=department, fields=_DEPARTMENT_FIELDS,
                 created_action=AuditAction.DEPARTMENT_CREATED, updated_action=AuditAction.DEPARTMENT_UPDATED,
                 town=department.town, summary=f"保存部门 {department.name}")


@transaction.atomic
def save_business_category(*, actor, category: BusinessCategory) -> BusinessCategory:
    return _save(actor=actor, instance=category, fields=_CATEGORY_FIELDS,
                 created_action=AuditAction.CATEGORY_SAVED, updated_action=AuditAction.CATEGORY_SAVED,
                 town=None, summary=f"保存业务类别 {category.name}")


@transaction.atomic
def save_window(*, actor, window: Window, categories=None) -> Window:
    """Saves a window and, when given, the categories it serves (a list of BusinessCategory)."""
    if window.center.kind != ServiceCenter.Kind.TOWN_CENTER:
        raise Conflict("窗口只能设在镇街为民服务中心", code="window.center_kind")
    window.town = window.center.town

    def set_categories(saved):
        if categories is not None:
            saved.categories.set(categories)

    return _save(actor=actor, instance=window, fields=_WINDOW_FIELDS,
                 created_action=AuditAction.WINDOW_CREATED, updated_action=AuditAction.WINDOW_UPDATED,
                 town=window.town, summary=f"保存窗口 {window}", after_save=set_categories)


@transaction.atomic
def window_set_open(*, actor, window: Window, is_open: bool) -> Window:
    window = Window.objects.select_for_update().get(pk=window.pk)
    authorize_change(actor, window)
    if window.is_open == is_open:
        return window
    window.is_open = is_open
    window.save(update_fields=["is_open"])
    record(actor=actor, action=AuditAction.WINDOW_OPENED if is_open else AuditAction.WINDOW_CLOSED,
           target=window, before={"is_open": not is_open}, after={"is_open": is_open}, town=window.town,
           summary=f"{'开启' if is_open else '关闭'}{window}")
    return window
