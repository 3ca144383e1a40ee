"""Issue 7's "done when", walked end to end: a citizen rates a finished ticket on the window's tablet and a
finished case from the QR link; the 差评 runs through callback, rectification and reply with its deadline tracked;
a complaint and a follow-up call land in the problem ledger; the month's figures and ranking match a hand count.

The world is onewindow/testing/world.py's town A (嘉祥街道) with its hall; the clock is pinned (the live server
runs in a thread of this process and shares it). Before any browser opens, the services give the morning its
history: five tickets finished at window 1 and five at window 2, nine of them rated on the tablets (one a real-name
差评 nobody has called back yet), and a 低保 case applied for in August that is decided and waits to be handed out.
The figures the journey must end with are worked out by hand in the comment above WINDOW_1_ROW.
"""

import importlib
import re
import shutil
import subprocess
import time
from datetime import date
from datetime import time as clock_time
from pathlib import Path

import pytest
from browser_helpers import assert_chinese_renders
from django.apps import apps
from django.db import OperationalError
from playwright.sync_api import expect

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.audit.services import PUBLIC
from onewindow.cases.flow import Action
from onewindow.cases.models import TaskStatus
from onewindow.cases.services.acceptance import case_accept
from onewindow.cases.services.output import case_deliver
from onewindow.cases.services.review import case_decide, task_approve
from onewindow.core.calendar import add_working_days
from onewindow.core.roles import Role
from onewindow.core.sms import LocmemSmsBackend
from onewindow.feedback.models import (
    Channel,
    Complaint,
    ComplaintChannel,
    FollowUp,
    ProblemEntry,
    ProblemSource,
    ProblemStatus,
    Rating,
    Rectification,
    RectificationStatus,
)
from onewindow.feedback.services.ratings import rating_submit, subject_for_ticket
from onewindow.feedback.services.rectification_work import sweep_rectifications
from onewindow.hall.services.calling import call_next, ticket_finish
from onewindow.hall.services.tickets import ticket_issue
from onewindow.org.models import User
from onewindow.org.services import save_staff
from onewindow.org.services.devices import device_token_issue
from onewindow.testing import cases as testing_cases
from onewindow.testing import hall as testing_hall
from onewindow.testing.cases import PERSON, offered_item, receive
from onewindow.testing.world import PASSWORD

clock = testing_cases.clock  # pins now to Tuesday 2026-09-01 09:30
hall = testing_hall.hall  # town A's hall: 1号 医保 calls A first, 2号 综合受理 calls C first

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
TABLET = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}
# The tablet polls every ONEWINDOW_EVALUATOR_POLL_SECONDS (3 s) and then reloads itself: 3 s + the reload, with
# room for a loaded machine. The 谢谢 screen stays 6 s before the tablet goes back to idle.
POLL_MS = 6_000
THANKS_MS = 10_000
ZBARIMG = shutil.which("zbarimg")  # zbar-tools, where installed: reads the QR code as a phone would
RATER = {"name": "李秀梅", "mobile": "13905370002"}
COMPLAINANT = {"name": "赵立新", "mobile": "13905370005"}
MORNING_BAD_RATER = {"name": "王建华", "mobile": "13905370003"}
# Morning levels (the journey's own ratings come on top): window 1 has one unrated ticket (the fifth).
WINDOW_1_MORNING = [5, 5, 2, 4, None]
WINDOW_2_MORNING = [5, 5, 4, 4, 5]

