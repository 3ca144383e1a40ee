"""Service items (事项) and their versioned guides (办事指南).

An item is the stable identity (implementation code, owner); everything a citizen reads lives on a
GuideVersion. A published version is never edited: changing it makes a new draft that, once
published, retires the old one (动态调整). A case keeps the version it was accepted under.
"""

from django.conf import settings
from django.db import models

from onewindow.catalog.models.choices import (
    DelegationMode,
    GuideStatus,
    HandlingType,
    ItemKind,
    ItemSource,
    MaterialForm,
    MaterialSource,
    WindowCategory,
)
from onewindow.core.scoping import ScopedQuerySet, ScopeRule


class ServiceItemQuerySet(ScopedQuerySet):
    # Staff read the county-wide list and their own town's items; the public reads guides through
    # the public selectors (published versions in a town's published catalog only).
    scope_rule = ScopeRule(town="owner_town", county_level_visible=True)

    def in_service(self):
        return self.filter(current_guide__isnull=False)


class ServiceItem(models.Model):
    code = models.CharField("实施编码", max_length=64, unique=True)
    # NULL: an item of the county-wide list, adopted by towns; set: the town's own (特色) item.
    owner_town = models.ForeignKey(
        "org.Region",
        verbose_name="所属镇街（空为全县通用）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="own_items",
        limit_choices_to={"level": "town"},
    )
    current_guide = models.OneToOneField(
        "catalog.GuideVersion",
        verbose_name="现行指南",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Copied from the newest guide (published, else draft) so lists and search read one table.
    name = models.CharField("事项名称", max_length=200, editable=False)
    keywords = models.CharField("关键词", max_length=300, blank=True, editable=False)
    search_pinyin = models.TextField("拼音检索", blank=True, editable=False)
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    business_category = models.ForeignKey(
        "org.BusinessCategory", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ServiceItemQuerySet.as_manager()

    class Meta:
        verbose_name = "政务服务事项"
        verbose_name_plural = "政务服务事项"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class GuideVersion(models.Model):
    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField("版本号")
    status = models.CharField("状态", max_length=10, choices=GuideStatus.choices, default=GuideStatus.DRAFT)
    valid_from = models.DateField("生效日期", null=True, blank=True)
    valid_to = models.DateField("失效日期", null=True, blank=True)
    change_note = models.CharField("调整说明", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    # 基本信息
    name = models.CharField("事项名称", max_length=200)
    kind = models.CharField("事项类型", max_length=2, choices=ItemKind.choices)
    source = models.CharField("事项来源", max_length=20, choices=ItemSource.choices)
    delegation_mode = models.CharField("放权方式", max_length=20, choices=DelegationMode.choices, blank=True)
    source_department = models.ForeignKey(
        "org.Department",
        verbose_name="县直主管部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "county"},
    )
    exercise_levels = models.JSONField("行使层级", default=list)
    implementing_body = models.CharField("实施主体", max_length=120)
    accepting_unit = models.CharField("受理单位", max_length=120)
    # 时限（工作日）
    handling_type = models.CharField("办件类型", max_length=10, choices=HandlingType.choices)
    legal_limit_days = models.PositiveSmallIntegerField("法定办结时限（工作日）")
    promised_limit_days = models.PositiveSmallIntegerField("承诺办结时限（工作日）")
    # 条件、依据、流程
    conditions = models.TextField("受理条件")
    legal_basis = models.TextField("设定依据")
    process_steps = models.JSONField("办理流程", default=list)
    # 收费
    fee_free = models.BooleanField("不收费", default=True)
    fee_standard = models.CharField("收费标准", max_length=300, blank=True)
    fee_basis = models.CharField("收费依据", max_length=300, blank=True)
    # 结果
    result_name = models.CharField("办理结果名称", max_length=200)
    result_sample = models.FileField("结果样本", upload_to="catalog/results/", blank=True)
    # 结果公示: on the version, not the item, because the applicant is told under this version whether
    # their (masked) name and result will be published; the public page also requires the item's current
    # version to still say so, so turning it off hides old results at once.
    results_public = models.BooleanField("办理结果公示", default=False)
    # 地点、时间、电话
    place = models.CharField("办理地点", max_length=200)
    hours = models.CharField("办理时间", max_length=200)
    consult_phone = models.CharField("咨询电话", max_length=60)
    complaint_phone = models.CharField("监督投诉电话", max_length=60)
    # 服务方式
    visits_needed = models.PositiveSmallIntegerField("到现场次数", default=1)
    online_capable = models.BooleanField("可网上办理", default=False)
    proxy_capable = models.BooleanField("可帮办代办", default=False)
    window_category = models.CharField("窗口类别", max_length=20, choices=WindowCategory.choices)
    business_category = models.ForeignKey(
        "org.BusinessCategory",
        verbose_name="业务类别",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    keywords = models.CharField("关键词", max_length=300, blank=True)
    faq = models.JSONField("常见问题", default=list)

    class Meta:
        verbose_name = "办事指南版本"
        verbose_name_plural = "办事指南版本"
        ordering = ["item", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="guide_version_unique"),
            # One draft and one published version per item at a time.
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(status="draft"), name="guide_one_draft_per_item"
            ),
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(status="published"), name="guide_one_published_per_item"
            ),
            models.CheckConstraint(
                condition=models.Q(promised_limit_days__lte=models.F("legal_limit_days")),
                name="guide_promised_within_legal",
            ),
        ]

    def __str__(self):
        return f"{self.name} 第{self.version}版（{self.get_status_display()}）"

    @property
    def is_instant(self) -> bool:
        return self.handling_type == HandlingType.INSTANT

    @property
    def is_editable(self) -> bool:
        return self.status == GuideStatus.DRAFT


class GuideMaterial(models.Model):
    guide = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField("序号")
    name = models.CharField("材料名称", max_length=200)
    form = models.CharField("材料形式", max_length=20, choices=MaterialForm.choices)
    copies = models.PositiveSmallIntegerField("份数", default=1)
    source = models.CharField("材料来源", max_length=20, choices=MaterialSource.choices)
    required = models.BooleanField("必要材料", default=True)
    deficiency_allowed = models.BooleanField("可容缺", default=False)
    note = models.CharField("填报说明", max_length=300, blank=True)
    sample_file = models.FileField("样表（示范文本）", upload_to="catalog/forms/", blank=True)
    blank_file = models.FileField("空白表格", upload_to="catalog/forms/", blank=True)

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["guide", "position"]
        constraints = [models.UniqueConstraint(fields=["guide", "position"], name="material_position_unique")]

    def __str__(self):
        return self.name


class SpecialProcedure(models.Model):
    """特别程序 (公示、听证、鉴定、现场勘查…): its own limit, counted in the item's limit or not."""

    guide = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="special_procedures")
    position = models.PositiveSmallIntegerField("序号")
    name = models.CharField("特别程序名称", max_length=100)
    limit_days = models.PositiveSmallIntegerField("时限（工作日）")
    counted_in_limit = models.BooleanField("计入办结时限", default=False)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "特别程序"
        verbose_name_plural = "特别程序"
        ordering = ["guide", "position"]
        constraints = [models.UniqueConstraint(fields=["guide", "position"], name="procedure_position_unique")]

    def __str__(self):
        return self.name


class RouteStage(models.Model):
    """One stage of the back-office route. Departments are named by code and resolved in each town
    (a town's own 民政办 first, else the county department); several codes = joint, parallel review."""

    guide = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField("序号")
    name = models.CharField("环节名称", max_length=100)
    department_codes = models.JSONField("审批部门代码", default=list)
    limit_days = models.PositiveSmallIntegerField("环节时限（工作日）")

    class Meta:
        verbose_name = "后台审批环节"
        verbose_name_plural = "后台审批环节"
        ordering = ["guide", "position"]
        constraints = [models.UniqueConstraint(fields=["guide", "position"], name="stage_position_unique")]

    def __str__(self):
        return self.name

    @property
    def is_joint(self) -> bool:
        return len(self.department_codes) > 1
