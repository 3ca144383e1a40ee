"""Issue 5 item 5: the hall's big screen (1920×1080) shows a call within a second of it being made.

The board signs in as the town's device account. The live server is WSGI, so the stream answers 204 and the
page falls back to polling board.json (every 500 ms) — the path a screen takes whenever the ASGI process is
down; the stream itself is tested in onewindow/hall/tests/test_board_stream.py.
"""

import time

from browser_helpers import assert_chinese_renders
from playwright.sync_api import expect

from onewindow.audit.services import PUBLIC
from onewindow.hall.services.calling import call_next, ticket_recall
from onewindow.hall.services.tickets import ticket_issue
from onewindow.org.services.devices import device_token_issue
from onewindow.testing import cases as testing_cases
from onewindow.testing import hall as testing_hall

clock = testing_cases.clock  # pins "today" (the live server thread shares this process's timezone.now)
hall = testing_hall.hall

BOARD = {"width": 1920, "height": 1080}
NO_SCROLL = "document.documentElement.scrollHeight <= window.innerHeight + 1 && " + (
    "document.documentElement.scrollWidth <= window.innerWidth"
)


def sign_in_device(page, world, path):
    page.goto(path)  # not signed in: sent to the device sign-in page, then back
    token = device_token_issue(actor=world.user("a", "center_director"), device=world.user("a", "device"))
    page.get_by_label("设备令牌").fill(token.key)  # what the director issued at 设备管理
    page.get_by_role("button", name="设备登录").click()
    page.wait_for_url(f"**{path}")


def test_a_call_reaches_the_board_within_a_second(page, world, hall, clock, screenshot):
    page.set_viewport_size(BOARD)
    for prefix in ("A", "A", "A", "C", "C", "B", "A"):
        ticket_issue(actor=PUBLIC, category=hall[prefix])
    clerk = world.user("a", "front_clerk")
    call_next(actor=clerk, window=world.a.windows[1])  # C001 at window 2, before the board opens
    center = world.a.center

    sign_in_device(page, world, f"/hall/{center.pk}/board/")
    assert_chinese_renders(page, ".bar-title")
    expect(page.locator("[data-link-state]")).to_have_text("轮询更新")  # WSGI: the stream said 204
    expect(page.locator(".call.latest .call-number")).to_have_text("C001")
    waiting = page.locator("[data-categories] tr", has_text="医保社保")
    expect(waiting).to_contain_text("4人")
    expect(waiting).to_contain_text("约12分钟")  # 4 people × 6 min ÷ 2 windows calling A

    # when window 1 calls (a minute later), the number is on the screen within a second
    clock.minutes(1)
    called = time.monotonic()
    call_next(actor=clerk, window=world.a.windows[0])
    expect(page.locator(".call.latest .call-number")).to_have_text("A001", timeout=1000)
    delay = time.monotonic() - called
    assert delay < 1.0, f"{delay:.2f} s from the call to the board"
    expect(page.locator("[data-announce]")).to_have_text("请A001号到1号窗口办理")
    expect(page.locator(".call-number")).to_have_text(["A001", "C001"])
    expect(waiting).to_contain_text("3人")
    expect(page.locator("[data-recent] .recent-number")).to_have_text(["A001", "C001"])

    # a recall flashes the call again; the spoken announcement is switched on from the board itself
    toggle = page.get_by_role("button", name="语音播报：关")
    toggle.click()
    expect(page.get_by_role("button", name="语音播报：开")).to_have_attribute("aria-pressed", "true")
    ticket_recall(actor=clerk, ticket=world.a.windows[0].tickets.get(number="A001"), window=world.a.windows[0])
    expect(page.locator(".call.latest.fresh .call-number")).to_have_text("A001", timeout=1000)

    assert page.evaluate(NO_SCROLL), "the board must fit 1920×1080 without scrolling"
    number_px = page.locator(".call.latest .call-number").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert number_px >= 150, f"the latest number is {number_px}px: too small to read across the hall"
    screenshot("hall-board-1920x1080")


def test_the_window_display_follows_its_window(page, world, hall, clock, screenshot):
    page.set_viewport_size({"width": 1280, "height": 720})
    ticket_issue(actor=PUBLIC, category=hall["A"])
    window = world.a.windows[0]
    sign_in_device(page, world, f"/hall/window/{window.pk}/display/")
    expect(page.locator("[data-display-label]")).to_have_text("等候叫号")

    call_next(actor=world.user("a", "front_clerk"), window=window)

    expect(page.locator("[data-display-number]")).to_have_text("A001", timeout=1000)
    expect(page.locator("[data-display-label]")).to_have_text("请到本窗口办理")
    assert page.evaluate(NO_SCROLL)
    screenshot("hall-window-display")
