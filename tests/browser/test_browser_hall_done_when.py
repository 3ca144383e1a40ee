"""Issue 5's "done when", walked end to end in the demo: a citizen takes a ticket at the kiosk and follows it on a
phone; a green-channel ticket goes ahead; the window calls it and the board shows the call at once; the first
ticket is called next; a peak makes the tidal check recommend a tidal window, which the director opens with one
action; the statistics show the day.

The data is `manage.py demo`'s own (load_demo: the 嘉祥县 towns, accounts, catalog, cases and eight weeks of hall
history, ~9 s here). It is loaded at 08:00 on Tuesday 2026-09-01, before the hall opens, so the loader adds no
live queue and today's tickets are exactly the ones this journey issues; then the clock moves to 09:30. The live
server runs in a thread of this process and shares the pinned clock. It is WSGI, so the board polls board.json
every 500 ms (the stream answers 204 there; the stream itself is tested in onewindow/hall/tests).
"""

import re
import time
from dataclasses import dataclass, field
from datetime import time as clock_time
from pathlib import Path
from types import SimpleNamespace

import pytest
from browser_helpers import assert_chinese_renders, fits_width
from django.core.cache import cache
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.catalog.qr import absolute_url, qr_svg
from onewindow.core.pii import mask_id_number
from onewindow.hall.models import QueueCategory, Ticket, TicketStatus, TidalEvent
from onewindow.hall.selectors import wait_minutes
from onewindow.hall.services.calling import call_next
from onewindow.hall.services.tickets import ticket_issue
from onewindow.hall.services.tidal import center_pressure
from onewindow.hall.tasks import hall_tidal_check_task
from onewindow.org import demo_data
from onewindow.org.models import ServiceCenter, User, Window
from onewindow.org.services.demo import load_demo
from onewindow.testing import cases as testing_cases
from onewindow.testing.cases import id_number

clock = testing_cases.clock  # pins now to Tuesday 2026-09-01 (the live server thread shares it)

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
KIOSK = {"width": 1080, "height": 1920}
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}
BOARD = {"width": 1920, "height": 1080}
BOARD_BACK_OFF_MS = 12_000  # hall-board.js polls again 10 s after an error answer
# A click on the window console reaches the board within the poll interval (500 ms) plus the click's own
# round trip (POST, redirect, the console page): 1.5 s leaves room for a loaded CI machine.
CLICK_TO_BOARD_MS = 1500
ELDERLY_ID = id_number("37082919560101001")  # born 1956-01-01: 70 on the day of the journey


def shoot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"hall-done-when-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@dataclass
class Journey:
    """The demo's 嘉祥街道 hall and the clock everyone in it shares."""

    center: ServiceCenter
    users: dict
    windows: dict
    medical: QueueCategory
    clock: testing_cases.Clock
    screens: list = field(default_factory=list)

    def screen(self, page):
        """A kiosk, board or desk browser: its clock shows the pinned time (its timers run as usual)."""
        self.screens.append(page)
        page.clock.set_fixed_time(self.clock.now())
        return page

    def phone(self, page):
        """A phone: its timers are the browser clock's, so its 10-second refresh can be fast-forwarded."""
        page.clock.install(time=self.clock.now())
        return page

    def advance(self, minutes: int) -> None:
        self.clock.minutes(minutes)
        for page in self.screens:
            page.clock.set_fixed_time(self.clock.now())


def ten_seconds_later(phone) -> None:
    """The phone page's own 10-second refresh fires (the browser clock runs on; the request is real)."""
    phone.clock.run_for(10_000)


@pytest.fixture
def demo(transactional_db, live_server, clock):
    """The demo as loaded before opening time, then 09:30: the hall is open and nobody has taken a ticket yet."""
    cache.clear()  # the board's version counter and cached state live in the cache, not in the flushed database
    clock.at = clock_time(8, 0)
    load_demo()
    clock.at = clock_time(9, 30)
    center = ServiceCenter.objects.get(region__code="370829001000")  # 嘉祥街道为民服务中心
    assert not Ticket.objects.filter(center=center, day=clock.day).exists()
    assert Ticket.objects.filter(center=center, day__lt=clock.day).count() > 5000  # the weeks of history
    yield Journey(
        center=center,
        users={u.role: u for u in User.objects.filter(town=center.town, username__startswith="jiaxiang_")},
        windows={w.number: w for w in Window.objects.filter(center=center)},
        medical=QueueCategory.objects.get(center=center, prefix="A"),
        clock=clock,
    )
    cache.clear()


