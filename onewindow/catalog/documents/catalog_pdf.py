"""《镇街为民服务中心一窗受理事项目录》 as a PDF: one A4 landscape table, grouped by window category."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from onewindow.catalog.documents import data
from onewindow.catalog.documents.pdf_base import (
    ACCENT,
    GRID,
    SHADE,
    OnewindowDoc,
    escape,
    make_styles,
    styled_table,
)

TITLE = "一窗受理事项目录"

# (header, width in mm, value) — the same columns as the Excel directory.
COLUMNS = [
    ("序号", 9, None),
    ("事项名称", 45, lambda e, g: g.name),
    ("实施编码", 28, lambda e, g: e.item.code),
    ("事项类型", 15, lambda e, g: g.get_kind_display()),
    ("事项来源\n（放权方式）", 28, lambda e, g: data.source_text(g)),
    ("主管部门", 27, lambda e, g: data.competent_department(g)),
    ("办件类型", 15, lambda e, g: g.get_handling_type_display()),
    ("法定／承诺时限", 26, lambda e, g: data.limits_text(g)),
    ("受理窗口", 28, lambda e, g: data.window_text(e)),
    ("网办／代办", 18, lambda e, g: data.service_modes_text(g)),
    ("收费", 27, lambda e, g: data.fee_text(g)),
]
CENTERED = {0, 3, 6, 9}


def build_catalog_pdf(catalog: data.TownCatalog) -> bytes:
    buffer = io.BytesIO()
    doc = OnewindowDoc(buffer, town_label=catalog.center_name, title=TITLE, pagesize=landscape(A4))
    styles = make_styles(doc.font)
    story = [
        Paragraph(escape(f"{catalog.center_name}{TITLE}"), styles["title"]),
        Paragraph(
            escape(f"{catalog.county_name} · 公布日期：{catalog.date_text} · 共{len(catalog.entries)}项"),
            styles["subtitle"],
        ),
    ]
    if not catalog.entries:
        story.append(Paragraph("本镇街尚未公布一窗受理事项。", styles["body"]))
    else:
        story.append(_table(catalog, styles, doc.width))
    story += [Spacer(1, 4 * mm), Paragraph(escape(_footnote(catalog)), styles["muted"])]
    doc.render(story)
    return buffer.getvalue()


def _footnote(catalog) -> str:
    phone = catalog.center.phone if catalog.center and catalog.center.phone else ""
    text = "说明：时限均为工作日；即办件当场办结；扫描服务大厅二维码便民服务墙或登录政务服务网可查看各事项办事指南。"
    return text + (f"咨询电话：{phone}。" if phone else "")


def _table(catalog, styles, available_width) -> Table:
    widths = [w * mm for _, w, _ in COLUMNS]
    scale = available_width / sum(widths)
    widths = [w * scale for w in widths]
    rows = [[Paragraph(escape(header), styles["head_cell"]) for header, _, _ in COLUMNS]]
    commands = [("BACKGROUND", (0, 0), (-1, 0), ACCENT), *GRID]
    number = 0
    for group_index, group in enumerate(catalog.groups):
        row = len(rows)
        heading = f"{'一二三四五'[group_index]}、{group.label}（{len(group.entries)}项）"
        rows.append([Paragraph(escape(heading), styles["group"])] + [""] * (len(COLUMNS) - 1))
        commands += [("SPAN", (0, row), (-1, row)), ("BACKGROUND", (0, row), (-1, row), SHADE)]
        for entry in group.entries:
            number += 1
            guide = entry.item.current_guide
            cells = []
            for index, (_, _, value) in enumerate(COLUMNS):
                text = str(number) if value is None else value(entry, guide)
                cells.append(Paragraph(escape(text), styles["cell_center" if index in CENTERED else "cell"]))
            rows.append(cells)
    return styled_table(rows, widths, commands, font=styles["cell"].fontName, repeatRows=1)
