"""What happened to a case, step by step (办件过程), and the notices it produced."""

from django.conf import settings
from django.db import models

from onewindow.cases.flow import Action, Status, Step


class CaseStep(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("环节", max_length=30, choices=Action.choices)
    step_code = models.PositiveSmallIntegerField("省平台环节代码", choices=Step.choices, null=True, blank=True)
    status_after = models.CharField("办理后状态", max_length=24, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField("办理人", max_length=100)
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opinion = models.TextField("意见", blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "办理过程"
        verbose_name_plural = "办理过程"
        ordering = ["case", "at", "pk"]

    def __str__(self):
        return f"{self.case_id} {self.get_action_display()}"


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", "受理通知书"
    REJECTION = "rejection", "不予受理通知书"
    CORRECTION = "correction", "补正材料通知书（一次性告知书）"
    DEFICIENCY = "deficiency", "容缺受理通知书"
    PLEDGE = "pledge", "容缺受理承诺书"
    TERMINATION = "termination", "终止办理通知书"
    DECISION = "decision", "办结通知书"
    DELIVERY_RECEIPT = "delivery_receipt", "送达回执"


class Notice(models.Model):
    """A notice as issued: its content is frozen in `content`, so a reprint says exactly what was handed out."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField("文书", max_length=20, choices=NoticeKind.choices)
    content = models.JSONField(default=dict)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("出具时间", auto_now_add=True)

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["case", "issued_at", "pk"]

    def __str__(self):
        return f"{self.case_id} {self.get_kind_display()}"


class DeadlineReminder(models.Model):
    """One 超时提醒 sent: the sweep claims (case, task, colour, day) before sending, so it sends once."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey("cases.ReviewTask", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "task", "state", "day"], name="reminder_once_per_day"),
            models.UniqueConstraint(
                fields=["case", "state", "day"],
                condition=models.Q(task__isnull=True),
                name="case_reminder_once_per_day",
            ),
        ]

    def __str__(self):
        return f"{self.case_id} {self.state} {self.day}"
