"""适老化 display switch (large text, high contrast) and keyboard / screen-reader basics."""

import re

from browser_helpers import active_element, assert_chinese_renders, fits_width
from playwright.sync_api import expect

from onewindow.core.roles import Role

BODY_FONT_PX = "parseFloat(getComputedStyle(document.body).fontSize)"


def test_elderly_friendly_switch_enlarges_text_raises_contrast_and_is_remembered(page, world, login, screenshot):
    page.goto("/accounts/login/")
    assert_chinese_renders(page, "h1")
    screenshot("login")
    login(world.user("a", Role.CENTER_DIRECTOR))
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    body = page.locator("body")
    assert page.evaluate(BODY_FONT_PX) == 18
    assert_chinese_renders(page, ".tasks")
    screenshot("home-normal")

    page.get_by_label("大字号").check()
    page.get_by_label("高对比度").check()
    with page.expect_navigation():
        page.get_by_role("button", name="应用").click()

    expect(page).to_have_url(re.compile(r"/$"))  # back where the person was
    expect(body).to_have_class(re.compile(r"\bui-large\b"))
    expect(body).to_have_class(re.compile(r"\bui-contrast\b"))
    assert page.evaluate(BODY_FONT_PX) >= 24
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    assert fits_width(page)
    screenshot("home-large-contrast")

    page.reload()
    expect(body).to_have_class(re.compile(r"\bui-large\b.*\bui-contrast\b"))
    expect(page.get_by_label("大字号")).to_be_checked()
    expect(page.get_by_label("高对比度")).to_be_checked()
    assert page.evaluate(BODY_FONT_PX) >= 24

    page.get_by_role("link", name="窗口一览").click()
    expect(body).to_have_class(re.compile(r"\bui-large\b.*\bui-contrast\b"))
    assert fits_width(page)
    screenshot("windows-large-contrast")

    # It is a choice of the PC, not of the account: it survives signing out.
    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("工作人员登录")
    expect(page.get_by_role("status")).to_have_text("您已安全退出。")
    assert page.evaluate(BODY_FONT_PX) >= 24
    screenshot("login-large-contrast")

    # And it can be switched off again.
    page.get_by_label("大字号").uncheck()
    page.get_by_label("高对比度").uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="应用").click()
    expect(body).not_to_have_class(re.compile(r"ui-large|ui-contrast"))
    assert page.evaluate(BODY_FONT_PX) == 18


def test_login_form_controls_are_labelled_and_the_cursor_starts_in_the_user_name(page, world):
    page.goto("/accounts/login/")
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                .filter(el => el.labels.length === 0 || !el.labels[0].innerText.trim())
                .map(el => el.outerHTML)"""
    )
    assert unlabelled == []
    expect(page.get_by_label("用户名")).to_have_attribute("id", "id_username")
    expect(page.get_by_label("密码")).to_have_attribute("type", "password")
    expect(page.get_by_label("大字号")).to_have_attribute("type", "checkbox")
    expect(page.get_by_label("高对比度")).to_have_attribute("type", "checkbox")

    # The login form autofocuses the user name (inside <main>), so the first Tab goes on to the password;
    # the skip link and the display switch stay reachable backwards, before the form.
    focus = active_element(page)
    assert focus["id"] == "id_username"
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert focus["focusVisible"] and focus["outlineStyle"] == "solid" and focus["outlineWidth"] >= 2
    page.keyboard.press("Tab")
    assert active_element(page)["id"] == "id_password"
    for _ in range(2):
        page.keyboard.press("Shift+Tab")
    assert active_element(page)["text"] == "应用"


def test_first_tab_reaches_the_skip_link_and_focus_is_always_visible(page, world, login, screenshot):
    login(world.user("a", Role.FRONT_CLERK))
    for address in ("/", "/windows/", "/no-such-page/"):
        page.goto(address)
        page.keyboard.press("Tab")
        focus = active_element(page)
        assert (focus["tag"], focus["text"], focus["href"]) == ("a", "跳到正文", "#main"), address
        # Hidden off screen until focused, then shown inside the viewport with a visible outline.
        assert focus["left"] >= 0 and focus["top"] >= 0 and focus["width"] > 0, focus
        assert focus["focusVisible"] and focus["outlineStyle"] == "solid" and focus["outlineWidth"] >= 2, focus
    page.goto("/")
    page.keyboard.press("Tab")
    screenshot("skip-link-focused")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/#main$"))
    assert active_element(page)["id"] == "main"
    page.keyboard.press("Tab")  # the next stop is the first link of the content, not the header again
    focus = active_element(page)
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert focus["text"].startswith("综合受理")

    # Every stop on the way through the page shows where the focus is.
    page.goto("/windows/")
    stops = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focus = active_element(page)
        if focus["tag"] == "body":
            break
        stops.append(focus["text"] or focus["name"])
        assert focus["focusVisible"] and focus["outlineStyle"] != "none" and focus["outlineWidth"] >= 2, focus
    assert stops[:2] == ["跳到正文", "嘉·快办 · 镇街一窗受理平台"]
