"""Retiring an item (事项取消): its guide is retired, a pending draft goes with it, and every town stops
publishing it — audited — so publishing a leftover draft can never bring it back to the public."""

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.catalog.models import CatalogEntry, GuideStatus
from onewindow.catalog.services import guide_publish, guide_save_draft, item_retire
from onewindow.core.errors import Conflict
from onewindow.testing.catalog import make_item, sample_spec

pytestmark = pytest.mark.django_db


def test_retiring_discards_the_draft_and_unpublishes_every_town(world):
    # given: an item published in both towns, with a new version waiting as a draft
    admin = world.county_admin
    item = make_item("RET-1", adopt_in=[world.a.region, world.b.region])
    draft = guide_save_draft(actor=admin, item=item, spec=sample_spec(keywords="低保, 新关键词"))
    before = AuditEvent.objects.count()

    # when
    item_retire(actor=admin, item=item, reason="上级取消该事项")

    # then: nothing of it is public or pending any more
    item.refresh_from_db()
    assert item.current_guide is None
    assert list(item.versions.values_list("status", flat=True)) == [GuideStatus.RETIRED]
    assert not item.versions.filter(pk=draft.pk).exists()
    entries = CatalogEntry.objects.filter(item=item)
    assert entries.count() == 2 and not entries.filter(is_published=True).exists()  # kept, withdrawn
    events = list(AuditEvent.objects.order_by("id")[before:].values_list("action", "chain"))
    assert events == [
        (AuditAction.CATALOG_ENTRY_UPDATED, world.a.region.code),
        (AuditAction.CATALOG_ENTRY_UPDATED, world.b.region.code),
        (AuditAction.GUIDE_DRAFT_DISCARDED, "county"),
        (AuditAction.ITEM_RETIRED, "county"),
    ]
    # and there is no draft left to publish back into the towns' catalogs
    with pytest.raises(Conflict):
        guide_publish(actor=admin, item=item)
    assert Client().get(f"/guide/{world.a.region.code}/{item.code}/").status_code == 404


def test_a_town_republishes_a_retired_item_only_after_a_new_version(world):
    admin = world.county_admin
    item = make_item("RET-2", adopt_in=[world.a.region])
    item_retire(actor=admin, item=item, reason="调整")
    guide_save_draft(actor=admin, item=item, spec=sample_spec())
    guide_publish(actor=admin, item=item)  # in service again, but no town publishes it by itself
    assert not CatalogEntry.objects.filter(item=item, is_published=True).exists()
    assert Client().get(f"/guide/{world.a.region.code}/{item.code}/").status_code == 404


def test_staff_counts_leave_out_retired_items(world):
    live = make_item("RET-3", adopt_in=[world.a.region])
    gone = make_item("RET-4", spec=sample_spec(name="已取消事项"), adopt_in=[world.a.region])
    item_retire(actor=world.county_admin, item=gone, reason="取消")
    # an entry left published by data from before this rule still does not count as public
    CatalogEntry.objects.filter(item=gone).update(is_published=True)
    admin = Client()
    admin.force_login(world.county_admin)
    page = admin.get(reverse("catalog:staff-town-catalog", args=[world.a.region.code])).content.decode()
    assert "目录中2个事项，已向群众公布1个。" in page
    towns = admin.get(reverse("catalog:staff-towns")).context["towns"]
    town_a = next(t for t in towns if t.pk == world.a.region.pk)
    assert (town_a.entries, town_a.published) == (2, 1)
    assert live.current_guide is not None
