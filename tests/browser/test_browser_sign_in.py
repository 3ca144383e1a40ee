"""Signing in: a front clerk by keyboard only, town isolation seen from the browser, wrong passwords and lockout."""

import contextlib
import re

from browser_helpers import assert_chinese_renders, tab_to
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from onewindow.core.roles import Role
from onewindow.org.models import Window
from onewindow.testing.world import PASSWORD

FORGED_POST = """(action) => {
    // What a curious clerk could do from the developer tools: post the page's own CSRF token elsewhere.
    const form = document.createElement('form');
    form.method = 'post';
    form.action = action;
    const token = document.createElement('input');
    token.type = 'hidden';
    token.name = 'csrfmiddlewaretoken';
    token.value = document.querySelector('input[name=csrfmiddlewaretoken]').value;
    form.appendChild(token);
    document.body.appendChild(form);
    form.submit();
}"""


def test_front_clerk_signs_in_by_keyboard_and_sees_only_own_towns_windows(page, world, screenshot):
    clerk = world.user("a", Role.FRONT_CLERK)
    heading = page.get_by_role("heading", level=1)

    page.goto("/accounts/login/")
    # Keyboard only: the user-name box has the focus on arrival, Tab to the password, Enter submits.
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type(clerk.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/$"))
    expect(heading).to_have_text("工作台")
    expect(page.locator(".who")).to_contain_text(f"前台受理员 · {world.a.region.name}")
    expect(page.get_by_role("link", name="配置管理")).to_have_count(0)  # clerks have no configuration screens

    page.get_by_role("link", name="窗口一览").click()
    expect(heading).to_have_text("窗口一览")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(len(world.a.windows))
    for row in rows.all():
        expect(row.locator("td").first).to_have_text(world.a.region.name)
    expect(page.locator("main")).not_to_contain_text(world.b.region.name)
    expect(page.get_by_role("button", name=re.compile("开启窗口|关闭窗口"))).to_have_count(0)  # clerks cannot toggle
    assert_chinese_renders(page, "table")

    # Town B's window by its id: "not found", exactly like an id that does not exist (nothing leaks).
    foreign = world.b.windows[2]
    pages = {}
    for label, window_id in (("foreign", foreign.pk), ("missing", 999_999)):
        page.goto("/windows/")
        with page.expect_navigation() as navigation:
            page.evaluate(FORGED_POST, f"/windows/{window_id}/toggle/")
        assert navigation.value.status == 404
        expect(heading).to_have_text("未找到该页面")
        expect(page.get_by_role("alert")).to_contain_text("您访问的内容不存在，或您无权查看。")
        pages[label] = page.locator("main").inner_text()
    assert pages["foreign"] == pages["missing"]
    assert foreign.name not in pages["foreign"] and world.b.region.name not in pages["foreign"]
    assert_chinese_renders(page, "h1")
    screenshot("404-foreign-window")
    foreign.refresh_from_db()
    assert foreign.is_open is False

    # Typing the toggle address: the view only takes POST, and answers 405 with an empty body, so Chromium
    # shows its own error page instead of one of ours (navigation "fails" with ERR_HTTP_RESPONSE_CODE_FAILURE).
    with page.expect_response(re.compile(r"/toggle/$")) as typed, contextlib.suppress(PlaywrightError):
        page.goto(f"/windows/{foreign.pk}/toggle/")
    assert typed.value.status == 405
    assert foreign.name not in typed.value.text()
    screenshot("405-typed-toggle-address")

    # Any other page address that does not exist: the same Chinese page.
    assert page.goto(f"/windows/{foreign.pk}/").status == 404
    expect(heading).to_have_text("未找到该页面")

    # The API from the same signed-in browser session: own window yes, town B's window a JSON 404.
    own = page.goto(f"/api/v1/windows/{world.a.windows[0].pk}/")
    assert own.status == 200 and own.json()["id"] == world.a.windows[0].pk
    response = page.goto(f"/api/v1/windows/{foreign.pk}/")
    assert response.status == 404
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"error": {"code": "not_found", "message": "未找到该对象，或您无权访问", "fields": {}}}


def test_wrong_password_is_refused_in_chinese_and_five_failures_lock_the_account(page, world, screenshot, settings):
    clerk = world.user("a", Role.FRONT_CLERK)
    assert settings.AXES_FAILURE_LIMIT == 5
    username, password = page.get_by_label("用户名"), page.get_by_label("密码")

    def attempt(secret):
        username.fill(clerk.username)
        password.fill(secret)
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="登录").click()
        return navigation.value

    page.goto("/accounts/login/")
    for n in range(1, 5):
        response = attempt(f"wrong-{n}")
        assert response.status == 200
        expect(page.get_by_role("alert")).to_have_text("用户名或密码错误。连续输错多次后账号将被临时锁定。")
        expect(username).to_have_value(clerk.username)  # the name is kept, the password never
        expect(password).to_have_value("")
        if n == 1:
            assert_chinese_renders(page, ".errors")
            screenshot("login-wrong-password")

    response = attempt("wrong-5")
    assert response.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("账号已临时锁定")
    expect(page.get_by_role("alert")).to_contain_text("请30分钟后再试")
    assert_chinese_renders(page, "h1")
    screenshot("login-locked")

    # Locked means locked: the right password is refused too, and no session is opened.
    page.get_by_role("link", name="返回登录页").click()
    assert attempt(PASSWORD).status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("账号已临时锁定")
    page.goto("/windows/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/windows/$"))


def test_center_director_opens_the_tidal_window_with_the_keyboard(page, world, login):
    director = world.user("a", Role.CENTER_DIRECTOR)
    tidal = world.a.windows[2]
    assert tidal.kind == "tidal" and tidal.is_open is False
    login(director)

    page.goto("/windows/")
    row = page.locator("tbody tr", has_text=f"{tidal.number}号 {tidal.name}")
    expect(row).to_contain_text("关闭")
    button = row.get_by_role("button", name="开启窗口")
    tab_to(page, button)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text(f"{tidal.number}号窗口（{tidal.name}）已开启。")
    expect(row).to_contain_text("开放")
    expect(row.get_by_role("button")).to_have_text("关闭窗口")
    assert Window.objects.get(pk=tidal.pk).is_open is True
