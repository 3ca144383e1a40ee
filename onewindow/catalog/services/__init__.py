from onewindow.catalog.services.catalog import (
    catalog_adopt,
    catalog_adopt_many,
    catalog_entry_remove,
    catalog_entry_update,
)
from onewindow.catalog.services.guides import (
    guide_discard_draft,
    guide_publish,
    guide_save_draft,
    item_create,
    item_retire,
)
from onewindow.catalog.services.importing import catalog_export, catalog_import, catalog_template

__all__ = [
    "catalog_adopt",
    "catalog_adopt_many",
    "catalog_entry_remove",
    "catalog_entry_update",
    "catalog_export",
    "catalog_import",
    "catalog_template",
    "guide_discard_draft",
    "guide_publish",
    "guide_save_draft",
    "item_create",
    "item_retire",
]
