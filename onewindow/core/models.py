"""Working-day calendar (工作日历): one row per date, the years it fully covers, a version stamp.

Rows are written only by onewindow.core.services.calendar; onewindow.core.calendar reads them
into an in-process snapshot, which the stamp tells it to rebuild.
"""

import uuid

from django.db import models


class DayKind(models.TextChoices):
    WORKDAY = "workday", "工作日"
    WEEKEND = "weekend", "周末"
    HOLIDAY = "holiday", "法定节假日"
    MAKEUP_WORKDAY = "makeup_workday", "调休上班"


class CalendarSource(models.TextChoices):
    PACKAGE = "package", "国务院节假日安排（数据包同步）"
    MANUAL = "manual", "管理员维护"


class CalendarDay(models.Model):
    date = models.DateField("日期", primary_key=True)
    is_workday = models.BooleanField("是否工作日")
    kind = models.CharField("类型", max_length=20, choices=DayKind.choices)
    name = models.CharField("节假日名称/备注", max_length=60, blank=True)
    source = models.CharField("来源", max_length=10, choices=CalendarSource.choices)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "工作日历"
        verbose_name_plural = "工作日历"
        ordering = ["date"]
        constraints = [
            # Makes "kind" and "is_workday" impossible to contradict each other, whoever writes.
            models.CheckConstraint(
                condition=(
                    models.Q(is_workday=True, kind__in=["workday", "makeup_workday"])
                    | models.Q(is_workday=False, kind__in=["weekend", "holiday"])
                ),
                name="core_calendarday_kind_matches_workday",
            ),
        ]

    def __str__(self):
        label = self.get_kind_display()
        return f"{self.date:%Y-%m-%d} {label}{'（' + self.name + '）' if self.name else ''}"


class CalendarYear(models.Model):
    """A year whose every day is in CalendarDay; only covered years answer deadline questions."""

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    source = models.CharField("来源", max_length=10, choices=CalendarSource.choices)
    complete = models.BooleanField("已完整维护", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "工作日历年度"
        verbose_name_plural = "工作日历年度"
        ordering = ["year"]

    def __str__(self):
        return f"{self.year}年"


class CalendarVersion(models.Model):
    """Single row (pk=1) whose stamp changes with every calendar change.

    A random stamp rather than a counter: a counter repeats after a rolled-back transaction, and a
    process holding a snapshot of the rolled-back state would then take it for current.
    """

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID)
    stamp = models.UUIDField("版本标识", default=uuid.uuid4)
    changed_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "工作日历版本"
        verbose_name_plural = "工作日历版本"

    def __str__(self):
        return f"{self.stamp} @ {self.changed_at:%Y-%m-%d %H:%M:%S}"


class Notification(models.Model):
    """An in-app message to a staff member (超时提醒, 催办, returned cases); shown on their home page."""

    user = models.ForeignKey("org.User", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("类型", max_length=30)
    title = models.CharField("标题", max_length=100)
    body = models.CharField("内容", max_length=500)
    url = models.CharField("链接", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at", "created_at"], name="notification_inbox")]

    def __str__(self):
        return self.title
