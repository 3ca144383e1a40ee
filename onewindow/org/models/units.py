"""Departments, business categories and the windows of a service center."""

from django.core.exceptions import ValidationError
from django.db import models

from onewindow.core.scoping import ScopedQuerySet, ScopeRule


class BusinessCategory(models.Model):
    """业务类别 a window serves (医保, 社保, 退役军人优抚 …); county-wide reference data."""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=40, unique=True)
    is_high_frequency = models.BooleanField("高频事项类别", default=False)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "业务类别"
        verbose_name_plural = "业务类别"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class DepartmentQuerySet(ScopedQuerySet):
    # A reviewer is bound to a department, but may see the other departments of the town (to route
    # and to consult); county departments (town NULL) are visible to every town.
    scope_rule = ScopeRule(town="town", county_level_visible=True)


class Department(models.Model):
    class Kind(models.TextChoices):
        COUNTY = "county", "县直部门"
        TOWN = "town", "镇直部门"
        STATIONED = "stationed", "县直部门进驻"

    name = models.CharField("名称", max_length=80)
    code = models.SlugField("代码", max_length=40)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    town = models.ForeignKey(
        "org.Region",
        verbose_name="所属镇街",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
        limit_choices_to={"level": "town"},
    )
    county_department = models.ForeignKey(
        "self",
        verbose_name="派出县直部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stationed_units",
        limit_choices_to={"kind": "county"},
    )
    phone = models.CharField("联系电话", max_length=40, blank=True)
    is_active = models.BooleanField("启用", default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["town__code", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["town", "code"], name="department_code_unique_in_town"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(town__isnull=True), name="county_department_code_unique"
            ),
        ]

    def __str__(self):
        return self.name if self.town_id is None else f"{self.town.name}·{self.name}"

    def clean(self):
        if self.kind == self.Kind.COUNTY and self.town_id:
            raise ValidationError({"town": "县直部门不属于任何镇街"})
        if self.kind != self.Kind.COUNTY and not self.town_id:
            raise ValidationError({"town": "镇直部门和进驻部门必须选择所属镇街"})
        if self.kind == self.Kind.STATIONED and not self.county_department_id:
            raise ValidationError({"county_department": "进驻部门须注明派出的县直部门"})


class WindowQuerySet(ScopedQuerySet):
    scope_rule = ScopeRule(town="town")


class Window(models.Model):
    class Kind(models.TextChoices):
        HIGH_FREQUENCY = "high_frequency", "高频事项窗口"
        COMPREHENSIVE = "comprehensive", "综合受理窗口"
        TIDAL = "tidal", "潮汐窗口"
        CONSULTATION = "consultation", "咨询窗口"
        OUTPUT = "output", "出件窗口"

    center = models.ForeignKey(
        "org.ServiceCenter",
        verbose_name="服务中心",
        on_delete=models.PROTECT,
        related_name="windows",
        limit_choices_to={"kind": "town_center"},
    )
    town = models.ForeignKey(
        "org.Region", verbose_name="所属镇街", on_delete=models.PROTECT, related_name="+", editable=False
    )
    number = models.PositiveSmallIntegerField("窗口号")
    name = models.CharField("窗口名称", max_length=60)
    kind = models.CharField("窗口类型", max_length=20, choices=Kind.choices)
    categories = models.ManyToManyField(BusinessCategory, verbose_name="服务类别", blank=True, related_name="windows")
    is_open = models.BooleanField("是否开放", default=True)

    objects = WindowQuerySet.as_manager()

    class Meta:
        verbose_name = "窗口"
        verbose_name_plural = "窗口"
        ordering = ["town__code", "number"]
        constraints = [models.UniqueConstraint(fields=["center", "number"], name="window_number_unique_in_center")]

    def __str__(self):
        return f"{self.number}号窗口（{self.name}）"
