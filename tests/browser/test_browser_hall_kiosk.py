"""Issue 5 "Done when", taking tickets: a citizen takes a ticket at the kiosk by touch and gets a printed 80 mm
slip in Chinese; another takes one on a phone and follows it; the window calls it and the phone says which window.

The `clock` fixture pins "now" to Tuesday 2026-09-01 09:30 (inside the morning session); the live server runs in
a thread of this process and sees the same time.
"""

import re
from pathlib import Path

from browser_helpers import assert_chinese_renders, fits_width, tab_to
from playwright.sync_api import expect

from onewindow.core.roles import Role
from onewindow.org.services.devices import device_token_issue
from onewindow.testing.cases import clock  # noqa: F401  (fixture)
from onewindow.testing.hall import hall  # noqa: F401  (fixture)
from onewindow.testing.world import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
KIOSK = {"width": 1080, "height": 1920}  # the usual upright touch kiosk
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}
MM_PER_POINT = 25.4 / 72


def shoot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def page_boxes_mm(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) in millimetres of every page of a PDF Chromium printed."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes, "no page box in the PDF"
    return [
        ((float(x1) - float(x0)) * MM_PER_POINT, (float(y1) - float(y0)) * MM_PER_POINT) for x0, y0, x1, y1 in boxes
    ]


def test_kiosk_ticket_phone_follow_and_window_call(page, new_page, world, hall, clock):  # noqa: F811
    center = world.a.center

    # --- The kiosk: switched on in the morning, it asks for its device account, then shows big buttons.
    page.set_viewport_size(KIOSK)
    page.add_init_script("window.__prints = 0; window.print = () => { window.__prints += 1; };")
    page.goto(f"/hall/{center.pk}/kiosk/")
    expect(page).to_have_url(re.compile(r"/hall/device/sign-in/\?next="))
    kiosk_token = device_token_issue(actor=world.user("a", Role.CENTER_DIRECTOR), device=world.user("a", Role.DEVICE))
    page.get_by_label("设备令牌").fill(kiosk_token.key)
    page.get_by_role("button", name="设备登录").click()
    expect(page.get_by_role("heading", name="自助取号")).to_be_visible()
    medical = page.get_by_role("button", name=re.compile("医保社保"))
    assert medical.bounding_box()["height"] >= 150  # a finger, not a mouse
    assert fits_width(page)
    assert_chinese_renders(page, ".kiosk")
    shoot(page, "hall-kiosk-start")

    medical.click()  # a touch reaches the page as a click
    expect(page.locator(".ticket-number")).to_have_text("A001")
    ticket = page.locator(".ticket")
    for text in ("嘉祥街道为民服务中心", "医保社保", "前面等候", "0 人", "预计等候", "2026-09-01 09:30", "扫码"):
        expect(ticket).to_contain_text(text)
    expect(ticket.locator("svg")).to_be_visible()
    assert_chinese_renders(page, ".ticket")
    page.wait_for_function("window.__prints >= 1")  # printed by itself
    shoot(page, "hall-kiosk-ticket")
    page.emulate_media(media="print")
    shoot(page, "hall-kiosk-ticket-print")
    pdf = page.pdf(prefer_css_page_size=True)
    (SCREENSHOTS / "hall-kiosk-ticket.pdf").write_bytes(pdf)
    pages = page_boxes_mm(pdf)
    page.emulate_media(media="screen")
    assert len(pages) == 1, f"the slip runs over {len(pages)} pages"
    width, height = pages[0]
    assert abs(width - 80) < 1 and 60 < height < 160, f"slip printed {width:.0f} × {height:.0f} mm, not on 80 mm roll"

    # --- A phone scans the center's QR code and takes a remote ticket for 综合业务.
    phone = new_page(PHONE, is_mobile=True, has_touch=True)
    phone.goto(f"/hall/{center.pk}/take/")
    phone.get_by_role("button", name=re.compile("综合业务")).click()
    expect(phone.locator(".follow-number")).to_contain_text("C001")
    message = phone.locator("[data-field=message]")
    expect(message).to_have_text("排队等候中，请留意叫号")
    expect(phone.locator(".follow-facts")).to_contain_text("前面还有")
    assert fits_width(phone)
    assert_chinese_renders(phone, ".hall-phone")
    shoot(phone, "hall-phone-follow-waiting")

    # --- Window 2 (综合受理: C first, then A, B) calls the next person, by keyboard.
    desk = new_page(DESK)
    desk.goto("/accounts/login/")
    desk.get_by_label("用户名").fill(world.user("a", Role.FRONT_CLERK).username)
    desk.get_by_label("密码").fill(PASSWORD)
    desk.get_by_role("button", name="登录").click()
    desk.goto(f"/hall/window/{world.a.windows[1].pk}/")
    tab_to(desk, desk.get_by_role("button", name="叫下一位"))
    desk.keyboard.press("Enter")
    expect(desk.locator(".console-number")).to_have_text("C001")
    expect(desk.locator(".messages")).to_contain_text("已叫号 C001，请到2号窗口")
    intake = desk.get_by_role("link", name="开始受理")
    expect(intake).to_have_attribute("href", re.compile(r"/cases/new/\?ticket=\d+"))
    assert_chinese_renders(desk, ".console")
    shoot(desk, "hall-window-console")

    # --- The phone learns of the call by itself (it polls every 10 s) and says which window.
    expect(message).to_have_text("已叫号，请到2号窗口", timeout=15000)
    expect(phone.locator(".follow-facts")).to_be_hidden()
    shoot(phone, "hall-phone-follow-called")

    # --- F8 finishes, F2 calls the kiosk's A001 (window 2 helps A after its own C).
    desk.wait_for_load_state()  # the shortcut script is loaded with the page
    desk.keyboard.press("F8")
    expect(desk.locator(".messages")).to_contain_text("C001 已办结")
    desk.wait_for_load_state()
    desk.keyboard.press("F2")
    expect(desk.locator(".console-number")).to_have_text("A001")

    # --- The kiosk went back to its start page by itself, ready for the next person.
    page.wait_for_url(re.compile(rf"/hall/{center.pk}/kiosk/$"), timeout=20000)
    expect(page.get_by_role("button", name=re.compile("医保社保"))).to_be_visible()


