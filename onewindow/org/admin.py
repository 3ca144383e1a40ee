"""Configuration screens (Django admin, in Chinese) for the county admin and, within their town, directors.

Every list is scoped through `visible_to`, every foreign-key choice too, and every save goes through
the org services so it is validated and audited. Nothing is deleted here: objects are deactivated.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.forms import UsernameField

from onewindow.core.errors import DomainError
from onewindow.core.roles import Role
from onewindow.core.scoping import effective_role
from onewindow.org import services
from onewindow.org.models import BusinessCategory, Department, Region, ServiceCenter, User, Window


def _role(request):
    return effective_role(request.user)


class ScopedAdmin(admin.ModelAdmin):
    """Base for org admins. Subclasses set `manager_roles` (who may add/change) and `save_with`."""

    manager_roles = frozenset({Role.COUNTY_ADMIN, Role.CENTER_DIRECTOR})
    viewer_roles = frozenset({Role.COUNTY_ADMIN, Role.CENTER_DIRECTOR})

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.visible_to(request.user)

    def has_module_permission(self, request):
        return request.user.is_active and _role(request) in self.viewer_roles

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return request.user.is_active and _role(request) in self.manager_roles

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # history must keep pointing at it; deactivate instead

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if not request.user.is_superuser and hasattr(related.objects, "visible_to"):
            kwargs["queryset"] = related.objects.visible_to(request.user).filter(**db_field.get_limit_choices_to())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        self.save_with(actor=request.user, obj=obj, form=form)

    def save_related(self, request, form, formsets, change):
        pass  # many-to-many fields are saved by the service, with their audit event

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ScopedForm(form_class):
            def _post_clean(self):
                super()._post_clean()  # self.instance now carries the submitted values
                if self.errors:
                    return
                try:
                    model_admin.check_before_save(actor=request.user, obj=self.instance, form=self)
                except DomainError as exc:
                    self.add_error(None, " ".join([exc.message, *exc.fields.values()]))

        return ScopedForm

    def check_before_save(self, *, actor, obj, form) -> None:
        """The services' own authority check, run at form time so the admin shows it as an error."""
        services.permissions.authorize_change(actor, obj)


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    manager_roles = frozenset({Role.COUNTY_ADMIN})
    list_display = ["code", "name", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name"]
    ordering = ["code"]

    def save_with(self, *, actor, obj, form):
        services.save_region(actor=actor, region=obj)


@admin.register(ServiceCenter)
class ServiceCenterAdmin(ScopedAdmin):
    list_display = ["name", "kind", "region", "phone", "opening_hours", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "region__name", "region__code"]

    def save_with(self, *, actor, obj, form):
        services.save_center(actor=actor, center=obj)


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    list_display = ["name", "code", "kind", "town", "county_department", "is_active"]
    list_filter = ["kind", "is_active", ("town", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code"]

    def save_with(self, *, actor, obj, form):
        services.save_department(actor=actor, department=obj)


@admin.register(BusinessCategory)
class BusinessCategoryAdmin(ScopedAdmin):
    manager_roles = frozenset({Role.COUNTY_ADMIN})
    list_display = ["name", "code", "is_high_frequency", "sort_order"]

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request)  # county reference data, readable by all managers

    def save_with(self, *, actor, obj, form):
        services.save_business_category(actor=actor, category=obj)


@admin.register(Window)
class WindowAdmin(ScopedAdmin):
    list_display = ["__str__", "center", "kind", "is_open"]
    list_filter = ["kind", "is_open", ("town", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "center__name"]
    filter_horizontal = ["categories"]

    def save_with(self, *, actor, obj, form):
        services.save_window(actor=actor, window=obj, categories=list(form.cleaned_data.get("categories", [])))


class StaffForm(forms.ModelForm):
    # Not the model's `password` field: a blank entry must leave the stored hash alone.
    new_password = forms.CharField(
        label="初始密码 / 重置密码",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="新建账号必填；修改账号时留空表示不改密码。至少10位，含三类字符。",
    )

    class Meta:
        model = User
        fields = ["username", "name", "role", "town", "department", "village", "is_active"]
        field_classes = {"username": UsernameField}


@admin.register(User)
class StaffAdmin(ScopedAdmin):
    form = StaffForm
    list_display = ["username", "name", "role", "town", "department", "village", "is_active", "last_login"]
    list_filter = ["role", "is_active", ("town", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["username", "name"]
    readonly_fields = ["last_login", "date_joined"]

    def get_fields(self, request, obj=None):
        return [
            "username",
            "name",
            "new_password",
            "role",
            "town",
            "department",
            "village",
            "is_active",
            "last_login",
            "date_joined",
        ]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and _role(request) == Role.CENTER_DIRECTOR:
            allowed = services.permissions.DIRECTOR_GRANTABLE
            grantable = [(value, label) for value, label in Role.choices if value in allowed]
            kwargs["choices"] = [("", "---------"), *grantable]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def check_before_save(self, *, actor, obj, form) -> None:
        super().check_before_save(actor=actor, obj=obj, form=form)
        services.staff.check_new_password(form.cleaned_data.get("new_password") or None, obj)

    def save_with(self, *, actor, obj, form):
        services.save_staff(actor=actor, user=obj, password=form.cleaned_data.get("new_password") or None)
