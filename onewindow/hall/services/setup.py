"""Setting a center's hall up: categories, window profiles and settings (audited, county admin or director)."""

from __future__ import annotations

from django.db import transaction

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record
from onewindow.hall.models import HallSettings, PriorityKind, QueueCategory, WindowQueue
from onewindow.org.models import BusinessCategory, ServiceCenter, Window
from onewindow.org.services.permissions import require_town_manager

DEFAULT_SESSIONS = [["08:30", "12:00"], ["13:30", "17:30"]]

# prefix, code, name, business category codes (the demo's); window kinds that serve it.
DEFAULT_CATEGORIES = [
    ("A", "medical_social", "医保社保", ["medical_insurance", "social_security"]),
    ("B", "civil_veterans", "民政优抚", ["social_assistance", "veterans"]),
    ("C", "comprehensive", "综合业务", ["comprehensive", "market", "tax", "household", "public_utility"]),
    ("D", "consultation", "咨询", ["consultation"]),
    ("E", "output", "取件", ["output"]),
]


@transaction.atomic
def hall_setup_defaults(*, actor, center: ServiceCenter) -> list[QueueCategory]:
    """Categories A–E and each window's calling order derived from the window's business categories;
    nothing is changed where the center already has categories."""
    require_town_manager(actor, center.town_id)
    HallSettings.objects.get_or_create(
        center=center, defaults={"sessions": DEFAULT_SESSIONS, "priority_kinds": list(PriorityKind.values)}
    )
    if center.queue_categories.exists():
        return list(center.queue_categories.all())
    categories = []
    for position, (prefix, code, name, business) in enumerate(DEFAULT_CATEGORIES, start=1):
        category = QueueCategory.objects.create(
            center=center, code=code, name=name, prefix=prefix, position=position * 10
        )
        category.business_categories.set(BusinessCategory.objects.filter(code__in=business))
        categories.append(category)
    by_business = {b: c for c in categories for b in c.business_categories.values_list("code", flat=True)}
    comprehensive = next(c for c in categories if c.code == "comprehensive")
    for window in Window.objects.filter(center=center).prefetch_related("categories"):
        own = [by_business[b.code] for b in window.categories.all() if b.code in by_business]
        order = list(dict.fromkeys(own or [comprehensive]))
        if window.kind in (Window.Kind.TIDAL, Window.Kind.COMPREHENSIVE):
            # Flexible windows help every business queue after their own.
            order += [c for c in categories if c not in order and c.code not in ("output", "consultation")]
        WindowQueue.objects.bulk_create(
            WindowQueue(window=window, category=c, position=i) for i, c in enumerate(order, start=1)
        )
    record(
        actor=actor,
        action=AuditAction.HALL_CONFIGURED,
        target=center,
        before=None,
        after={"categories": [c.prefix for c in categories]},
        town=center.town,
        summary=f"{center.name} 设置取号类别与窗口叫号顺序",
    )
    return categories
