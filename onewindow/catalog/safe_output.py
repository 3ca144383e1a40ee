"""Guide text on its way out of the system: download file names and cells of generated workbooks.

Guide text is typed by staff or imported from spreadsheets. The guide rules (spec_text) keep control
characters out of new versions, but anything written into a header or a workbook is cleaned here
as well, so an old row can never break a download or become a live formula in someone's Excel.
"""

from __future__ import annotations

import re

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# What Windows, macOS and HTTP headers cannot take in a file name (control characters included).
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
MAX_FILENAME_STEM = 120


def safe_filename(stem: str, extension: str = "") -> str:
    """`stem` + `extension` as a file name a browser saves as is: unsafe characters become "_"."""
    stem = _UNSAFE_FILENAME.sub("_", str(stem or "")).strip(" ._") or "download"
    return stem[:MAX_FILENAME_STEM] + extension


def safe_cell_value(value):
    """`value` without the characters an .xlsx cannot hold (openpyxl would raise IllegalCharacterError)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_cell(cell, value):
    """Puts `value` into an openpyxl cell as data: text starting with "=" stays text, never a formula
    (a guide named =HYPERLINK(…) must not become a link in the public catalog)."""
    cell.value = safe_cell_value(value)
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def write_row(sheet, row: int, values) -> None:
    """Writes `values` into `row` (from column A) through write_cell; None leaves a cell empty.
    (sheet.append would make "=…" text a formula.)"""
    for column, value in enumerate(values, start=1):
        if value is not None:
            write_cell(sheet.cell(row=row, column=column), value)
