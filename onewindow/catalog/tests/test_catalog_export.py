"""Exporting the catalog to Excel: the documented template, filled in, scoped to what the actor manages."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from onewindow.catalog.excel import template
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.services.importing import catalog_export, catalog_template
from onewindow.catalog.spec import SCALAR_FIELDS, MaterialSpec, ProcedureSpec, StageSpec
from onewindow.catalog.tests.excel_utils import build_catalog, open_book, rows
from onewindow.core.errors import Forbidden

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[3] / "docs" / "catalog-excel-template.md"


@pytest.fixture
def catalog(world):
    return build_catalog(world)


def test_the_workbook_has_the_instructions_and_every_sheet_with_its_headers(world, catalog):
    wb = open_book(catalog_export(actor=world.county_admin))
    assert wb.sheetnames == ["说明", "事项", "申请材料", "审批环节", "特别程序", "常见问题", "镇街目录"]
    for sheet in template.DATA_SHEETS:
        assert [c.value for c in wb[sheet.title][1]] == [c.header for c in sheet.columns]
    described = {(r[0], r[1]) for r in wb["说明"].iter_rows(values_only=True)}
    assert {(s.title, c.header) for s in template.DATA_SHEETS for c in s.columns} <= described


def test_every_guide_element_has_a_column():
    covered = {c.key for c in template.ITEMS.columns}
    assert set(SCALAR_FIELDS) - covered == {"result_sample"}  # files are uploaded on the item's page
    for cls, sheet in ((MaterialSpec, template.MATERIALS), (StageSpec, template.STAGES)):
        assert set(cls.__dataclass_fields__) - {c.key for c in sheet.columns} <= {"sample_file", "blank_file"}
    assert set(ProcedureSpec.__dataclass_fields__) <= {c.key for c in template.PROCEDURES.columns}


def test_cells_use_labels_yes_no_and_joined_lists(world, catalog):
    data = catalog_export(actor=world.county_admin)
    item, instant, own = rows(data, "事项")
    assert item["实施编码"] == "370829-DB-001" and item["所属镇街区划代码"] is None
    assert (item["事项类型"], item["事项来源"], item["放权方式"], item["办件类型"]) == (
        "行政给付",
        "县直部门下放事项",
        "委托办理",
        "承诺件",
    )
    assert item["办理流程"].split("\n")[:3] == ["申请", "受理", "家庭经济状况调查"]
    assert (item["是否免费"], item["可网上办理"], item[template.ITEMS.column("legal_limit_days").header]) == (
        "是",
        "是",
        30,
    )
    assert instant["行使层级"] == "镇（街道）级、村（社区）级" and instant["办件类型"] == "即办件"
    assert (own["所属镇街区划代码"], own["是否免费"], own["收费标准"]) == ("370829101000", "否", "每宗10元")
    stages = [r for r in rows(data, "审批环节") if r["实施编码"] == "370829-DB-001"]
    assert [(s["序号"], s["部门代码"], s["环节时限（工作日）"]) for s in stages] == [
        (1, "social", 7),
        (2, "social、labour", 5),
    ]
    materials = rows(data, "申请材料")
    assert materials[2]["材料名称"] == "家庭收入证明" and materials[2]["可容缺"] == "是"
    assert rows(data, "特别程序") == [
        {
            "实施编码": "B-TS-001",
            "事项名称（参考）": "农村宅基地使用权申请",
            "序号": 1,
            "特别程序名称": "村内公示",
            "时限（工作日）": 7,
            "计入办结时限": "否",
            "说明": "公示7天",
        }
    ]
    assert [(r["镇街区划代码"], r["实施编码"], r["窗口号"], r["是否公布"]) for r in rows(data, "镇街目录")] == [
        ("370829001000", "370829-DB-001", 2, "是"),
        ("370829101000", "370829-DB-001", None, "否"),
        ("370829101000", "B-TS-001", 1, "是"),
    ]


def test_a_director_exports_the_towns_items_and_catalog_only(world, catalog):
    data = catalog_export(actor=world.user("a", "center_director"))
    assert [r["实施编码"] for r in rows(data, "事项")] == ["370829-DB-001"]  # not B's own, not the unadopted one
    assert [r["镇街区划代码"] for r in rows(data, "镇街目录")] == ["370829001000"]
    assert {r["实施编码"] for r in rows(data, "申请材料")} == {"370829-DB-001"}
    with pytest.raises(Forbidden):
        catalog_export(actor=world.user("a", "center_director"), town=world.b.region)


def test_the_county_admin_exports_one_town(world, catalog):
    data = catalog_export(actor=world.county_admin, town=world.b.region)
    assert [r["实施编码"] for r in rows(data, "事项")] == ["370829-DB-001", "B-TS-001"]
    assert {r["镇街区划代码"] for r in rows(data, "镇街目录")} == {"370829101000"}


def test_retired_items_are_not_exported(world, catalog):
    from onewindow.catalog.services import item_retire

    item_retire(actor=world.county_admin, item=ServiceItem.objects.get(code="B-TS-001"), reason="停止办理")
    data = catalog_export(actor=world.county_admin)
    assert "B-TS-001" not in {r["实施编码"] for r in rows(data, "事项")} | {
        r["实施编码"] for r in rows(data, "镇街目录")
    }


def test_other_roles_may_not_export(world):
    for role in ("front_clerk", "supervisor", "reviewer"):
        with pytest.raises(Forbidden):
            catalog_export(actor=world.user("a", role))


def test_the_blank_template_has_headers_only():
    wb = open_book(catalog_template())
    assert all(wb[s.title].max_row == 1 for s in template.DATA_SHEETS)


def test_the_documented_template_names_every_sheet_and_column():
    text = DOC.read_text(encoding="utf-8")
    for sheet in template.DATA_SHEETS:
        assert f"“{sheet.title}”" in text
        for column in sheet.columns:
            assert f"| {column.header} |" in text, column.header


def test_export_catalog_command(world, catalog, tmp_path, capsys):
    out = tmp_path / "catalog.xlsx"
    call_command("export_catalog", str(out), "--town", world.b.region.code)
    assert "已把纸坊镇事项目录导出到" in capsys.readouterr().out
    assert [r["实施编码"] for r in rows(out.read_bytes(), "事项")] == ["370829-DB-001", "B-TS-001"]
    call_command("export_catalog", str(out))
    assert len(rows(out.read_bytes(), "事项")) == 3
    with pytest.raises(CommandError, match="没有区划代码为“123”的镇街"):
        call_command("export_catalog", str(out), "--town", "123")