# The hand count for September 2026, town A (see the module docstring and the comments in the test):
#   window 1: tickets 5 (morning) + 1 (journey) = 6 services; ratings 5, 5, 2, 4 + the journey's 5 = 5 ratings,
#             4 good, 1 bad (real-name, not called back, not rectified) → 好评率 80.0, 差评率 20.0,
#             回访率 0/1 = 0.0, 整改率 0/1 = 0.0, 回复率 0/1 = 0.0, 主动评价率 5/6 = 83.3, average 21/5 = 4.2.
#   window 2: 5 services, 5 ratings (5, 5, 4, 4, 5), all good → 好评率 100.0: ranked 1st; window 1 2nd.
#   town A:   services = 11 tickets + 1 出件 step in September (the acceptance was in August) = 12;
#             ratings 5 + 5 + the QR 差评 = 11, good 9, bad 2 → 主动评价率 91.7, 好评率 81.8, 差评率 18.2;
#             real-name 差评 2, called back 1 → 50.0; 差评 not found invalid 2, rectified 1, replied 1 → 50.0, 50.0.
WINDOW_1_ROW = ["6", "5", "83.3", "4", "1", "80.0", "20.0", "0.0", "0.0", "0.0", "4.2"]
TOWN_ROW = ["12", "11", "91.7", "9", "2", "81.8", "18.2", "50.0", "50.0", "50.0", "4.18"]


def shoot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"feedback-done-when-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def retrying(service, **kwargs):
    """A service called from the test thread while a browser may be reading: under live_server the in-memory
    SQLite database is shared with the server's threads and a write meeting a read fails at once with "database
    table is locked" (the transaction was rolled back, so it is simply tried again). Never on PostgreSQL."""
    for attempt in range(40):
        try:
            return service(**kwargs)
        except OperationalError as error:
            if "locked" not in str(error) or attempt == 39:
                raise
            time.sleep(0.05)


@pytest.fixture
def sms(settings):
    settings.ONEWINDOW_SMS_BACKEND = "onewindow.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    return LocmemSmsBackend


@pytest.fixture
def reasons(world):
    """The default reason labels of migration 0002 (transactional tests flush what migrations wrote)."""
    migration = importlib.import_module("onewindow.feedback.migrations.0002_default_rating_reasons")
    migration.add_defaults(apps, None)


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    expect(page.locator(".who")).to_contain_text(user.name)


def scanned(qr, tmp_path) -> str | None:
    """What a phone reads from the QR code on the screen (zbarimg over a picture of it), where zbar is installed."""
    if ZBARIMG is None:
        return None
    picture = tmp_path / "qr.png"
    qr.screenshot(path=str(picture))
    read = subprocess.run([ZBARIMG, "--raw", "-q", str(picture)], capture_output=True, text=True, check=True)
    return read.stdout.strip()


def cells(row) -> list[str]:
    return [text.strip() for text in row.locator("td").all_inner_texts()]


def serve_and_rate(world, hall, clock, *, window, clerk, prefix, level, rater=None):
    """One ticket issued, called and finished at `window`; rated on that window's tablet when `level` is set."""
    ticket_issue(actor=PUBLIC, category=hall[prefix])
    ticket = call_next(actor=clerk, window=window)
    clock.minutes(4)
    ticket = ticket_finish(actor=clerk, ticket=ticket, window=window)
    if level is not None:
        bad = level <= 2
        rating_submit(
            actor=world.user("a", Role.DEVICE),
            subject=subject_for_ticket(ticket),
            channel=Channel.EVALUATOR,
            level=level,
            reasons=["排队等候时间长"] if bad else ["态度好"],
            anonymous=rater is None,
            rater_name=(rater or {}).get("name", ""),
            rater_mobile=(rater or {}).get("mobile", ""),
        )
    return ticket


def decided_case(world, clock):
    """A 低保 case received and accepted on 2026-08-20, approved by both departments, decided on 08-31."""
    item = offered_item(world)
    clock.day = date(2026, 8, 20)
    case = case_accept(actor=world.user("a", Role.FRONT_CLERK), case=receive(world, item))
    labour = next(d for d in world.a.departments if d.code == "labour")
    labour_reviewer = save_staff(
        actor=world.county_admin,
        password=PASSWORD,
        user=User(username="a_labour", name="人社所审批员", role="reviewer", town=world.a.region, department=labour),
    )
    reviewers = {"social": world.user("a", Role.REVIEWER), "labour": labour_reviewer}
    clock.day = date(2026, 8, 25)
    while task := case.tasks.filter(status=TaskStatus.PENDING).first():
        task_approve(actor=reviewers[task.department.code], task=task)
    clock.day = date(2026, 8, 31)
    return case_decide(actor=world.user("a", Role.COORDINATOR), case=case, certificate_number="DB-2026-031")


