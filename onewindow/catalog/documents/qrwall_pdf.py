"""二维码便民服务墙: a print-ready poster grid of item QR codes per window category (A4 or A3 portrait)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table

from onewindow.catalog.documents import data
from onewindow.catalog.documents.pdf_base import (
    ACCENT,
    MUTED,
    RULE,
    OnewindowDoc,
    QRFlowable,
    escape,
    make_styles,
    styled_table,
)
from onewindow.core.errors import ValidationFailed

TITLE = "二维码便民服务墙"


@dataclass(frozen=True)
class Sheet:
    pagesize: tuple[float, float]
    columns: int
    qr_size: float
    row_height: float
    name_size: float
    title_size: float
    small_size: float


SHEETS = {
    "a4": Sheet(A4, columns=3, qr_size=44 * mm, row_height=72 * mm, name_size=10.5, title_size=18, small_size=8),
    "a3": Sheet(A3, columns=4, qr_size=54 * mm, row_height=84 * mm, name_size=13, title_size=26, small_size=11),
}
CELL_PADDING = 3 * mm
TITLE_BLOCK = 24 * mm  # room the title and subtitle take above the grid on A4 (scaled for A3)


def build_qrwall_pdf(catalog: data.TownCatalog, url_for: data.UrlFor, *, paper: str = "a4") -> bytes:
    sheet = SHEETS.get(paper.lower())
    if sheet is None:
        raise ValidationFailed("纸张规格只能是A4或A3", fields={"paper": "纸张规格只能是A4或A3"}, code="documents.paper")
    buffer = io.BytesIO()
    doc = OnewindowDoc(buffer, town_label=catalog.center_name, title=TITLE, pagesize=sheet.pagesize)
    styles = make_styles(doc.font)
    name_style = ParagraphStyle(
        "qr_name", parent=styles["body"], fontSize=sheet.name_size, leading=sheet.name_size * 1.35, alignment=TA_CENTER
    )
    small = sheet.small_size
    code_style = ParagraphStyle(
        "qr_code", parent=styles["muted"], fontSize=small, leading=small * 1.3, alignment=TA_CENTER
    )
    subtitle_style = ParagraphStyle(
        "qr_subtitle", parent=styles["subtitle"], fontSize=small * 1.3, leading=small * 2, spaceAfter=small
    )
    title_style = ParagraphStyle(
        "qr_title", parent=styles["title"], fontSize=sheet.title_size, leading=sheet.title_size * 1.4
    )
    rows_per_page = int((doc.height - TITLE_BLOCK * sheet.title_size / 18) // sheet.row_height)
    per_page = rows_per_page * sheet.columns
    story = []
    # Each sheet is a complete poster: its own title and a closed grid, never a table split mid-page.
    for group in catalog.groups:
        for start in range(0, len(group.entries), per_page):
            if story:
                story.append(PageBreak())
            story += _title(catalog, group, title_style, subtitle_style, continued=start > 0)
            entries = group.entries[start : start + per_page]
            cell_width = doc.width / sheet.columns
            cells = [_cell(entry, url_for, sheet, name_style, code_style, cell_width) for entry in entries]
            story.append(_grid(cells, sheet, doc.width, doc.font))
    if not catalog.entries:
        story += [
            Paragraph(escape(f"{catalog.center_name}{TITLE}"), styles["title"]),
            Paragraph("本镇街尚未公布一窗受理事项。", styles["body"]),
        ]
    doc.render(story)
    return buffer.getvalue()


def _title(catalog, group, title_style, subtitle_style, *, continued: bool) -> list:
    label = f"{group.label}（{len(group.entries)}项{'，续' if continued else ''}）"
    return [
        Paragraph(escape(f"{catalog.center_name}{TITLE}"), title_style),
        Paragraph(escape(f"{label} · 手机扫码，查看办事指南（一次性告知）"), subtitle_style),
        Spacer(1, 2 * mm),
    ]


def _name(text: str, style, width: float) -> Paragraph:
    """The item name in at most three lines: a long name is set smaller rather than spill out of
    its fixed-height cell onto the code below."""
    paragraph = Paragraph(escape(text), style)
    size = style.fontSize
    while paragraph.wrap(width, 1000)[1] > 3 * style.leading + 0.1 and size > 7:
        size -= 0.5
        paragraph = Paragraph(
            escape(text), ParagraphStyle("qr_name_small", parent=style, fontSize=size, leading=size * 1.3)
        )
    return paragraph


def _cell(entry, url_for, sheet, name_style, code_style, cell_width) -> list:
    qr = QRFlowable(url_for(entry.item.code), sheet.qr_size)
    qr.hAlign = "CENTER"
    return [
        qr,
        Spacer(1, 2 * mm),
        _name(entry.item.current_guide.name, name_style, cell_width - 2 * CELL_PADDING),
        Spacer(1, 1 * mm),
        Paragraph(escape(f"编码：{entry.item.code}"), code_style),
    ]


def _grid(cells, sheet, width, font) -> Table:
    columns = sheet.columns
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    rows[-1] = rows[-1] + [""] * (columns - len(rows[-1]))
    return styled_table(
        rows,
        [width / columns] * columns,
        [
            # Dashed lines double as cutting guides when the cells are mounted one by one.
            # (The box goes first: reportlab keeps the dash pattern for the lines drawn after it.)
            ("BOX", (0, 0), (-1, -1), 1, ACCENT),
            ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE, None, (3, 2)),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 5 * mm),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TEXTCOLOR", (0, 0), (-1, -1), MUTED),
        ],
        font=font,
        rowHeights=sheet.row_height,
    )
