"""Small page helpers shared by the journeys (Chromium-only: fonts are read through the DevTools protocol)."""

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

CJK_FONTS = ("WenQuanYi", "Noto Sans CJK", "Noto Serif CJK", "Source Han", "Microsoft YaHei", "PingFang", "SimSun")


def rendering_fonts(page: Page, selector: str) -> tuple[dict[str, int], int]:
    """The platform fonts Chromium actually used for the Chinese text in and under `selector`.

    Returns ({family: glyphs drawn}, number of Chinese characters in those text nodes). A missing CJK
    font shows up as the Chinese glyphs being drawn by a Latin fallback font (tofu boxes).
    """
    chinese = page.evaluate(
        """(selector) => {
            let count = 0;
            document.querySelectorAll(selector).forEach(top => [top, ...top.querySelectorAll('*')].forEach(el => {
                const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('');
                const han = own.match(/[\\u3000-\\u303f\\u4e00-\\u9fff\\uff00-\\uffef]/g);
                if (han && el.checkVisibility()) { el.setAttribute('data-cjk-probe', ''); count += han.length; }
            }));
            return count;
        }""",
        selector,
    )
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        for attempt in range(5):
            try:
                return _fonts_of_probes(cdp), chinese
            except PlaywrightError as error:
                # The page replaced part of its DOM between two protocol calls (a script still settling):
                # the node ids went stale; take a fresh document and look again.
                if "Could not find node" not in str(error) or attempt == 4:
                    raise
                page.wait_for_timeout(100)
        raise AssertionError("unreachable")
    finally:
        cdp.detach()
        page.evaluate(
            "() => document.querySelectorAll('[data-cjk-probe]').forEach(e => e.removeAttribute('data-cjk-probe'))"
        )


def _fonts_of_probes(cdp) -> dict[str, int]:
    root = cdp.send("DOM.getDocument", {"depth": 0})
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root["root"]["nodeId"], "selector": "[data-cjk-probe]"})
    used: dict[str, int] = {}
    for node_id in nodes["nodeIds"]:
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]:
            used[font["familyName"]] = used.get(font["familyName"], 0) + font["glyphCount"]
    return used


def assert_chinese_renders(page: Page, selector: str = "h1") -> None:
    """Every Chinese character under `selector` is drawn by a CJK font (digits and Latin may use another).

    A page that re-renders itself (a polling screen) can replace the probed nodes between marking and measuring,
    leaving fewer glyphs than characters; the measurement is repeated a few times before it counts as tofu."""
    for _ in range(5):
        fonts, chinese = rendering_fonts(page, selector)
        assert chinese, f"no visible Chinese text under {selector}"
        cjk_glyphs = sum(glyphs for family, glyphs in fonts.items() if any(cjk in family for cjk in CJK_FONTS))
        if cjk_glyphs >= chinese:
            return
        if fonts and not any(any(cjk in family for cjk in CJK_FONTS) for family in fonts):
            break  # glyphs drawn, none by a CJK font: real tofu, no point in measuring again
        page.wait_for_timeout(200)
    raise AssertionError(f"{selector}: {chinese} Chinese characters but fonts used were {fonts} (tofu?)")


def active_element(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
                    text: (el.innerText || el.value || '').trim(), href: el.getAttribute('href'),
                    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
                    outlineColor: style.outlineColor,
                    left: box.left, top: box.top, width: box.width, height: box.height,
                    focusVisible: el.matches(':focus-visible')};
        }"""
    )


def tab_to(page: Page, locator, *, limit: int = 40) -> int:
    """Presses Tab until `locator` has the focus; returns how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return presses
    raise AssertionError(f"{locator} not reached with {limit} Tab presses")


def fits_width(page) -> bool:
    """No sideways scrolling: the page is no wider than the viewport the test set. (A phone-sized context widens
    window.innerWidth to fit wide content, so comparing with innerWidth can never fail there.)"""
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
