"""Importing the catalog from Excel: all or nothing, every error located by sheet, row and column."""

import io
import zipfile
from dataclasses import replace

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.audit.services import SYSTEM
from onewindow.catalog.excel import template
from onewindow.catalog.models import CatalogEntry, GuideStatus, ServiceItem
from onewindow.catalog.services import catalog_entry_update, guide_save_draft
from onewindow.catalog.services.importing import catalog_export, catalog_import
from onewindow.catalog.tests.excel_utils import (
    append,
    build_catalog,
    catalog_snapshot,
    db_counts,
    edit,
    open_book,
    row_of,
    rows,
    to_bytes,
)
from onewindow.core.errors import Forbidden
from onewindow.org.models import Department
from onewindow.org.services import save_department
from onewindow.testing.catalog import make_item, sample_spec

pytestmark = pytest.mark.django_db

PROMISED = "承诺办结时限（工作日）"


@pytest.fixture
def catalog(world):
    return build_catalog(world)


@pytest.fixture
def export(world, catalog):
    return catalog_export(actor=world.county_admin)


def messages(report) -> list[str]:
    return [str(e) for e in report.errors]


def assert_refused(report, before):
    assert not report.ok
    assert "没有导入任何内容" in report.summary
    assert db_counts() == before


# -- round trip -------------------------------------------------------------------------------------------------


def test_reimporting_an_export_changes_nothing(world, export):
    # given
    before, snapshot = db_counts(), catalog_snapshot()
    # when
    report = catalog_import(actor=world.county_admin, file=export)
    # then: no new version, no entry change, one audit event summing the import up
    assert report.ok, messages(report)
    assert (report.items_unchanged, report.items_created, report.items_updated) == (3, 0, 0)
    assert (report.entries_unchanged, report.entries_adopted, report.entries_updated) == (3, 0, 0)
    assert catalog_snapshot() == snapshot
    assert db_counts() == {**before, "audit": before["audit"] + 1}
    event = AuditEvent.objects.get(action=AuditAction.CATALOG_IMPORTED)
    assert event.after["items_unchanged"] == 3 and event.chain == "county"


def test_an_export_imported_into_an_empty_catalog_rebuilds_the_same_catalog(world):
    # given: the export of a catalog that is then rolled away
    with transaction.atomic():
        build_catalog(world)
        data = catalog_export(actor=world.county_admin)
        expected = catalog_snapshot()
        transaction.set_rollback(True)
    assert not ServiceItem.objects.exists()
    # when
    report = catalog_import(actor=world.county_admin, file=data)
    # then
    assert report.ok, messages(report)
    assert (report.items_created, report.entries_adopted, report.entries_updated) == (3, 2, 1)
    assert catalog_snapshot() == expected
    assert set(ServiceItem.objects.values_list("current_guide__status", flat=True)) == {GuideStatus.PUBLISHED}


def test_a_changed_guide_gets_one_new_version_and_keeps_its_files(world):
    # given: a guide whose 户口簿 has a sample form and which has a result sample
    spec = sample_spec(result_sample="catalog/results/dbz.pdf")
    spec.materials[1] = replace(
        spec.materials[1], sample_file="catalog/forms/hkb.pdf", blank_file="catalog/forms/b.pdf"
    )
    item = make_item(spec=spec, adopt_in=(world.a.region,))
    other = make_item("370829-JB-002")
    data = catalog_export(actor=world.county_admin)
    # when
    changed = edit(data, "事项", row_of(data, "事项", 实施编码=item.code), PROMISED, 12)
    report = catalog_import(actor=world.county_admin, file=changed)
    # then
    assert report.ok and (report.items_updated, report.items_unchanged) == (1, 1)
    item.refresh_from_db()
    guide = item.current_guide
    assert (guide.version, guide.promised_limit_days, guide.change_note) == (2, 12, "Excel导入")
    assert guide.result_sample.name == "catalog/results/dbz.pdf"
    material = guide.materials.get(name="户口簿")
    assert (material.sample_file.name, material.blank_file.name) == ("catalog/forms/hkb.pdf", "catalog/forms/b.pdf")
    assert item.versions.get(version=1).status == GuideStatus.RETIRED
    assert other.versions.count() == 1


def test_text_that_looks_like_a_formula_comes_back_as_text(world):
    make_item(spec=sample_spec(conditions='=HYPERLINK("http://x")：本县户籍居民'))
    data = catalog_export(actor=world.county_admin)
    report = catalog_import(actor=world.county_admin, file=data)
    assert report.ok and report.items_unchanged == 1


# -- bad rows: every error at its cell, nothing saved --------------------------------------------------------------


