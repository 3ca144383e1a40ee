"""Scoped reads of cases: detail, timeline, and the work queues of each role.

Queues are keyset-paginated on (deadline, id) — or (time, id) — and read plain rows with `.values()`
(DESIGN §6: hot lists are not built from nested serializers), each in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, DateTimeField, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from onewindow.cases.deadlines import deadline_state, working_days_left
from onewindow.cases.flow import CLOCK_RUNNING, Action, Status
from onewindow.cases.models import ApplicantKind, Case, CaseStep, Channel, Decision, ReviewTask, TaskStatus
from onewindow.catalog.models import CatalogEntry
from onewindow.core.errors import Forbidden, ValidationFailed
from onewindow.core.pii import mask_name
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role, one_or_not_found

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


# --- 网上预审: the front desk's queue of online submissions ------------------------------------------------------

PREREVIEW_ROLES = frozenset({Role.FRONT_CLERK, Role.CONSULT_CLERK, Role.CENTER_DIRECTOR, Role.COUNTY_ADMIN})
PREREVIEW_TABS = {"submitted": "待预审", "correction": "待群众补正"}


def _online_cases(actor) -> QuerySet[Case]:
    # The roles that take acceptance decisions (and the county admin, read-only); others are refused
    # outright rather than shown an empty queue, so a misrouted link says why.
    if effective_role(actor) not in PREREVIEW_ROLES:
        raise Forbidden("只有前台受理人员和中心主任可以办理网上预审")
    return cases_for(actor).filter(channel=Channel.ONLINE)


def _last_step_at(action: str) -> Subquery:
    steps = CaseStep.objects.filter(case=OuterRef("pk"), action=action).order_by("-at", "-pk").values("at")[:1]
    return Subquery(steps, output_field=DateTimeField())


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _datetime_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """'<microseconds since the epoch>_<id>': exact integers, so no row is skipped or repeated by rounding."""
    if not cursor:
        return None
    try:
        micros, pk = cursor.split("_", 1)
        return _EPOCH + int(micros) * _MICROSECOND, int(pk)
    except (ValueError, OverflowError) as exc:
        raise ValidationFailed(fields={"cursor": "分页参数无效"}) from exc


def _encode_cursor(at: datetime, pk: int) -> str:
    return f"{(at - _EPOCH) // _MICROSECOND}_{pk}"


def _keyset_by_time(queryset, *, key: str, cursor: str | None, size: int, newest_first: bool = False):
    """Rows ordered by a non-null datetime `key` then id (oldest first unless `newest_first`), after the cursor."""
    size = max(1, min(size or PAGE_SIZE, MAX_PAGE_SIZE))
    if after := _datetime_cursor(cursor):
        at, pk = after
        op = "lt" if newest_first else "gt"
        queryset = queryset.filter(Q(**{f"{key}__{op}": at}) | Q(**{key: at, f"id__{op}": pk}))
    order = (F(key).desc(), F("id").desc()) if newest_first else (F(key).asc(), F("id").asc())
    rows = list(queryset.order_by(*order)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (_encode_cursor(rows[-1][key], rows[-1]["id"]) if more and rows else None)


def prereview_counts(actor) -> dict[str, int]:
    """How many online cases wait on each tab, in one query (the home tile and the tab labels)."""
    return _online_cases(actor).aggregate(
        submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
        correction=Count("pk", filter=Q(status=Status.CORRECTION_REQUIRED)),
    )


def prereview_queue(actor, tab: str, *, cursor: str | None = None, size: int = PAGE_SIZE) -> Page:
    """One tab of the pre-review queue, longest waiting first, in one query.

    `submitted`: online applications waiting for the front desk — a resubmission after a correction request
    (补正后重新提交) is flagged and waits from the moment it came back. `correction`: cases waiting for the
    citizen to supplement, with how long since the one-time notice went out."""
    if tab not in PREREVIEW_TABS:
        raise ValidationFailed(fields={"tab": "没有这个预审分类"})
    cases = _online_cases(actor)
    if tab == "submitted":
        cases = cases.filter(status=Status.SUBMITTED).annotate(
            resubmitted_at=_last_step_at(Action.SUPPLEMENT),
            since=Coalesce("resubmitted_at", "submitted_at", "created_at"),
        )
        extra = ("resubmitted_at",)
    else:
        cases = cases.filter(status=Status.CORRECTION_REQUIRED).annotate(
            since=Coalesce(_last_step_at(Action.REQUEST_CORRECTION), "submitted_at", "created_at")
        )
        extra = ()
    fields = ("id", "number", "status", "applicant_name", "submitted_at", "guide__name", "item__code", "town__name")
    rows, next_cursor = _keyset_by_time(cases.values(*fields, *extra, "since"), key="since", cursor=cursor, size=size)
    today = timezone.localdate()
    for row in rows:
        row["applicant_masked"] = mask_name(row["applicant_name"])
        row["resubmitted"] = bool(row.get("resubmitted_at"))
        row["waiting_days"] = max(0, (today - timezone.localtime(row["since"]).date()).days)
    return Page(rows, next_cursor)


# --- 结果公示: completed cases of items whose results are published, per town -----------------------------------

PUBLICITY_PAGE_SIZE = 30
PUBLICITY_EARLIEST = date(2000, 1, 1)


def publicity_month(value: str | None, today: date) -> date:
    """'2026-09' → 2026-09-01; blank → this month. A month that is malformed or in the future is refused."""
    value = (value or "").strip()
    if not value:
        return today.replace(day=1)
    try:
        year, month = value.split("-")
        chosen = date(int(year), int(month), 1)
    except ValueError as exc:
        raise ValidationFailed(fields={"month": "月份格式应为“2026-09”"}, code="publicity.bad_month") from exc
    if not PUBLICITY_EARLIEST <= chosen <= today.replace(day=1):
        raise ValidationFailed(fields={"month": "只能查询2000年1月到本月的公示"}, code="publicity.bad_month")
    return chosen


def publicity_items(town) -> list[dict]:
    """The town's published items whose current guide publishes results ({code, name}), for the item filter."""
    return list(
        CatalogEntry.objects.published()
        .filter(town=town, item__current_guide__results_public=True)
        .order_by("item__code")
        .values(code=F("item__code"), name=F("item__name"))
    )


