"""How a center's hall is set up: ticket categories, which windows serve them in which order, opening hours
and the rules for the green channel and tidal windows."""

from django.db import models

from onewindow.core.scoping import ScopedQuerySet, ScopeRule


class HallQuerySet(ScopedQuerySet):
    scope_rule = ScopeRule(town="center__town")


class HallSettings(models.Model):
    """One per town center: opening sessions, recalls before a no-show, green-channel rules."""

    center = models.OneToOneField("org.ServiceCenter", on_delete=models.CASCADE, related_name="hall_settings")
    # [["08:30", "12:00"], ["13:30", "17:30"]] on working days (the calendar decides which days).
    sessions = models.JSONField("取号时段", default=list)
    recalls_before_no_show = models.PositiveSmallIntegerField("过号前呼叫次数", default=2)
    # Green channel (依法优先): which groups, and how they go ahead without starving everyone else.
    priority_kinds = models.JSONField("绿色通道对象", default=list)
    priority_ratio = models.PositiveSmallIntegerField("优先号连续叫号上限", default=2)
    max_normal_wait_minutes = models.PositiveSmallIntegerField("普通号最长等待（分钟）", default=30)

    objects = HallQuerySet.as_manager()

    class Meta:
        verbose_name = "大厅设置"
        verbose_name_plural = "大厅设置"

    def __str__(self):
        return f"{self.center.name}大厅设置"


class PriorityKind(models.TextChoices):
    ELDERLY = "elderly", "老年人"
    DISABLED = "disabled", "残疾人"
    MILITARY = "military", "军人、退役军人及优抚对象"
    PREGNANT = "pregnant", "孕妇"


class QueueCategory(models.Model):
    """A ticket category (取号类别): its number prefix and the business it covers."""

    center = models.ForeignKey("org.ServiceCenter", on_delete=models.CASCADE, related_name="queue_categories")
    code = models.SlugField("代码", max_length=30)
    name = models.CharField("名称", max_length=30)
    prefix = models.CharField("号码前缀", max_length=2)
    business_categories = models.ManyToManyField(
        "org.BusinessCategory", verbose_name="对应业务类别", blank=True, related_name="queue_categories"
    )
    is_open = models.BooleanField("开放取号", default=True)
    daily_limit = models.PositiveIntegerField("每日限号", default=0, help_text="0 表示不限")
    position = models.PositiveSmallIntegerField("排序", default=10)
    # Tidal window triggers (潮汐窗口) and the service target they are computed against.
    tidal_waiting_threshold = models.PositiveSmallIntegerField("潮汐预警：等候人数", default=15)
    tidal_wait_minutes_threshold = models.PositiveSmallIntegerField("潮汐预警：预计等候（分钟）", default=30)
    target_wait_minutes = models.PositiveSmallIntegerField("服务目标：等候不超过（分钟）", default=15)
    target_service_level = models.PositiveSmallIntegerField("服务目标：达标比例（%）", default=80)

    objects = HallQuerySet.as_manager()

    class Meta:
        verbose_name = "取号类别"
        verbose_name_plural = "取号类别"
        ordering = ["center", "position", "prefix"]
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="queue_category_code_unique"),
            models.UniqueConstraint(fields=["center", "prefix"], name="queue_category_prefix_unique"),
        ]

    def __str__(self):
        return f"{self.prefix} {self.name}"


class WindowQueue(models.Model):
    """A window's work profile: the categories it calls from, in order (first = its own business)."""

    window = models.ForeignKey("org.Window", on_delete=models.CASCADE, related_name="queues")
    category = models.ForeignKey(QueueCategory, on_delete=models.CASCADE, related_name="window_queues")
    position = models.PositiveSmallIntegerField("顺序", default=1)

    class Meta:
        verbose_name = "窗口叫号顺序"
        verbose_name_plural = "窗口叫号顺序"
        ordering = ["window", "position"]
        constraints = [models.UniqueConstraint(fields=["window", "category"], name="window_queue_unique")]

    def __str__(self):
        return f"{self.window} ← {self.category}"
