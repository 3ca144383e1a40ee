"""Reading an uploaded workbook into rows of typed values, or one clear error when it is not a usable .xlsx.

Nothing here touches the database. Structural problems (not an Excel file, a missing sheet or column,
too many rows) stop the import at once; a cell that cannot be read is reported and reading goes on,
so the user gets every error of the file in one go.
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from onewindow.catalog.excel import template as t
from onewindow.catalog.excel.report import CellError

logger = logging.getLogger(__name__)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc and password-protected Office files
NOT_XLSX = "上传的文件不是Excel工作簿（.xlsx）。请上传从本系统导出或按模板填写的.xlsx文件。"
BROKEN = "Excel文件已损坏或不完整，无法读取。请在Excel中打开并另存为.xlsx后重新导入。"


class WorkbookRejected(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Row:
    number: int  # the row number Excel shows
    values: dict[str, object]


@dataclass
class SheetRows:
    sheet: t.Sheet
    letters: dict[str, str]  # column key → the letter it sits in, in this file
    rows: list[Row] = field(default_factory=list)

    def error(self, row: Row | None, key: str | None, message: str) -> CellError:
        letter = self.letters.get(key, "") if key else ""
        label = self.sheet.column(key).name if letter else ""
        return CellError(message, self.sheet.title, row.number if row else None, letter, label)


@dataclass
class Workbook:
    sheets: dict[str, SheetRows] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)
    fatal: bool = False


def _read_bytes(file) -> bytes:
    limit = t.MAX_UPLOAD_BYTES
    too_big = WorkbookRejected(f"文件超过{limit / (1024 * 1024):g}MB，请拆分成几个文件分别导入。")
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        if (getattr(file, "size", None) or 0) > limit:
            raise too_big  # an upload: refused before it is read into memory
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise too_big
    if not data:
        raise WorkbookRejected("上传的文件是空的。")
    return data


def _open(data: bytes):
    if data.startswith(OLE_MAGIC):
        raise WorkbookRejected(
            "这是旧版Excel（.xls）文件或加密的文件，无法读取。请在Excel中“另存为”Excel工作簿（.xlsx）并取消密码后再导入。"
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookRejected(NOT_XLSX if not data.startswith(b"PK") else BROKEN)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookRejected(BROKEN) from exc
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise WorkbookRejected(NOT_XLSX)
    if inflated > t.MAX_UNCOMPRESSED_BYTES:
        raise WorkbookRejected("文件内容过大，请拆分成几个文件分别导入。")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, zlib and XML errors for damaged files
        raise WorkbookRejected(BROKEN) from exc


def _header(ws, sheet: t.Sheet, errors: list[CellError]) -> dict[str, int] | None:
    first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    found: dict[str, int] = {}
    for index, text in enumerate(first):
        header = t.normalize_header(text)
        if header:
            found.setdefault(header, index)
    positions: dict[str, int] = {}
    missing = []
    for column in sheet.columns:
        index = found.get(t.normalize_header(column.header))
        if index is None:
            if not column.reference:
                missing.append(column.header)
            continue
        positions[column.key] = index
    for header in missing:
        errors.append(CellError(f"表头缺少“{header}”列，请使用本系统导出的模板", sheet.title, 1))
    return None if missing else positions


def _rows(ws, sheet: t.Sheet, positions: dict[str, int], errors: list[CellError]) -> SheetRows | None:
    letters = {key: get_column_letter(index + 1) for key, index in positions.items()}
    result = SheetRows(sheet, letters)
    columns = [c for c in sheet.columns if c.key in positions and not c.reference]
    cell_errors = []
    for number, cells in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        raw = {c.key: cells[positions[c.key]] if positions[c.key] < len(cells) else None for c in columns}
        if all(t.is_empty(value) for value in raw.values()):
            continue
        if len(result.rows) >= sheet.max_rows:
            errors.append(CellError(f"数据超过{sheet.max_rows}行，请拆分成几个文件分别导入", sheet.title))
            return None
        row = Row(number, {})
        for column in columns:
            try:
                row.values[column.key] = t.parse_cell(column, raw[column.key])
            except t.CellValueError as exc:
                cell_errors.append(result.error(row, column.key, str(exc)))
                # Keep what was there: GuideSpec validation then skips the rules that need this value.
                row.values[column.key] = column.default if column.kind == t.BOOL else _fallback(raw[column.key])
        result.rows.append(row)
    errors.extend(cell_errors)
    return result


def _fallback(raw):
    return "" if t.is_empty(raw) else str(raw).strip()


def read_workbook(file) -> Workbook:
    """The rows of every data sheet of `file` (bytes or a file object), with the errors found reading it."""
    book = Workbook()
    try:
        wb = _open(_read_bytes(file))
    except WorkbookRejected as exc:
        book.errors.append(CellError(exc.message))
        book.fatal = True
        return book
    try:
        for sheet in t.DATA_SHEETS:
            if sheet.title not in wb.sheetnames:
                book.errors.append(CellError(f"缺少工作表“{sheet.title}”，请使用本系统导出的模板"))
                continue
            ws = wb[sheet.title]
            if not hasattr(ws, "iter_rows"):
                book.errors.append(CellError(f"“{sheet.title}”不是数据表，请使用本系统导出的模板"))
                continue
            positions = _header(ws, sheet, book.errors)
            if positions is None:
                continue
            rows = _rows(ws, sheet, positions, book.errors)
            if rows is not None:
                book.sheets[sheet.title] = rows
    except Exception:  # a damaged part only shows while its rows are read
        logger.warning("catalog import: unreadable workbook", exc_info=True)
        book.errors, book.sheets = [CellError(BROKEN)], {}
    finally:
        wb.close()
    book.fatal = len(book.sheets) < len(t.DATA_SHEETS)
    return book
