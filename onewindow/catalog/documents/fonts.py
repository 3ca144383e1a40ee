"""The CJK font every generated PDF embeds.

reportlab's built-in CID fonts (STSong-Light) are not embedded and show as boxes on machines without
them, so we always embed a TrueType font (a subset of the glyphs used) from ONEWINDOW_CJK_FONT.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from onewindow.core.errors import DomainError


class FontMissing(DomainError):
    # A server setup problem, not the citizen's request: 503 tells operators to look at the machine.
    status = 503
    code = "documents.font_missing"
    message = "服务器未安装中文字体，暂时无法生成文档"


def cjk_font_name() -> str:
    """Registers the configured font once per path and returns its reportlab name."""
    path = Path(settings.ONEWINDOW_CJK_FONT)
    # Keyed on the path so a changed setting (tests, a new package) never reuses a stale registration.
    name = "OnewindowCJK-" + hashlib.sha1(str(path).encode()).hexdigest()[:8]
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    if not path.is_file():
        raise FontMissing(
            f"未找到中文字体文件 {path}，无法生成PDF文档。请安装字体（如 fonts-wqy-microhei）"
            "或设置 ONEWINDOW_CJK_FONT 指向可用的 TrueType 字体",
        )
    try:
        # .ttc files hold several faces; index 0 is the proportional one (文泉驿微米黑).
        font = TTFont(name, str(path), subfontIndex=0)
    except (TTFError, OSError) as error:
        raise FontMissing(f"中文字体文件 {path} 无法使用（{error}），无法生成PDF文档") from error
    pdfmetrics.registerFont(font)
    # The font has no bold or italic face; map them to the same face so <b> in a paragraph still renders.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)
    return name
