"""What the monthly 专项汇总 says: the town's ledger entries recorded in the month, counted by kind, source,
status, item and department (every kind, source and status listed, with zeros, so months compare)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from onewindow.catalog.safe_output import safe_filename
from onewindow.core.logging import redact
from onewindow.core.months import month_bounds
from onewindow.feedback.models import ProblemEntry, ProblemKind, ProblemSource, ProblemStatus
from onewindow.org.models import Region

NO_ITEM = "未涉及具体事项"
NO_DEPARTMENT = "未涉及具体部门"
TITLE = "堵点难点卡点问题专项汇总"


@dataclass(frozen=True)
class ProblemSummary:
    town: Region
    center_name: str
    county_name: str
    month: date
    generated: date
    entries: list[ProblemEntry]
    by_kind: list[tuple[str, int]]
    by_source: list[tuple[str, int]]
    by_status: list[tuple[str, int]]
    by_item: list[tuple[str, int]]
    by_department: list[tuple[str, int]]

    @property
    def month_text(self) -> str:
        return f"{self.month.year}年{self.month.month}月"

    @property
    def title(self) -> str:
        return f"{self.center_name}{TITLE}（{self.month_text}）"

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def overview(self) -> str:
        """One sentence for the top of the report."""
        if not self.entries:
            return f"{self.month_text}本中心未登记堵点、难点、卡点问题。"
        kinds = "、".join(f"{label}{n}个" for label, n in self.by_kind)
        statuses = "，".join(f"{label}{n}个" for label, n in self.by_status)
        return f"{self.month_text}共登记问题{self.total}个，其中{kinds}；{statuses}。"


def _fixed(counter: Counter, choices) -> list[tuple[str, int]]:
    return [(label, counter.get(value, 0)) for value, label in choices.choices]


def _ranked(counter: Counter) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda pair: (-pair[1], pair[0]))


def center_name(town: Region) -> str:
    center = getattr(town, "center", None) if town.pk else None
    return center.name if center is not None else f"{town.name}为民服务中心"


def load_problem_summary(town: Region, month: date) -> ProblemSummary:
    """`month` is its first day. The caller has checked the reader may see the town's ledger."""
    start, end = month_bounds(month)
    entries = list(
        ProblemEntry.objects.filter(town=town, recorded_at__gte=start, recorded_at__lt=end)
        .select_related("item", "department", "recorded_by")
        .order_by("recorded_at", "pk")
    )
    county = town.parent
    return ProblemSummary(
        town=town,
        center_name=center_name(town),
        county_name=county.name if county else "",
        month=month,
        generated=timezone.localdate(),
        entries=entries,
        by_kind=_fixed(Counter(e.kind for e in entries), ProblemKind),
        by_source=_fixed(Counter(e.source for e in entries), ProblemSource),
        by_status=_fixed(Counter(e.status for e in entries), ProblemStatus),
        by_item=_ranked(Counter(e.item.name if e.item else NO_ITEM for e in entries)),
        by_department=_ranked(Counter(e.department.name if e.department else NO_DEPARTMENT for e in entries)),
    )


def summary_filename(summary: ProblemSummary, extension: str) -> str:
    return safe_filename(summary.title, f".{extension}")


def entry_row(number: int, entry: ProblemEntry) -> list[str]:
    """One line of the problem list, the same in the workbook and the PDF. Descriptions are often a citizen's own
    words copied from a complaint: ID and mobile numbers in them are masked, as the report leaves the center."""
    return [
        str(number),
        timezone.localtime(entry.recorded_at).strftime("%m-%d"),
        entry.get_kind_display(),
        entry.get_source_display(),
        entry.item.name if entry.item else "—",
        entry.department.name if entry.department else "—",
        redact(entry.description),
        entry.get_status_display(),
        redact(entry.measures) if entry.measures else "—",
    ]


ENTRY_HEADERS = ["序号", "登记日期", "类型", "来源", "涉及事项", "涉及部门", "问题描述", "状态", "整改措施"]
