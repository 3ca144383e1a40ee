"""A one-page application form as a PDF: blank (空白表格) or filled in as a sample (样表, 示范文本).

Used by the demo loader to give guides real files to download; the layout is what a county center
prints for its windows: a title, a two-column table of labelled boxes, a declaration and signatures.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from onewindow.catalog.documents.fonts import cjk_font_name
from onewindow.catalog.documents.pdf_base import GRID, SHADE, escape, make_styles, styled_table


@dataclass(frozen=True)
class FormSpec:
    title: str
    rows: tuple[tuple[str, str], ...]  # (label, the sample's value)
    declaration: str = "本人承诺以上填写内容及所提交材料真实有效，如有虚假，愿承担相应法律责任。"
    signatures: tuple[str, ...] = ("申请人（签字）", "日期")
    mark: str = "样表"  # what a filled-in copy is marked as (a result's copy is a 样本)


def build_form_pdf(form: FormSpec, *, sample: bool) -> bytes:
    """The form as a PDF; `sample` fills in the example values and marks every page (样表 or 样本)."""
    font = cjk_font_name()
    styles = make_styles(font)
    buffer = io.BytesIO()
    title = f"{form.title}（{form.mark}）" if sample else form.title
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=title,
        creator="onewindow 一窗受理平台",
        initialFontName=font,
    )
    cell = styles["body"]
    rows = [
        [Paragraph(escape(label), cell), Paragraph(escape(value if sample else ""), cell)] for label, value in form.rows
    ]
    table = styled_table(
        rows,
        [45 * mm, doc.width - 45 * mm],
        [*GRID, ("BACKGROUND", (0, 0), (0, -1), SHADE), ("TOPPADDING", (0, 0), (-1, -1), 6)],
        font=font,
    )
    signed = [f"{label}：{'张某某' if sample and '签' in label else '　' * 6}" for label in form.signatures]
    signature = "　　　　".join(signed)
    story = [
        Paragraph(escape(title), styles["title"]),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 6 * mm),
        Paragraph(escape(form.declaration), styles["body"]),
        Spacer(1, 10 * mm),
        Paragraph(escape(signature), styles["body"]),
    ]
    if sample:
        note = f"注：本{form.mark}所填信息均为虚构示例，仅供参考。"
        story += [Spacer(1, 8 * mm), Paragraph(note, styles["muted"])]

    def decorate(canvas, _doc):
        if not sample:
            return
        canvas.saveState()
        canvas.setFont(font, 72)
        canvas.setFillColor(colors.Color(0.72, 0.11, 0.11, alpha=0.12))
        canvas.translate(A4[0] / 2, A4[1] / 2)
        canvas.rotate(35)
        canvas.drawCentredString(0, 0, "　".join(form.mark))
        canvas.restoreState()

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
