"""Tickets (取号), their daily sequences, appointments, and the tidal-window log."""

from django.conf import settings
from django.db import models

from onewindow.core.fields import EncryptedTextField
from onewindow.core.scoping import ScopedQuerySet, ScopeRule


class TicketStatus(models.TextChoices):
    WAITING = "waiting", "等候中"
    CALLED = "called", "已叫号"
    SERVING = "serving", "办理中"
    HELD = "held", "暂挂"
    DONE = "done", "已办结"
    NO_SHOW = "no_show", "过号"
    TRANSFERRED = "transferred", "已转移"
    CANCELLED = "cancelled", "已取消"


class TicketSource(models.TextChoices):
    KIOSK = "kiosk", "自助取号机"
    MOBILE = "mobile", "手机扫码取号"
    APPOINTMENT = "appointment", "预约签到"
    WINDOW = "window", "窗口代取"


class TicketQuerySet(ScopedQuerySet):
    scope_rule = ScopeRule(town="center__town")

    def waiting(self):
        return self.filter(status=TicketStatus.WAITING)


class Ticket(models.Model):
    center = models.ForeignKey("org.ServiceCenter", on_delete=models.PROTECT, related_name="tickets")
    category = models.ForeignKey("hall.QueueCategory", on_delete=models.PROTECT, related_name="tickets")
    day = models.DateField("日期")
    sequence = models.PositiveIntegerField("序号")
    number = models.CharField("号码", max_length=8)
    priority = models.CharField("绿色通道", max_length=12, blank=True)
    source = models.CharField("取号方式", max_length=12, choices=TicketSource.choices)
    status = models.CharField("状态", max_length=12, choices=TicketStatus.choices, default=TicketStatus.WAITING)
    # When the person arrived; a transfer keeps it, so nobody loses their place by being sent elsewhere.
    arrived_at = models.DateTimeField("到达时间")
    issued_at = models.DateTimeField("取号时间", auto_now_add=True)
    called_at = models.DateTimeField("叫号时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    window = models.ForeignKey("org.Window", null=True, blank=True, on_delete=models.PROTECT, related_name="tickets")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recalls = models.PositiveSmallIntegerField("重呼次数", default=0)
    # What the ticket told the person when it was issued, kept to measure the estimate against reality.
    estimated_wait_seconds = models.PositiveIntegerField("预计等候（秒）", null=True, blank=True)
    transferred_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    id_index = models.CharField(max_length=64, blank=True, editable=False)
    # Opaque token in the ticket's QR code: the phone follows its position without logging in.
    follow_token = models.CharField(max_length=32, unique=True, editable=False)
    appointment = models.OneToOneField(
        "hall.Appointment", null=True, blank=True, on_delete=models.PROTECT, related_name="ticket"
    )

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = "排队号"
        verbose_name_plural = "排队号"
        ordering = ["center", "day", "arrived_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "day", "category", "sequence"], name="ticket_sequence_unique"),
        ]
        indexes = [
            models.Index(fields=["center", "day", "status", "category"], name="ticket_queue"),
            models.Index(fields=["window", "status"], name="ticket_window_status"),
            # call_next's green-channel streak looks at a window's last few calls.
            models.Index(fields=["window", "-called_at"], name="ticket_window_called"),
        ]

    def __str__(self):
        return self.number

    @property
    def wait_seconds(self) -> float | None:
        if self.called_at is None:
            return None
        return (self.called_at - self.arrived_at).total_seconds()

    @property
    def service_seconds(self) -> float | None:
        if self.called_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.called_at).total_seconds()


class TicketSequence(models.Model):
    """The last number drawn per category and day: numbers restart every day, history stays in Ticket."""

    category = models.ForeignKey("hall.QueueCategory", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "day"], name="ticket_day_sequence_unique")]

    def __str__(self):
        return f"{self.category_id} {self.day} {self.last}"


class AppointmentSlot(models.Model):
    category = models.ForeignKey("hall.QueueCategory", on_delete=models.CASCADE, related_name="slots")
    day = models.DateField("日期")
    start = models.TimeField("开始")
    end = models.TimeField("结束")
    quota = models.PositiveSmallIntegerField("名额")
    booked = models.PositiveSmallIntegerField("已约", default=0)

    class Meta:
        verbose_name = "预约时段"
        verbose_name_plural = "预约时段"
        ordering = ["category", "day", "start"]
        constraints = [models.UniqueConstraint(fields=["category", "day", "start"], name="slot_unique")]

    def __str__(self):
        return f"{self.category} {self.day} {self.start:%H:%M}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "已预约"
    CANCELLED = "cancelled", "已取消"
    CHECKED_IN = "checked_in", "已签到"


class Appointment(models.Model):
    slot = models.ForeignKey(AppointmentSlot, on_delete=models.PROTECT, related_name="appointments")
    name = models.CharField("姓名", max_length=50)
    phone = EncryptedTextField("手机号码")
    phone_index = models.CharField(max_length=64, db_index=True, editable=False)
    code = models.CharField("预约码", max_length=8, unique=True)
    status = models.CharField(
        "状态", max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "预约"
        verbose_name_plural = "预约"
        ordering = ["slot", "created_at"]

    def __str__(self):
        return self.code


class TidalEvent(models.Model):
    """Every opening and closing of a tidal window, with the recommendation that prompted it."""

    window = models.ForeignKey("org.Window", on_delete=models.PROTECT, related_name="tidal_events")
    category = models.ForeignKey(
        "hall.QueueCategory", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField("开启时间")
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "潮汐窗口记录"
        verbose_name_plural = "潮汐窗口记录"
        ordering = ["-opened_at"]

    def __str__(self):
        return f"{self.window} {self.opened_at:%Y-%m-%d %H:%M}"
