"""What leaves the system for the public: the Excel directory never carries a live formula, the handbook
names sample forms by their material (not a storage file name), cached documents follow renamed
departments, and public reads skip towns no longer in service and page the API."""

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from onewindow.audit.services import SYSTEM
from onewindow.catalog.api import views as api_views
from onewindow.catalog.documents import load_town_catalog
from onewindow.catalog.documents.handbook_chapter import Chapter
from onewindow.catalog.selectors import public_guide, public_items, town_catalog_entries
from onewindow.catalog.services import guide_publish
from onewindow.catalog.services.files import guide_attach_file
from onewindow.catalog.services.importing import catalog_export
from onewindow.catalog.spec import MaterialSpec
from onewindow.core.errors import NotFound
from onewindow.org.services import save_department
from onewindow.testing.catalog import make_item, sample_spec

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/","点击领取补贴")'
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()  # documents are cached by content, and ids repeat between tests on SQLite
    yield
    cache.clear()


def formulas(workbook_bytes: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(workbook_bytes))
    return [
        f"{ws.title}!{c.coordinate}"
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def test_guide_text_that_looks_like_a_formula_stays_text_in_both_workbooks(world):
    # given: a guide whose name, keywords and a material would be formulas if written raw
    spec = sample_spec(name=EVIL, keywords="=1+1, @SUM(A1)", materials=[MaterialSpec(name="=cmd|' /C calc'!A0")])
    make_item("EVIL-1", spec=spec, adopt_in=[world.a.region])

    # when: anyone downloads the town's directory, and the admin exports the catalog
    public = Client().get(f"/guide/{world.a.region.code}/documents/catalog.xlsx")
    exported = catalog_export(actor=world.county_admin)

    # then: the text is there, as text
    assert public.status_code == 200
    assert formulas(public.content) == [] and formulas(exported) == []
    sheet = load_workbook(io.BytesIO(public.content)).active
    names = [c.value for row in sheet.iter_rows() for c in row if c.value == EVIL]
    assert names == [EVIL]


def test_handbook_names_the_sample_and_blank_form_by_their_material(world):
    item = make_item("FORM-1", publish=False)
    for kind in ("sample", "blank"):
        upload = SimpleUploadedFile("最低生活保障申请书.pdf", PDF)
        guide_attach_file(actor=SYSTEM, item=item, target=1, kind=kind, upload=upload)
    guide_publish(actor=SYSTEM, item=item)
    item.refresh_from_db()
    material = item.current_guide.materials.get(position=1)
    assert material.sample_file.name.endswith(".pdf")  # a uuid name nobody should read
    assert Chapter.form_reference(material) == (
        "样表：最低生活保障申请书（扫码在办事指南页下载）\n空白表格：最低生活保障申请书（扫码在办事指南页下载）"
    )


def test_renaming_the_source_department_changes_the_document_fingerprint(world):
    make_item("FP-1", adopt_in=[world.a.region])  # sample_spec's source department is the county's `market`
    before = load_town_catalog(world.a.region).fingerprint()
    department = world.county_department
    department.name = "嘉祥县市场监督管理局"
    save_department(actor=world.county_admin, department=department)
    assert load_town_catalog(world.a.region).fingerprint() != before


def test_public_reads_leave_out_a_town_no_longer_in_service(world):
    item = make_item("OLD-1", adopt_in=[world.b.region])
    assert list(public_items()) == [item]
    town = world.b.region
    town.is_active = False
    town.save(update_fields=["is_active"])
    assert list(public_items()) == []
    with pytest.raises(NotFound):
        public_guide(item.code)
    assert Client().get("/api/v1/items/").json()["count"] == 0


def test_the_items_api_caps_the_page_size(world, monkeypatch):
    assert api_views.ItemPagination.max_limit == 200
    for n in range(3):
        make_item(f"PAGE-{n}", spec=sample_spec(name=f"事项{n}"), adopt_in=[world.a.region])
    monkeypatch.setattr(api_views.ItemPagination, "max_limit", 2)
    body = Client().get("/api/v1/items/", {"limit": 1000}).json()
    assert body["count"] == 3 and len(body["results"]) == 2


def test_the_staff_catalog_reads_its_entries_in_one_query(world, django_assert_num_queries):
    for n in range(3):
        make_item(f"Q-{n}", adopt_in=[world.a.region])
    with django_assert_num_queries(1):
        entries = list(town_catalog_entries(world.county_admin, world.a.region))
    assert len(entries) == 3
