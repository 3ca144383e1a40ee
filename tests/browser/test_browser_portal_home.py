"""A citizen's phone (390×844) opens the portal home, switches to the elderly mode (长辈版) with one button,
signs in by SMS code, and still opens a visited guide page with the connection gone (installable web app)."""

import re
from pathlib import Path

import pytest
from browser_helpers import assert_chinese_renders, fits_width
from playwright.sync_api import expect

from onewindow.org.services.devices import device_token_issue

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
MOBILE = "13905375678"


@pytest.fixture
def sms(settings):
    from onewindow.core.sms import LocmemSmsBackend

    settings.ONEWINDOW_SMS_BACKEND = "onewindow.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox = []


@pytest.fixture
def town(world):
    from onewindow.testing.catalog import make_item

    make_item(adopt_in=[world.a.region], window=world.a.windows[1])  # 最低生活保障申请, online-capable
    return world.a.region


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def body_font_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")


def test_portal_home_on_a_phone_in_normal_and_elderly_mode_and_sign_in_by_sms(phone, town, sms):
    page = phone
    page.goto(f"/portal/?town={town.code}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"网上办事大厅 · {town.name}")
    expect(page.get_by_role("link", name=re.compile("网上申报"))).to_be_visible()
    expect(page.get_by_text("最低生活保障申请")).to_be_visible()
    assert fits_width(page)
    assert_chinese_renders(page, "h1")
    assert_chinese_renders(page, ".pt-tiles")
    normal_px = body_font_px(page)
    shot(page, "portal_home_phone")

    # 长辈版: one button, reached by keyboard, remembered on the next page
    toggle = page.get_by_role("button", name="长辈版")
    toggle.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("body")).to_have_class(re.compile(r"\bui-elderly\b"))
    assert body_font_px(page) >= 20 and body_font_px(page) > normal_px
    assert fits_width(page)
    tiles = page.locator(".pt-tile").all()
    assert len({round(tile.bounding_box()["x"]) for tile in tiles}) == 1  # one column
    shot(page, "portal_home_phone_elderly")
    page.goto(f"/guide/{town.code}/")
    expect(page.locator("body")).to_have_class(re.compile(r"\bui-elderly\b"))
    page.get_by_role("button", name="退出长辈版").click()
    page.wait_for_load_state()
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bui-elderly\b"))

    # sign in by SMS code
    page.goto("/portal/")
    page.get_by_role("link", name="登录", exact=True).click()
    page.get_by_label("手机号码").fill(MOBILE)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_text("验证码已发送至 139****5678").first).to_be_visible()
    assert MOBILE not in page.url
    code = re.search(r"验证码(\d{6})", sms[-1].text).group(1)
    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(re.compile(r"/portal/$"))
    expect(page.locator(".citizen-nav")).to_contain_text("139****5678")
    assert MOBILE not in page.content()
    shot(page, "portal_home_phone_signed_in")


def test_a_visited_guide_opens_without_a_connection(phone, town):
    page = phone
    page.goto(f"/portal/?town={town.code}")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # installed and active
    page.reload()  # now controlled by the worker
    assert page.evaluate("!!navigator.serviceWorker.controller")
    page.goto(f"/guide/{town.code}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(town.name)
    page.wait_for_timeout(300)  # the worker stores the page after answering
    page.context.set_offline(True)
    page.goto(f"/guide/{town.code}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(town.name)
    page.goto("/progress/")  # never visited: the Chinese offline page
    expect(page.get_by_role("heading", level=1)).to_have_text("网络暂时没有连接")
    shot(page, "portal_offline_phone")
    page.context.set_offline(False)


def test_the_terminal_counts_down_and_clears_an_idle_citizen(page, world, town, sms, settings):
    settings.ONEWINDOW_TERMINAL_IDLE_SECONDS = 15  # the page script's shortest idle time
    # A hall terminal is the town's device account, signed in once with the token its director issued.
    token = device_token_issue(actor=world.user("a", "center_director"), device=world.user("a", "device"))
    page.goto(f"/portal/terminal/{town.code}/")
    page.get_by_label("设备令牌").fill(token.key)
    page.get_by_role("button", name="设备登录").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\bterminal\b"))
    page.get_by_role("link", name=re.compile("手机验证码登录")).click()
    page.get_by_label("手机号码").fill(MOBILE)
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_label("短信验证码").fill(re.search(r"验证码(\d{6})", sms[-1].text).group(1))
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(re.compile(rf"/portal/terminal/{town.code}/$"))
    expect(page.get_by_role("button", name="退出（清除我的信息）")).to_be_visible()
    page.get_by_role("link", name=re.compile("办事指南")).first.click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible(timeout=20_000)
    assert_chinese_renders(page, "#tm-idle")
    shot(page, "portal_terminal_countdown")
    # nobody touches it: signed out, back on the terminal's start page, the terminal itself still signed in
    page.wait_for_url(re.compile(rf"/portal/terminal/{town.code}/$"), timeout=10_000)
    expect(page.locator(".citizen-nav")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("手机验证码登录"))).to_be_visible()
    shot(page, "portal_terminal_home")
