"""Read-only admin pages for the audit log, scoped by events_visible_to()."""

import json

from django.contrib import admin
from django.utils.html import format_html

from onewindow.audit.models import COUNTY_CHAIN, AuditChainHead, AuditEvent
from onewindow.audit.selectors import can_read_audit, events_visible_to, visible_chains
from onewindow.core.roles import Role

_EXTRA_ROLE_LABELS = {"system": "系统", "public": "公众（未登录）", "superuser": "超级管理员"}


def role_label(code: str) -> str:
    if code in Role.values:
        return Role(code).label
    return _EXTRA_ROLE_LABELS.get(code, code)


class ChainFilter(admin.SimpleListFilter):
    # The choices come from the small head table: DISTINCT over millions of events is too slow.
    title = "链（镇街）"
    parameter_name = "chain"

    def lookups(self, request, model_admin):
        from onewindow.org.models import Region

        chains = AuditChainHead.objects.values_list("chain", flat=True).order_by("chain")
        allowed = visible_chains(request.user)
        if allowed is not None:
            chains = chains.filter(chain__in=allowed)
        names = dict(Region.objects.filter(code__in=list(chains)).values_list("code", "name"))
        return [(chain, "县级" if chain == COUNTY_CHAIN else names.get(chain, chain)) for chain in chains]

    def queryset(self, request, queryset):
        return queryset.filter(chain=self.value()) if self.value() else queryset


class RoleFilter(admin.SimpleListFilter):
    title = "操作时角色"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [*Role.choices, *_EXTRA_ROLE_LABELS.items()]

    def queryset(self, request, queryset):
        return queryset.filter(role=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "chain", "seq", "actor_name", "role_display", "action", "target_repr", "summary")
    list_filter = (ChainFilter, "action", RoleFilter, "created_at")
    search_fields = ("actor_name", "target_repr")
    ordering = ("-id",)
    # A full COUNT(*) over millions of rows on every page view buys nothing.
    show_full_result_count = False
    actions = None
    fields = (
        ("chain", "seq"), ("created_at", "action"), ("actor_name", "role_display", "actor"),
        ("target_type", "target_id", "target_repr"), "summary", "before_pretty", "after_pretty",
        ("ip", "request_id"), "prev_hash", "hash",
    )
    readonly_fields = (
        "chain", "seq", "created_at", "action", "actor_name", "role_display", "actor", "target_type",
        "target_id", "target_repr", "summary", "before_pretty", "after_pretty", "ip", "request_id",
        "prev_hash", "hash",
    )

    def get_queryset(self, request):
        return events_visible_to(request.user)

    @admin.display(description="操作时角色", ordering="role")
    def role_display(self, event):
        return role_label(event.role)

    @admin.display(description="变更前")
    def before_pretty(self, event):
        return _pretty_json(event.before)

    @admin.display(description="变更后")
    def after_pretty(self, event):
        return _pretty_json(event.after)

    def has_module_permission(self, request):
        return can_read_audit(request.user)

    def has_view_permission(self, request, obj=None):
        return can_read_audit(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _pretty_json(value):
    if value is None:
        return "—"
    return format_html("<pre>{}</pre>", json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True))