def publicity_page(
    town, *, month: date, item_code: str = "", cursor: str | None = None, size: int = PUBLICITY_PAGE_SIZE
) -> Page:
    """Approved results completed in `month` in `town`, newest first, one query per page.

    Published only when the version the applicant applied under said so (they were told) and the item's
    current version still does (switching it off hides old results at once). A person's name is masked
    (张*); an enterprise's name is public record and shown in full. No number, ID or phone leaves here."""
    start = timezone.make_aware(datetime.combine(month.replace(day=1), time.min))
    following = (month.replace(day=1) + timedelta(days=32)).replace(day=1)
    end = timezone.make_aware(datetime.combine(following, time.min))
    cases = Case.objects.filter(
        town=town,
        status__in=[Status.DECIDED, Status.DELIVERED],
        decision=Decision.APPROVED,
        decided_at__gte=start,
        decided_at__lt=end,
        guide__results_public=True,
        item__current_guide__results_public=True,
    )
    if item_code:
        cases = cases.filter(item__code=item_code)
    rows, next_cursor = _keyset_by_time(
        cases.values(
            "id",
            "applicant_kind",
            "applicant_name",
            "accepted_at",
            "decided_at",
            "item__code",
            "guide__name",
            "guide__result_name",
        ),
        key="decided_at",
        cursor=cursor,
        size=size or PUBLICITY_PAGE_SIZE,
        newest_first=True,
    )
    published = []
    for row in rows:
        enterprise = row["applicant_kind"] == ApplicantKind.ENTERPRISE
        published.append(
            {
                "item_code": row["item__code"],
                "item_name": row["guide__name"],
                "applicant": row["applicant_name"] if enterprise else mask_name(row["applicant_name"]),
                "accepted_on": timezone.localtime(row["accepted_at"]).date() if row["accepted_at"] else None,
                "completed_on": timezone.localtime(row["decided_at"]).date(),
                "result": f"{Decision.APPROVED.label}：{row['guide__result_name']}",
            }
        )
    return Page(published, next_cursor)
