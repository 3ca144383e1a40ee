"""Shared PDF machinery: the page template (town and title in the header, "第 N 页 / 共 M 页" in the
footer), Chinese paragraph styles and a vector QR-code flowable.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table, TableStyle

from onewindow.catalog.documents.fonts import cjk_font_name
from onewindow.catalog.qr import qr_matrix

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
ACCENT = colors.HexColor("#b71c1c")  # 政务红, for titles and rules
RULE = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#eef1f4")
MARGIN = 15 * mm
# Ruled table cells with even padding: the catalog table and the handbook's tables share it.
GRID = (
    ("GRID", (0, 0), (-1, -1), 0.4, RULE),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
)
HEADED_GRID = (*GRID, ("BACKGROUND", (0, 0), (-1, 0), ACCENT))


def make_styles(font: str) -> dict[str, ParagraphStyle]:
    """Paragraph styles; wordWrap="CJK" breaks Chinese lines between any two characters."""
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=14, textColor=INK, wordWrap="CJK")

    def style(name, **kw):
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "cell": style("cell", fontSize=8, leading=10.5),
        "cell_center": style("cell_center", fontSize=8, leading=10.5, alignment=TA_CENTER),
        "head_cell": style("head_cell", fontSize=8.5, leading=11, alignment=TA_CENTER, textColor=colors.white),
        "muted": style("muted", fontSize=8.5, leading=12, textColor=MUTED),
        "title": style("title", fontSize=18, leading=26, alignment=TA_CENTER, textColor=ACCENT, spaceAfter=4),
        "subtitle": style("subtitle", fontSize=10.5, leading=16, alignment=TA_CENTER, textColor=MUTED, spaceAfter=8),
        "h1": style("h1", fontSize=15, leading=21, textColor=ACCENT, spaceBefore=2, spaceAfter=8, keepWithNext=1),
        "h2": style("h2", fontSize=11, leading=14, textColor=ACCENT, spaceBefore=5, spaceAfter=2, keepWithNext=1),
        "group": style("group", fontSize=10, leading=14, textColor=INK),
    }


def escape(text) -> str:
    """Paragraph text is mini-markup: guide text with < or & must not break it."""
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def styled_table(rows, col_widths, commands, *, font: str, **kwargs) -> Table:
    """A Table whose cells use the CJK font: reportlab sets each cell's font (Helvetica by default)
    even when the cell holds paragraphs, which would pull an unembedded font into the file."""
    table = Table(rows, colWidths=col_widths, **kwargs)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), *commands]))
    return table


class NumberedCanvas(Canvas):
    """Holds every page until the end so the footer can say how many pages there are in all."""

    font_name = "Helvetica"
    show_footer = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            if self.show_footer:
                self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        width, _ = self._pagesize
        self.saveState()
        self.setFont(self.font_name, 9)
        self.setFillColor(MUTED)
        self.drawCentredString(width / 2, 9 * mm, f"第 {number} 页 / 共 {total} 页")
        self.restoreState()


class OnewindowDoc(BaseDocTemplate):
    """A4 document with the town and document title in the header of every page but the cover."""

    def __init__(self, buffer, *, town_label: str, title: str, pagesize=A4, cover: bool = False, **kwargs):
        self.font = cjk_font_name()
        self.town_label, self.doc_title = town_label, title
        super().__init__(
            buffer,
            pagesize=pagesize,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 8 * mm,
            bottomMargin=MARGIN + 4 * mm,
            title=f"{town_label}{title}",
            author=town_label,
            subject=title,
            creator="onewindow 一窗受理平台",
            # Starting in the CJK font keeps the unembedded Helvetica out of the file altogether.
            initialFontName=self.font,
            **kwargs,
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        templates = [PageTemplate(id="body", frames=[frame], onPage=self._decorate)]
        if cover:
            templates.insert(0, PageTemplate(id="cover", frames=[frame], onPage=self._plain))
        self.addPageTemplates(templates)

    def _plain(self, canvas, doc):
        canvas.show_footer = False

    def _decorate(self, canvas, doc):
        canvas.show_footer = True
        width, height = self.pagesize
        top = height - MARGIN
        canvas.saveState()
        canvas.setFont(self.font, 9)
        canvas.setFillColor(MUTED)
        canvas.drawString(self.leftMargin, top, self.town_label)
        canvas.drawRightString(width - self.rightMargin, top, self.doc_title)
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(0.8)
        canvas.line(self.leftMargin, top - 2.5 * mm, width - self.rightMargin, top - 2.5 * mm)
        canvas.restoreState()

    def render(self, story, *, multi_pass: bool = False) -> None:
        font = self.font

        def canvasmaker(*args, **kwargs):
            canvas = NumberedCanvas(*args, **kwargs)
            canvas.font_name = font
            return canvas

        if multi_pass:
            self.multiBuild(story, canvasmaker=canvasmaker)
        else:
            self.build(story, canvasmaker=canvasmaker)


class QRFlowable(Flowable):
    """A QR code drawn as vector rectangles (sharp at any print size, no raster image needed)."""

    def __init__(self, url: str, size: float, *, border: int = 2):
        super().__init__()
        self.matrix = qr_matrix(url)
        self.size = size
        self.border = border
        self.width = self.height = size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        canvas = self.canv
        count = len(self.matrix) + 2 * self.border
        module = self.size / count
        canvas.saveState()
        canvas.setFillColor(colors.white)
        canvas.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        for row_index, row in enumerate(self.matrix):
            y = self.size - (row_index + self.border + 1) * module
            column = 0
            # One rectangle per horizontal run of dark modules keeps the PDF small.
            while column < len(row):
                if not row[column]:
                    column += 1
                    continue
                start = column
                while column < len(row) and row[column]:
                    column += 1
                x = (start + self.border) * module
                # A hair of overlap hides the seams some viewers draw between adjacent rectangles.
                canvas.rect(x, y, (column - start) * module + 0.05, module + 0.05, stroke=0, fill=1)
        canvas.restoreState()