def test_issue_7_done_when(new_page, live_server, world, hall, clock, sms, reasons, tmp_path, settings):
    settings.ONEWINDOW_PUBLIC_BASE_URL = live_server.url  # what the phones reach: in SMS links and QR codes
    front, consult = world.user("a", Role.FRONT_CLERK), world.user("a", Role.CONSULT_CLERK)
    output, director = world.user("a", Role.OUTPUT_CLERK), world.user("a", Role.CENTER_DIRECTOR)
    device = world.user("a", Role.DEVICE)
    window_1, window_2 = world.a.windows[0], world.a.windows[1]

    # --- History, through the services, before any browser opens.
    case = decided_case(world, clock)
    clock.day, clock.at = date(2026, 9, 1), clock_time(8, 32)  # the hall opens at 08:30
    morning = []
    for level_1, level_2 in zip(WINDOW_1_MORNING, WINDOW_2_MORNING, strict=True):
        rater = MORNING_BAD_RATER if level_1 == 2 else None
        morning.append(
            serve_and_rate(world, hall, clock, window=window_1, clerk=front, prefix="A", level=level_1, rater=rater)
        )
        serve_and_rate(world, hall, clock, window=window_2, clerk=consult, prefix="C", level=level_2)
        clock.minutes(1)
    unrated = morning[-1]
    assert Rating.objects.count() == 9 and Rectification.objects.count() == 1  # the morning's one 差评
    clock.at = clock_time(9, 28)
    waiting = ticket_issue(actor=PUBLIC, category=hall["A"])  # our citizen takes a ticket for 医保
    clock.at = clock_time(9, 30)
    token = device_token_issue(actor=director, device=device).key

    # === 1. The evaluator tablet at window 1 (1280×800, touch), signed in with the device token.
    tablet = new_page(TABLET, has_touch=True)
    evaluator_url = f"/feedback/evaluator/{window_1.pk}/"
    tablet.goto(evaluator_url)
    expect(tablet).to_have_url(re.compile(r"/hall/device/sign-in/\?next="))
    tablet.get_by_label("设备令牌").fill(token)
    tablet.get_by_role("button", name="设备登录").click()
    expect(tablet).to_have_url(re.compile(rf"{re.escape(evaluator_url)}$"))
    expect(tablet.locator(".ev-window")).to_have_text("1号窗口 · 医保")
    expect(tablet.locator(".ev-idle h1")).to_have_text("请为本次服务评价")
    expect(tablet.locator("form[data-rating-form]")).to_have_count(0)  # idle: the 09:12 ticket is long gone
    assert AuditEvent.objects.filter(action=AuditAction.DEVICE_SIGNED_IN, actor_id=device.pk).exists()
    assert_chinese_renders(tablet, ".ev")
    shoot(tablet, "01-tablet-idle")

    # The clerk at window 1 calls our citizen and, five minutes later, finishes the ticket.
    desk = new_page(DESK)
    sign_in(desk, front)
    desk.get_by_role("link", name=re.compile("窗口叫号")).first.click()
    desk.get_by_role("link", name=re.compile("1号窗口 · 医保")).click()
    desk.get_by_role("button", name="叫下一位").click()
    expect(desk.locator(".console-number")).to_have_text(waiting.number)
    clock.minutes(5)
    desk.get_by_role("button", name="办结").click()
    expect(desk.locator(".messages")).to_contain_text(f"{waiting.number} 已办结")
    finished = time.monotonic()
    # The tablet lights up by itself (its poll), bound to that ticket and clerk.
    expect(tablet.locator(".ev-service")).to_have_text(
        f"{waiting.number}号 · 医保社保 · 服务人员：{front.display_name}", timeout=POLL_MS
    )
    assert time.monotonic() - finished < POLL_MS / 1000
    expect(tablet.locator("input[name=ticket]")).to_have_value(str(waiting.pk))
    for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        expect(tablet.get_by_role("radio", name=label, exact=True)).to_be_visible()
    shoot(desk, "02-window-finished")
    shoot(tablet, "03-tablet-offers-the-service")

    tablet.get_by_role("radio", name="非常满意", exact=True).tap()
    tablet.get_by_role("checkbox", name="办事快").tap()
    expect(tablet.locator("[data-bad-only]")).to_be_hidden()  # no contact fields for a good rating
    shoot(tablet, "04-tablet-very-satisfied")
    tablet.get_by_role("button", name="提交评价").tap()
    expect(tablet.locator(".ev-thanks h1")).to_have_text("谢谢您的评价！")
    shoot(tablet, "05-tablet-thanks")
    rating = Rating.objects.get(ticket=waiting)
    assert (rating.level, rating.channel, rating.reasons) == (5, Channel.EVALUATOR, ["办事快"])
    assert (rating.window, rating.staff, rating.anonymous) == (window_1, front, True)
    # …and resets for the next person on its own.
    expect(tablet).to_have_url(re.compile(rf"{re.escape(evaluator_url)}$"), timeout=THANKS_MS)
    expect(tablet.locator(".ev-idle h1")).to_have_text("请为本次服务评价")
    expect(tablet.locator("form[data-rating-form]")).to_have_count(0)
    shoot(tablet, "06-tablet-reset")
    tablet.context.close()  # the tablet stops polling; the test thread writes next
    desk.context.close()
    assert not Rating.objects.filter(ticket=unrated).exists()  # served, not rated: no rating made up for it

    # === 2. The case is handed out at the output window; the QR code of the 出件 step is rated on a phone.
    clock.at = clock_time(9, 45)
    case = retrying(
        case_deliver, actor=output, case=case, method="pickup", recipient_name=PERSON.name, identity_checked=True
    )
    delivery = case.steps.get(action=Action.DELIVER)
    # The applicant is texted the step's own rating link (one text; nothing is rated on their behalf).
    invitations = [m.text for m in sms.outbox if m.to == PERSON.phone and "/rate/" in m.text]
    assert len(invitations) == 1 and f"{live_server.url}/rate/{delivery.pk}:" in invitations[0]
    assert not Rating.objects.filter(case=case).exists()
    clerk = new_page(DESK)
    sign_in(clerk, output)
    # No link to the step's QR page from the case yet (see the report): by its address.
    clerk.goto(f"/feedback/steps/{delivery.pk}/rating-qr/")
    expect(clerk.get_by_role("heading", level=1)).to_have_text("扫码评价本次服务")
    expect(clerk.locator(".rt-service")).to_contain_text(f"办件编号 {case.number}）· 出件")
    expect(clerk.locator(".rt-qr svg")).to_be_visible()
    expect(clerk.locator("main")).to_contain_text("2026年9月8日前有效")  # 5 working days after 09-01
    # The token is the step's id, signed: "<step id>:<timestamp>:<signature>".
    shown = clerk.locator(".rt-link").inner_text().strip()
    assert shown.startswith(f"{live_server.url}/rate/{delivery.pk}:") and shown.endswith("/?via=qr")
    link = scanned(clerk.locator(".rt-qr svg"), tmp_path) or shown
    assert link.startswith(f"{live_server.url}/rate/{delivery.pk}:") and link.endswith("/?via=qr")
    shoot(clerk, "07-output-window-qr")
    clerk.context.close()

    phone = new_page(PHONE, is_mobile=True, has_touch=True)
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("请为本次服务评价")
    expect(phone.locator(".rt-service")).to_contain_text(case.number)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # A 差评 without a reason is refused, nothing saved.
    phone.get_by_role("radio", name="不满意", exact=True).tap()
    phone.get_by_role("button", name="提交评价").tap()
    expect(phone.locator(".rt-error")).to_contain_text("差评请至少选择一项原因")
    assert Rating.objects.count() == 10 and Rectification.objects.count() == 1
    expect(phone.get_by_role("radio", name="不满意", exact=True)).to_be_checked()  # the choice is kept
    phone.get_by_role("checkbox", name="办理超时").tap()
    phone.get_by_role("radio", name="服务效率：不满意", exact=True).check()
    phone.get_by_label(re.compile("意见和建议")).fill("材料8月就交齐了，拖到今天才拿到结果。")
    phone.get_by_label(re.compile("实名评价")).check()
    phone.get_by_label("姓名", exact=True).fill(RATER["name"])
    phone.get_by_label("手机号码", exact=True).fill(RATER["mobile"])
    assert_chinese_renders(phone, "main")
    shoot(phone, "08-phone-rating-form")
    phone.get_by_role("button", name="提交评价").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("谢谢您的评价！")
    shoot(phone, "09-phone-thanks")
    bad = Rating.objects.get(case_step=delivery)
    assert (bad.level, bad.channel, bad.reasons, bad.anonymous) == (2, Channel.QR, ["办理超时"], False)
    assert (bad.rater_name, bad.rater_mobile, bad.staff, bad.window) == (RATER["name"], RATER["mobile"], output, None)
    assert bad.indicators == {"overall": 2, "efficiency": 2}
    rectification = Rectification.objects.get(rating=bad)
    assert rectification.status == RectificationStatus.VERIFYING
    # The link again: one rating per service. A forged link: refused.
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("无法评价")
    expect(phone.locator("main")).to_contain_text("该服务已评价")
    shoot(phone, "10-phone-link-used")
    phone.goto(link.replace("/rate/", "/rate/x"))
    expect(phone.locator("main")).to_contain_text("评价链接无效")
    assert Rating.objects.count() == 11

    # === 3. The director: callback → 限期整改 (deadline) → done → reply → closed; the ledger shows it.
    clock.at = clock_time(10, 0)
    boss = new_page(DESK)
    sign_in(boss, director)
    expect(boss.locator("#unread-title + ul")).to_contain_text("收到差评，请安排回访核实")
    boss.get_by_role("link", name="差评整改（2件未办结）").click()
    expect(boss.locator("#count-all")).to_have_text("2")
    expect(boss.locator("#count-verifying")).to_have_text("2")
    row = boss.locator("#rectifications tbody tr", has_text=case.item.name)
    expect(row).to_contain_text("不满意")
    expect(row).to_contain_text("待核实（回访）")
    shoot(boss, "11-director-rectifications")
    row.get_by_role("link", name=f"#{rectification.pk}").click()
    expect(boss.locator("#rect-status")).to_have_text("待核实（回访）")
    expect(boss.locator("#rating")).to_contain_text("办理超时")
    expect(boss.locator("#rating")).to_contain_text("扫描二维码")
    expect(boss.locator("#rater-phone")).to_have_text("139****0002")
    assert RATER["mobile"] not in boss.content()
    boss.get_by_role("button", name="显示号码").click()
    expect(boss.locator("#revealed-phone")).to_have_text(RATER["mobile"])
    assert AuditEvent.objects.filter(action=AuditAction.RATER_PHONE_REVEALED, actor_id=director.pk).count() == 1
    callback = boss.locator("#act-callback")
    callback.get_by_label("联系上了").check()
    callback.get_by_label("差评属实").check()
    callback.get_by_label("回访情况").fill("已电话联系李女士：出件通知发出后未及时提醒领取，情况属实。")
    callback.get_by_role("button", name="记录回访").click()
    expect(boss.locator(".messages")).to_contain_text("已记录回访。")
    expect(boss.locator("#rect-status")).to_have_text("整改中")
    outcome = boss.locator("#act-choose_outcome")
    outcome.get_by_label("限期整改", exact=True).check()
    outcome.get_by_label(re.compile("整改措施 / 整改计划")).fill("出件窗口每日核对已办结未领取的办件，当天电话提醒。")
    outcome.get_by_label(re.compile("问题类型")).select_option(label="卡点")
    outcome.get_by_role("button", name="确定").click()
    expect(boss.locator(".messages")).to_contain_text("已确定整改方式。")
    deadline = add_working_days(date(2026, 9, 1), 5)
    assert deadline == date(2026, 9, 8)  # Wed 2, Thu 3, Fri 4, Mon 7, Tue 8
    expect(boss.locator("#rect-deadline")).to_have_text("2026-09-08")
    expect(boss.locator(".cs-summary")).to_contain_text("限期整改")
    entry = ProblemEntry.objects.get(rating=bad)
    assert (entry.source, entry.status, entry.kind) == (ProblemSource.RATING, ProblemStatus.IN_PROGRESS, "bottleneck")
    shoot(boss, "12-director-by-deadline")

    # Two days later (Thursday 09-03) the deadline is still ahead: listed with it, not overdue, no alert.
    clock.day, clock.at = date(2026, 9, 3), clock_time(10, 0)
    assert retrying(sweep_rectifications) == []
    sign_in(boss, director)  # two days later: the session timed out long ago (30 minutes idle)
    boss.goto("/feedback/rectifications/")
    row = boss.locator("#rectifications tbody tr", has_text=case.item.name)
    expect(row.locator("td").nth(5)).to_have_text("2026-09-08")
    expect(row).not_to_contain_text("已超期")
    expect(boss.locator("#count-overdue")).to_have_text("0")
    row.get_by_role("link", name=f"#{rectification.pk}").click()
    complete = boss.locator("#act-complete")
    complete.get_by_label("采取的整改措施").fill("已建立未领取办件每日提醒台账，出件窗口专人负责。")
    complete.get_by_role("button", name="整改完成").click()
    expect(boss.locator(".messages")).to_contain_text("已登记整改完成。")
    expect(boss.locator("#rect-status")).to_have_text("待答复评价人")
    entry.refresh_from_db()
    assert entry.status == ProblemStatus.DONE
    reply = "您反映的出件不及时问题已整改：出件窗口每日电话提醒领取。感谢您的监督。"
    boss.locator("#act-reply").get_by_label(re.compile("答复内容")).fill(reply)
    boss.get_by_role("button", name="答复并办结").click()
    expect(boss.locator(".messages")).to_contain_text("已答复评价人，整改办结。")
    expect(boss.locator("#rect-status")).to_have_text("已办结")
    expect(boss.locator("#actions")).to_have_count(0)
    timeline = boss.locator("#timeline tbody tr")
    expect(timeline).to_have_count(5)
    for position, what in enumerate(
        [
            "收到差评",
            "电话回访：联系上评价人，差评属实",
            "确定整改方式：限期整改，整改期限 2026-09-08",
            "整改完成（限期整改）",
            "答复评价人，整改办结",
        ]
    ):
        expect(timeline.nth(position)).to_contain_text(what)
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.CLOSED and rectification.reply == reply
    assert rectification.rectified_at.date() <= rectification.deadline  # done in time
    texts = [m.text for m in sms.outbox if m.to == RATER["mobile"]]
    assert len(texts) == 1 and reply in texts[0]
    for action in (
        AuditAction.RECTIFICATION_CALLBACK,
        AuditAction.RECTIFICATION_OUTCOME_CHOSEN,
        AuditAction.RECTIFICATION_FIXED,
        AuditAction.RECTIFICATION_REPLIED,
    ):
        assert AuditEvent.objects.filter(action=action, actor_id=director.pk).count() == 1, action
    assert_chinese_renders(boss, "main")
    shoot(boss, "13-director-closed")
    boss.goto("/feedback/ledger/")
    ledger_row = boss.locator("table.table tbody tr", has_text="差评（不满意）")
    expect(ledger_row).to_contain_text("卡点")
    expect(ledger_row).to_contain_text("即知即改（已解决）")
    ledger_row.get_by_role("link").click()
    expect(boss.get_by_role("heading", level=1)).to_have_text("卡点问题")
    expect(boss.locator("main")).to_contain_text("整改期限：2026-09-08")
    expect(boss.locator("main")).to_contain_text("整改措施已建立未领取办件每日提醒台账")
    shoot(boss, "14-ledger-rating-entry")

    # === 4. A complaint from the public form on a phone, no login.
    clock.at = clock_time(10, 15)
    citizen = new_page(PHONE, is_mobile=True, has_touch=True)
    citizen.goto("/complaints/")
    citizen.get_by_role("link", name="嘉祥街道", exact=True).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("“吐槽找茬” · 嘉祥街道为民服务中心")
    complaint_text = "取号机旁没有座位，老人站着等了四十分钟。"
    citizen.get_by_label(re.compile("您要反映的问题")).fill(complaint_text)
    citizen.get_by_label(re.compile("涉及的事项")).select_option(label=case.item.name)
    citizen.get_by_label("姓名（可不填）").fill(COMPLAINANT["name"])
    citizen.get_by_label(re.compile("^手机号码")).fill(COMPLAINANT["mobile"])
    assert citizen.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(citizen, "15-phone-complaint-form")
    citizen.get_by_role("button", name="提交").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("已收到您的反映")
    number = citizen.locator("#complaint-number").inner_text().strip()
    assert citizen.locator("#complaint-code").inner_text().strip()
    shoot(citizen, "16-phone-complaint-received")
    complaint = Complaint.objects.get(number=number)
    assert (complaint.channel, complaint.item, complaint.deadline) == (
        ComplaintChannel.WEB,
        case.item,
        add_working_days(date(2026, 9, 3), 5),
    )

    # The director sees it, hands it to the front desk, replies, closes it and puts it on the ledger.
    boss.goto("/")
    boss.locator("ul.tasks").get_by_role("link", name=re.compile("^吐槽找茬")).click()
    boss.get_by_role("link", name=number).click()
    expect(boss.locator("main")).to_contain_text(complaint_text)
    expect(boss.locator("main")).to_contain_text("2026-09-10")  # 答复期限: 5 working days
    boss.get_by_label("承办人").select_option(value=str(front.pk))
    boss.get_by_label(re.compile("交办意见")).fill("请前台在取号机旁增设候号座椅，两日内完成。")
    boss.get_by_role("button", name="交办", exact=True).click()
    expect(boss.locator(".messages")).to_contain_text(f"已交{front.display_name}办理。")
    boss.get_by_label(re.compile("答复内容")).fill("已在取号机旁增设12个候号座位，感谢您的反映。")
    boss.get_by_role("button", name="答复", exact=True).click()
    expect(boss.locator(".messages")).to_contain_text("已答复。已短信通知反映人查看答复。")
    boss.locator("form", has=boss.locator("#close-title")).get_by_role("button", name="办结").click()
    expect(boss.locator(".messages")).to_contain_text("已办结。")
    boss.locator("#kind").select_option(label="堵点")
    boss.locator("#department").select_option(label="社会事务办")
    boss.get_by_role("button", name="登记到台账").click()
    expect(boss.locator(".messages")).to_contain_text("已登记到堵点难点卡点问题台账。")
    expect(boss.locator("main")).to_contain_text("已登记到问题台账：堵点（整改中）")
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.handler == front and complaint.replied_at
    assert [m.to for m in sms.outbox].count(COMPLAINANT["mobile"]) == 1
    shoot(boss, "17-director-complaint")

    # The output clerk calls the applicant back (满意度回访); the call raises a problem → the ledger.
    clock.at = clock_time(10, 30)
    caller = new_page(DESK)
    sign_in(caller, output)
    caller.locator("ul.tasks").get_by_role("link", name=re.compile("^满意度回访")).click()
    candidate = caller.locator("#candidates tbody tr", has_text=case.number)
    expect(candidate).to_contain_text("收到差评")
    expect(candidate).to_contain_text("138****1234")
    candidate.get_by_role("link", name=case.number).click()
    caller.get_by_role("button", name="显示号码以便拨打").click()
    expect(caller.locator("#revealed-phone")).to_have_text(PERSON.phone)
    sheet = caller.locator("#followup-form")
    sheet.get_by_label("接通", exact=True).check()
    sheet.get_by_role("radio", name="满意", exact=True).check()
    problem = "低保年审要到村里、镇上各开一次证明，希望能一次办好。"
    sheet.get_by_label(re.compile("群众反映的问题")).fill(problem)
    sheet.get_by_label(re.compile("问题类型")).select_option(label="难点")
    shoot(caller, "18-output-follow-up")
    sheet.get_by_role("button", name="保存回访记录").click()
    expect(caller.locator(".messages")).to_contain_text(f"已记录 {case.number} 的回访。")
    expect(caller.locator("#recent tbody tr", has_text=case.number)).to_contain_text("满意")
    follow_up = FollowUp.objects.get(case=case)
    assert (follow_up.reached, follow_up.satisfaction, follow_up.called_by) == (True, 4, output)

    # The ledger lists the three: the 差评's (solved), the complaint's and the follow-up's.
    caller.goto("/")
    caller.locator("ul.tasks").get_by_role("link", name=re.compile("^问题台账")).click()
    rows = caller.locator("table.table tbody tr")
    expect(rows).to_have_count(3)
    from_complaint = rows.filter(has_text="吐槽找茬")
    expect(from_complaint).to_contain_text("堵点")
    expect(from_complaint).to_contain_text(complaint_text)
    expect(from_complaint).to_contain_text(f"{case.item.name} / 社会事务办")
    from_call = rows.filter(has_text="满意度回访")
    expect(from_call).to_contain_text("难点")
    expect(from_call).to_contain_text(problem)
    expect(from_call).to_contain_text("整改中")
    expect(rows.filter(has_text="差评")).to_contain_text("即知即改（已解决）")
    assert_chinese_renders(caller, "main")
    shoot(caller, "19-ledger")
    assert ProblemEntry.objects.filter(complaint=complaint).count() == 1
    assert ProblemEntry.objects.filter(follow_up=follow_up).count() == 1

    # === 5. September's figures (the director): window 1, the window ranking and the town, by hand.
    assert Rating.objects.count() == 11, "the hand count below knows 11 ratings"
    boss.goto("/feedback/figures/?month=2026-09")
    expect(boss.get_by_role("heading", level=1)).to_have_text("好差评统计：2026年9月")
    window_row = boss.locator("#figures tbody tr", has=boss.locator("th", has_text="嘉祥街道 1号窗口 医保"))
    assert cells(window_row) == WINDOW_1_ROW
    ranking = boss.locator("#ranking tbody tr")
    expect(ranking).to_have_count(2)
    assert [cells(ranking.nth(i))[0] for i in range(2)] == ["1", "2"]
    expect(ranking.nth(0).locator("th")).to_have_text("嘉祥街道 2号窗口 综合受理")
    assert cells(ranking.nth(0))[1:] == ["5", "100.0", "0", "4.6"]
    expect(ranking.nth(1).locator("th")).to_have_text("嘉祥街道 1号窗口 医保")
    assert cells(ranking.nth(1))[1:] == ["5", "80.0", "1", "4.2"]
    shoot(boss, "20-figures-by-window")
    boss.get_by_role("link", name="按镇街").click()
    town_row = boss.locator("#figures tbody tr")
    expect(town_row).to_have_count(1)
    expect(town_row.locator("th")).to_have_text("嘉祥街道")
    assert cells(town_row) == TOWN_ROW
    stats = [" ".join(t.split()) for t in boss.locator(".stats .stat").all_inner_texts()]
    assert stats == [
        "11 评价数",
        "91.7% 主动评价率",
        "81.8% 好评率",
        "18.2% 差评率",
        "50.0% 实名差评回访率",
        "50.0% 整改率",
        "50.0% 回复率",
    ]
    assert_chinese_renders(boss, "main")
    shoot(boss, "21-figures-by-town")
