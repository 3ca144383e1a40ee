"""Staff accounts: one role each, bound to the scope the role needs (town, department, village)."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from onewindow.core.fields import EncryptedTextField
from onewindow.core.roles import Role
from onewindow.core.scoping import ScopedQuerySet, ScopeRule


class StaffQuerySet(ScopedQuerySet):
    # Staff lists are for the people who assign work and supervise it.
    scope_rule = ScopeRule(
        roles=frozenset({Role.COUNTY_ADMIN, Role.CENTER_DIRECTOR, Role.COORDINATOR, Role.SUPERVISOR}),
        town="town",
    )


class StaffManager(UserManager.from_queryset(StaffQuerySet)):
    pass


# What each role must be bound to; anything else must be empty.
ROLE_BINDINGS = {
    Role.COUNTY_ADMIN: frozenset(),
    Role.CENTER_DIRECTOR: frozenset({"town"}),
    Role.FRONT_CLERK: frozenset({"town"}),
    Role.CONSULT_CLERK: frozenset({"town"}),
    Role.REVIEWER: frozenset({"town", "department"}),
    Role.COORDINATOR: frozenset({"town"}),
    Role.OUTPUT_CLERK: frozenset({"town"}),
    Role.AGENT: frozenset({"town", "village"}),
    Role.DEVICE: frozenset({"town"}),
}
# A supervisor may watch the county (no binding), a town, or a village.
OPTIONAL_BINDINGS = {Role.SUPERVISOR: frozenset({"town", "village"})}


class User(AbstractUser):
    name = models.CharField("姓名", max_length=40, blank=True)
    # For 超时提醒 by text message; encrypted at rest like every phone number.
    mobile = EncryptedTextField("手机号码", blank=True, default="")
    role = models.CharField("角色", max_length=20, choices=Role.choices, blank=True)
    town = models.ForeignKey(
        "org.Region",
        verbose_name="所属镇街",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        limit_choices_to={"level": "town"},
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name="所属部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    village = models.ForeignKey(
        "org.Region",
        verbose_name="所属村（社区）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agents",
        limit_choices_to={"level": "village"},
    )

    objects = StaffManager()

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"
        ordering = ["town__code", "role", "username"]
        indexes = [models.Index(fields=["town", "role"])]

    def __str__(self):
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.username

    def get_short_name(self):
        return self.display_name

    def clean(self):
        super().clean()
        if not self.role:
            if not self.is_superuser:
                raise ValidationError({"role": "请选择角色"})
            return
        required = ROLE_BINDINGS.get(self.role, frozenset())
        allowed = required | OPTIONAL_BINDINGS.get(self.role, frozenset())
        values = {"town": self.town_id, "department": self.department_id, "village": self.village_id}
        errors = {}
        for field, value in values.items():
            if field in required and not value:
                errors[field] = f"{self.get_role_display()}必须设置此项"
            elif field not in allowed and value:
                errors[field] = f"{self.get_role_display()}不应设置此项"
        if errors:
            raise ValidationError(errors)
        if self.village_id and self.village.parent_id != self.town_id and self.town_id:
            raise ValidationError({"village": "村（社区）不在所选镇街内"})
        if self.village_id and not self.town_id:
            self.town_id = self.village.parent_id
        if self.department_id and self.department.town_id not in (None, self.town_id):
            raise ValidationError({"department": "部门不属于所选镇街"})
