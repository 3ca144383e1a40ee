"""差评整改 (谁办理、谁负责): every bad rating opens a rectification for the unit responsible for the service.

verifying ─callback→ valid ─→ rectifying ─(fixed now | by deadline | explained)→ replying ─reply→ closed
          └─ appeal (申诉复核) ─county approves→ invalid (closed, not counted against the unit)
                                └─county refuses→ back to valid
The clock of a 限期整改 runs in working days (default 5, configurable); an extension needs the county's approval.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from onewindow.core.scoping import ScopedQuerySet, ScopeRule


class RectificationStatus(models.TextChoices):
    VERIFYING = "verifying", "待核实（回访）"
    APPEALING = "appealing", "申诉复核中"
    RECTIFYING = "rectifying", "整改中"
    REPLYING = "replying", "待答复评价人"
    CLOSED = "closed", "已办结"
    INVALID = "invalid", "核实无效（申诉通过）"


class Outcome(models.TextChoices):
    FIXED_NOW = "fixed_now", "立行立改"
    BY_DEADLINE = "by_deadline", "限期整改"
    EXPLAINED = "explained", "解释说明"


def overdue_q(today: date) -> Q:
    """A 限期整改 not done by its deadline (已超期) — the one rule the lists, the page and the sweep share."""
    return Q(
        status=RectificationStatus.RECTIFYING,
        outcome=Outcome.BY_DEADLINE,
        rectified_at__isnull=True,
        deadline__lt=today,
    )


class RectificationQuerySet(ScopedQuerySet):
    scope_rule = ScopeRule(town="town", department="department")

    def open(self):
        return self.exclude(status__in=[RectificationStatus.CLOSED, RectificationStatus.INVALID])

    def overdue(self, today: date):
        return self.filter(overdue_q(today))


class Rectification(models.Model):
    rating = models.OneToOneField("feedback.Rating", on_delete=models.PROTECT, related_name="rectification")
    town = models.ForeignKey("org.Region", verbose_name="镇街", on_delete=models.PROTECT, related_name="+")
    # 谁办理、谁负责: the department of the step rated, else the town's center (department empty).
    department = models.ForeignKey(
        "org.Department", verbose_name="责任部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsible_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=12, choices=RectificationStatus.choices, default=RectificationStatus.VERIFYING, db_index=True
    )
    outcome = models.CharField("整改方式", max_length=12, choices=Outcome.choices, blank=True)
    measures = models.TextField("整改措施 / 解释说明", blank=True)
    deadline = models.DateField("整改期限", null=True, blank=True, db_index=True)
    rectified_at = models.DateTimeField("整改完成时间", null=True, blank=True)
    reply = models.TextField("答复评价人", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    opened_at = models.DateTimeField("生成时间")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    overdue_alerted_on = models.DateField("超期提醒日期", null=True, blank=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "差评整改"
        ordering = ["-opened_at", "-pk"]

    def __str__(self):
        return f"差评整改 #{self.pk}（{self.get_status_display()}）"

    def is_overdue_on(self, today: date) -> bool:
        """overdue_q for one row already loaded."""
        return (
            self.status == RectificationStatus.RECTIFYING
            and self.outcome == Outcome.BY_DEADLINE
            and self.rectified_at is None
            and self.deadline is not None
            and self.deadline < today
        )


class Callback(models.Model):
    """One call-back (回访) to the rater about the bad rating: reached or not, and what was found."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="callbacks")
    called_at = models.DateTimeField("回访时间")
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="回访人", on_delete=models.PROTECT, related_name="+"
    )
    reached = models.BooleanField("联系上评价人")
    valid = models.BooleanField("差评属实", null=True, blank=True)
    summary = models.TextField("回访情况")

    class Meta:
        verbose_name = verbose_name_plural = "差评回访记录"
        ordering = ["called_at", "pk"]

    def __str__(self):
        return f"回访 {self.called_at:%Y-%m-%d %H:%M}"


class ReviewKind(models.TextChoices):
    APPEAL = "appeal", "申诉复核"
    EXTENSION = "extension", "延期申请"


class ReviewState(models.TextChoices):
    PENDING = "pending", "待县局审核"
    APPROVED = "approved", "已同意"
    REFUSED = "refused", "不同意"


class CountyReview(models.Model):
    """What the county decides on: an appeal that a 差评 is invalid, or an extension of the deadline."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField("类型", max_length=10, choices=ReviewKind.choices)
    reason = models.TextField("理由")
    extra_days = models.PositiveSmallIntegerField("延期工作日", null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间")
    state = models.CharField("审核结果", max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    opinion = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "申诉与延期审核"
        ordering = ["requested_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.get_state_display()}）"
