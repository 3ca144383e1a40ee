"""差评整改: opening a rectification for every bad rating (the rest of the workflow builds on this)."""

from __future__ import annotations

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import SYSTEM, record
from onewindow.core.roles import Role
from onewindow.core.services.notifications import notify_staff
from onewindow.feedback.models import Rating, Rectification
from onewindow.org.models import User


def town_directors(town_id) -> list[User]:
    return list(User.objects.filter(town_id=town_id, role=Role.CENTER_DIRECTOR, is_active=True))


@transaction.atomic
def rectification_open(*, rating: Rating) -> Rectification:
    """谁办理、谁负责: the rectification goes to the department of the rated step (the town's center when the
    front desk or a window served), with the staff member who served as the one responsible."""
    if not rating.is_bad:
        raise ValueError("only a bad rating (1–2) opens a rectification")
    rectification = Rectification.objects.create(
        rating=rating,
        town=rating.town,
        department=rating.department,
        responsible_staff=rating.staff,
        opened_at=timezone.now(),
    )
    record(
        actor=SYSTEM,
        action=AuditAction.RECTIFICATION_OPENED,
        target=rectification,
        town=rating.town,
        after={"rating": rating.pk, "level": rating.level, "department": rating.department_id},
        summary=f"差评（{rating.get_level_display()}）自动生成整改，待回访核实",
    )
    notify_staff(
        town_directors(rating.town_id),
        kind="rectification",
        title="收到差评，请安排回访核实",
        body=f"{rating.get_level_display()}：{'、'.join(rating.reasons)[:200]}",
        url=_detail_url(rectification),
    )
    return rectification


def _detail_url(rectification: Rectification) -> str:
    try:
        return reverse("feedback:rectification", args=[rectification.pk])
    except NoReverseMatch:  # until the rectification pages land (remove then)
        return ""
