"""Every text of a guide: no control characters, line breaks only in paragraphs, never longer than
its column — refused with a Chinese message on its own path, by the services, the staff form and the
Excel import alike (on PostgreSQL an over-long value used to be a DataError, a 500)."""

from dataclasses import replace
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.audit.services import SYSTEM
from onewindow.catalog.models import CatalogEntry, GuideMaterial, GuideVersion, ServiceItem
from onewindow.catalog.services import catalog_entry_update, guide_publish, guide_save_draft, item_create
from onewindow.catalog.services.importing import catalog_export, catalog_import
from onewindow.catalog.spec import FaqSpec, MaterialSpec, ProcedureSpec, StageSpec, validate_spec
from onewindow.catalog.tests.excel_utils import db_counts, edit, row_of
from onewindow.catalog.tests.test_staff_item_pages import guide_post
from onewindow.core.errors import ValidationFailed
from onewindow.testing.catalog import make_item, sample_spec

pytestmark = pytest.mark.django_db


def refused(spec, **kwargs) -> dict[str, str]:
    before = db_counts()
    with pytest.raises(ValidationFailed) as caught:
        item_create(actor=SYSTEM, code="TXT-1", spec=spec, **kwargs)
    assert db_counts() == before
    return caught.value.fields


# -- control characters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "path", "label"),
    [
        ({"name": "控制字符\x01事项\x0b"}, "name", "事项名称"),
        ({"conditions": "a\x1bb"}, "conditions", "受理条件"),
        ({"keywords": "低保,\x7f"}, "keywords", "关键词"),
        ({"process_steps": ["申请", "受\x00理"]}, "process_steps", "办理流程第2步"),
        ({"materials": [MaterialSpec(name="户口簿"), MaterialSpec(name="证\x0c明")]}, "materials[1].name", "材料名称"),
        ({"materials": [MaterialSpec(name="户口簿", note="说\x08明")]}, "materials[0].note", "填报说明"),
        (
            {"stages": [StageSpec(name="审\x1f核", department_codes=["social"], limit_days=5)]},
            "stages[0].name",
            "环节名称",
        ),
        (
            {"special_procedures": [ProcedureSpec(name="公示", limit_days=7, note="\x01")]},
            "special_procedures[0].note",
            "特别程序说明",
        ),
        ({"faq": [FaqSpec(question="问\x02", answer="答")]}, "faq[0].question", "常见问题的问题"),
        ({"faq": [FaqSpec(question="问", answer="答\x03")]}, "faq[0].answer", "常见问题的解答"),
    ],
)
def test_a_control_character_in_any_text_is_refused_on_its_path(world, override, path, label):
    fields = refused(sample_spec(**override))
    assert fields[path].startswith(label) and "含有不可见的控制字符" in fields[path]


def test_line_breaks_only_in_paragraph_fields_and_crlf_is_stored_as_lf(world):
    fields = refused(sample_spec(name="最低生活\n保障申请", place="窗口\r\n一楼"))
    assert fields == {"name": "事项名称不能换行，请写在一行内", "place": "办理地点不能换行，请写在一行内"}
    # a browser's textarea sends CR LF: paragraphs keep their lines, as LF
    spec = sample_spec(
        conditions="第一条\r\n第二条\r第三条",
        legal_basis="《社会救助暂行办法》\r\n《山东省社会救助办法》",
        materials=[MaterialSpec(name="户口簿", note="首页\r\n本人页")],
        faq=[FaqSpec(question="多久复核？", answer="每年\r\n一次")],
    )
    item = item_create(actor=SYSTEM, code="TXT-2", spec=spec)
    guide = item.versions.get()
    assert guide.conditions == "第一条\n第二条\n第三条"
    assert guide.legal_basis == "《社会救助暂行办法》\n《山东省社会救助办法》"
    assert guide.materials.get().note == "首页\n本人页"
    assert guide.faq == [{"question": "多久复核？", "answer": "每年\n一次"}]


def test_a_control_character_never_reaches_the_public_workbook_or_a_new_version(world):
    # given: the reviewer's item, typed into the staff form by a town's director
    director = Client()
    director.force_login(world.user("a", "center_director"))
    spec = sample_spec(source="own", delegation_mode="", source_department="", name="控制字符\x01事项\x0b")
    response = director.post(
        reverse("catalog:staff-item-new"), guide_post(spec, code="ZF-CTL-1", owner_town=world.a.region.code)
    )
    # then: the form says what is wrong, nothing is saved
    assert response.status_code == 400
    assert "事项名称含有不可见的控制字符" in response.content.decode()
    assert not ServiceItem.objects.filter(code="ZF-CTL-1").exists()
    # and the public catalog still downloads; an export imports back without a spurious version
    make_item("TXT-3", adopt_in=[world.a.region])
    assert Client().get(f"/guide/{world.a.region.code}/documents/catalog.xlsx").status_code == 200
    versions = GuideVersion.objects.count()
    report = catalog_import(actor=world.county_admin, file=catalog_export(actor=world.county_admin))
    assert report.ok and report.items_updated == 0 and GuideVersion.objects.count() == versions