def sign_in(page, username: str, *, path: str | None = "/accounts/login/") -> None:
    """Signs in by the form on the page (the staff login, or the device sign-in a screen was sent to)."""
    if path:
        page.goto(path)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(demo_data.DEMO_PASSWORD)
    # The staff login page says 登录; the device sign-in page has a token form and an account form (账号登录).
    page.get_by_role("button", name=re.compile(r"^(账号)?登录$")).click()
    page.wait_for_load_state()


def scanned_url(slip_page, ticket: Ticket, server_url: str) -> str:
    """What a phone opens when it scans the slip: the ticket's follow page, checked by drawing the QR code of
    that address the way the product does (segno, one path) and comparing it with the code on the slip."""
    url = absolute_url(
        reverse("hall:follow", args=[ticket.follow_token]),
        SimpleNamespace(build_absolute_uri=lambda path: server_url + path),
    )
    expected = re.search(r' d="([^"]+)"', qr_svg(url, title="扫码查看排队进度")).group(1)
    drawn = slip_page.locator(".ticket-qr svg path").get_attribute("d")
    assert drawn == expected, f"the QR code on {ticket.number}'s slip does not encode {url}"
    return url


def retrying(service, **kwargs):
    """A service called from the test thread while screens poll. Under live_server the in-memory SQLite test
    database is shared with the server's threads, and a write into a table a poll is still reading fails at once
    with "database table is locked" (no busy timeout applies there). The service's transaction was rolled back,
    so it is simply tried again; on PostgreSQL this never happens."""
    for attempt in range(40):
        try:
            return service(**kwargs)
        except OperationalError as error:
            if "locked" not in str(error) or attempt == 39:
                raise
            time.sleep(0.05)


def board_in_step(board, latest: str | None = None) -> None:
    """Waits until the board polls normally again (and lists `latest` first among the recent calls). A poll that
    ran into one of the test thread's writes (see retrying) got a 500; the board then says so and waits 10 s
    before polling again. The timed checks (a call on the screen within a second) start only after that."""
    expect(board.locator("[data-link-state]")).to_have_text("轮询更新", timeout=BOARD_BACK_OFF_MS)
    if latest:
        expect(board.locator("[data-recent] .recent-number").first).to_have_text(latest, timeout=BOARD_BACK_OFF_MS)


def ticket(center, number: str) -> Ticket:
    return Ticket.objects.get(center=center, day=timezone.localdate(), number=number)


