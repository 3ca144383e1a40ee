"""The per-town catalog (镇街为民服务中心一窗受理事项目录): which items a town's center handles,
at which window, and whether the town has published them to the public."""

from django.db import models

from onewindow.core.scoping import ScopedQuerySet, ScopeRule


class CatalogEntryQuerySet(ScopedQuerySet):
    scope_rule = ScopeRule(town="town")

    def published(self):
        return self.filter(is_published=True, item__current_guide__isnull=False)


class CatalogEntry(models.Model):
    town = models.ForeignKey(
        "org.Region",
        verbose_name="镇街",
        on_delete=models.PROTECT,
        related_name="catalog_entries",
        limit_choices_to={"level": "town"},
    )
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name="事项", on_delete=models.PROTECT, related_name="catalog_entries"
    )
    window = models.ForeignKey(
        "org.Window",
        verbose_name="受理窗口",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="catalog_entries",
    )
    is_published = models.BooleanField("已公布", default=False)
    adopted_at = models.DateTimeField("纳入目录时间", auto_now_add=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)

    objects = CatalogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "一窗受理事项目录条目"
        verbose_name_plural = "一窗受理事项目录"
        ordering = ["town__code", "item__code"]
        constraints = [models.UniqueConstraint(fields=["town", "item"], name="catalog_entry_unique")]

    def __str__(self):
        return f"{self.town.name}·{self.item.name}"
