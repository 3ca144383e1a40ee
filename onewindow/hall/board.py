"""The live board's state: current calls per window, waiting and estimated waits per category, recent calls.

Built from `.values()` in a fixed number of queries (pinned in tests/test_board.py) and cached per center
together with the board version it was built at, so thirty displays polling or streaming cost one
computation per change. A display compares versions with `!=` (a cache restart may count from 1 again).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, F, IntegerField, OuterRef, Subquery
from django.db.models import Window as Over
from django.db.models.functions import RowNumber
from django.utils import timezone

from onewindow.core.errors import Forbidden, NotFound
from onewindow.core.roles import TOWN_STAFF_ROLES, Role
from onewindow.core.scoping import effective_role, one_or_not_found
from onewindow.hall import estimates
from onewindow.hall.events import board_version
from onewindow.hall.models import QueueCategory, Ticket, TicketStatus, WindowQueue
from onewindow.hall.selectors import wait_minutes
from onewindow.org.models import ServiceCenter, Window

RECENT_CALLS = 10
STATE_TTL_SECONDS = 24 * 3600
ACTIVE = (TicketStatus.CALLED, TicketStatus.SERVING)
_STATE_KEY = "hall:board:state:{}"
# The hall's screens run as device accounts; the town's staff and the county admin may open them to check.
DISPLAY_ROLES = TOWN_STAFF_ROLES | {Role.DEVICE, Role.COUNTY_ADMIN}


def _require_display_role(actor) -> None:
    if effective_role(actor) not in DISPLAY_ROLES:
        raise Forbidden("大厅显示屏只供本中心的显示设备和工作人员使用")


def board_center(actor, center_id) -> ServiceCenter:
    """The town center whose board the actor may show: its own town's (devices, staff) or any for the county
    admin; another town's center is "not found", like one that does not exist."""
    _require_display_role(actor)
    centers = ServiceCenter.objects.visible_to(actor).filter(kind=ServiceCenter.Kind.TOWN_CENTER, is_active=True)
    return one_or_not_found(centers, pk=center_id)


def board_window(actor, window_id) -> Window:
    """A window whose display the actor may show (same scope as the board)."""
    _require_display_role(actor)
    window = one_or_not_found(Window.objects.visible_to(actor).select_related("center"), pk=window_id)
    if window.center.kind != ServiceCenter.Kind.TOWN_CENTER:
        raise NotFound()
    return window


def board_state(center: ServiceCenter) -> dict:
    """The board as plain JSON-ready data, computed at most once per (center, board version, day)."""
    version = board_version(center.pk)  # read first: a change committed meanwhile bumps it again later
    today = timezone.localdate().isoformat()
    key = _STATE_KEY.format(center.pk)
    cached = cache.get(key)
    if cached and cached["version"] == version and cached["day"] == today:
        return cached
    state = _compute(center, version)
    cache.set(key, state, STATE_TTL_SECONDS)
    return state


def board_payload(center: ServiceCenter, since: str | None, day: str | None = None) -> dict:
    """What a polling display gets: only the version while nothing changed (same version, and the same day
    when the display says which day it shows), the whole state otherwise."""
    version = board_version(center.pk)
    if since == str(version) and day in (None, timezone.localdate().isoformat()):
        return {"version": version, "changed": False}
    return {**board_state(center), "changed": True}


def event_id(state: dict) -> str:
    """The SSE event id: day and version, so a screen reconnecting after midnight gets the new day's board."""
    return f"{state['day']}.{state['version']}"


def _iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _compute(center: ServiceCenter, version: int) -> dict:
    now = timezone.now()
    today = timezone.localdate(now)
    windows = _windows(center, today)
    categories = _categories(center, today, now)
    recent = (
        Ticket.objects.filter(center=center, day=today, called_at__isnull=False, window__isnull=False)
        .order_by("-called_at", "-id")
        .values("number", "called_at", "status", "window__number", "window__name", "category__name")[:RECENT_CALLS]
    )
    return {
        "center": {"id": center.pk, "name": center.name},
        "version": version,
        "day": today.isoformat(),
        "generated_at": _iso(now),
        "windows": windows,
        "categories": categories,
        "recent": [
            {
                "number": row["number"],
                "window_number": row["window__number"],
                "window_name": row["window__name"],
                "category": row["category__name"],
                "status": row["status"],
                "called_at": _iso(row["called_at"]),
            }
            for row in recent
        ],
    }