def test_promised_limit_above_legal_is_reported_at_its_cell_and_nothing_is_saved(world, export):
    before = db_counts()
    bad = edit(export, "事项", 2, PROMISED, 40)
    report = catalog_import(actor=world.county_admin, file=bad)
    assert_refused(report, before)
    assert messages(report) == [
        "“事项”表第2行 M列（承诺办结时限）：承诺办结时限（40个工作日）不能超过法定办结时限（30个工作日）"
    ]


def test_every_bad_cell_of_every_sheet_is_reported_at_once(world, export):
    before = db_counts()
    data = edit(export, "事项", 3, "事项类型", "行政审查")
    data = edit(data, "事项", 4, "法定办结时限（工作日）", "十五")
    data = edit(data, "申请材料", 3, "可容缺", "可能")
    data = edit(data, "审批环节", 2, "部门代码", "social、nowhere")
    data = edit(data, "常见问题", 2, "解答", None)
    report = catalog_import(actor=world.county_admin, file=data)
    assert_refused(report, before)
    found = messages(report)
    assert found[0].startswith("“事项”表第3行 D列（事项类型）：事项类型“行政审查”无效，应为：行政许可（01）")
    assert found[1:] == [
        "“事项”表第4行 L列（法定办结时限）：法定办结时限应为整数，“十五”不是整数",
        "“申请材料”表第3行 I列（可容缺）：可容缺应填写“是”或“否”，不能填写“可能”",
        "“审批环节”表第2行 E列（部门代码）：部门代码不存在：nowhere",
        "“常见问题”表第2行：常见问题的问题和解答都要填写",
    ]


def test_a_route_needing_a_department_the_town_lacks_cannot_be_published_there(world, export):
    # given: only town A has an agriculture office; the county item's route is changed to need it
    save_department(
        actor=SYSTEM, department=Department(code="agri", name="农业农村办", kind="town", town=world.a.region)
    )
    data = edit(export, "审批环节", 2, "部门代码", "agri")
    before = db_counts()
    # when: the file also publishes the item in town B
    row = row_of(data, "镇街目录", 镇街区划代码=world.b.region.code, 实施编码="370829-DB-001")
    report = catalog_import(actor=world.county_admin, file=edit(data, "镇街目录", row, "是否公布", "是"))
    # then
    assert_refused(report, before)
    assert messages(report) == [
        f"“镇街目录”表第{row}行 F列（是否公布）：纸坊镇没有该事项审批环节需要的部门：agri，不能公布"
        "（请先为纸坊镇设置这些部门，或把“是否公布”改为“否”）"
    ]
    # and without publishing it in B the same change is fine
    assert catalog_import(actor=world.county_admin, file=data).items_updated == 1


def test_a_new_route_must_fit_every_town_that_keeps_the_item_published(world, catalog):
    # given: the county item is published in A and B; only A has an agriculture office
    county_item = catalog[0]
    save_department(
        actor=SYSTEM, department=Department(code="agri", name="农业农村办", kind="town", town=world.a.region)
    )
    entry = CatalogEntry.objects.get(town=world.b.region, item=county_item)
    catalog_entry_update(actor=SYSTEM, entry=entry, is_published=True)
    data = catalog_export(actor=world.county_admin, town=world.a.region)  # B's rows are not in this file
    before = db_counts()
    # when: the route is changed to need it
    report = catalog_import(actor=world.county_admin, file=edit(data, "审批环节", 2, "部门代码", "agri"))
    # then
    assert_refused(report, before)
    assert messages(report) == [
        "“审批环节”表第2行 E列（部门代码）：该事项已在纸坊镇公布，但纸坊镇没有部门：agri"
        "（请先设置这些部门，或在“镇街目录”表中取消纸坊镇的公布）"
    ]


def test_duplicate_codes_rows_and_positions_are_refused(world, export):
    before = db_counts()
    first = rows(export, "事项")[0]
    data = append(export, "事项", first)
    data = append(data, "镇街目录", rows(export, "镇街目录")[0])
    data = edit(data, "申请材料", 3, "序号", 1)
    report = catalog_import(actor=world.county_admin, file=data)
    assert_refused(report, before)
    assert messages(report) == [
        "“事项”表第5行 A列（实施编码）：实施编码“370829-DB-001”重复（与第2行相同）",
        "“申请材料”表第3行 C列（序号）：事项“370829-DB-001”的序号1重复（与第2行相同）",
        "“镇街目录”表第5行 C列（实施编码）：嘉祥街道的事项“370829-DB-001”重复（与第2行相同）",
    ]


