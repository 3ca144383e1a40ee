"""Regions (county → town/street → village/community) and the service centers that sit in them."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from onewindow.core.roles import ALL_ROLES
from onewindow.core.scoping import ScopedQuerySet, ScopeRule

region_code_validator = RegexValidator(r"^\d{12}$", "区划代码应为12位数字（统计用区划代码）")


class RegionQuerySet(ScopedQuerySet):
    # Regions are public reference data: every signed-in role reads the whole tree.
    scope_rule = ScopeRule(roles=ALL_ROLES, town=None)

    def towns(self):
        return self.filter(level=Region.Level.TOWN)

    def villages(self):
        return self.filter(level=Region.Level.VILLAGE)


class Region(models.Model):
    class Level(models.TextChoices):
        COUNTY = "county", "县（市、区）"
        TOWN = "town", "镇（街道、乡）"
        VILLAGE = "village", "村（社区）"

    code = models.CharField("区划代码", max_length=12, unique=True, validators=[region_code_validator])
    name = models.CharField("名称", max_length=50)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级区划", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # The town this region belongs to (itself for a town, its parent for a village, empty for the county):
    # stored so every scoped query filters on one indexed column.
    town = models.ForeignKey(
        "self",
        verbose_name="所属镇街",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    is_active = models.BooleanField("启用", default=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self):
        return self.name

    _PARENT_LEVEL = {Level.TOWN: Level.COUNTY, Level.VILLAGE: Level.TOWN}

    # 统计用区划代码: county xxxxxx000000, town xxxxxxTTT000 (TTT ≠ 000), village xxxxxxTTTVVV (VVV ≠ 000).
    _CODE_SHAPE = {
        Level.COUNTY: re.compile(r"^\d{6}0{6}$"),
        Level.TOWN: re.compile(r"^\d{6}(?!000)\d{3}000$"),
        Level.VILLAGE: re.compile(r"^\d{9}(?!000)\d{3}$"),
    }
    # How many leading digits a region shares with its parent.
    _PARENT_PREFIX = {Level.TOWN: 6, Level.VILLAGE: 9}

    def clean(self):
        if self.code and self.level and not self._CODE_SHAPE[self.level].match(self.code):
            raise ValidationError({"code": f"区划代码不符合{self.get_level_display()}的编码规则"})
        expected = self._PARENT_LEVEL.get(self.level)
        if expected is None:
            if self.parent_id:
                raise ValidationError({"parent": "县级区划不应有上级区划"})
            return
        if self.parent is None or self.parent.level != expected:
            raise ValidationError({"parent": f"{self.get_level_display()}的上级必须是{self.Level(expected).label}"})
        digits = self._PARENT_PREFIX[self.level]
        if self.code and self.code[:digits] != self.parent.code[:digits]:
            raise ValidationError({"code": "区划代码与上级区划代码不一致"})

    def derive_town(self):
        """The value `town` must hold; called by the service that saves the region."""
        if self.level == self.Level.TOWN:
            return self
        if self.level == self.Level.VILLAGE:
            return self.parent
        return None


class ServiceCenterQuerySet(ScopedQuerySet):
    # Centers and stations are public facts (name, address, hours); any role of the town reads them.
    scope_rule = ScopeRule(town="town")


class ServiceCenter(models.Model):
    """为民服务中心 (one per town) or 便民服务站 (one per village)."""

    class Kind(models.TextChoices):
        TOWN_CENTER = "town_center", "为民服务中心"
        VILLAGE_STATION = "village_station", "便民服务站"

    region = models.OneToOneField(Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="center")
    town = models.ForeignKey(
        Region, verbose_name="所属镇街", on_delete=models.PROTECT, related_name="+", editable=False
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    name = models.CharField("名称", max_length=80)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("咨询电话", max_length=40, blank=True)
    opening_hours = models.CharField("办公时间", max_length=200, blank=True, default="工作日 8:30-12:00, 13:30-17:30")
    is_active = models.BooleanField("启用", default=True)

    objects = ServiceCenterQuerySet.as_manager()

    class Meta:
        verbose_name = "服务中心/服务站"
        verbose_name_plural = "服务中心/服务站"
        ordering = ["region__code"]

    def __str__(self):
        return self.name

    def clean(self):
        expected = {self.Kind.TOWN_CENTER: Region.Level.TOWN, self.Kind.VILLAGE_STATION: Region.Level.VILLAGE}
        if self.region_id and self.kind and self.region.level != expected[self.kind]:
            raise ValidationError(
                {"region": f"{self.get_kind_display()}必须设在{Region.Level(expected[self.kind]).label}"}
            )