def test_book_on_a_phone_check_in_at_the_kiosk_by_number_pad(page, new_page, world, hall, clock):  # noqa: F811
    center = world.a.center

    # --- The director opens today's and tomorrow's slots for 医保社保.
    desk = new_page(DESK)
    desk.goto("/accounts/login/")
    desk.get_by_label("用户名").fill(world.user("a", Role.CENTER_DIRECTOR).username)
    desk.get_by_label("密码").fill(PASSWORD)
    desk.get_by_role("button", name="登录").click()
    desk.goto(f"/hall/{center.pk}/slots/")
    desk.get_by_label("业务类别").select_option(label="A 医保社保")
    desk.get_by_label("开始日期").fill("2026-09-01")
    desk.get_by_label("连续天数（1–14）").fill("2")
    desk.get_by_label("每个时段名额").fill("2")
    desk.get_by_role("button", name="设置预约时段").click()
    expect(desk.locator(".messages")).to_contain_text("已设置 2 个工作日、30 个预约时段")
    assert_chinese_renders(desk, "main")
    shoot(desk, "hall-slots-director")

    # --- A phone: the QR poster's page, then booking 10:00 today.
    phone = new_page(PHONE, is_mobile=True, has_touch=True)
    phone.goto(f"/hall/{center.pk}/take/")
    expect(phone.get_by_role("button", name=re.compile("医保社保"))).to_be_visible()
    assert fits_width(phone)
    shoot(phone, "hall-phone-take")
    phone.get_by_role("link", name="预约其他时间办理").click()
    phone.get_by_label("1. 办理业务").select_option(label="A 医保社保")
    phone.get_by_role("button", name="查看可约时段").click()
    phone.get_by_label(re.compile("10:00–10:30")).check()
    phone.get_by_label("4. 姓名").fill("张桂英")
    phone.get_by_label("手机号码（接收预约码短信）").fill("13805371234")
    assert fits_width(phone)
    phone.get_by_role("button", name="确认预约").click()
    expect(phone.get_by_role("heading", name="预约成功")).to_be_visible()
    code = phone.locator(".hall-code").inner_text()
    assert re.fullmatch(r"\d{8}", code)
    assert_chinese_renders(phone, ".hall-phone")
    shoot(phone, "hall-phone-booked")

    # --- At the kiosk: 预约签到取号, the code on the on-screen number pad (no keyboard), a ticket.
    page.set_viewport_size(KIOSK)
    page.add_init_script("window.print = () => {};")
    page.goto("/hall/device/sign-in/")
    page.get_by_label("用户名").fill(world.user("a", Role.DEVICE).username)  # the technician's password account
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="账号登录").click()
    page.get_by_role("link", name="预约签到取号").click()
    pad = page.get_by_role("group", name="数字键盘")
    for digit in code[:-1] + "0":  # a slip of the finger on the last digit…
        pad.get_by_role("button", name=digit, exact=True).click()
    pad.get_by_role("button", name="退格").click()  # …taken back
    pad.get_by_role("button", name=code[-1], exact=True).click()
    pad.get_by_role("button", name="1", exact=True).click()  # a ninth digit does not fit
    expect(page.get_by_label("请输入预约短信中的8位预约码")).to_have_value(code)
    assert_chinese_renders(page, ".kiosk")
    shoot(page, "hall-kiosk-check-in")
    page.get_by_role("button", name="签到取号").click()
    expect(page.locator(".ticket-number")).to_have_text("A001")
    expect(page.locator(".ticket-category")).to_contain_text("医保社保 · 预约")

    # --- The A4 poster for the entrance.
    desk.goto(f"/hall/{center.pk}/poster/")
    expect(desk.locator(".poster-title")).to_have_text("扫码取号")
    assert_chinese_renders(desk, ".poster")
    desk.emulate_media(media="print")
    shoot(desk, "hall-poster-print")
    assert desk.locator(".site-header").is_hidden() and desk.get_by_role("button", name="打印海报（A4）").is_hidden()
