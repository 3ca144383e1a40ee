"""堵点、难点、卡点台账: recording a problem (from a rating, a follow-up call, a complaint or staff)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import record
from onewindow.core.errors import ValidationFailed
from onewindow.feedback.models import ProblemEntry, ProblemKind, ProblemSource

DESCRIPTION_MAX = 2000


@transaction.atomic
def problem_record(
    *,
    actor,
    town,
    kind: str,
    source: str,
    description: str,
    item=None,
    department=None,
    rating=None,
    follow_up=None,
    complaint=None,
) -> ProblemEntry:
    errors = {}
    if kind not in ProblemKind.values:
        errors["kind"] = "请选择问题类型（堵点、难点或卡点）"
    if source not in ProblemSource.values:
        errors["source"] = "问题来源无效"
    description = (description or "").strip()
    if not description:
        errors["description"] = "请描述群众反映的问题"
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = f"问题描述不能超过{DESCRIPTION_MAX}个字"
    if errors:
        raise ValidationFailed(fields=errors)
    entry = ProblemEntry.objects.create(
        town=town,
        kind=kind,
        source=source,
        description=description,
        item=item,
        department=department,
        rating=rating,
        follow_up=follow_up,
        complaint=complaint,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    record(
        actor=actor,
        action=AuditAction.PROBLEM_RECORDED,
        target=entry,
        town=town,
        after={"kind": kind, "source": source, "item": getattr(item, "pk", None)},
        summary=f"登记{entry.get_kind_display()}（来源：{entry.get_source_display()}）",
    )
    return entry
