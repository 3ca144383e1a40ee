"""好差评 configuration: the county sets the reason labels offered per level (directors may look); ratings are
listed read-only, scoped to the viewer's town. Saves go through the rating services (validated, audited);
nothing is deleted here — a label no longer wanted is switched off, and ratings are never edited."""

from django.contrib import admin

from onewindow.core.pii import mask_mobile
from onewindow.core.roles import ADMIN_SITE_ROLES, Role
from onewindow.core.scoping import effective_role
from onewindow.feedback.models import Rating, RatingReason
from onewindow.feedback.services.ratings import rating_reason_save, reason_errors


def _role(request):
    return effective_role(request.user) if request.user.is_active else None


@admin.register(RatingReason)
class RatingReasonAdmin(admin.ModelAdmin):
    list_display = ["label", "level", "position", "is_active"]
    list_filter = ["level", "is_active"]
    ordering = ["-level", "position", "pk"]
    search_fields = ["label"]

    def has_module_permission(self, request):
        return _role(request) in ADMIN_SITE_ROLES

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return _role(request) == Role.COUNTY_ADMIN

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # ratings keep the words they were given with; switch a label off instead

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class ReasonForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                for field, message in reason_errors(self.instance).items():
                    self.add_error(field if field in self.fields else None, message)

        return ReasonForm

    def save_model(self, request, obj, form, change):
        # Checked at form time; a concurrent duplicate raises here and gets the Chinese error page, never "saved".
        rating_reason_save(actor=request.user, reason=obj)


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["created_at", "level", "channel", "town", "window", "staff", "anonymous", "rater", "entered_by"]
    list_filter = ["level", "channel", "mode", "anonymous"]
    date_hierarchy = "created_at"
    list_select_related = ["town", "window", "staff", "entered_by"]
    exclude = ["rater_mobile"]
    readonly_fields = ["rater"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    @admin.display(description="评价人")
    def rater(self, obj):
        if obj.anonymous:
            return "匿名"
        return f"{obj.rater_name} {mask_mobile(obj.rater_mobile)}" if obj.rater_mobile else obj.rater_name

    def has_module_permission(self, request):
        return _role(request) in ADMIN_SITE_ROLES

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False  # a rating is only ever given by the person served

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
