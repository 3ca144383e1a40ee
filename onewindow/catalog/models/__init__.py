from onewindow.catalog.models.catalog import CatalogEntry
from onewindow.catalog.models.choices import (
    DelegationMode,
    ExerciseLevel,
    GuideStatus,
    HandlingType,
    ItemKind,
    ItemSource,
    MaterialForm,
    MaterialSource,
    WindowCategory,
)
from onewindow.catalog.models.items import GuideMaterial, GuideVersion, RouteStage, ServiceItem, SpecialProcedure

__all__ = [
    "CatalogEntry",
    "DelegationMode",
    "ExerciseLevel",
    "GuideMaterial",
    "GuideStatus",
    "GuideVersion",
    "HandlingType",
    "ItemKind",
    "ItemSource",
    "MaterialForm",
    "MaterialSource",
    "RouteStage",
    "ServiceItem",
    "SpecialProcedure",
    "WindowCategory",
]
