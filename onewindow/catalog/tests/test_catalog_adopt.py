"""A town's catalog: adopting county-wide items, placing them at a window, publishing them."""

import pytest

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.catalog.models import CatalogEntry
from onewindow.catalog.routing import missing_departments, resolve_route
from onewindow.catalog.selectors import public_items
from onewindow.catalog.services import (
    catalog_adopt,
    catalog_adopt_many,
    catalog_entry_remove,
    catalog_entry_update,
    guide_publish,
    guide_save_draft,
)
from onewindow.catalog.spec import StageSpec
from onewindow.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from onewindow.org.models import Department
from onewindow.org.services import save_department
from onewindow.testing.catalog import make_item, sample_spec

pytestmark = pytest.mark.django_db


def test_director_adopts_places_and_publishes_in_own_town(world):
    # given
    director = world.user("a", "center_director")
    item = make_item()
    window = world.a.windows[1]
    # when
    entry = catalog_adopt(actor=director, town=world.a.region, item=item, window=window)
    # then: adopted but not yet public
    assert not entry.is_published and entry.window == window
    assert not public_items(world.a.region).exists()
    catalog_entry_update(actor=director, entry=entry, is_published=True)
    assert list(public_items(world.a.region)) == [item]
    assert not public_items(world.b.region).exists()  # published per town
    assert AuditEvent.objects.filter(action=AuditAction.CATALOG_ENTRY_UPDATED, chain=world.a.region.code).exists()


def test_director_cannot_touch_another_towns_catalog(world):
    director = world.user("a", "center_director")
    item = make_item(adopt_in=[world.b.region])
    with pytest.raises(Forbidden):
        catalog_adopt(actor=director, town=world.b.region, item=make_item(code="X-2"))
    entry = CatalogEntry.objects.get(town=world.b.region)
    for change in ({"is_published": False}, {"window": None}):
        with pytest.raises(Forbidden):
            catalog_entry_update(actor=director, entry=entry, **change)
    with pytest.raises(Forbidden):
        catalog_entry_remove(actor=director, entry=entry)
    assert CatalogEntry.objects.get(town=world.b.region, item=item).is_published


def test_window_of_another_town_and_foreign_items_are_refused(world):
    director = world.user("a", "center_director")
    with pytest.raises(ValidationFailed) as caught:
        catalog_adopt(actor=director, town=world.a.region, item=make_item(), window=world.b.windows[0])
    assert "不属于" in caught.value.fields["window"]
    foreign = make_item(code="B-OWN", owner_town=world.b.region)
    with pytest.raises(ValidationFailed):
        catalog_adopt(actor=director, town=world.a.region, item=foreign)
    assert not CatalogEntry.objects.filter(town=world.a.region).exists()


def test_adopting_twice_is_a_conflict(world):
    item = make_item(adopt_in=[world.a.region])
    with pytest.raises(Conflict):
        catalog_adopt(actor=world.county_admin, town=world.a.region, item=item)


def test_publishing_needs_every_route_department_in_the_town(world):
    # given: town B loses its 人社所 (code labour), which the joint stage needs
    labour_b = Department.objects.get(town=world.b.region, code="labour")
    labour_b.is_active = False
    save_department(actor=world.county_admin, department=labour_b)
    item = make_item()
    assert missing_departments(item.current_guide, world.b.region) == ["labour"]
    # when / then
    entry = catalog_adopt(actor=world.county_admin, town=world.b.region, item=item)
    with pytest.raises(ValidationFailed) as caught:
        catalog_entry_update(actor=world.county_admin, entry=entry, is_published=True)
    assert "labour" in caught.value.message
    entry.refresh_from_db()
    assert not entry.is_published


def test_a_new_version_cannot_strand_a_town_that_published_the_item(world):
    item = make_item(adopt_in=[world.a.region, world.b.region])
    save_department(
        actor=world.county_admin,
        department=Department(code="health", name="卫生健康办", kind="town", town=world.a.region),
    )
    stages = [*sample_spec().stages, StageSpec(name="卫健审核", department_codes=["health"], limit_days=2)]
    guide_save_draft(actor=world.county_admin, item=item, spec=sample_spec(stages=stages))
    with pytest.raises(ValidationFailed) as caught:
        guide_publish(actor=world.county_admin, item=item)
    assert "纸坊镇" in caught.value.message and "health" in caught.value.message
    item.refresh_from_db()
    assert item.current_guide.version == 1


def test_route_resolves_town_department_before_county(world):
    # given: `market` exists as a county department and as town A's stationed 市场监管所
    stages = [StageSpec(name="市场监管审查", department_codes=["market"], limit_days=3)]
    item = make_item(spec=sample_spec(stages=stages))
    # when
    [(_, departments)] = resolve_route(item.current_guide, world.a.region)
    # then
    assert departments == [Department.objects.get(town=world.a.region, code="market")]
    market_b = Department.objects.get(town=world.b.region, code="market")
    market_b.is_active = False
    save_department(actor=world.county_admin, department=market_b)
    [(_, departments)] = resolve_route(item.current_guide, world.b.region)
    assert departments == [world.county_department]


def test_unpublished_or_retired_items_are_not_public(world):
    from onewindow.catalog.selectors import public_guide
    from onewindow.catalog.services import item_retire

    item = make_item(adopt_in=[world.a.region])
    assert public_guide(item.code, world.a.region).version == 1
    with pytest.raises(NotFound):
        public_guide(item.code, world.b.region)
    item_retire(actor=world.county_admin, item=item, reason="上级取消")
    with pytest.raises(NotFound):
        public_guide(item.code, world.a.region)


def test_adopting_several_items_is_all_or_nothing_with_every_problem_named(world):
    # given: town B lacks the department `health` that one item's route needs
    save_department(
        actor=world.county_admin,
        department=Department(code="health", name="卫生健康办", kind="town", town=world.a.region),
    )
    fine = make_item("MANY-1")
    stuck = make_item(
        "MANY-2", spec=sample_spec(stages=[StageSpec(name="审核", department_codes=["health"], limit_days=3)])
    )
    already = make_item("MANY-3", adopt_in=[world.b.region])
    director = world.user("b", "center_director")
    before = (CatalogEntry.objects.count(), AuditEvent.objects.count())

    # when
    errors = catalog_adopt_many(actor=director, town=world.b.region, items=[fine, stuck, already], publish=True)

    # then
    assert set(errors) == {"MANY-2", "MANY-3"}
    assert errors["MANY-2"].code == "catalog.route_unresolved" and "health" in errors["MANY-2"].message
    assert errors["MANY-3"].code == "catalog.duplicate"
    assert (CatalogEntry.objects.count(), AuditEvent.objects.count()) == before
    # and without them the rest goes in
    assert catalog_adopt_many(actor=director, town=world.b.region, items=[fine], publish=True) == {}
    assert CatalogEntry.objects.get(town=world.b.region, item=fine).is_published
    with pytest.raises(Forbidden):
        catalog_adopt_many(actor=director, town=world.a.region, items=[fine])
    with pytest.raises(ValidationFailed):
        catalog_adopt_many(actor=director, town=world.b.region, items=[])