def _windows(center, today) -> list[dict]:
    """Open windows (and a closed one still finishing its last ticket), each with its current call."""
    rows = Window.objects.filter(center=center).order_by("number").values("id", "number", "name", "is_open")
    current = {
        row["window_id"]: row
        for row in Ticket.objects.filter(center=center, day=today, status__in=ACTIVE, window__isnull=False)
        .order_by("called_at", "id")
        .values("window_id", "number", "status", "called_at", "recalls", "category__name")
    }
    windows = []
    for row in rows:
        ticket = current.get(row["id"])
        if not row["is_open"] and ticket is None:
            continue
        windows.append(
            {
                **row,
                "ticket": ticket
                and {
                    "number": ticket["number"],
                    "status": ticket["status"],
                    "category": ticket["category__name"],
                    "called_at": _iso(ticket["called_at"]),
                    "recalls": ticket["recalls"],
                },
            }
        )
    return windows


def _categories(center, today, now) -> list[dict]:
    """Open categories with people waiting and the wait a ticket taken now would be told (estimates.py's
    rule, computed for every category from one query each instead of two per category)."""
    waiting = (
        Ticket.objects.filter(center=center, category=OuterRef("pk"), day=today, status=TicketStatus.WAITING)
        .order_by()
        .values("category")
        .annotate(n=Count("id"))
        .values("n")
    )
    rows = list(
        QueueCategory.objects.filter(center=center, is_open=True)
        .annotate(waiting=Subquery(waiting, output_field=IntegerField()))
        .order_by("position", "prefix")
        .values("id", "code", "prefix", "name", "waiting")
    )
    serving = dict(
        WindowQueue.objects.filter(category__center=center, window__is_open=True)
        .order_by()
        .values("category_id")
        .annotate(n=Count("id"))
        .values_list("category_id", "n")
    )
    service = _service_seconds(center, now)
    categories = []
    for row in rows:
        people = row.pop("waiting") or 0
        windows = serving.get(row["id"], 0)
        seconds = int(people * service.get(row["id"], estimates.DEFAULT_SERVICE_SECONDS) / max(1, windows))
        categories.append(
            {
                **row,
                "waiting": people,
                "serving_windows": windows,
                "estimated_wait_seconds": seconds,
                "estimated_wait_minutes": wait_minutes(seconds),
            }
        )
    return categories


def _service_seconds(center, now) -> dict[int, float]:
    """estimates.service_seconds for every category of the center: the latest finished tickets per category
    (a window function keeps SAMPLE × 4 of each), same-hour ones preferred, outliers capped."""
    since = now - timedelta(days=28)
    rank = Over(RowNumber(), partition_by=F("category_id"), order_by=[F("finished_at").desc(), F("id").desc()])
    rows = (
        Ticket.objects.filter(
            center=center,
            day__gte=(since - timedelta(days=1)).date(),  # lets the (center, day, status) index narrow the scan
            status=TicketStatus.DONE,
            finished_at__gte=since,
            called_at__isnull=False,
        )
        .annotate(took=F("finished_at") - F("called_at"), rank=rank)
        .filter(rank__lte=estimates.SAMPLE * 4)
        .order_by("category_id", "rank")
        .values_list("category_id", "took", "called_at")
    )
    samples: dict[int, list] = defaultdict(list)
    for category_id, took, called in rows:
        if took and took.total_seconds() > 0:
            samples[category_id].append((took.total_seconds(), called))
    hour = timezone.localtime(now).hour
    result = {}
    for category_id, durations in samples.items():
        same_hour = [d for d, called in durations if timezone.localtime(called).hour == hour][: estimates.SAMPLE]
        if len(same_hour) >= estimates.MIN_SAME_HOUR:
            result[category_id] = estimates._capped_mean(same_hour)
        else:
            result[category_id] = estimates._capped_mean([d for d, _ in durations[: estimates.SAMPLE]])
    return result
