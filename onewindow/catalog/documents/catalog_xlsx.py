"""《镇街为民服务中心一窗受理事项目录》 as an Excel workbook for people to read and print
(the machine-readable import/export workbook is onewindow.catalog.excel: template.py and exporter.py).

Every cell goes through safe_output.write_row, as the exporter's do: guide text is data, never a formula."""

from __future__ import annotations

import io
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from onewindow.catalog.documents import data
from onewindow.catalog.documents.catalog_pdf import COLUMNS, TITLE
from onewindow.catalog.safe_output import write_row

# Column widths in Excel character units (a CJK character is about two).
WIDTHS = [6, 34, 30, 11, 20, 20, 9, 20, 18, 11, 22]
FONT = "宋体"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
GROUP_FILL = PatternFill("solid", fgColor="EEF1F4")
HEADER_ROW = 3


def build_catalog_xlsx(catalog: data.TownCatalog) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "一窗受理事项目录"
    last = get_column_letter(len(COLUMNS))

    write_row(sheet, 1, [f"{catalog.center_name}{TITLE}"])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(name=FONT, size=16, bold=True)
    sheet["A1"].alignment = CENTER
    sheet.row_dimensions[1].height = 30
    subtitle = f"{catalog.county_name} · 公布日期：{catalog.date_text} · 共{len(catalog.entries)}项（时限均为工作日）"
    write_row(sheet, 2, [subtitle])
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"].font = Font(name=FONT, size=10, color="52606D")
    sheet["A2"].alignment = CENTER

    write_row(sheet, HEADER_ROW, [header for header, _, _ in COLUMNS])
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(name=FONT, size=10, bold=True, color="FFFFFF")
        cell.fill, cell.alignment, cell.border = HEADER_FILL, CENTER, BORDER
    sheet.row_dimensions[HEADER_ROW].height = 30

    row, number = HEADER_ROW, 0
    for group_index, group in enumerate(catalog.groups):
        row += 1
        write_row(sheet, row, [f"{'一二三四五'[group_index]}、{group.label}（{len(group.entries)}项）"])
        sheet.merge_cells(f"A{row}:{last}{row}")
        for cell in sheet[row]:
            cell.fill, cell.border = GROUP_FILL, BORDER
        sheet.cell(row, 1).font = Font(name=FONT, size=10, bold=True)
        for entry in group.entries:
            row, number = row + 1, number + 1
            guide = entry.item.current_guide
            values = [number if value is None else value(entry, guide) for _, _, value in COLUMNS]
            write_row(sheet, row, values)
            for index in range(len(COLUMNS)):
                cell = sheet.cell(row, index + 1)
                cell.font = Font(name=FONT, size=10)
                cell.alignment = CENTER if index in (0, 3, 6, 9) else WRAP
                cell.border = BORDER
            lines = max(_lines(v, w) for v, w in zip(values, WIDTHS, strict=True))
            sheet.row_dimensions[row].height = 14 * lines + 4
    if not catalog.entries:
        write_row(sheet, row + 1, ["本镇街尚未公布一窗受理事项。"])

    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _print_setup(sheet, catalog)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _lines(value, width: int) -> int:
    """Lines a wrapped cell needs: not every spreadsheet program sizes rows itself, so we set heights."""
    lines = 0
    for part in str(value).split("\n"):
        units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in part)  # a CJK character is two units wide
        lines += max(1, math.ceil(units / max(width - 1, 1)))
    return lines


def _print_setup(sheet, catalog) -> None:
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"  # header row and the number/name columns stay in view
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.oddFooter.center.text = "第 &P 页 / 共 &N 页"
    sheet.oddHeader.left.text = catalog.center_name
    sheet.oddHeader.right.text = TITLE
