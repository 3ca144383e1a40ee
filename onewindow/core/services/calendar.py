"""Maintaining the working-day calendar: sync from the chinese-calendar package, manual day edits,
whole years the package does not know yet. Only the county admin (or the system) may do this.

Every service locks the CalendarVersion row first, so calendar writers queue instead of racing,
then changes rows, stamps a new version and appends one audit event in the same transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import chinese_calendar
from django.db import transaction
from django.utils import timezone

from onewindow.audit.actions import AuditAction
from onewindow.audit.services import SYSTEM, record
from onewindow.core.calendar import invalidate_cache
from onewindow.core.errors import Forbidden, ValidationFailed
from onewindow.core.models import CalendarDay, CalendarSource, CalendarVersion, CalendarYear, DayKind
from onewindow.core.roles import Role

# The package's own names are English ("National Day"), its Chinese ones abbreviated ("清明").
_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
}
_NAME_MAX_LENGTH = CalendarDay._meta.get_field("name").max_length
_DAY_FIELDS = ["is_workday", "kind", "name", "source", "updated_at"]

Row = tuple[date, bool, str, str]  # (date, is_workday, kind, name)


@dataclass(frozen=True)
class CalendarSyncResult:
    synced_years: list[int]
    unknown_years: list[int]  # requested, but the installed package has no schedule for them
    created: int = 0
    updated: int = 0
    kept_manual: int = 0  # days the package would set differently, kept because an admin set them
    changed_years: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.changed_years)


# --- helpers -------------------------------------------------------------------------------------


def require_calendar_admin(actor) -> None:
    if actor is SYSTEM:
        return
    if getattr(actor, "is_active", False) and (
        getattr(actor, "is_superuser", False) or getattr(actor, "role", None) == Role.COUNTY_ADMIN
    ):
        return
    raise Forbidden("只有县行政审批服务局管理员可以维护工作日历")


def _lock_calendar() -> CalendarVersion:
    version, _ = CalendarVersion.objects.select_for_update().get_or_create(pk=CalendarVersion.SINGLETON_ID)
    return version


def _stamp_new_version(version: CalendarVersion) -> None:
    version.stamp = uuid.uuid4()
    version.save(update_fields=["stamp", "changed_at"])
    # Drop our snapshot now (this transaction reads its own writes) and again after commit, in case
    # another thread of this process rebuilt it from the old rows in between.
    invalidate_cache()
    transaction.on_commit(invalidate_cache)


def classify(day: date, *, is_workday: bool, declared_holiday: bool) -> str:
    if is_workday:
        return DayKind.MAKEUP_WORKDAY if day.weekday() >= 5 else DayKind.WORKDAY
    if declared_holiday or day.weekday() < 5:
        return DayKind.HOLIDAY
    return DayKind.WEEKEND


def _days_of(year: int):
    day, last = date(year, 1, 1), date(year, 12, 31)
    while day <= last:
        yield day
        day += timedelta(days=1)


def _day_dict(day: CalendarDay | None) -> dict | None:
    if day is None:
        return None
    return {
        "date": day.date.isoformat(),
        "is_workday": day.is_workday,
        "kind": day.kind,
        "name": day.name,
        "source": day.source,
    }


def _write_rows(rows: list[Row], *, source: str, keep_manual: bool) -> tuple[int, int, int]:
    """Upserts the rows in bulk; returns (created, updated, kept_manual)."""
    existing = {d.date: d for d in CalendarDay.objects.filter(date__range=(rows[0][0], rows[-1][0]))}
    now = timezone.now()
    to_create, to_update, kept = [], [], 0
    for day, is_workday, kind, name in rows:
        wanted = (is_workday, kind, name, source)
        current = existing.get(day)
        if current is None:
            to_create.append(CalendarDay(date=day, is_workday=is_workday, kind=kind, name=name, source=source))
            continue
        if (current.is_workday, current.kind, current.name, current.source) == wanted:
            continue
        if keep_manual and current.source == CalendarSource.MANUAL:
            kept += 1
            continue
        current.is_workday, current.kind, current.name, current.source = wanted
        current.updated_at = now  # bulk_update skips auto_now
        to_update.append(current)
    CalendarDay.objects.bulk_create(to_create, batch_size=500)
    CalendarDay.objects.bulk_update(to_update, _DAY_FIELDS, batch_size=500)
    return len(to_create), len(to_update), kept


# --- chinese-calendar package --------------------------------------------------------------------


def package_years() -> range:
    """The years the installed chinese-calendar package has the State Council schedule for."""
    known = chinese_calendar.holidays.keys()
    return range(min(known).year, max(known).year + 1)


@cache
def _package_rows(year: int) -> tuple[Row, ...]:
    # The package data never changes within a process; tests seed the same years over and over.
    rows = []
    for day in _days_of(year):
        day_off, english_name = chinese_calendar.get_holiday_detail(day)
        name = _HOLIDAY_NAMES.get(english_name, english_name or "")
        kind = classify(day, is_workday=not day_off, declared_holiday=bool(english_name))
        rows.append((day, not day_off, kind, name[:_NAME_MAX_LENGTH]))
    return tuple(rows)


@transaction.atomic
def calendar_sync_from_package(*, actor, years: list[int] | None = None) -> CalendarSyncResult:
    """Writes every day of each requested year the package knows (default: all of them).

    Idempotent; days an admin set by hand are never overwritten; unknown years are reported, not guessed.
    """
    require_calendar_admin(actor)
    known = package_years()
    requested = sorted(set(known if years is None else years))
    synced = [y for y in requested if y in known]
    unknown = [y for y in requested if y not in known]
    version = _lock_calendar()
    created = updated = kept = 0
    changed_years = []
    for year in synced:
        c, u, k = _write_rows(list(_package_rows(year)), source=CalendarSource.PACKAGE, keep_manual=True)
        created, updated, kept = created + c, updated + u, kept + k
        year_row, year_changed = CalendarYear.objects.get_or_create(
            year=year, defaults={"source": CalendarSource.PACKAGE, "complete": True}
        )
        if not year_row.complete:
            year_row.complete = True
            year_row.save(update_fields=["complete", "updated_at"])
            year_changed = True
        if year_changed:
            changed_years.append(year)
    result = CalendarSyncResult(
        synced_years=synced,
        unknown_years=unknown,
        created=created,
        updated=updated,
        kept_manual=kept,
        changed_years=changed_years,
    )
    if result.changed:
        _stamp_new_version(version)
    record(
        actor=actor,
        action=AuditAction.CALENDAR_SYNCED,
        after={
            "synced_years": synced,
            "unknown_years": unknown,
            "created": created,
            "updated": updated,
            "kept_manual": kept,
        },
        summary=sync_summary(result),
    )
    return result


def _year_span(years: list[int]) -> str:
    if not years:
        return "无"
    if years == list(range(years[0], years[-1] + 1)) and len(years) > 1:
        return f"{years[0]}—{years[-1]}年"
    return "、".join(f"{y}年" for y in years)


def sync_summary(result: CalendarSyncResult) -> str:
    text = (
        f"同步法定节假日安排：{_year_span(result.synced_years)}，新增{result.created}天，"
        f"更新{result.updated}天，保留管理员调整{result.kept_manual}天"
    )
    if result.unknown_years:
        text += f"；节假日数据包尚无{_year_span(result.unknown_years)}的安排，需由管理员补录"
    return text


# --- manual maintenance by the county admin ------------------------------------------------------


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if len(name) > _NAME_MAX_LENGTH:
        raise ValidationFailed(fields={"name": f"名称不能超过{_NAME_MAX_LENGTH}个字"})
    return name


@transaction.atomic
def calendar_set_day(*, actor, day: date, is_workday: bool, name: str = "") -> CalendarDay:
    """Sets one day by hand (e.g. a temporary 调休 announced late); later package syncs keep it."""
    require_calendar_admin(actor)
    name = _clean_name(name)
    version = _lock_calendar()
    if not CalendarYear.objects.filter(year=day.year, complete=True).exists():
        raise ValidationFailed(
            f"{day.year}年的工作日历尚未建立，请先补录该年度的节假日安排", code="calendar.year_not_covered"
        )
    current = CalendarDay.objects.filter(date=day).first()
    before = _day_dict(current)
    kind = classify(day, is_workday=is_workday, declared_holiday=bool(name))
    target = current or CalendarDay(date=day)
    target.is_workday, target.kind, target.name, target.source = is_workday, kind, name, CalendarSource.MANUAL
    after = _day_dict(target)
    if before == after:
        return current
    target.save()
    _stamp_new_version(version)
    record(
        actor=actor,
        action=AuditAction.CALENDAR_DAY_SET,
        target=target,
        before=before,
        after=after,
        summary=f"将{day:%Y年%m月%d日}设为{target.get_kind_display()}{'（' + name + '）' if name else ''}",
    )
    return target


def validate_year_input(*, year: int, holidays: list[date], makeup_workdays: list[date], names: dict) -> None:
    """The checks calendar_add_year makes before writing; the admin form runs them to show field errors."""
    errors = {}
    if year in package_years():
        errors["year"] = f"{year}年的安排已由节假日数据包提供，请执行同步，个别日期请逐日调整"
    elif not 2000 <= year <= 2100:
        errors["year"] = "年度不正确"
    outside = [d for d in (*holidays, *makeup_workdays) if d.year != year]
    if outside:
        errors["dates"] = f"日期不在{year}年内：" + "、".join(d.isoformat() for d in outside)
    both = sorted(set(holidays) & set(makeup_workdays))
    if both:
        errors["makeup_workdays"] = "同一天不能既放假又调休上班：" + "、".join(d.isoformat() for d in both)
    weekdays = [d for d in makeup_workdays if d.weekday() < 5]
    if weekdays:
        errors["makeup_workdays"] = "调休上班日应为周六或周日：" + "、".join(d.isoformat() for d in weekdays)
    stray = [d for d in names if d not in set(holidays) | set(makeup_workdays)]
    if stray:
        errors["names"] = "名称只能填写给放假日或调休上班日：" + "、".join(str(d) for d in stray)
    too_long = [d for d, n in names.items() if len((n or "").strip()) > _NAME_MAX_LENGTH]
    if too_long:
        errors["names"] = f"名称不能超过{_NAME_MAX_LENGTH}个字"
    if errors:
        raise ValidationFailed(fields=errors)


@transaction.atomic
def calendar_add_year(
    *,
    actor,
    year: int,
    holidays: list[date],
    makeup_workdays: list[date],
    names: dict[date, str] | None = None,
) -> CalendarYear:
    """Enters a year the package does not know from the State Council notice: weekends and the given
    holidays off, the given 调休 days on. Replaces that year's days, so it also corrects an earlier entry."""
    require_calendar_admin(actor)
    names = names or {}
    validate_year_input(year=year, holidays=holidays, makeup_workdays=makeup_workdays, names=names)
    version = _lock_calendar()
    off, on = set(holidays), set(makeup_workdays)
    rows = []
    for day in _days_of(year):
        is_workday = day in on or (day.weekday() < 5 and day not in off)
        name = (names.get(day) or "").strip()
        kind = classify(day, is_workday=is_workday, declared_holiday=day in off)
        rows.append((day, is_workday, kind, name))
    before_year = CalendarYear.objects.filter(year=year).first()
    before = _year_dict(year) if before_year else None
    _write_rows(rows, source=CalendarSource.MANUAL, keep_manual=False)
    year_row, _ = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": CalendarSource.MANUAL, "complete": True}
    )
    _stamp_new_version(version)
    record(
        actor=actor,
        action=AuditAction.CALENDAR_DAY_SET,
        target=year_row,
        before=before,
        after=_year_dict(year),
        summary=f"补录{year}年工作日历：放假{len(off)}天，调休上班{len(on)}天",
    )
    return year_row


def _year_dict(year: int) -> dict:
    """A year as the admin entered it: the exceptions to 'weekdays on, weekends off'."""
    days = CalendarDay.objects.filter(date__year=year).order_by("date")
    return {
        "year": year,
        "holidays": [d.date.isoformat() for d in days if d.kind == DayKind.HOLIDAY],
        "makeup_workdays": [d.date.isoformat() for d in days if d.kind == DayKind.MAKEUP_WORKDAY],
        "names": {d.date.isoformat(): d.name for d in days if d.name},
    }
