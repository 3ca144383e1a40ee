"""The monthly 专项汇总 as an Excel workbook: sheet 1 the counts, sheet 2 the problem list with measures.
Every cell goes through safe_output.write_row: ledger text is data, never a formula."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from onewindow.catalog.safe_output import write_row
from onewindow.feedback.reports.problem_data import ENTRY_HEADERS, TITLE, ProblemSummary, entry_row

FONT = "宋体"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
ENTRY_WIDTHS = [6, 11, 8, 14, 26, 18, 50, 16, 40]


def _header(sheet, row: int, values) -> None:
    write_row(sheet, row, values)
    for column in range(1, len(values) + 1):
        cell = sheet.cell(row, column)
        cell.font = Font(name=FONT, size=10, bold=True, color="FFFFFF")
        cell.fill, cell.alignment, cell.border = HEADER_FILL, CENTER, BORDER


def _body(sheet, row: int, values, centered=()) -> None:
    write_row(sheet, row, values)
    for column in range(1, len(values) + 1):
        cell = sheet.cell(row, column)
        cell.font = Font(name=FONT, size=10)
        cell.alignment = CENTER if column - 1 in centered else WRAP
        cell.border = BORDER


def _title(sheet, summary: ProblemSummary, columns: int) -> None:
    last = get_column_letter(columns)
    write_row(sheet, 1, [summary.title])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(name=FONT, size=16, bold=True)
    sheet["A1"].alignment = CENTER
    sheet.row_dimensions[1].height = 30
    write_row(
        sheet, 2, [f"{summary.county_name} · 统计月份：{summary.month_text} · 生成日期：{summary.generated:%Y-%m-%d}"]
    )
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"].font = Font(name=FONT, size=10, color="52606D")
    sheet["A2"].alignment = CENTER


def _counts_sheet(sheet, summary: ProblemSummary) -> None:
    sheet.title = "专项汇总"
    _title(sheet, summary, 2)
    write_row(sheet, 3, [summary.overview])
    sheet.merge_cells("A3:B3")
    sheet["A3"].alignment = WRAP
    sheet.row_dimensions[3].height = 48
    row = 4
    sections = (
        ("问题类型", summary.by_kind),
        ("问题来源", summary.by_source),
        ("办理状态", summary.by_status),
        ("涉及事项", summary.by_item),
        ("涉及部门", summary.by_department),
    )
    for heading, rows in sections:
        row += 1
        _header(sheet, row, [heading, "数量（个）"])
        for label, count in rows:
            row += 1
            _body(sheet, row, [label, count], centered=(1,))
        row += 1
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 14


def _entries_sheet(sheet, summary: ProblemSummary) -> None:
    _title(sheet, summary, len(ENTRY_HEADERS))
    _header(sheet, 3, ENTRY_HEADERS)
    for number, entry in enumerate(summary.entries, start=1):
        _body(sheet, 3 + number, entry_row(number, entry), centered=(0, 1, 2, 3, 7))
    if not summary.entries:
        write_row(sheet, 4, ["本月无登记问题。"])
    for index, width in enumerate(ENTRY_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = "第 &P 页 / 共 &N 页"
    sheet.oddHeader.right.text = TITLE


def build_summary_xlsx(summary: ProblemSummary) -> bytes:
    workbook = Workbook()
    _counts_sheet(workbook.active, summary)
    _entries_sheet(workbook.create_sheet("问题清单"), summary)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
