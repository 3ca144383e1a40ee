"""Working-day calendar screens: the county admin corrects single days and enters years the holiday
package does not know yet. Every save goes through the calendar services (validated, audited,
version stamped); nothing is deleted here.
"""

import re
from datetime import date, timedelta

from django import forms
from django.contrib import admin, messages

from onewindow.core.errors import DomainError
from onewindow.core.models import CalendarDay, CalendarYear
from onewindow.core.roles import ADMIN_SITE_ROLES, Role
from onewindow.core.services import calendar as calendar_services

_WEEKDAYS = "一二三四五六日"


def _may_view(request) -> bool:
    user = request.user
    return user.is_active and (user.is_superuser or getattr(user, "role", None) in ADMIN_SITE_ROLES)


def _may_change(request) -> bool:
    user = request.user
    return user.is_active and (user.is_superuser or getattr(user, "role", None) == Role.COUNTY_ADMIN)


class CalendarAdminBase(admin.ModelAdmin):
    """Directors may look (their deadlines depend on it); only the county admin changes it."""

    def has_module_permission(self, request):
        return _may_view(request)

    def has_view_permission(self, request, obj=None):
        return _may_view(request)

    def has_add_permission(self, request):
        return _may_change(request)

    def has_change_permission(self, request, obj=None):
        return _may_change(request)

    def has_delete_permission(self, request, obj=None):
        return False  # a missing day would make the whole year unusable; set it instead


class YearFilter(admin.SimpleListFilter):
    title = "年度"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = CalendarYear.objects.order_by("-year").values_list("year", flat=True)
        return [(str(y), f"{y}年") for y in years]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(date__year=int(value)) if value and value.isdigit() else queryset


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "name"]
        help_texts = {
            "is_workday": "勾选表示当天上班（含调休上班）；不勾选表示放假",
            "name": "如“国庆节”“春节调休”，可留空",
        }

    def clean(self):
        data = super().clean()
        day = data.get("date") or self.instance.date
        if day and not CalendarYear.objects.filter(year=day.year, complete=True).exists():
            raise forms.ValidationError(f"{day.year}年的工作日历尚未建立，请先在“工作日历年度”中补录该年度")
        return data

    def validate_unique(self):
        pass  # a day that exists is simply set again by the service


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarAdminBase):
    form = CalendarDayForm
    list_display = ["date", "weekday", "is_workday", "kind", "name", "source", "updated_at"]
    list_filter = [YearFilter, "kind", "is_workday", "source"]
    search_fields = ["name"]
    date_hierarchy = "date"
    list_per_page = 100
    readonly_fields = ["kind", "source", "updated_at"]

    @admin.display(description="星期")
    def weekday(self, obj):
        return f"星期{_WEEKDAYS[obj.date.weekday()]}"

    def get_readonly_fields(self, request, obj=None):
        # The date is the key: changing it would move the row, not correct it.
        return [*self.readonly_fields, "date"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        calendar_services.calendar_set_day(actor=request.user, day=obj.date, is_workday=obj.is_workday, name=obj.name)

    def save_related(self, request, form, formsets, change):
        pass


_LINE = re.compile(
    r"^(?P<start>\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:至|到|~|～|—)\s*(?P<end>\d{4}-\d{1,2}-\d{1,2}))?\s*(?P<name>.*)$"
)


def parse_day_lines(text: str) -> dict[date, str]:
    """'2027-10-01 至 2027-10-07 国庆节' or '2027-09-26 国庆节调休', one per line → {day: name}."""
    days: dict[date, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _LINE.match(line)
        try:
            start = date.fromisoformat(_pad(match["start"])) if match else None
            end = date.fromisoformat(_pad(match["end"])) if match and match["end"] else start
        except ValueError:
            start = None
        if start is None or end < start or (end - start).days > 31:
            raise forms.ValidationError(f"第{number}行格式不正确：{line}（示例：2027-10-01 至 2027-10-07 国庆节）")
        day = start
        while day <= end:
            days[day] = match["name"].strip()
            day += timedelta(days=1)
    return days


def _pad(text: str) -> str:
    year, month, day = text.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


class CalendarYearForm(forms.ModelForm):
    holidays = forms.CharField(
        label="放假日期",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="按国务院办公厅通知逐行填写，如“2027-10-01 至 2027-10-07 国庆节”；周末不必填写",
    )
    makeup_workdays = forms.CharField(
        label="调休上班日期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="周六或周日上班的日期，如“2027-09-26 国庆节调休”",
    )

    class Meta:
        model = CalendarYear
        fields = ["year"]

    def clean(self):
        data = super().clean()
        holidays = parse_day_lines(data.get("holidays", ""))
        makeup = parse_day_lines(data.get("makeup_workdays", ""))
        names = {d: n for d, n in (*holidays.items(), *makeup.items()) if n}
        if data.get("year"):
            try:
                calendar_services.validate_year_input(
                    year=data["year"], holidays=list(holidays), makeup_workdays=list(makeup), names=names
                )
            except DomainError as exc:
                raise forms.ValidationError(["；".join(exc.fields.values()) or exc.message]) from exc
        data.update(holiday_days=list(holidays), makeup_days=list(makeup), names=names)
        return data

    def validate_unique(self):
        pass  # entering a year again replaces it


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarAdminBase):
    form = CalendarYearForm
    list_display = ["year", "source", "complete", "updated_at"]
    actions = ["sync_from_package"]

    def has_change_permission(self, request, obj=None):
        return False  # single days are corrected in 工作日历; a year is entered again through 增加

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        calendar_services.calendar_add_year(
            actor=request.user,
            year=obj.year,
            holidays=data["holiday_days"],
            makeup_workdays=data["makeup_days"],
            names=data["names"],
        )

    def save_related(self, request, form, formsets, change):
        pass

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not _may_change(request):
            actions.pop("sync_from_package", None)
        return actions

    @admin.action(description="从节假日数据包重新同步所选年度")
    def sync_from_package(self, request, queryset):
        years = list(queryset.values_list("year", flat=True))
        try:
            result = calendar_services.calendar_sync_from_package(actor=request.user, years=years)
        except DomainError as exc:
            messages.error(request, exc.message)
            return
        level = messages.WARNING if result.unknown_years else messages.SUCCESS
        messages.add_message(request, level, calendar_services.sync_summary(result))
