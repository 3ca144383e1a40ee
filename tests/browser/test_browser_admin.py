"""Configuration screens (Django admin, in Chinese) seen by a town's center director."""

import re

from browser_helpers import assert_chinese_renders
from playwright.sync_api import expect

from onewindow.core.roles import Role


def test_center_director_sees_only_own_town_windows_in_the_chinese_admin(page, world, login, screenshot):
    login(world.user("a", Role.CENTER_DIRECTOR))
    page.get_by_role("link", name="配置管理").click()

    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("#site-name")).to_have_text("一窗受理平台 · 配置管理")
    expect(page.locator("#user-tools")).to_contain_text("欢迎")
    expect(page.locator("#user-tools")).to_contain_text("修改密码")
    assert_chinese_renders(page, "#content h1")

    page.locator("#content-main").get_by_role("link", name="窗口", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/org/window/$"))
    expect(page.locator("#content h1")).to_have_text("选择 窗口 来修改")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(len(world.a.windows))
    for window in world.a.windows:
        expect(page.locator("#result_list")).to_contain_text(str(window))
    expect(page.locator("#result_list")).to_contain_text(world.a.center.name)
    expect(page.locator("#result_list")).not_to_contain_text(world.b.center.name)
    assert_chinese_renders(page, "#result_list")
    screenshot("admin-window-list")

    # Town B's window by its address: the admin's "does not exist" notice, nothing of the window shown.
    foreign = world.b.windows[0]
    page.goto(f"/admin/org/window/{foreign.pk}/change/")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator(".messagelist")).to_contain_text("不存在")
    expect(page.locator("#content")).not_to_contain_text(world.b.center.name)


def test_center_director_window_filter_offers_only_own_town(page, world, login):
    login(world.user("a", Role.CENTER_DIRECTOR))
    page.goto("/admin/org/window/")
    # With a single town to choose from, the town filter is not offered at all; other towns never are.
    expect(page.locator("#changelist-filter")).not_to_contain_text(world.b.region.name, timeout=1000)
