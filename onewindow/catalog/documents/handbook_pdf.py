"""《政务服务（便民服务）事项标准化受理材料指导手册》: cover, table of contents, a chapter per item."""

from __future__ import annotations

import io

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import NextPageTemplate, PageBreak, Paragraph, Spacer, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from onewindow.catalog.documents import data
from onewindow.catalog.documents.handbook_chapter import Chapter
from onewindow.catalog.documents.pdf_base import ACCENT, MUTED, OnewindowDoc, escape, make_styles

TITLE = "政务服务（便民服务）事项标准化受理材料指导手册"
SHORT_TITLE = "标准化受理材料指导手册"
PART_NUMBERS = "一二三四五"


class HandbookDoc(OnewindowDoc):
    """Feeds headings to the table of contents and the PDF outline (bookmarks) as they are laid out."""

    def afterFlowable(self, flowable):
        level = getattr(flowable, "toc_level", None)
        if level is None:
            return
        key = flowable.toc_key
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.toc_text, key, level=level, closed=level == 0)
        self.notify("TOCEntry", (level, escape(flowable.toc_text), self.page, key))


def build_handbook_pdf(catalog: data.TownCatalog, url_for: data.UrlFor) -> bytes:
    buffer = io.BytesIO()
    doc = HandbookDoc(buffer, town_label=catalog.center_name, title=SHORT_TITLE, cover=True)
    styles = make_styles(doc.font)
    story = _cover(catalog, styles)
    story += [NextPageTemplate("body"), PageBreak(), Paragraph("目　录", styles["title"]), Spacer(1, 4 * mm)]
    story.append(_toc(doc.font))
    number = 0
    for part_index, group in enumerate(catalog.groups):
        story.append(PageBreak())
        text = f"第{PART_NUMBERS[part_index]}部分　{group.label}（{len(group.entries)}项）"
        story.append(_heading(text, styles["title"], 0, key=f"part-{part_index}"))
        for entry_index, entry in enumerate(group.entries):
            number += 1
            chapter = Chapter(
                entry=entry,
                catalog=catalog,
                number=number,
                styles=styles,
                width=doc.width,
                url=url_for(entry.item.code),
            )
            if entry_index:
                story.append(PageBreak())
            story.append(_heading(chapter.heading, styles["h1"], 1, key=f"item-{number}"))
            story += chapter.flowables()
    if not catalog.entries:
        story += [PageBreak(), Paragraph("本镇街尚未公布一窗受理事项。", styles["body"])]
    doc.render(story, multi_pass=True)
    return buffer.getvalue()


def _heading(text: str, style, level: int, *, key: str) -> Paragraph:
    paragraph = Paragraph(escape(text), style)
    paragraph.toc_level, paragraph.toc_text, paragraph.toc_key = level, text, key
    return paragraph


def _cover(catalog, styles) -> list:
    big = ParagraphStyle("cover", parent=styles["title"], fontSize=26, leading=40)
    line = ParagraphStyle("cover_line", parent=styles["body"], fontSize=15, leading=24, alignment=TA_CENTER)
    muted = ParagraphStyle("cover_muted", parent=line, fontSize=12, textColor=MUTED)
    return [
        Spacer(1, 45 * mm),
        Paragraph(escape(catalog.county_name), line),
        Spacer(1, 10 * mm),
        Paragraph("政务服务（便民服务）事项<br/>标准化受理材料指导手册", big),
        Spacer(1, 30 * mm),
        Paragraph(escape(catalog.center_name), line),
        Spacer(1, 4 * mm),
        Paragraph(escape(f"收录一窗受理事项 {len(catalog.entries)} 项"), muted),
        Spacer(1, 50 * mm),
        Paragraph(escape(f"{catalog.generated_on.year}年{catalog.generated_on.month}月"), line),
        Paragraph("本手册依据已公布的办事指南自动生成，以政务服务网公布的最新版本为准", muted),
    ]


def _toc(font) -> TableOfContents:
    table_style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    toc = TableOfContents(dotsMinLevel=1, tableStyle=table_style)
    toc.levelStyles = [
        ParagraphStyle("toc0", fontName=font, fontSize=12, leading=20, textColor=ACCENT, spaceBefore=6, wordWrap="CJK"),
        ParagraphStyle(
            "toc1", fontName=font, fontSize=10, leading=15, leftIndent=8 * mm, firstLineIndent=0, wordWrap="CJK"
        ),
    ]
    return toc