def test_rows_naming_unknown_items_towns_or_windows_are_refused(world, export):
    before = db_counts()
    data = edit(export, "申请材料", 2, "实施编码", "NO-SUCH-1")
    data = edit(data, "镇街目录", 2, "窗口号", 9)
    data = edit(data, "镇街目录", 3, "镇街区划代码", "370829999000")
    data = append(data, "镇街目录", {"镇街区划代码": world.a.region.code, "实施编码": "B-TS-001"})
    report = catalog_import(actor=world.county_admin, file=data)
    assert_refused(report, before)
    assert messages(report) == [
        "“申请材料”表第2行 A列（实施编码）：“事项”表中没有实施编码为“NO-SUCH-1”的事项",
        "“镇街目录”表第2行 E列（窗口号）：嘉祥街道为民服务中心没有9号窗口",
        "“镇街目录”表第3行 A列（镇街区划代码）：区划代码“370829999000”不是本县在用的镇街",
        "“镇街目录”表第5行 C列（实施编码）：没有实施编码为“B-TS-001”的全县通用事项或嘉祥街道特色事项",
    ]


def test_an_item_with_an_unpublished_draft_is_not_overwritten(world, catalog, export):
    guide_save_draft(actor=world.county_admin, item=catalog[0], spec=sample_spec(promised_limit_days=13))
    before = db_counts()
    report = catalog_import(actor=world.county_admin, file=edit(export, "事项", 2, PROMISED, 12))
    assert_refused(report, before)
    assert messages(report) == [
        "“事项”表第2行 A列（实施编码）：该事项有尚未发布的第2版指南草稿，请先发布或删除该草稿后再导入"
    ]


# -- broken and non-Excel files --------------------------------------------------------------------------------


def _zip(names) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("实施编码,事项名称\n1,低保".encode(), "不是Excel工作簿（.xlsx）"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "不是Excel工作簿（.xlsx）"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 200, "旧版Excel（.xls）"),
        (_zip(["word/document.xml", "[Content_Types].xml"]), "不是Excel工作簿（.xlsx）"),
        (_zip(["[Content_Types].xml", "xl/workbook.xml"]), "已损坏或不完整"),
        (b"", "文件是空的"),
    ],
    ids=["text", "png", "xls", "docx", "hollow-xlsx", "empty"],
)
def test_a_file_that_is_not_a_usable_xlsx_gets_one_clear_error(world, catalog, content, expected):
    before = db_counts()
    report = catalog_import(actor=world.county_admin, file=content)
    assert_refused(report, before)
    assert len(report.errors) == 1 and expected in report.errors[0].message


