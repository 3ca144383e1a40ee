"""Ratings (好差评, 国办发〔2019〕51号, GB/T 39734-2020): five levels, indicator scores, reasons, one per service.

A rating is always given by the person served — never created on anyone's behalf, never defaulted to
5 stars for a service nobody rated. Its subject is the service it rates: a case's step (受理、办结/出件…) or
a hall ticket served at a window, with the window, the staff member, the item and the town copied on for the
figures. The database refuses a second rating of the same step or ticket (一次一评、一事一评).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from onewindow.core.fields import EncryptedTextField
from onewindow.core.scoping import ScopedQuerySet, ScopeRule


class Level(models.IntegerChoices):
    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    BASIC = 3, "基本满意"
    DISSATISFIED = 2, "不满意"
    VERY_DISSATISFIED = 1, "非常不满意"


BAD_LEVELS = frozenset({Level.DISSATISFIED, Level.VERY_DISSATISFIED})  # 差评
# 好评: everything that is not a 差评, as the national 好差评 figures count it (非常满意、满意、基本满意).
GOOD_LEVELS = frozenset({Level.VERY_SATISFIED, Level.SATISFIED, Level.BASIC})


class Mode(models.TextChoices):
    OFFLINE = "offline", "线下（窗口）服务"
    ONLINE = "online", "线上（网上）服务"


# The indicator sets of the national rules: offline services and online services are scored differently.
INDICATORS = {
    Mode.OFFLINE: (
        ("overall", "整体满意度"),
        ("efficiency", "服务效率"),
        ("level", "服务水平"),
        ("attitude", "服务态度"),
    ),
    Mode.ONLINE: (
        ("overall", "整体满意度"),
        ("efficiency", "办事效率"),
        ("guide_accuracy", "办事指南精确度"),
        ("convenience", "办事便捷度"),
        ("usability", "平台操作性"),
    ),
}


class Channel(models.TextChoices):
    PC = "pc", "电脑端（网站）"
    MOBILE = "mobile", "移动端（手机网页、微信）"
    QR = "qr", "扫描二维码"
    SMS = "sms", "短信链接"
    EVALUATOR = "evaluator", "窗口评价器（平板）"
    TERMINAL = "terminal", "其他自助终端"
    CARD = "card", "评议卡（工作人员录入）"
    CALLBACK = "callback", "回访"
    COMPLAINT_WINDOW = "complaint_window", "“吐槽找茬”窗口"


class RatingReason(models.Model):
    """A reason label offered for a level (configurable by the county; a 差评 needs at least one)."""

    level = models.PositiveSmallIntegerField("评价等级", choices=Level.choices)
    label = models.CharField("原因", max_length=60)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "评价原因选项"
        ordering = ["-level", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["level", "label"], name="rating_reason_unique_label")]

    def __str__(self):
        return f"{self.get_level_display()}：{self.label}"


class RatingQuerySet(ScopedQuerySet):
    scope_rule = ScopeRule(town="town")

    def bad(self):
        return self.filter(level__in=BAD_LEVELS)


class Rating(models.Model):
    town = models.ForeignKey("org.Region", verbose_name="镇街", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField("评价等级", choices=Level.choices)
    mode = models.CharField("服务类型", max_length=8, choices=Mode.choices)
    # {"overall": 5, "efficiency": 4, …}: the keys of INDICATORS[mode], each 1–5.
    indicators = models.JSONField("分项评分", default=dict, blank=True)
    reasons = models.JSONField("评价原因", default=list, blank=True)  # the labels as chosen, kept verbatim
    comment = models.TextField("评价内容", max_length=500, blank=True)
    channel = models.CharField("评价渠道", max_length=20, choices=Channel.choices)
    anonymous = models.BooleanField("匿名评价", default=False)
    rater_name = models.CharField("评价人", max_length=40, blank=True)
    rater_mobile = EncryptedTextField("评价人电话", blank=True, default="")
    rater_mobile_index = models.CharField(max_length=64, blank=True, default="", editable=False)
    # The subject: what was rated, and who and what it counts for.
    case = models.ForeignKey(
        "cases.Case", verbose_name="办件", null=True, blank=True, on_delete=models.PROTECT, related_name="ratings"
    )
    case_step = models.ForeignKey(
        "cases.CaseStep", verbose_name="办理环节", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ticket = models.ForeignKey(
        "hall.Ticket", verbose_name="取号", null=True, blank=True, on_delete=models.PROTECT, related_name="ratings"
    )
    window = models.ForeignKey(
        "org.Window", verbose_name="窗口", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="工作人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings_received",
    )
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name="事项", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department", verbose_name="责任部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    served_at = models.DateTimeField("服务时间")
    created_at = models.DateTimeField("评价时间", db_index=True)
    # A paper rating card or a follow-up call is typed in by staff: who typed it (the rating stays the citizen's).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings_entered",
    )

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "好差评"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_step"], condition=Q(case_step__isnull=False), name="rating_one_per_step"
            ),
            models.UniqueConstraint(fields=["ticket"], condition=Q(ticket__isnull=False), name="rating_one_per_ticket"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="rating_level_1_to_5"),
            models.CheckConstraint(
                condition=Q(case_step__isnull=False) | Q(ticket__isnull=False), name="rating_has_a_service"
            ),
        ]
        indexes = [
            models.Index(fields=["town", "created_at"], name="rating_town_time"),
            models.Index(fields=["staff", "created_at"], name="rating_staff_time"),
            models.Index(fields=["window", "created_at"], name="rating_window_time"),
        ]

    def __str__(self):
        return f"{self.get_level_display()}（{self.get_channel_display()}）"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS
