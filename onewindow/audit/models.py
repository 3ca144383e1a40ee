"""The audit log: append-only events, hash-chained per town (DESIGN §3 "AuditEvent").

Each town has its own chain (key: the town's 12-digit region code) and the county has one more
("county"). A chain is a queue point for concurrent writers; one per town means towns never wait
on each other. AuditChainHead holds each chain's last position and is the row writers lock.
UPDATE and DELETE on AuditEvent are refused by database triggers (migration 0002).
"""

from django.conf import settings
from django.db import models

from onewindow.audit.actions import AuditAction
from onewindow.core.roles import Role
from onewindow.core.scoping import ScopedQuerySet, ScopeRule

COUNTY_CHAIN = "county"


def action_choices():
    # A callable, so the migration records this reference and not the list: contexts add
    # AuditAction members all the time, and none of them should need an audit migration.
    return AuditAction.choices


class AuditEventQuerySet(ScopedQuerySet):
    # The county reads every chain; a director or a town supervisor reads their own town's chain.
    scope_rule = ScopeRule(
        roles=frozenset({Role.COUNTY_ADMIN, Role.CENTER_DIRECTOR, Role.SUPERVISOR}), town=None, town_code="chain"
    )


class AuditEvent(models.Model):
    chain = models.CharField("链", max_length=12, help_text="镇街区划代码，县级事件为 county")
    seq = models.BigIntegerField("链内序号")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="audit_events",
    )
    # Copied at the time of the event: the record must read the same after a rename or role change.
    actor_name = models.CharField("操作人姓名", max_length=150)
    role = models.CharField("操作时角色", max_length=20, blank=True)
    action = models.IntegerField("操作", choices=action_choices)
    target_type = models.CharField("对象类型", max_length=100, blank=True)
    target_id = models.CharField("对象编号", max_length=64, blank=True)
    target_repr = models.CharField("对象", max_length=200, blank=True)
    summary = models.CharField("摘要", max_length=300, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    created_at = models.DateTimeField("时间", db_index=True)
    ip = models.CharField("IP 地址", max_length=45, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希（SM3）", max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_seq_unique")]
        # "What happened to this object" is the everyday question an auditor asks.
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_event_target_idx")]

    def __str__(self):
        return f"{self.chain}#{self.seq} {self.get_action_display()}"


class AuditChainHead(models.Model):
    """The last position of one chain. Writers lock this row, so appends to one chain serialise."""

    chain = models.CharField("链", max_length=12, primary_key=True)
    seq = models.BigIntegerField("最后序号", default=0)
    last_hash = models.CharField("最后哈希", max_length=64)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self):
        return f"{self.chain}#{self.seq}"
