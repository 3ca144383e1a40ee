"""What follows the services besides ratings: output-window follow-up calls (满意度回访), complaints (吐槽找茬),
the problem ledger (堵点、难点、卡点) and micro-innovation proposals (微创新)."""

from django.conf import settings
from django.db import models

from onewindow.core.fields import EncryptedTextField
from onewindow.core.scoping import ScopedQuerySet, ScopeRule


class TownScoped(ScopedQuerySet):
    scope_rule = ScopeRule(town="town")


class FollowUp(models.Model):
    """出件窗口满意度回访: a call to the applicant of a delivered case."""

    case = models.ForeignKey("cases.Case", verbose_name="办件", on_delete=models.PROTECT, related_name="follow_ups")
    town = models.ForeignKey("org.Region", verbose_name="镇街", on_delete=models.PROTECT, related_name="+")
    called_at = models.DateTimeField("回访时间")
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="回访人", on_delete=models.PROTECT, related_name="+"
    )
    reached = models.BooleanField("接通")
    satisfaction = models.PositiveSmallIntegerField("满意度", null=True, blank=True)  # feedback.Level when reached
    problem = models.TextField("反映的问题", blank=True)
    note = models.TextField("备注", blank=True)

    objects = TownScoped.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "满意度回访"
        ordering = ["-called_at", "-pk"]
        indexes = [models.Index(fields=["town", "called_at"], name="followup_town_time")]

    def __str__(self):
        return f"回访 {self.case_id} {self.called_at:%Y-%m-%d}"


class ComplaintChannel(models.TextChoices):
    WEB = "web", "网上“吐槽找茬”"
    QR = "qr", "扫码“吐槽找茬”"
    WINDOW = "window", "“吐槽找茬”窗口"


class ComplaintStatus(models.TextChoices):
    """GB/T 36113: 受理 → 办理 → 答复 → 办结 → 回访评价."""

    ACCEPTED = "accepted", "已受理"
    HANDLING = "handling", "办理中"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"
    REVIEWED = "reviewed", "已回访评价"


class Complaint(models.Model):
    number = models.CharField("编号", max_length=24, unique=True)
    town = models.ForeignKey("org.Region", verbose_name="镇街", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField("渠道", max_length=10, choices=ComplaintChannel.choices)
    content = models.TextField("反映内容", max_length=2000)
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name="涉及事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    anonymous = models.BooleanField("匿名", default=False)
    name = models.CharField("姓名", max_length=40, blank=True)
    mobile = EncryptedTextField("联系电话", blank=True, default="")
    mobile_index = models.CharField(max_length=64, blank=True, default="", editable=False)
    status = models.CharField(
        "状态", max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.ACCEPTED, db_index=True
    )
    received_at = models.DateTimeField("受理时间")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="窗口登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField("办理期限")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handling_note = models.TextField("办理情况", blank=True)
    reply = models.TextField("答复内容", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    review_satisfaction = models.PositiveSmallIntegerField("回访满意度", null=True, blank=True)
    review_note = models.TextField("回访评价", blank=True)
    reviewed_at = models.DateTimeField("回访时间", null=True, blank=True)
    # The query code given to the complainant to follow it without an account (stored as a blind index only).
    query_code_index = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = TownScoped.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "吐槽找茬"
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return f"吐槽找茬 {self.number}"


class ComplaintSequence(models.Model):
    """The last complaint number issued in a town on a day; locked while a number is drawn (core.sequences)."""

    town = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["town", "day"], name="complaint_sequence_unique")]

    def __str__(self):
        return f"{self.town_id} {self.day} {self.last}"


class ProblemKind(models.TextChoices):
    BLOCKAGE = "blockage", "堵点"
    DIFFICULTY = "difficulty", "难点"
    BOTTLENECK = "bottleneck", "卡点"


class ProblemSource(models.TextChoices):
    RATING = "rating", "差评"
    FOLLOW_UP = "follow_up", "满意度回访"
    COMPLAINT = "complaint", "吐槽找茬"
    STAFF = "staff", "工作人员发现"


class ProblemStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "整改中"
    DONE = "done", "即知即改（已解决）"
    ESCALATED = "escalated", "已上报县局"


class ProblemEntry(models.Model):
    """A line of the 堵点、难点、卡点 ledger; the monthly 专项汇总 is made from these."""

    town = models.ForeignKey("org.Region", verbose_name="镇街", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=12, choices=ProblemKind.choices)
    source = models.CharField("来源", max_length=12, choices=ProblemSource.choices)
    rating = models.ForeignKey(
        "feedback.Rating", null=True, blank=True, on_delete=models.PROTECT, related_name="problems"
    )
    follow_up = models.ForeignKey(FollowUp, null=True, blank=True, on_delete=models.PROTECT, related_name="problems")
    complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="problems")
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name="涉及事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "org.Department", verbose_name="涉及部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField("问题描述", max_length=2000)
    status = models.CharField(
        "状态", max_length=12, choices=ProblemStatus.choices, default=ProblemStatus.IN_PROGRESS, db_index=True
    )
    measures = models.TextField("整改措施", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", db_index=True)
    resolved_at = models.DateTimeField("解决时间", null=True, blank=True)

    objects = TownScoped.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "堵点难点卡点台账"
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["town", "recorded_at"], name="problem_town_time")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.description[:20]}"


class ProposalArea(models.TextChoices):
    PROCESS = "process", "优化办事流程"
    SYSTEM = "system", "改进服务制度"
    SERVICE = "service", "提升服务水平"
    TIME_LIMIT = "time_limit", "缩短办结时限"
    STEPS = "steps", "精简办事环节"
    MATERIALS = "materials", "精简申报材料"


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    EVALUATING = "evaluating", "评估中"
    ADOPTED = "adopted", "已采纳"
    DECLINED = "declined", "未采纳"


class Proposal(models.Model):
    """微创新: a proposal from staff or a citizen; adopted ones are listed publicly and may be recognised."""

    town = models.ForeignKey(
        "org.Region", verbose_name="镇街", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    area = models.CharField("方向", max_length=12, choices=ProposalArea.choices)
    title = models.CharField("题目", max_length=100)
    content = models.TextField("内容", max_length=4000)
    proposer_name = models.CharField("提出人", max_length=40)
    proposer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提出人账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposer_citizen = models.ForeignKey(
        "citizens.Citizen", verbose_name="提出群众", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED, db_index=True
    )
    evaluation = models.TextField("评估意见", blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评估人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recognition = models.CharField("表彰激励", max_length=200, blank=True)
    submitted_at = models.DateTimeField("提交时间")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)

    objects = TownScoped.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "政务服务微创新"
        ordering = ["-submitted_at", "-pk"]

    def __str__(self):
        return self.title
