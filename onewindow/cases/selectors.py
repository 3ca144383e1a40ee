"""Scoped reads of cases: detail, timeline, and the work queues of each role.

Queues are keyset-paginated on (deadline, id) — or (time, id) — and read plain rows with `.values()`
(DESIGN §6: hot lists are not built from nested serializers), each in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from onewindow.cases.deadlines import deadline_state, working_days_left
from onewindow.cases.flow import CLOCK_RUNNING, Status
from onewindow.cases.models import Case, Channel, ReviewTask, TaskStatus
from onewindow.core.errors import ValidationFailed
from onewindow.core.pii import mask_name
from onewindow.core.scoping import one_or_not_found

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
_FAR_FUTURE = date(9999, 12, 31)

CASE_ROW_FIELDS = (
    "id",
    "number",
    "status",
    "deadline",
    "applicant_name",
    "channel",
    "submitted_at",
    "accepted_at",
    "guide__name",
    "item__code",
    "town__name",
    "contact_clerk__name",
    "deficiency_due",
)


def cases_for(actor) -> QuerySet[Case]:
    return Case.objects.visible_to(actor)


def case_detail(actor, number: str) -> Case:
    queryset = (
        cases_for(actor)
        .select_related("guide", "item", "town", "center", "village", "contact_clerk", "agent", "created_by")
        .prefetch_related("materials", "tasks__department", "tasks__assignee", "steps", "notices", "attachments")
    )
    return one_or_not_found(queryset, number=number)


def tasks_for(actor) -> QuerySet[ReviewTask]:
    return ReviewTask.objects.visible_to(actor)


@dataclass(frozen=True)
class Page:
    rows: list[dict]
    next_cursor: str | None


def _parse_cursor(cursor: str | None):
    if not cursor:
        return None
    try:
        day, pk = cursor.split("_", 1)
        return date.fromisoformat(day), int(pk)
    except ValueError as exc:
        raise ValidationFailed(fields={"cursor": "分页参数无效"}) from exc


def _keyset(queryset, *, key: str, cursor: str | None, size: int) -> tuple[list[dict], str | None]:
    """Rows ordered by (key, id) ascending, NULL keys last, after the cursor."""
    size = max(1, min(size or PAGE_SIZE, MAX_PAGE_SIZE))
    queryset = queryset.order_by(F(key).asc(nulls_last=True), "id")
    after = _parse_cursor(cursor)
    if after is not None:
        day, pk = after
        if day == _FAR_FUTURE:
            queryset = queryset.filter(**{f"{key}__isnull": True, "id__gt": pk})
        else:
            queryset = queryset.filter(
                Q(**{f"{key}__gt": day}) | Q(**{key: day, "id__gt": pk}) | Q(**{f"{key}__isnull": True})
            )
    rows = list(queryset[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = f"{(last[key] or _FAR_FUTURE).isoformat()}_{last['id']}"
    return rows, next_cursor


def _decorate(rows: list[dict], today: date, deadline_key: str = "deadline") -> list[dict]:
    for row in rows:
        # Colours only while the clock runs: a decided case waiting for pickup is not "overdue".
        running = row.get("status", Status.IN_REVIEW) in CLOCK_RUNNING
        row["deadline_state"] = deadline_state(row.get(deadline_key), today) if running else None
        row["working_days_left"] = working_days_left(row.get(deadline_key), today) if running else None
        if "channel" in row:
            row["channel_label"] = Channel(row["channel"]).label
        if "applicant_name" in row:
            row["applicant_masked"] = mask_name(row["applicant_name"])
    return rows


def _case_queue(queryset, *, cursor, size) -> Page:
    rows, next_cursor = _keyset(queryset.values(*CASE_ROW_FIELDS), key="deadline", cursor=cursor, size=size)
    return Page(_decorate(rows, timezone.localdate()), next_cursor)


QUEUES = {
    "intake_today": "我今天接件",
    "awaiting_acceptance": "待受理（含网上预审）",
    "my_tasks": "我的审批任务",
    "ready_to_decide": "待办结",
    "joint": "联办件",
    "overdue": "超期办件",
    "ready_for_pickup": "待出件",
    "deficiency": "容缺待补",
}


def queue(actor, name: str, *, cursor: str | None = None, size: int = PAGE_SIZE) -> Page:
    """One of the role work queues (QUEUES), scoped to the actor."""
    today = timezone.localdate()
    cases = cases_for(actor)
    if name == "intake_today":
        # A range, not submitted_at__date: the (created_by, submitted_at) index serves it.
        start = timezone.make_aware(datetime.combine(today, time.min))
        mine = cases.filter(created_by=actor, submitted_at__gte=start, submitted_at__lt=start + timedelta(days=1))
        return _case_queue(mine, cursor=cursor, size=size)
    if name == "awaiting_acceptance":
        return _case_queue(cases.filter(status__in=[Status.SUBMITTED]), cursor=cursor, size=size)
    if name == "overdue":
        return _case_queue(cases.filter(status__in=CLOCK_RUNNING, deadline__lt=today), cursor=cursor, size=size)
    if name == "ready_for_pickup":
        return _case_queue(cases.filter(status=Status.DECIDED), cursor=cursor, size=size)
    if name == "deficiency":
        return _case_queue(
            cases.filter(deficiency_due__isnull=False, materials__state="deficient")
            .distinct()
            .exclude(status__in=[Status.DELIVERED, Status.TERMINATED, Status.REVOKED]),
            cursor=cursor,
            size=size,
        )
    if name == "joint":
        # 联办件: a stage with several departments is still ahead or under review (an open task with a sibling).
        siblings = ReviewTask.objects.filter(
            case=OuterRef("case"), round=OuterRef("round"), stage_position=OuterRef("stage_position")
        ).exclude(pk=OuterRef("pk"))
        joint_now = ReviewTask.objects.filter(
            case=OuterRef("pk"), status__in=[TaskStatus.PENDING, TaskStatus.WAITING]
        ).filter(Exists(siblings))
        return _case_queue(cases.filter(status=Status.IN_REVIEW).filter(Exists(joint_now)), cursor=cursor, size=size)
    if name == "ready_to_decide":
        open_tasks = ReviewTask.objects.filter(status__in=[TaskStatus.PENDING, TaskStatus.WAITING]).values("case_id")
        return _case_queue(cases.filter(status=Status.IN_REVIEW).exclude(pk__in=open_tasks), cursor=cursor, size=size)
    if name == "my_tasks":
        tasks = (
            tasks_for(actor)
            .filter(status=TaskStatus.PENDING)
            .values(
                "id",
                "stage_name",
                "due_on",
                "case__number",
                "case__guide__name",
                "case__applicant_name",
                "case__deadline",
                "department__name",
                "assignee__name",
                "round",
            )
        )
        rows, next_cursor = _keyset(tasks, key="due_on", cursor=cursor, size=size)
        for row in rows:
            row["applicant_name"] = row.pop("case__applicant_name")
        return Page(_decorate(rows, today, "due_on"), next_cursor)
    raise ValidationFailed(fields={"queue": "没有这个工作队列"})


def public_progress(number: str, query_code: str) -> Case | None:
    """The case a number + query code pair names, for the no-login progress page; None when either is wrong."""
    from onewindow.cases.services.numbering import query_code_index

    number, query_code = (number or "").strip(), (query_code or "").strip()
    if not number or not query_code or len(number) > 32 or len(query_code) > 16:
        return None
    return (
        Case.objects.filter(number=number, query_code_index=query_code_index(query_code))
        .select_related("guide", "town", "center")
        .prefetch_related("steps")
        .first()
    )