def test_a_truncated_workbook_is_refused(world, export):
    before = db_counts()
    report = catalog_import(actor=world.county_admin, file=export[: len(export) // 2])
    assert_refused(report, before)
    assert messages(report) == ["Excel文件已损坏或不完整，无法读取。请在Excel中打开并另存为.xlsx后重新导入。"]


def test_a_missing_sheet_or_column_is_named(world, export):
    wb = open_book(export)
    del wb["审批环节"]
    wb["事项"].delete_cols(13)  # 承诺办结时限
    report = catalog_import(actor=world.county_admin, file=to_bytes(wb))
    assert messages(report) == [
        "缺少工作表“审批环节”，请使用本系统导出的模板",
        "“事项”表第1行：表头缺少“承诺办结时限（工作日）”列，请使用本系统导出的模板",
    ]


def test_too_large_files_and_too_many_rows_are_refused(world, export, monkeypatch):
    wb = open_book(export)
    for n in range(template.ITEMS.max_rows):
        wb["事项"].append([f"X-{n}", None, "事项"])
    report = catalog_import(actor=world.county_admin, file=to_bytes(wb))
    assert messages(report) == ["“事项”表：数据超过5000行，请拆分成几个文件分别导入"]
    monkeypatch.setattr(template, "MAX_UPLOAD_BYTES", 1024)
    report = catalog_import(actor=world.county_admin, file=export)
    assert len(report.errors) == 1 and report.errors[0].message.startswith("文件超过")


# -- who may import what ---------------------------------------------------------------------------------------


def test_a_director_imports_own_town_items_and_catalog(world, catalog):
    director = world.user("b", "center_director")
    data = catalog_export(actor=director)
    assert {r["实施编码"] for r in rows(data, "事项")} == {"370829-DB-001", "B-TS-001"}
    assert catalog_import(actor=director, file=data).items_unchanged == 2
    # when: a new own item (copied from B-TS-001) and the county item published at window 3
    wb = open_book(data)
    for sheet in ("事项", "申请材料", "审批环节", "特别程序", "常见问题"):
        for values in [r for r in wb[sheet].iter_rows(min_row=2, values_only=True) if r[0] == "B-TS-001"]:
            wb[sheet].append(["B-TS-002", *values[1:]])
    data = to_bytes(wb)
    row = row_of(data, "镇街目录", 实施编码="370829-DB-001")
    data = edit(edit(data, "镇街目录", row, "是否公布", "是"), "镇街目录", row, "窗口号", 3)
    report = catalog_import(actor=director, file=data)
    # then
    assert report.ok, messages(report)
    assert (report.items_created, report.items_unchanged, report.entries_updated) == (1, 2, 1)
    new = ServiceItem.objects.get(code="B-TS-002")
    assert new.owner_town == world.b.region and new.current_guide.special_procedures.get().name == "村内公示"
    entry = CatalogEntry.objects.get(town=world.b.region, item=catalog[0])
    assert entry.is_published and entry.window == world.b.windows[2]
    chains = AuditEvent.objects.filter(action=AuditAction.CATALOG_IMPORTED).values_list("chain", flat=True)
    assert list(chains) == [world.b.region.code] * 2


def test_a_director_cannot_import_another_towns_rows(world, catalog, export):
    director = world.user("a", "center_director")
    before = db_counts()
    data = catalog_export(actor=director)
    data = append(
        data, "镇街目录", {"镇街区划代码": world.b.region.code, "实施编码": "370829-DB-001", "是否公布": "否"}
    )
    report = catalog_import(actor=director, file=data)
    assert_refused(report, before)
    assert messages(report) == [
        "“镇街目录”表第3行 A列（镇街区划代码）：您只能导入本镇街（嘉祥街道）的目录，不能导入纸坊镇的目录"
    ]
    # the county export holds town B's own item and B's catalog too: every such row is an error
    report = catalog_import(actor=director, file=export)
    assert_refused(report, before)
    found = messages(report)
    assert "“事项”表第4行 B列（所属镇街区划代码）：您只能导入本镇街（嘉祥街道）的事项，不能导入纸坊镇的事项" in found
    assert sum("不能导入纸坊镇的目录" in m for m in found) == 2


def test_a_director_cannot_change_or_add_county_wide_items(world, catalog):
    director = world.user("a", "center_director")
    data = catalog_export(actor=director)
    before = db_counts()
    changed = edit(data, "事项", 2, PROMISED, 12)
    report = catalog_import(actor=director, file=changed)
    assert_refused(report, before)
    assert messages(report)[0].startswith(
        "“事项”表第2行 A列（实施编码）：全县通用事项的办事指南只能由县行政审批服务局管理员修改"
    )
    added = edit(data, "事项", 2, "实施编码", "NEW-1")
    report = catalog_import(actor=director, file=added)
    assert any(
        m.startswith("“事项”表第2行 B列（所属镇街区划代码）：全县通用事项只能由县行政审批服务局管理员新增")
        for m in messages(report)
    )


def test_other_roles_may_not_import(world, export):
    with pytest.raises(Forbidden):
        catalog_import(actor=world.user("a", "front_clerk"), file=export)


# -- options and the command ------------------------------------------------------------------------------------


def test_dry_run_reports_what_would_change_and_saves_nothing(world, export):
    before = db_counts()
    report = catalog_import(actor=world.county_admin, file=edit(export, "事项", 2, PROMISED, 12), dry_run=True)
    assert report.ok and report.dry_run and report.items_updated == 1
    assert report.summary.startswith("检查通过（未导入）")
    assert db_counts() == before


def test_codes_and_other_spellings_are_accepted_and_unpublishing_works(world, export):
    data = edit(export, "事项", 2, "事项类型", "05")
    data = edit(data, "事项", 2, "办件类型", "promised")
    data = edit(data, "事项", 2, "可网上办理", "Y")
    data = edit(data, "镇街目录", 2, "是否公布", "否")
    report = catalog_import(actor=world.county_admin, file=data)
    assert report.ok and report.items_unchanged == 3 and report.entries_updated == 1
    assert not CatalogEntry.objects.get(town=world.a.region, item__code="370829-DB-001").is_published


def test_import_catalog_command(world, export, tmp_path, capsys):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(edit(export, "事项", 2, PROMISED, 12))
    bad.write_bytes(edit(export, "事项", 2, PROMISED, 40))
    before = db_counts()
    with pytest.raises(CommandError, match="发现1处错误"):
        call_command("import_catalog", str(bad))
    assert "“事项”表第2行 M列（承诺办结时限）" in capsys.readouterr().err
    call_command("import_catalog", str(good), "--dry-run")
    assert db_counts() == before
    call_command("import_catalog", str(good))
    assert "更新事项1项" in capsys.readouterr().out
    assert ServiceItem.objects.get(code="370829-DB-001").current_guide.promised_limit_days == 12
    with pytest.raises(CommandError, match="无法打开文件"):
        call_command("import_catalog", str(tmp_path / "missing.xlsx"))
