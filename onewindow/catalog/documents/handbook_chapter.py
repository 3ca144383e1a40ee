"""One chapter of the 标准化受理材料指导手册: every element a front-desk clerk checks when accepting
the item (conditions, materials and their forms, limits, fees, process, route, place, phones, FAQ)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from onewindow.catalog.documents import data
from onewindow.catalog.documents.pdf_base import GRID, HEADED_GRID, SHADE, QRFlowable, escape, styled_table
from onewindow.catalog.models import ExerciseLevel, MaterialSource

SECTION_NUMBERS = "一二三四五六七八九十"
NO_PADDING = [
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
]


class Chapter:
    """Builds the flowables of one item's chapter; `heading` is what the table of contents lists."""

    def __init__(self, *, entry, catalog: data.TownCatalog, number: int, styles, width: float, url: str):
        self.entry, self.catalog, self.number = entry, catalog, number
        self.guide = entry.item.current_guide
        self.s, self.width, self.url = styles, width, url
        self.font = styles["body"].fontName
        self.heading = f"{number}　{self.guide.name}"
        self._section = 0

    def _p(self, text, style="body"):
        return Paragraph(escape(text), self.s[style])

    def _table(self, rows, widths_mm):
        """A full-width table with a header row; widths are proportions given in millimetres."""
        scale = self.width / (sum(widths_mm) * mm)
        widths = [w * mm * scale for w in widths_mm]
        cells = [[self._p(c, "head_cell" if index == 0 else "cell") for c in row] for index, row in enumerate(rows)]
        return styled_table(cells, widths, list(HEADED_GRID), font=self.font, repeatRows=1)

    def section(self, title):
        self._section += 1
        return self._p(f"{SECTION_NUMBERS[self._section - 1]}、{title}", "h2")

    def flowables(self) -> list:
        g = self.guide
        story = [self.summary(), self.section("受理条件"), self._p(g.conditions)]
        story += [self.section("申请材料"), *self.materials()]
        story += [self.section("办理时限和收费"), *self.limits()]
        story += [self.section("办理流程"), self._p("　→　".join(g.process_steps))]
        story += [self.section("审批路径"), *self.route()]
        story += [self.section("办理地点、时间和电话"), self.contact()]
        story += [self.section("设定依据"), self._p(g.legal_basis)]
        if g.faq:  # an empty section would only push a chapter onto a second page
            story += [self.section("常见问题"), *self.faq()]
        return story

    def _key_values(self, rows, width, fractions, *, wide_rows=()):
        """Label/value pairs, two to a row; a row in `wide_rows` holds one pair across the full width."""
        cells = [[Paragraph(escape(c), self.s["cell"]) for c in row] for row in rows]
        commands = [*GRID, ("BACKGROUND", (0, 0), (0, -1), SHADE)]
        for index in range(len(rows)):
            if index in wide_rows:
                commands.append(("SPAN", (1, index), (3, index)))
            else:
                commands.append(("BACKGROUND", (2, index), (2, index), SHADE))
        return styled_table(cells, [f * width for f in fractions], commands, font=self.font)

    def contact(self):
        g = self.guide
        rows = [
            ("办理地点", g.place, "办理时间", g.hours),
            ("咨询电话", g.consult_phone, "监督投诉电话", g.complaint_phone),
        ]
        return self._key_values(rows, self.width, (0.14, 0.36, 0.14, 0.36))

    def summary(self):
        g, entry = self.guide, self.entry
        rows = [
            ("实施编码", entry.item.code, "事项类型", g.get_kind_display()),
            ("事项来源", data.source_text(g).replace("\n", ""), "主管部门", data.competent_department(g)),
            ("实施主体", g.implementing_body, "受理单位", g.accepting_unit),
            ("办件类型", g.get_handling_type_display(), "受理窗口", data.window_text(entry)),
            ("服务方式", data.service_modes_text(g).replace("\n", "，"), "到现场次数", f"{g.visits_needed}次"),
            ("办理结果", g.result_name, "行使层级", self.levels()),
        ]
        qr_size = 32 * mm
        info_width = self.width - qr_size - 6 * mm
        info = self._key_values(rows, info_width, (0.15, 0.35, 0.15, 0.35))
        qr = styled_table(
            [[QRFlowable(self.url, qr_size)], [Paragraph("扫码查看办事指南", self.s["cell_center"])]],
            [qr_size + 4 * mm],
            [("ALIGN", (0, 0), (-1, -1), "CENTER"), *NO_PADDING[:3]],
            font=self.font,
        )
        return styled_table(
            [[info, qr]],
            [info_width + 2 * mm, qr_size + 4 * mm],
            [("VALIGN", (0, 0), (-1, -1), "TOP"), *NO_PADDING],
            font=self.font,
        )

    def levels(self) -> str:
        labels = dict(ExerciseLevel.choices)
        return "、".join(labels.get(level, level) for level in self.guide.exercise_levels)

    def materials(self) -> list:
        materials = list(self.guide.materials.all())
        if not materials:
            return [self._p("本事项无需提交申请材料。")]
        rows = [("序号", "材料名称", "材料形式", "份数", "材料来源", "必要", "容缺", "样表及填报说明")]
        for index, m in enumerate(materials, start=1):
            rows.append(
                (
                    str(index),
                    m.name,
                    m.get_form_display(),
                    str(m.copies),
                    m.get_source_display(),
                    "必要" if m.required else "非必要",
                    "可容缺" if m.deficiency_allowed else "—",
                    self.form_reference(m),
                )
            )
        flowables = [self._table(rows, [10, 46, 22, 9, 21, 12, 13, 47])]
        if any(m.deficiency_allowed for m in materials):
            flowables.append(Spacer(1, 1 * mm))
            flowables.append(
                self._p("注：标注“可容缺”的材料暂缺时可先行受理（容缺受理），申请人须在约定期限内补齐。", "muted")
            )
        return flowables

    @staticmethod
    def form_reference(material) -> str:
        # Stored file names are random (uuid.pdf): the clerk needs the form's name and where to get it.
        parts = []
        if material.sample_file:
            parts.append(f"样表：{material.name}（扫码在办事指南页下载）")
        if material.blank_file:
            parts.append(f"空白表格：{material.name}（扫码在办事指南页下载）")
        if not parts and material.source == MaterialSource.CENTER:
            parts.append("窗口提供表格，现场填写")
        if material.note:
            parts.append(material.note)
        return "\n".join(parts) or "—"

    def limits(self) -> list:
        g = self.guide
        promised = "即办件，当场办结" if g.is_instant else f"{g.promised_limit_days}个工作日"
        procedures = list(g.special_procedures.all())
        rows = [
            ("法定办结时限", f"{g.legal_limit_days}个工作日", "承诺办结时限", promised),
            ("特别程序", "见下表" if procedures else "无", "收费标准", "不收费" if g.fee_free else g.fee_standard),
        ]
        if not g.fee_free:
            rows.append(("收费依据", g.fee_basis, "", ""))
        flowables = [self._key_values(rows, self.width, (0.14, 0.36, 0.14, 0.36), wide_rows={2})]
        if procedures:
            rows = [("特别程序", "时限", "是否计入办结时限", "说明")]
            for p in procedures:
                counted = "计入" if p.counted_in_limit else "不计入（办理期间暂停计时）"
                rows.append((p.name, f"{p.limit_days}个工作日", counted, p.note or "—"))
            flowables += [Spacer(1, 2 * mm), self._table(rows, [40, 28, 40, 72])]
        return flowables

    def route(self) -> list:
        stages = list(self.guide.stages.all())
        if not stages:
            return [self._p("窗口受理后当场办结，不流转后台审批（受办一体）。")]
        rows = [("环节", "环节名称", "审批部门", "方式", "环节时限")]
        for index, stage in enumerate(stages, start=1):
            departments = "、".join(self.catalog.department_names(stage.department_codes))
            mode = "并联审批" if stage.is_joint else "单部门审批"
            rows.append((str(index), stage.name, departments, mode, f"{stage.limit_days}个工作日"))
        flowables = [self._table(rows, [12, 42, 70, 28, 28])]
        if any(stage.is_joint for stage in stages):
            flowables.append(Spacer(1, 1 * mm))
            flowables.append(self._p("注：“并联审批”环节由所列部门同时审查，由专职协调人员统筹推进。", "muted"))
        return flowables

    def faq(self) -> list:
        flowables = []
        for index, item in enumerate(self.guide.faq, start=1):
            flowables.append(self._p(f"问{index}：{item['question']}"))
            flowables.append(self._p(f"答：{item['answer']}"))
            flowables.append(Spacer(1, 1 * mm))
        return flowables
