"""Notices as A4 PDFs with the center's name, the case number, the date and a QR code to the progress page.

Each notice is drawn from the content frozen when it was issued (Notice.content), so a reprint says
exactly what the applicant was handed.
"""

from __future__ import annotations

import io
from datetime import date

from django.urls import reverse
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from onewindow.cases.models import Notice, NoticeKind
from onewindow.catalog.documents.pdf_base import OnewindowDoc, QRFlowable, escape, make_styles, styled_table
from onewindow.catalog.qr import absolute_url


def _day(value: str) -> str:
    try:
        return f"{date.fromisoformat(value):%Y年%m月%d日}"
    except (TypeError, ValueError):
        return value or ""


def _certificate(c: dict, joiner: str) -> str:
    return f"{joiner}{escape(c['certificate_number'])}" if c.get("certificate_number") else ""


def _paragraphs(notice: Notice) -> list[str]:
    c = notice.content
    kind = notice.kind
    if kind == NoticeKind.ACCEPTANCE:
        return [
            f"你（单位）于{_day(c['date'])}提出的“{escape(c['item'])}”申请，经审查，申请材料齐全、符合法定形式，"
            "根据《中华人民共和国行政许可法》第三十二条等规定，决定予以受理。",
            f"承诺办结时限为{c.get('promised_days', '')}个工作日，承诺办结日期为{_day(c['deadline'])}"
            "（特别程序所需时间不计算在内）。",
            f"首问负责人：{escape(c.get('contact_clerk', ''))}。请凭办件编号和查询码查询办理进度。",
        ]
    if kind == NoticeKind.REJECTION:
        return [
            f"你（单位）于{_day(c['date'])}提出的“{escape(c['item'])}”申请，经审查，决定不予受理。",
            f"理由：{escape(c['reason'])}",
            escape(c.get("remedy", "")),
        ]
    if kind == NoticeKind.CORRECTION:
        return [
            f"你（单位）提出的“{escape(c['item'])}”申请，申请材料不齐全或者不符合法定形式。"
            "现一次性告知需要补正的全部内容如下，请补正后再次提交：",
        ]
    if kind == NoticeKind.DEFICIENCY:
        return [
            f"你（单位）提出的“{escape(c['item'])}”申请，主要申请材料齐全，次要材料有欠缺，"
            "经申请人书面承诺，决定予以容缺受理。",
            f"请于{_day(c['due'])}前补交下列材料。材料补齐前，办理结果暂不交付；逾期未补交的，终止办理。",
            f"承诺办结日期：{_day(c['deadline'])}。",
        ]
    if kind == NoticeKind.PLEDGE:
        return [
            f"本人（单位）申请办理“{escape(c['item'])}”，因下列材料暂缺，申请容缺受理，并郑重承诺：",
            f"于{_day(c['due'])}前补交下列材料，并对所提交材料的真实性负责；逾期未补交的，同意终止办理，"
            "由此产生的后果由本人（单位）承担。",
            "承诺人（签字/盖章）：________________　　日期：____年__月__日",
        ]
    if kind == NoticeKind.TERMINATION:
        return [
            f"你（单位）申请的“{escape(c['item'])}”已于受理时容缺受理，承诺于{_day(c['due'])}前补交材料，"
            "逾期未补交，现决定终止办理。如需办理，请备齐材料后重新申请。",
        ]
    if kind == NoticeKind.DECISION:
        return [
            f"你（单位）申请的“{escape(c['item'])}”已办结，办理结果：{escape(c['decision'])}。",
            f"意见：{escape(c.get('opinion', ''))}",
            f"结果文书：{escape(c.get('result', ''))}{_certificate(c, '，编号 ')}。",
        ]
    # 送达回执
    return [
        f"事项：{escape(c['item'])}；办理结果：{escape(c.get('decision') or '准予')}；"
        f"结果文书：{escape(c.get('result', ''))}{_certificate(c, ' ')}。",
        f"送达方式：{escape(c.get('method', ''))}"
        + (f"；EMS邮件号：{escape(c['tracking_number'])}" if c.get("tracking_number") else "")
        + (f"；领取人：{escape(c['recipient'])}" if c.get("recipient") else "")
        + "。",
        "受送达人（签字）：________________　　送达日期：____年__月__日",
    ]


def _material_table(notice: Notice, styles, font):
    c = notice.content
    if notice.kind == NoticeKind.CORRECTION:
        rows = [
            [
                Paragraph("序号", styles["head_cell"]),
                Paragraph("材料", styles["head_cell"]),
                Paragraph("需补正内容", styles["head_cell"]),
            ]
        ]
        rows += [
            [
                Paragraph(str(i), styles["cell_center"]),
                Paragraph(escape(m["name"]), styles["cell"]),
                Paragraph(escape(m["problem"]), styles["cell"]),
            ]
            for i, m in enumerate(c["materials"], 1)
        ]
        widths = [14 * mm, 80 * mm, 86 * mm]
    elif notice.kind in (NoticeKind.DEFICIENCY, NoticeKind.PLEDGE, NoticeKind.TERMINATION):
        names = c.get("deficient") or c.get("materials") or []
        rows = [[Paragraph("序号", styles["head_cell"]), Paragraph("容缺材料", styles["head_cell"])]]
        rows += [
            [Paragraph(str(i), styles["cell_center"]), Paragraph(escape(n), styles["cell"])]
            for i, n in enumerate(names, 1)
        ]
        widths = [14 * mm, 166 * mm]
    else:
        return None
    from onewindow.catalog.documents.pdf_base import ACCENT, RULE

    return styled_table(
        rows,
        widths,
        [
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ],
        font=font,
        repeatRows=1,
    )


def render_notice(notice: Notice, *, request=None) -> bytes:
    c = notice.content
    buffer = io.BytesIO()
    title = NoticeKind(notice.kind).label
    doc = OnewindowDoc(buffer, town_label=c.get("center", ""), title=title)
    styles = make_styles(doc.font)
    story = [
        Paragraph(escape(c.get("center", "")), styles["subtitle"]),
        Paragraph(escape(title), styles["title"]),
        Paragraph(f"办件编号：{escape(c['number'])}", styles["subtitle"]),
        Spacer(1, 4 * mm),
        Paragraph(f"{escape(c.get('applicant', ''))}：", styles["body"]),
        Spacer(1, 2 * mm),
    ]
    for text in _paragraphs(notice):
        story += [Paragraph("　　" + text, styles["body"]), Spacer(1, 2 * mm)]
    table = _material_table(notice, styles, doc.font)
    if table is not None:
        story += [table, Spacer(1, 4 * mm)]
    if c.get("note"):
        story.append(Paragraph(f"说明：{escape(c['note'])}", styles["body"]))
    progress = absolute_url(reverse("cases:public-progress"), request)
    story += [
        Spacer(1, 8 * mm),
        Paragraph(f"{escape(c.get('center', ''))}（盖章）", styles["body"]),
        Paragraph(_day(c["date"]), styles["body"]),
        Spacer(1, 6 * mm),
        QRFlowable(f"{progress}?number={c['number']}", 28 * mm),
        Paragraph("扫码或登录政务服务网，凭办件编号和查询码查询办理进度", styles["muted"]),
    ]
    doc.render(story)
    return buffer.getvalue()
