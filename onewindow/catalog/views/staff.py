"""Catalog staff screens (county admin and center directors): items and guide versions
(staff_items, staff_guides) and each town's catalog (staff_catalog). See urls.py."""

from django.urls import path

from onewindow.catalog.views import staff_catalog, staff_guides, staff_items

_ITEM = "catalog/staff/items/<str:code>/"
_TOWN = "catalog/staff/towns/<str:town_code>/"

urlpatterns = [
    path("catalog/staff/items/", staff_items.item_list, name="staff-items"),
    path("catalog/staff/items/new/", staff_items.item_new, name="staff-item-new"),
    path(_ITEM, staff_items.item_detail, name="staff-item"),
    path(_ITEM + "edit/", staff_items.item_edit, name="staff-item-edit"),
    path(_ITEM + "files/", staff_items.item_file_upload, name="staff-item-file"),
    path(_ITEM + "publish/", staff_guides.item_publish, name="staff-item-publish"),
    path(_ITEM + "discard/", staff_guides.item_discard, name="staff-item-discard"),
    path(_ITEM + "retire/", staff_guides.item_retire_view, name="staff-item-retire"),
    path(_ITEM + "history/", staff_guides.item_history, name="staff-item-history"),
    path(_ITEM + "versions/<int:version>/", staff_guides.version_detail, name="staff-version"),
    path(
        _ITEM + "versions/<int:version>/files/<str:kind>/<int:position>/",
        staff_guides.version_file,
        name="staff-version-file",
    ),
    path("catalog/staff/towns/", staff_catalog.town_list, name="staff-towns"),
    path(_TOWN, staff_catalog.town_catalog, name="staff-town-catalog"),
    path(_TOWN + "adopt/", staff_catalog.town_adopt, name="staff-town-adopt"),
    path(_TOWN + "entries/<int:entry_id>/", staff_catalog.entry_update, name="staff-town-entry"),
    path(_TOWN + "entries/<int:entry_id>/remove/", staff_catalog.entry_remove, name="staff-town-entry-remove"),
]
