"""Where an item's public guide lives, and its QR code (segno).

QR codes always carry an absolute address: ONEWINDOW_PUBLIC_BASE_URL when set (what phones in the
hall can reach), else the address of the request that renders them.
"""

from __future__ import annotations

from functools import lru_cache

import segno
from django.conf import settings
from django.urls import reverse

from onewindow.core.errors import DomainError


def guide_path(town_code: str, item_code: str) -> str:
    return reverse("catalog:public-guide", args=[town_code, item_code])


def absolute_url(path: str, request=None) -> str:
    base = settings.ONEWINDOW_PUBLIC_BASE_URL
    if base:
        return base + path
    if request is not None:
        return request.build_absolute_uri(path)
    raise DomainError(
        "未配置对外访问地址（ONEWINDOW_PUBLIC_BASE_URL），无法生成二维码链接", code="catalog.no_public_base_url"
    )


def guide_url(town_code: str, item_code: str, request=None) -> str:
    return absolute_url(guide_path(town_code, item_code), request)


def make_qr(url: str) -> segno.QRCode:
    # Level M survives a scuffed or partly covered poster; the URL stays short enough for version ≤ 6.
    return segno.make_qr(url, error="m")


@lru_cache(maxsize=4096)  # a code depends only on its URL: guide pages and walls stop redrawing it per request
def qr_svg(url: str, *, scale: int = 4, title: str = "扫码查看办事指南") -> str:
    """An inline SVG (no external file, no network) for pages. The viewBox (unit="px") lets a stylesheet
    resize it without clipping; unstyled it keeps its natural size."""
    return make_qr(url).svg_inline(scale=scale, border=2, title=title, unit="px")


@lru_cache(maxsize=4096)
def _matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    return tuple(tuple(bool(module) for module in row) for row in make_qr(url).matrix)


def qr_matrix(url: str) -> list[list[bool]]:
    """Rows of dark/light modules, for drawing the code as vector shapes in a PDF."""
    return [list(row) for row in _matrix(url)]
