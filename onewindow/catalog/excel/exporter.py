"""Writing the catalog as an .xlsx workbook in the template's layout (what the importer reads back)."""

from __future__ import annotations

import io

from django.db.models import Q
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from onewindow.catalog.excel import template as t
from onewindow.catalog.models import CatalogEntry, ServiceItem
from onewindow.catalog.safe_output import write_cell
from onewindow.catalog.spec import GuideSpec, spec_from_guide

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_WRAP = Alignment(wrap_text=True, vertical="top")
_LONG_TEXT = {"conditions", "legal_basis", "process_steps", "note", "answer", "question"}

# Filled in for every item or row (beyond the cells that must be filled for a row to be read at all).
REQUIRED_BY_SPEC = {
    t.ITEMS.title: {
        "name", "kind", "source", "exercise_levels", "implementing_body", "accepting_unit", "handling_type",
        "conditions", "legal_basis", "process_steps", "result_name", "place", "hours", "consult_phone",
        "complaint_phone", "window_category",
    },
    t.MATERIALS.title: {"name", "form", "source"},
    t.STAGES.title: {"name", "department_codes"},
    t.PROCEDURES.title: {"name"},
    t.FAQ.title: {"question", "answer"},
}  # fmt: skip

README_LINES = (
    "政务服务事项目录 Excel 模板（导入、导出通用）",
    "",
    "1. 每个事项在“事项”表占一行；申请材料、审批环节、特别程序、常见问题各有一张表，"
    "用“实施编码”对应事项，用“序号”排序。",
    "2. “镇街目录”表每行是一个镇街为民服务中心办理的一个事项：受理窗口号，以及是否向群众公布。",
    "3. 导入时逐行检查；只要有一处错误，就不导入任何内容，并按“表、行、列”列出全部错误。",
    "4. 已有事项：与现行指南相同的保持不变；不同的发布新版本（样表、空白表格按材料名称沿用，结果样本沿用）。",
    "5. 导入只新增和修改，不删除事项、不移出目录；废止事项、移出目录请在事项管理页面操作。",
    "6. 中心主任只能导入本镇街的特色事项和本镇街的目录；全县通用事项由县行政审批服务局管理员维护。",
    "7. 不要修改工作表名称和第1行表头；列的顺序可以调整；带“（参考）”的列仅供阅读，导入时忽略。",
    "8. “是/否”列填“是”或“否”；选项列填下列可选值（也可填代码）；多个值用“、”分隔；办理流程每步一行（Alt+Enter换行）。",
    f"9. 文件不超过{t.MAX_UPLOAD_BYTES // (1024 * 1024)}MB，“事项”表不超过{t.ITEMS.max_rows}行。",
    "",
)


def _write_row(ws, number: int, values: list, wrap: frozenset = frozenset()) -> None:
    for index, value in enumerate(values, start=1):
        if value is None:
            continue
        cell = write_cell(ws.cell(row=number, column=index), value)  # "=…" stays text, never a formula
        if index in wrap:
            cell.alignment = _WRAP


def _sheet(wb: Workbook, sheet: t.Sheet, rows: list[list]) -> None:
    ws = wb.create_sheet(sheet.title)
    _write_row(ws, 1, [c.header for c in sheet.columns])
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
    wrap = frozenset(i for i, c in enumerate(sheet.columns, start=1) if c.key in _LONG_TEXT or c.kind == t.LINES)
    for number, row in enumerate(rows, start=2):
        _write_row(ws, number, row, wrap)
    last = sheet.max_rows + 1
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        if column.kind not in (t.INT, t.BOOL):
            ws.column_dimensions[letter].number_format = "@"  # codes typed later stay text ("001" not 1)
        if column.kind in (t.BOOL, t.CHOICE):
            options = [t.YES, t.NO] if column.kind == t.BOOL else list(column.choices.labels)
            # A drop-down that still accepts codes typed by hand (the importer reads both).
            validation = DataValidation(type="list", formula1='"' + ",".join(options) + '"', showErrorMessage=False)
            validation.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(validation)
    ws.freeze_panes = "B2" if sheet is not t.CATALOG else "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{len(rows) + 1}"


def _readme(wb: Workbook) -> None:
    ws = wb.active
    ws.title = t.README_TITLE
    for number, line in enumerate(README_LINES, start=1):
        _write_row(ws, number, [line or None])
    ws["A1"].font = Font(bold=True, size=14)
    header_row = len(README_LINES) + 1
    _write_row(ws, header_row, ["工作表", "列", "是否必填", "可填写的值", "说明"])
    for cell in ws[header_row]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    number = header_row
    for sheet in t.DATA_SHEETS:
        for column in sheet.columns:
            needed = column.required or column.key in REQUIRED_BY_SPEC.get(sheet.title, ())
            filled = "仅供参考" if column.reference else ("必填" if needed else "选填")
            number += 1
            values = [sheet.title, column.header, filled, t.allowed_values(column), column.hint]
            _write_row(ws, number, values, frozenset({4, 5}))
    for letter, width in zip("ABCDE", (12, 24, 10, 48, 48), strict=True):
        ws.column_dimensions[letter].width = width


def _row(sheet: t.Sheet, fixed: dict, obj) -> list:
    return [fixed[c.key] if c.key in fixed else t.format_cell(c, getattr(obj, c.key)) for c in sheet.columns]


def build_workbook(*, items: list[tuple[ServiceItem, GuideSpec]], entries: list[CatalogEntry]) -> bytes:
    rows: dict[str, list[list]] = {s.title: [] for s in t.DATA_SHEETS}
    for item, spec in items:
        owner = item.owner_town.code if item.owner_town_id else None
        rows[t.ITEMS.title].append(_row(t.ITEMS, {"code": item.code, "owner_town": owner}, spec))
        for sheet in t.CHILD_SHEETS:
            for position, obj in enumerate(getattr(spec, sheet.list_key), start=1):
                fixed = {"code": item.code, "item_name": spec.name, "position": position}
                rows[sheet.title].append(_row(sheet, fixed, obj))
    for entry in entries:
        fixed = {
            "town": entry.town.code,
            "town_name": entry.town.name,
            "code": entry.item.code,
            "item_name": entry.item.name,
            "window": entry.window.number if entry.window_id else None,
            "is_published": t.format_cell(t.CATALOG.column("is_published"), entry.is_published),
        }
        rows[t.CATALOG.title].append(_row(t.CATALOG, fixed, None))
    wb = Workbook()
    _readme(wb)
    for sheet in t.DATA_SHEETS:
        _sheet(wb, sheet, rows[sheet.title])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_workbook(*, town=None) -> bytes:
    """Items in service with their current guides, and catalog rows: the whole county, or one town's
    (the county-wide items it adopted, its own items, its catalog)."""
    items = ServiceItem.objects.filter(current_guide__isnull=False)
    entries = CatalogEntry.objects.all()
    if town is not None:
        items = items.filter(Q(owner_town=town) | Q(owner_town__isnull=True, catalog_entries__town=town))
        entries = entries.filter(town=town)
    items = list(
        items.distinct()
        .select_related("owner_town", "current_guide__source_department", "current_guide__business_category")
        .prefetch_related("current_guide__materials", "current_guide__special_procedures", "current_guide__stages")
        .order_by("code")
    )
    entries = (
        entries.filter(item__in=[i.pk for i in items])
        .select_related("town", "item", "window")
        .order_by("town__code", "item__code")
    )
    return build_workbook(items=[(i, spec_from_guide(i.current_guide)) for i in items], entries=list(entries))
