"""A town's own (特色) item is handled in that town only, so its route may name only departments the town
has (its own or the county's): checked when it is created, edited or imported, with the code named."""

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.catalog.models import ServiceItem
from onewindow.catalog.services import guide_save_draft, item_create
from onewindow.catalog.services.importing import catalog_export, catalog_import
from onewindow.catalog.spec import StageSpec
from onewindow.catalog.tests.excel_utils import db_counts, edit, row_of
from onewindow.catalog.tests.test_staff_item_pages import guide_post
from onewindow.core.errors import ValidationFailed
from onewindow.org.models import Department
from onewindow.org.services import save_department
from onewindow.testing.catalog import make_item, sample_spec

pytestmark = pytest.mark.django_db


@pytest.fixture
def b_only(world):
    """A department only town B has."""
    return save_department(
        actor=world.county_admin,
        department=Department(code="b_only", name="B镇专有办", kind="town", town=world.b.region),
    )


def own_spec(*codes):
    stages = [StageSpec(name="初审", department_codes=["social"], limit_days=3)]
    stages.append(StageSpec(name="审核", department_codes=list(codes), limit_days=5))
    return sample_spec(source="own", delegation_mode="", source_department="", stages=stages)


def test_creating_an_own_item_with_a_department_the_town_lacks_names_the_code(world, b_only):
    director = world.user("a", "center_director")
    before = db_counts()
    with pytest.raises(ValidationFailed) as caught:
        item_create(actor=director, code="A-OWN-1", spec=own_spec("labour", "b_only"), owner_town=world.a.region)
    message = f"{world.a.region.name}没有部门：b_only（本镇街特色事项只能由本镇街或县直部门审批）"
    assert caught.value.fields == {"stages[1].department_codes": message}
    assert db_counts() == before
    # the same route is fine for town B's own item, and for a county-wide item (checked town by town)
    item_create(
        actor=world.user("b", "center_director"), code="B-OWN-1", spec=own_spec("b_only"), owner_town=world.b.region
    )
    item_create(actor=world.county_admin, code="COUNTY-1", spec=own_spec("b_only"))


def test_editing_an_own_item_into_such_a_route_is_refused(world, b_only):
    item = make_item("A-OWN-2", spec=own_spec("labour"), owner_town=world.a.region)
    with pytest.raises(ValidationFailed) as caught:
        guide_save_draft(actor=world.user("a", "center_director"), item=item, spec=own_spec("b_only"))
    assert "b_only" in caught.value.fields["stages[1].department_codes"]
    assert item.versions.count() == 1


def test_the_staff_form_shows_the_missing_department_not_a_generic_choice_error(world, b_only):
    director = Client()
    director.force_login(world.user("a", "center_director"))
    post = guide_post(own_spec("b_only"), code="A-OWN-3", owner_town=world.a.region.code)
    response = director.post(reverse("catalog:staff-item-new"), post)
    body = response.content.decode()
    assert response.status_code == 400
    assert "没有部门：b_only" in body
    assert "选择一个有效的选项" not in body
    assert not ServiceItem.objects.filter(code="A-OWN-3").exists()


def test_a_code_no_town_has_is_still_reported_as_unknown_on_the_form(world):
    admin = Client()
    admin.force_login(world.county_admin)
    response = admin.post(reverse("catalog:staff-item-new"), guide_post(own_spec("nowhere"), code="C-2"))
    assert response.status_code == 400
    assert "部门代码不存在：nowhere" in response.content.decode()


def test_importing_an_own_item_with_such_a_route_reports_the_stage_cell(world, b_only):
    director = world.user("a", "center_director")
    item = make_item("A-OWN-4", spec=own_spec("labour"), owner_town=world.a.region)  # not published in A yet
    data = catalog_export(actor=director)
    row = row_of(data, "审批环节", 实施编码=item.code, 序号=2)
    data = edit(data, "审批环节", row, "部门代码", "b_only")
    before = db_counts()
    report = catalog_import(actor=director, file=data)
    assert not report.ok and db_counts() == before
    [error] = report.errors
    assert (error.sheet, error.row, error.label) == ("审批环节", row, "部门代码")
    assert "没有部门：b_only" in error.message


def test_a_reserved_item_code_in_an_import_is_reported_at_its_cell(world):
    make_item("RES-1")
    data = edit(catalog_export(actor=world.county_admin), "事项", 2, "实施编码", "qr-wall")
    report = catalog_import(actor=world.county_admin, file=data, dry_run=True)
    assert not report.ok
    assert "“事项”表第2行 A列（实施编码）：“qr-wall”是系统保留的地址，不能用作实施编码" in [
        str(e) for e in report.errors
    ]
