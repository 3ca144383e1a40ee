"""A case (办件): one application for one service item, from intake to the handed-out result."""

from django.conf import settings
from django.db import models

from onewindow.cases.flow import Status
from onewindow.core.fields import EncryptedTextField
from onewindow.core.pii import mask_credit_code, mask_id_number
from onewindow.core.roles import STAFF_ROLES, Role
from onewindow.core.scoping import ScopedQuerySet, ScopeRule, effective_role, scope_of


class ApplicantKind(models.TextChoices):
    PERSON = "person", "个人"
    ENTERPRISE = "enterprise", "企业或其他组织"


class Channel(models.TextChoices):
    WINDOW = "window", "窗口受理"
    ONLINE = "online", "网上申报"
    AGENT = "agent", "村级代办"
    KIOSK = "kiosk", "自助终端"
    DEPARTMENT = "department", "部门业务网络"


class Decision(models.TextChoices):
    APPROVED = "approved", "准予"
    DENIED = "denied", "不予"


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", "窗口领取"
    MAIL = "mail", "邮寄送达（EMS）"
    ELECTRONIC = "electronic", "电子送达"


class CaseQuerySet(ScopedQuerySet):
    # Town staff see their town's cases, an agent their village's; a reviewer only the cases that have a
    # review task for their department (their work, and nothing else of the town).
    scope_rule = ScopeRule(roles=STAFF_ROLES, town="town", village="village")  # devices never read cases

    def visible_to(self, actor):
        queryset = super().visible_to(actor)
        if effective_role(actor) == Role.REVIEWER:
            from onewindow.cases.models.tasks import ReviewTask

            tasks = ReviewTask.objects.filter(department_id=scope_of(actor).department_id)
            queryset = queryset.filter(pk__in=tasks.values("case_id"))
        return queryset


class Case(models.Model):
    number = models.CharField("办件编号", max_length=32, unique=True)
    query_code = EncryptedTextField("查询码")
    query_code_index = models.CharField(max_length=64, db_index=True, editable=False)
    item = models.ForeignKey("catalog.ServiceItem", verbose_name="事项", on_delete=models.PROTECT, related_name="+")
    guide = models.ForeignKey(
        "catalog.GuideVersion", verbose_name="办事指南版本", on_delete=models.PROTECT, related_name="cases"
    )
    town = models.ForeignKey("org.Region", verbose_name="镇街", on_delete=models.PROTECT, related_name="cases")
    center = models.ForeignKey("org.ServiceCenter", verbose_name="服务中心", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        "org.Region", verbose_name="村（社区）", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 申请人
    applicant_kind = models.CharField("申请人类型", max_length=12, choices=ApplicantKind.choices)
    applicant_name = models.CharField("申请人", max_length=100)
    applicant_id_number = EncryptedTextField("证件号码")
    applicant_id_index = models.CharField(max_length=64, db_index=True, editable=False)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = EncryptedTextField("联系电话")
    contact_phone_index = models.CharField(max_length=64, db_index=True, editable=False)
    address = models.CharField("联系地址", max_length=200, blank=True)
    request_summary = models.CharField("申请事由", max_length=300, blank=True)
    # 渠道与经办
    channel = models.CharField("申请渠道", max_length=12, choices=Channel.choices)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="代办员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接件人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 首问负责: the clerk who accepted stays the applicant's named contact to the end.
    contact_clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="首问负责人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 网上申报: the signed-in citizen who submitted it; their portal shows only cases linked here.
    citizen = models.ForeignKey(
        "citizens.Citizen",
        verbose_name="网上申报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    ticket = models.ForeignKey(
        "hall.Ticket", verbose_name="排队号", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True, editable=False)
    # 状态与时限
    status = models.CharField("状态", max_length=24, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    suspended_from = models.CharField(max_length=24, choices=Status.choices, blank=True, editable=False)
    submitted_at = models.DateTimeField("接件时间", null=True, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    deadline = models.DateField("办结期限", null=True, blank=True, db_index=True)
    suspended_on = models.DateField("特别程序开始日期", null=True, blank=True)
    suspended_days = models.PositiveSmallIntegerField("特别程序工作日", default=0)
    extended_days = models.PositiveSmallIntegerField("延期工作日", default=0)
    deficiency_due = models.DateField("容缺材料补交期限", null=True, blank=True)
    # 办结与出件
    decision = models.CharField("办理结果", max_length=10, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    decision_opinion = models.TextField("办结意见", blank=True)
    certificate_number = models.CharField("证照/文书编号", max_length=80, blank=True)
    delivery_method = models.CharField("送达方式", max_length=12, choices=DeliveryMethod.choices, blank=True)
    tracking_number = models.CharField("邮件号", max_length=40, blank=True)
    delivered_at = models.DateTimeField("出件时间", null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="出件人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient_name = models.CharField("领取人", max_length=50, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["town", "status", "deadline"], name="case_town_status_deadline"),
            models.Index(fields=["town", "created_at"], name="case_town_created"),
            # 结果公示: a town's approved results by month.
            models.Index(
                fields=["town", "decided_at"],
                condition=models.Q(decision="approved"),
                name="case_town_approved_decided",
            ),
            # Measured at 1M cases (bench/README.md): 'my intake today', the county's open deadlines, open 容缺.
            # The partial conditions must match the selectors' filters or PostgreSQL will not use them.
            models.Index(fields=["created_by", "submitted_at"], name="case_creator_submitted"),
            models.Index(
                fields=["deadline", "id"],
                condition=models.Q(status__in=["accepted", "in_review", "returned"]),
                name="case_open_deadline",
            ),
            models.Index(
                fields=["town", "deadline", "id"],
                condition=models.Q(deficiency_due__isnull=False)
                & ~models.Q(status__in=["delivered", "terminated", "revoked"]),
                name="case_deficiency_open",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def applicant_id_masked(self) -> str:
        if self.applicant_kind == ApplicantKind.ENTERPRISE:
            return mask_credit_code(self.applicant_id_number)
        return mask_id_number(self.applicant_id_number)


class MaterialState(models.TextChoices):
    RECEIVED = "received", "已收取"
    DEFICIENT = "deficient", "容缺后补"
    MISSING = "missing", "缺少"
    NOT_APPLICABLE = "not_applicable", "不适用"


class CaseMaterial(models.Model):
    """One line of the item's materials checklist as it stood for this case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    guide_material = models.ForeignKey(
        "catalog.GuideMaterial", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField("序号")
    name = models.CharField("材料名称", max_length=200)
    required = models.BooleanField("必要材料", default=True)
    deficiency_allowed = models.BooleanField("可容缺", default=False)
    state = models.CharField("收取情况", max_length=16, choices=MaterialState.choices)
    problem = models.CharField("存在问题", max_length=300, blank=True)
    received_at = models.DateTimeField("收取时间", null=True, blank=True)

    class Meta:
        verbose_name = "办件材料"
        verbose_name_plural = "办件材料"
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "position"], name="case_material_position_unique")]

    def __str__(self):
        return self.name


class Attachment(models.Model):
    """An uploaded file, kept in private storage (outside the web root) and served only through a scoped view."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    material = models.ForeignKey(
        CaseMaterial, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    storage_name = models.CharField(max_length=200, editable=False)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["case", "uploaded_at"]

    def __str__(self):
        return self.original_name


class CaseSequence(models.Model):
    """The last case number issued in a town on a day; the row is locked while a number is drawn."""

    town = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["town", "day"], name="case_sequence_unique")]

    def __str__(self):
        return f"{self.town_id} {self.day} {self.last}"
