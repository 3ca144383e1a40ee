"""Items and their guide versions: draft → published → retired (动态调整)."""

from dataclasses import replace

import pytest

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.catalog.models import GuideStatus, GuideVersion, ServiceItem
from onewindow.catalog.services import guide_discard_draft, guide_publish, guide_save_draft, item_create, item_retire
from onewindow.core.errors import Conflict, Forbidden, ValidationFailed
from onewindow.testing.catalog import make_item, sample_spec

pytestmark = pytest.mark.django_db


def test_create_makes_a_draft_and_publish_puts_it_in_service(world):
    # given / when
    item = item_create(actor=world.county_admin, code="370829-DB-001", spec=sample_spec())
    # then
    assert item.current_guide is None
    draft = item.versions.get()
    assert (draft.version, draft.status) == (1, GuideStatus.DRAFT)
    assert [m.name for m in draft.materials.all()][:2] == ["最低生活保障申请书", "户口簿"]
    assert draft.stages.get(position=2).is_joint

    guide = guide_publish(actor=world.county_admin, item=item)
    item.refresh_from_db()
    assert item.current_guide == guide and guide.status == GuideStatus.PUBLISHED and guide.valid_from
    assert item.search_pinyin.splitlines()[0] == "zuidishenghuobaozhangshenqing zdshbzsq"
    assert AuditEvent.objects.filter(action=AuditAction.GUIDE_PUBLISHED, target_id=str(guide.pk)).exists()


def test_editing_a_published_guide_makes_a_new_version_and_keeps_the_old(world):
    item = make_item()
    v1 = item.current_guide
    draft = guide_save_draft(
        actor=world.county_admin, item=item, spec=sample_spec(promised_limit_days=12), change_note="压缩承诺时限"
    )
    assert draft.version == 2 and draft.pk != v1.pk
    item.refresh_from_db()
    assert item.current_guide == v1  # the public still reads v1 until v2 is published
    guide_publish(actor=world.county_admin, item=item)
    v1.refresh_from_db()
    item.refresh_from_db()
    assert v1.status == GuideStatus.RETIRED and v1.valid_to is not None and v1.promised_limit_days == 15
    assert item.current_guide.version == 2 and item.current_guide.promised_limit_days == 12
    assert list(item.versions.values_list("version", "status")) == [(2, "published"), (1, "retired")]


def test_promised_limit_above_legal_is_refused_and_nothing_saved(world):
    with pytest.raises(ValidationFailed) as caught:
        item_create(actor=world.county_admin, code="X-1", spec=sample_spec(promised_limit_days=40))
    assert "不能超过法定办结时限" in caught.value.fields["promised_limit_days"]
    assert not ServiceItem.objects.exists() and not GuideVersion.objects.exists()


def test_every_bad_field_is_reported_at_once(world):
    spec = sample_spec(
        kind="99",
        consult_phone="call me",
        materials=[replace(sample_spec().materials[3], deficiency_allowed=True)],
        stages=[replace(sample_spec().stages[0], department_codes=["nope"])],
    )
    with pytest.raises(ValidationFailed) as caught:
        item_create(actor=world.county_admin, code="X-1", spec=spec)
    assert set(caught.value.fields) >= {
        "kind",
        "consult_phone",
        "materials[0].deficiency_allowed",
        "stages[0].department_codes",
    }
    assert "nope" in caught.value.fields["stages[0].department_codes"]


def test_duplicate_code_is_refused(world):
    make_item(code="DUP-1")
    with pytest.raises(ValidationFailed) as caught:
        item_create(actor=world.county_admin, code="DUP-1", spec=sample_spec())
    assert "已存在" in caught.value.fields["code"]
    assert ServiceItem.objects.count() == 1


def test_instant_items_promise_zero_days(world):
    with pytest.raises(ValidationFailed) as caught:
        item_create(actor=world.county_admin, code="I-1", spec=sample_spec(handling_type="instant"))
    assert "即办件" in caught.value.fields["promised_limit_days"]
    item = item_create(
        actor=world.county_admin,
        code="I-1",
        spec=sample_spec(handling_type="instant", promised_limit_days=0, stages=[]),
    )
    assert item.versions.get().is_instant


def test_director_manages_own_town_items_only(world):
    director = world.user("a", "center_director")
    with pytest.raises(Forbidden):
        item_create(actor=director, code="C-1", spec=sample_spec())  # county-wide list
    with pytest.raises(Forbidden):
        item_create(actor=director, code="C-1", spec=sample_spec(), owner_town=world.b.region)
    item = item_create(actor=director, code="C-1", spec=sample_spec(), owner_town=world.a.region)
    assert item.catalog_entries.get().town == world.a.region  # own items join the town's catalog
    other = make_item(code="C-2", owner_town=world.b.region)
    with pytest.raises(Forbidden):
        guide_save_draft(actor=director, item=other, spec=sample_spec())


def test_discarding_and_retiring(world):
    item = make_item()
    guide_save_draft(actor=world.county_admin, item=item, spec=sample_spec(name="最低生活保障审核确认"))
    guide_discard_draft(actor=world.county_admin, item=item)
    assert item.versions.count() == 1
    with pytest.raises(Conflict):
        guide_publish(actor=world.county_admin, item=item)
    with pytest.raises(ValidationFailed):
        item_retire(actor=world.county_admin, item=item, reason=" ")
    item_retire(actor=world.county_admin, item=item, reason="事项调整")
    item.refresh_from_db()
    assert item.current_guide is None and item.versions.get().status == GuideStatus.RETIRED
