"""The monthly 专项汇总 as an A4 landscape PDF through the catalog documents' base (CJK font embedded, the centre
and title in every header, "第 N 页 / 共 M 页" in every footer)."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from onewindow.catalog.documents.pdf_base import HEADED_GRID, OnewindowDoc, escape, make_styles, styled_table
from onewindow.feedback.reports.problem_data import ENTRY_HEADERS, TITLE, ProblemSummary, entry_row

# Widths (mm) of the problem list; scaled to the frame.
ENTRY_WIDTHS = [10, 16, 12, 20, 34, 26, 66, 28, 55]
CENTERED = {0, 1, 2, 3, 7}


def _counts_table(styles, heading: str, rows: list[tuple[str, int]], width: float):
    cells = [[Paragraph(escape(heading), styles["head_cell"]), Paragraph("数量（个）", styles["head_cell"])]]
    cells += [[Paragraph(escape(label), styles["cell"]), Paragraph(str(n), styles["cell_center"])] for label, n in rows]
    return styled_table(
        cells, [width * 0.72, width * 0.28], HEADED_GRID, font=styles["cell"].fontName, repeatRows=1, hAlign="LEFT"
    )


def _entries_table(summary: ProblemSummary, styles, available_width: float):
    widths = [w * mm for w in ENTRY_WIDTHS]
    scale = available_width / sum(widths)
    widths = [w * scale for w in widths]
    rows = [[Paragraph(escape(h), styles["head_cell"]) for h in ENTRY_HEADERS]]
    for number, entry in enumerate(summary.entries, start=1):
        rows.append(
            [
                Paragraph(escape(text), styles["cell_center" if index in CENTERED else "cell"])
                for index, text in enumerate(entry_row(number, entry))
            ]
        )
    return styled_table(rows, widths, HEADED_GRID, font=styles["cell"].fontName, repeatRows=1)


def _side_by_side(tables, width: float, font: str):
    """Small count tables in one row (a layout table without lines), top-aligned; in the CJK font too, or the
    layout cells would pull the unembedded Helvetica into the file."""
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
    return styled_table([tables], [width / len(tables)] * len(tables), commands, font=font, hAlign="LEFT")


def build_summary_pdf(summary: ProblemSummary) -> bytes:
    buffer = io.BytesIO()
    doc = OnewindowDoc(buffer, town_label=summary.center_name, title=TITLE, pagesize=landscape(A4))
    styles = make_styles(doc.font)
    third, half = doc.width / 3 - 6 * mm, doc.width / 2 - 6 * mm
    story = [
        Paragraph(escape(summary.title), styles["title"]),
        Paragraph(
            escape(f"{summary.county_name} · 统计月份：{summary.month_text} · 生成日期：{summary.generated:%Y-%m-%d}"),
            styles["subtitle"],
        ),
        Paragraph(escape(summary.overview), styles["body"]),
        Paragraph("一、分类统计", styles["h1"]),
        _side_by_side(
            [
                _counts_table(styles, "问题类型", summary.by_kind, third),
                _counts_table(styles, "问题来源", summary.by_source, third),
                _counts_table(styles, "办理状态", summary.by_status, third),
            ],
            doc.width,
            doc.font,
        ),
        Paragraph("二、按事项和部门统计", styles["h1"]),
        _side_by_side(
            [
                _counts_table(styles, "涉及事项", summary.by_item or [("（无）", 0)], half),
                _counts_table(styles, "涉及部门", summary.by_department or [("（无）", 0)], half),
            ],
            doc.width,
            doc.font,
        ),
        Paragraph("三、问题清单及整改措施", styles["h1"]),
    ]
    if summary.entries:
        story.append(_entries_table(summary, styles, doc.width))
    else:
        story.append(Paragraph("本月无登记问题。", styles["body"]))
    story += [
        Spacer(1, 4 * mm),
        Paragraph(
            "说明：即知即改（已解决）的问题列明整改措施；需县级层面协调解决的问题已上报县行政审批服务局。",
            styles["muted"],
        ),
    ]
    doc.render(story)
    return buffer.getvalue()
