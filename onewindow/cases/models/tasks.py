"""Back-office review tasks: one per department of each route stage (a joint stage runs in parallel)."""

from django.conf import settings
from django.db import models

from onewindow.core.roles import STAFF_ROLES
from onewindow.core.scoping import ScopedQuerySet, ScopeRule


class TaskStatus(models.TextChoices):
    WAITING = "waiting", "待前序环节"
    PENDING = "pending", "待审批"
    APPROVED = "approved", "同意"
    RETURNED = "returned", "退回前台"
    DENIED = "denied", "不同意"
    CANCELLED = "cancelled", "已取消"


class ReviewTaskQuerySet(ScopedQuerySet):
    scope_rule = ScopeRule(roles=STAFF_ROLES, town="case__town", department="department")

    def open(self):
        return self.filter(status=TaskStatus.PENDING)


class ReviewTask(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tasks")
    stage_position = models.PositiveSmallIntegerField("环节序号")
    stage_name = models.CharField("环节名称", max_length=100)
    round = models.PositiveSmallIntegerField("轮次", default=1)
    department = models.ForeignKey(
        "org.Department", verbose_name="审批部门", on_delete=models.PROTECT, related_name="review_tasks"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField("状态", max_length=12, choices=TaskStatus.choices, db_index=True)
    limit_days = models.PositiveSmallIntegerField("环节时限（工作日）")
    started_on = models.DateField("开始日期", null=True, blank=True)
    due_on = models.DateField("环节期限", null=True, blank=True, db_index=True)
    opinion = models.TextField("审批意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewTaskQuerySet.as_manager()

    class Meta:
        verbose_name = "审批任务"
        verbose_name_plural = "审批任务"
        ordering = ["case", "round", "stage_position", "department_id"]
        indexes = [models.Index(fields=["department", "status", "due_on"], name="task_dept_status_due")]

    def __str__(self):
        return f"{self.case.number} · {self.stage_name} · {self.department.name}"