def test_issue_5_done_when_in_the_demo(page, new_page, live_server, demo):
    center, users, windows, medical = demo.center, demo.users, demo.windows, demo.medical
    kiosk_user = users["device"]

    # --- 09:30: two people took 医保社保 tickets at the kiosk before our citizen arrives.
    for _ in range(2):
        retrying(ticket_issue, actor=kiosk_user, category=medical)
    demo.advance(2)

    # --- 09:32, the kiosk (upright touch screen) signs in as the town's kiosk account and shows big buttons.
    demo.screen(page).set_viewport_size(KIOSK)
    page.add_init_script("window.__prints = 0; window.print = () => { window.__prints += 1; };")
    page.goto(f"/hall/{center.pk}/kiosk/")
    expect(page).to_have_url(re.compile(r"/hall/device/sign-in/\?next="))
    sign_in(page, kiosk_user.username, path=None)
    expect(page.get_by_role("heading", name="自助取号")).to_be_visible()
    medical_button = page.get_by_role("button", name=re.compile("医保社保"))
    expect(medical_button).to_contain_text("等候 2 人")
    assert_chinese_renders(page, ".kiosk")
    shoot(page, "01-kiosk")

    medical_button.click()  # a touch arrives as a click
    expect(page.locator(".ticket-number")).to_have_text("A003")
    first = ticket(center, "A003")
    assert first.source == "kiosk" and first.priority == ""
    slip = page.locator(".ticket")
    minutes = wait_minutes(first.estimated_wait_seconds)
    assert minutes >= 1, "two people ahead must give a wait, not 即将叫号"
    for text in ("嘉祥街道为民服务中心", "医保社保", "前面等候", "2 人", f"约 {minutes} 分钟", "2026-09-01 09:32"):
        expect(slip).to_contain_text(text)
    # The QR code on the slip is the code of this ticket's follow page: the phone opens what it encodes.
    follow = scanned_url(page, first, live_server.url)
    page.wait_for_function("window.__prints >= 1")
    assert_chinese_renders(page, ".ticket")
    shoot(page, "02-kiosk-ticket")
    page.get_by_role("link", name="完成，返回首页").click()
    expect(page.get_by_role("button", name=re.compile("医保社保"))).to_contain_text("等候 3 人")

    # --- A phone (390×844) scans the slip's QR code and sees its position.
    phone = demo.phone(new_page(PHONE, is_mobile=True, has_touch=True))
    phone.goto(follow)
    expect(phone.locator(".follow-number")).to_contain_text("A003")
    expect(phone.locator("[data-field=message]")).to_have_text("排队等候中，请留意叫号")
    ahead = phone.locator("[data-field=people_ahead]")
    expect(ahead).to_have_text("2")
    assert fits_width(phone)
    assert_chinese_renders(phone, ".hall-phone")
    shoot(phone, "03-phone-waiting")

    # --- 09:34, an elderly citizen's ID card is read at the kiosk: the green channel is offered and used.
    demo.advance(2)
    id_field = page.get_by_role("textbox", name=re.compile("身份证号"))
    id_field.fill(ELDERLY_ID)
    id_field.press("Enter")  # what a card reader does after typing the number
    expect(page.locator(".kiosk-id-read")).to_have_text(f"已读取身份证：{mask_id_number(ELDERLY_ID)}")
    expect(page.get_by_role("radio", name="绿色通道 · 老年人")).to_be_checked()
    assert ELDERLY_ID not in page.url
    page.get_by_role("button", name=re.compile("医保社保")).click()
    expect(page.locator(".ticket-number")).to_have_text("A004")
    expect(page.locator(".ticket-green")).to_have_text("绿色通道 · 老年人")
    expect(page.locator(".ticket")).to_contain_text("0 人")
    expect(page.locator(".ticket")).to_contain_text("即将叫号")
    green = ticket(center, "A004")
    assert green.priority == "elderly" and green.id_index and ELDERLY_ID not in page.content()
    shoot(page, "04-kiosk-green-ticket")
    # The elderly man's grandson scans A004's slip with his phone.
    green_phone = demo.phone(new_page(PHONE, is_mobile=True, has_touch=True))
    green_phone.goto(scanned_url(page, green, live_server.url))
    expect(green_phone.locator(".follow-category")).to_contain_text("绿色通道（老年人）")

    # The first phone learns by itself (it polls every 10 s) that one more person is now ahead of it.
    expect(ahead).to_have_text("2")  # nothing reloads the page: its own refresh does it
    ten_seconds_later(phone)
    expect(ahead).to_have_text("3")

    # --- The hall's big screen (1920×1080), signed in as the device account.
    board = demo.screen(new_page(BOARD))
    board_url = f"/hall/{center.pk}/board/"
    board.goto(board_url)
    sign_in(board, kiosk_user.username, path=None)
    board.wait_for_url(f"**{board_url}")
    expect(board.locator("[data-link-state]")).to_have_text("轮询更新")
    medical_waiting = board.locator("[data-categories] tr", has_text="医保社保").locator("td").first
    expect(medical_waiting).to_have_text("4人")
    expect(board.locator(".call-empty")).to_have_text("暂无叫号，请耐心等候")

    # --- 09:36, the front clerk at window 1 (医保业务) signs in, picks the window and calls the next person.
    demo.advance(2)
    desk = demo.screen(new_page(DESK))
    sign_in(desk, users["front_clerk"].username)
    desk.get_by_role("link", name=re.compile("窗口叫号")).first.click()
    desk.get_by_role("link", name=re.compile("1号窗口 · 医保业务")).click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text("1号窗口 · 医保业务")
    board_in_step(board)
    clicked = time.monotonic()
    desk.get_by_role("button", name="叫下一位").click()
    expect(board.locator(".call.latest .call-number")).to_have_text("A004", timeout=CLICK_TO_BOARD_MS)
    delay = time.monotonic() - clicked
    assert delay < CLICK_TO_BOARD_MS / 1000, f"{delay:.2f} s from the clerk's click to the board"
    # The green ticket is called although A001–A003 were there before it.
    expect(desk.locator(".console-number")).to_have_text("A004")
    expect(desk.locator(".console-state")).to_contain_text("绿色通道（老年人）")
    expect(desk.locator(".messages")).to_contain_text("已叫号 A004，请到1号窗口。")
    expect(board.locator(".call.latest .call-window")).to_contain_text("1号窗口")
    expect(board.locator("[data-announce]")).to_have_text("请A004号到1号窗口办理")
    expect(medical_waiting).to_have_text("3人")
    still_waiting = Ticket.objects.filter(center=center, day=demo.clock.day, status=TicketStatus.WAITING)
    assert sorted(still_waiting.values_list("number", flat=True)) == ["A001", "A002", "A003"]
    ten_seconds_later(green_phone)
    expect(green_phone.locator("[data-field=message]")).to_have_text("已叫号，请到1号窗口")
    assert_chinese_renders(desk, ".console")
    assert_chinese_renders(board, ".bar-title")
    shoot(desk, "05-window-green-called")
    shoot(board, "06-board-green-called")
    shoot(green_phone, "07-phone-green-called")

    # --- 09:40: A004 is served and finished; windows 2 and 5 (the coordinator, as the demo staffs them) take
    # A001 and A002; at 09:41 window 1 calls again and gets the kiosk ticket A003.
    demo.advance(4)
    desk.get_by_role("button", name="办结").click()
    expect(desk.locator(".messages")).to_contain_text("A004 已办结")
    assert retrying(call_next, actor=users["coordinator"], window=windows[2]).number == "A001"
    assert retrying(call_next, actor=users["coordinator"], window=windows[5]).number == "A002"
    # The board is in step again before the next timed call (see board_in_step).
    board_in_step(board, "A002")
    demo.advance(1)
    ten_seconds_later(phone)
    expect(ahead).to_have_text("0")
    expect(phone.locator("[data-field=wait_text]")).to_have_text("即将叫号")
    desk.get_by_role("button", name="叫下一位").click()
    expect(board.locator(".call.latest .call-number")).to_have_text("A003", timeout=CLICK_TO_BOARD_MS)
    expect(desk.locator(".console-number")).to_have_text("A003")
    expect(board.locator("[data-recent] .recent-number")).to_have_text(["A003", "A002", "A001", "A004"])
    ten_seconds_later(phone)
    expect(phone.locator("[data-field=message]")).to_have_text("已叫号，请到1号窗口")
    expect(phone.locator(".follow-facts")).to_be_hidden()
    shoot(phone, "08-phone-called")
    shoot(board, "09-board-first-called")

    # --- 09:45, the morning peak: 医保社保 tickets keep coming until the category's threshold is crossed.
    demo.advance(4)
    issued = 0
    while not next(p for p in center_pressure(center) if p.category.pk == medical.pk).crossed:
        retrying(ticket_issue, actor=kiosk_user, category=medical)
        issued += 1
        assert issued <= medical.tidal_waiting_threshold, "the threshold should be crossed by then"
    assert issued == medical.tidal_waiting_threshold == 15
    # The scheduler's job, as `manage.py scheduler` enqueues it (the immediate backend runs it at once).
    result = retrying(hall_tidal_check_task.enqueue)
    assert result.return_value == {"alerts": 1, "categories": [f"{center.pk}:A"]}
    pressure = next(p for p in center_pressure(center) if p.category.pk == medical.pk)
    assert pressure.waiting == 15 and pressure.recommended >= 1
    expect(medical_waiting).to_have_text("15人", timeout=BOARD_BACK_OFF_MS)  # the board shows the peak

    # --- The director signs in: the alert is on the workbench; 大厅管理 shows the recommendation.
    director = demo.screen(new_page(DESK))
    sign_in(director, users["center_director"].username)
    expect(director.get_by_role("link", name="潮汐预警：A 医保社保")).to_be_visible()
    expect(director.locator("#unread-title + ul")).to_contain_text("建议增开")
    director.get_by_role("link", name=re.compile("大厅管理")).click()
    expect(director).to_have_url(re.compile(rf"/hall/{center.pk}/tidal/$"))
    alert = director.locator(".messages .msg-warning")
    expect(alert).to_contain_text(f"A 医保社保 等候15人，预计等候{pressure.wait_minutes}分钟")
    expect(alert).to_contain_text(f"建议增开{pressure.recommended}个潮汐窗口")
    expect(director.locator("#q-A")).to_contain_text(f"增开{pressure.recommended}个")
    expect(director.locator("#q-B")).to_contain_text("正常")
    assert_chinese_renders(director, "main")
    shoot(director, "10-director-recommendation")

    # --- One action: the form comes filled in (window 7, category A, the alert as the reason); the director
    # picks the flexible staff member (the consultation clerk) and opens it.
    expect(director.get_by_label("潮汐窗口")).to_have_value(str(windows[7].pk))
    expect(director.get_by_label("优先叫号类别")).to_have_value(str(medical.pk))
    flexible = users["consult_clerk"]
    director.get_by_label("值守人员（机动人员）").select_option(
        label=f"{flexible.display_name}（{flexible.get_role_display()}）"
    )
    director.get_by_role("button", name="开启潮汐窗口").click()
    expect(director.locator(".messages .msg-success")).to_contain_text(
        f"7号窗口（潮汐窗口）已开启，优先叫“A 医保社保”，{flexible.display_name}值守。"
    )
    status = director.locator("table", has_text="值守人员").first.locator("tbody tr", has_text="7号")
    expect(status).to_contain_text("已开启")
    expect(status).to_contain_text(flexible.display_name)
    expect(director.locator("table").last.locator("tbody tr").first).to_contain_text("进行中")
    event = TidalEvent.objects.get(window=windows[7], closed_at__isnull=True)
    assert event.category == medical and event.staff == flexible and event.opened_by == users["center_director"]
    audit = AuditEvent.objects.filter(action=AuditAction.TIDAL_OPENED).get()
    assert audit.actor_id == users["center_director"].pk and "7号窗口" in audit.summary
    windows[7].refresh_from_db()
    assert windows[7].is_open
    shoot(director, "11-director-tidal-open")

    # The tidal window calls at once, and the board shows it within a second (it lists open windows' calls).
    board_in_step(board, "A003")
    called = time.monotonic()
    assert retrying(call_next, actor=flexible, window=windows[7]).number == "A005"
    expect(board.locator(".call.latest .call-number")).to_have_text("A005", timeout=1000)
    assert time.monotonic() - called < 1.0
    expect(board.locator(".call.latest .call-window")).to_contain_text("7号窗口")
    expect(medical_waiting).to_have_text("14人")
    shoot(board, "12-board-tidal-window")

    # --- The day's statistics: 19 tickets (2 + the kiosk's 2 + 15 in the peak), 5 called, 1 finished.
    director.get_by_role("link", name="大厅统计").click()
    expect(director.get_by_role("heading", level=1)).to_have_text("大厅统计：2026年9月1日")
    expect(director.locator(".stats .stat").first).to_have_text(re.compile(r"^\s*19\s*取号\s*$"))
    medical_row = director.locator("table", has_text="各取号类别的取号").first.locator("tr", has_text="A 医保社保")
    expect(medical_row.locator("td").nth(0)).to_have_text("19")  # 取号数, then 叫号数, 办结数
    expect(medical_row.locator("td").nth(1)).to_have_text("5")
    expect(medical_row.locator("td").nth(2)).to_have_text("1")
    by_window = director.locator("table", has_text="各窗口叫号").first
    for window, calls in (("1号 医保业务", "2"), ("7号 潮汐窗口", "1")):
        expect(by_window.locator("tr", has_text=window).locator("td").nth(1)).to_have_text(calls)
    assert_chinese_renders(director, "main")
    shoot(director, "13-director-stats")