def test_staff_file_download_name_drops_control_characters_of_old_rows(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = make_item("TXT-4", adopt_in=[world.a.region])
    material = item.current_guide.materials.get(position=1)
    (tmp_path / "catalog" / "forms").mkdir(parents=True)
    (tmp_path / "catalog" / "forms" / "x.pdf").write_bytes(b"%PDF-1.4 sample")
    # a row written before the rules existed (not reachable through the services any more)
    GuideMaterial.objects.filter(pk=material.pk).update(name="申请\x01书\r\n（新）", sample_file="catalog/forms/x.pdf")
    admin = Client()
    admin.force_login(world.county_admin)
    response = admin.get(reverse("catalog:staff-version-file", args=[item.code, 1, "sample", 1]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote(
        "申请_书_（新）-样表（示范文本）.pdf"
    )


# -- lengths ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "path", "message"),
    [
        (
            {"fee_free": False, "fee_standard": "元" * 301, "fee_basis": "依据"},
            "fee_standard",
            "收费标准不能超过300个字",
        ),
        ({"fee_free": False, "fee_standard": "10元", "fee_basis": "据" * 301}, "fee_basis", "收费依据不能超过300个字"),
        (
            {"stages": [StageSpec(name="环" * 101, department_codes=["social"], limit_days=5)]},
            "stages[0].name",
            "环节名称不能超过100个字",
        ),
        (
            {"special_procedures": [ProcedureSpec(name="程" * 101, limit_days=3)]},
            "special_procedures[0].name",
            "特别程序名称不能超过100个字",
        ),
        ({"materials": [MaterialSpec(name="身份证", note="注" * 301)]}, "materials[0].note", "填报说明不能超过300个字"),
        ({"materials": [MaterialSpec(name="材" * 201)]}, "materials[0].name", "材料名称不能超过200个字"),
        ({"place": "地" * 201}, "place", "办理地点不能超过200个字"),
        ({"hours": "时" * 201}, "hours", "办理时间不能超过200个字"),
        ({"implementing_body": "主" * 121}, "implementing_body", "实施主体不能超过120个字"),
        ({"keywords": "词" * 301}, "keywords", "关键词不能超过300个字"),
    ],
)
def test_over_long_text_is_a_chinese_error_not_a_database_error(world, override, path, message):
    assert refused(sample_spec(**override))[path].startswith(message)


def test_a_long_change_note_is_refused_by_both_write_services(world):
    assert refused(sample_spec(), change_note="改" * 301) == {"change_note": "调整说明不能超过300个字（现为301个字）"}
    item = make_item("TXT-5")
    with pytest.raises(ValidationFailed) as caught:
        guide_save_draft(actor=SYSTEM, item=item, spec=sample_spec(name="新名称"), change_note="改\x01")
    assert caught.value.fields["change_note"].startswith("调整说明含有不可见的控制字符")
    assert item.versions.count() == 1


def test_the_staff_form_shows_an_over_long_stage_name_on_its_row(world):
    admin = Client()
    admin.force_login(world.county_admin)
    stages = [StageSpec(name="环" * 101, department_codes=["social"], limit_days=5)]
    response = admin.post(reverse("catalog:staff-item-new"), guide_post(sample_spec(stages=stages), code="TXT-6"))
    assert response.status_code == 400
    assert "环节名称不能超过100个字" in response.content.decode()
    assert not ServiceItem.objects.filter(code="TXT-6").exists()


def test_the_import_reports_an_over_long_cell_where_it_is(world):
    item = make_item("TXT-7", adopt_in=[world.a.region])
    data = catalog_export(actor=world.county_admin)
    row = row_of(data, "审批环节", 实施编码=item.code, 序号=1)
    data = edit(data, "审批环节", row, "环节名称", "环" * 101)
    data = edit(data, "事项", 2, "收费标准", "元" * 301)
    before = db_counts()
    report = catalog_import(actor=world.county_admin, file=data)
    assert not report.ok and db_counts() == before
    found = [str(e) for e in report.errors]
    assert any(m.startswith("“事项”表第2行") and "收费标准不能超过300个字" in m for m in found), found
    assert any(m.startswith(f"“审批环节”表第{row}行") and "环节名称不能超过100个字" in m for m in found), found


# -- messages ---------------------------------------------------------------------------------------------------


def test_phone_and_choice_messages_say_what_is_allowed(world):
    errors = validate_spec(sample_spec(consult_phone="abc", kind="行政审查"))
    assert "0537-6851234" in errors["consult_phone"] and "转" in errors["consult_phone"]
    assert errors["kind"].startswith("事项类型“行政审查”无效，应为：行政许可（01）、行政处罚（02）")


def test_guide_publish_refuses_a_draft_with_control_characters_saved_before_the_rules(world):
    item = make_item("TXT-8", adopt_in=[world.a.region])
    draft = guide_save_draft(actor=SYSTEM, item=item, spec=replace(sample_spec(), name="新版"))
    GuideVersion.objects.filter(pk=draft.pk).update(name="新\x01版")
    with pytest.raises(ValidationFailed) as caught:
        guide_publish(actor=SYSTEM, item=item)
    assert "name" in caught.value.fields
    entry = CatalogEntry.objects.get(town=world.a.region, item=item)
    catalog_entry_update(actor=SYSTEM, entry=entry, is_published=True)  # the version in force is untouched
    item.refresh_from_db()
    assert item.current_guide.version == 1
