"""What the generated documents print: a town's published catalog, read in a fixed number of queries.

Content comes only from the town's published catalog (selectors.public_entries) and each item's
current (published) guide; drafts, retired versions and unpublished entries never appear.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from onewindow.catalog import selectors
from onewindow.catalog.models import CatalogEntry, GuideVersion, WindowCategory
from onewindow.catalog.routing import resolve_codes
from onewindow.org.models import Department, Region, ServiceCenter

UrlFor = Callable[[str], str]  # item code → absolute address of its public guide (the QR target)


@dataclass
class CatalogGroup:
    category: str
    label: str
    entries: list[CatalogEntry]


@dataclass
class TownCatalog:
    town: Region
    center_name: str
    county_name: str
    center: ServiceCenter | None
    groups: list[CatalogGroup]
    departments: dict[str, Department | None] = field(default_factory=dict)
    generated_on: date = field(default_factory=timezone.localdate)

    @property
    def entries(self) -> list[CatalogEntry]:
        return [entry for group in self.groups for entry in group.entries]

    @property
    def date_text(self) -> str:
        d = self.generated_on
        return f"{d.year}年{d.month}月{d.day}日"

    def fingerprint(self, *extra: str) -> str:
        """Changes whenever anything printed changes: a published guide version is never edited, so
        its id stands for its content; what it points to and prints by name (windows, route and
        source departments, the center) is named explicitly, since a rename does not touch the guide."""
        parts = [self.town.code, self.center_name, self.county_name, self.generated_on.isoformat(), *extra]
        parts.append(self.center.phone if self.center else "")
        for e in self.entries:
            window = f"{e.window.number}{e.window.name}" if e.window_id else ""
            guide = e.item.current_guide
            source = guide.source_department.name if guide.source_department_id else ""
            parts.append(f"{e.pk}:{e.item.current_guide_id}:{window}:{source}")
        parts += [f"{code}:{d.name if d else ''}" for code, d in sorted(self.departments.items())]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]

    def department_names(self, codes) -> list[str]:
        return [self.departments[c].name if self.departments.get(c) else c for c in codes]


def load_town_catalog(town: Region) -> TownCatalog:
    """The published catalog of `town` with guides, materials, procedures and stages prefetched."""
    entries = list(
        selectors.public_entries(town).prefetch_related(
            "item__current_guide__materials",
            "item__current_guide__special_procedures",
            "item__current_guide__stages",
        )
    )
    # Window category order is fixed (高频 first), whatever the stored codes sort to.
    groups = []
    for value, label in WindowCategory.choices:
        members = [e for e in entries if e.item.current_guide.window_category == value]
        if members:
            groups.append(CatalogGroup(category=value, label=label, entries=members))
    codes = [c for e in entries for stage in e.item.current_guide.stages.all() for c in stage.department_codes]
    center = ServiceCenter.objects.filter(region=town).select_related("region__parent").first()
    county = center.region.parent if center else town.parent
    return TownCatalog(
        town=town,
        center_name=center.name if center else f"{town.name}为民服务中心",
        county_name=county.name if county else "",
        center=center,
        groups=groups,
        departments=resolve_codes(codes, town) if codes else {},
    )


# Display helpers shared by the PDF and Excel documents.


def source_text(guide: GuideVersion) -> str:
    text = guide.get_source_display()
    if guide.delegation_mode:
        text += f"\n（{guide.get_delegation_mode_display()}）"
    return text


def competent_department(guide: GuideVersion) -> str:
    return guide.source_department.name if guide.source_department_id else guide.implementing_body


def limits_text(guide: GuideVersion) -> str:
    promised = "即办（当场办结）" if guide.is_instant else f"承诺{guide.promised_limit_days}个工作日"
    return f"法定{guide.legal_limit_days}个工作日\n{promised}"


def window_text(entry: CatalogEntry) -> str:
    if entry.window_id:
        return f"{entry.window.number}号窗口（{entry.window.name}）"
    return (
        "高频事项窗口" if entry.item.current_guide.window_category == WindowCategory.HIGH_FREQUENCY else "综合受理窗口"
    )


def service_modes_text(guide: GuideVersion) -> str:
    online = "可网办" if guide.online_capable else "不可网办"
    proxy = "可代办" if guide.proxy_capable else "不可代办"
    return f"{online}\n{proxy}"


def fee_text(guide: GuideVersion) -> str:
    return "不收费" if guide.fee_free else guide.fee_standard
