"""Issue 6 "Done when", end to end in two browsers: a citizen's phone and the town front clerk's PC.

A citizen finds 最低生活保障申请 by typing `dibao`, signs in by SMS code and applies online with a real file
for every required material; the clerk's pre-review queue lists it and the clerk asks for one material again
(一次性告知); the citizen sees the notice in 我的办件, uploads the missing file and resubmits the same case; the
clerk sees it flagged 补正后重新提交 and accepts; the citizen sees 窗口受理 and the deadline on the timeline and,
signed out, through the no-login progress lookup (masked). 长辈版 on the phone: the my-case page, the lookup and
the item's guide, whose material cards must fit the phone (two download buttons wrap under their label).

The item is the 嘉祥 demo catalog's own 最低生活保障申请 (its real demo spec: seven materials, six required),
published and adopted in town A through the catalog services, with the org rows the spec names. The
`clock` fixture pins "today" to 2026-09-01 09:30 for the live server's thread too, so deadlines are exact.
"""

import re
from datetime import date
from pathlib import Path

import pytest
from browser_helpers import assert_chinese_renders
from playwright.sync_api import expect

from onewindow.core.roles import Role
from onewindow.testing import cases as testing_cases
from onewindow.testing.cases import id_number

clock = testing_cases.clock  # pins "today" for this module's test

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
# Elements sticking out past `width` CSS pixels. (A mobile browser widens its viewport to fit such content,
# so "scrollWidth <= innerWidth" alone stays true on a phone: the page is measured against the phone's width.)
OVERFLOW = """(width) => [...document.body.querySelectorAll('*')]
    .filter(el => el.checkVisibility() && el.getBoundingClientRect().right > width + 1)
    .filter(el => !el.parentElement || el.parentElement.getBoundingClientRect().right <= width + 1)
    .map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${el.innerText.slice(0, 20)}" `
               + `right=${Math.round(el.getBoundingClientRect().right)}`)"""
BODY_FONT_PX = "parseFloat(getComputedStyle(document.body).fontSize)"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
DIBAO_CODE = "11370829004349184P0500401001"  # 最低生活保障申请 in onewindow/catalog/demo_catalog_welfare.py
SIGN_IN_MOBILE = "13905376001"
APPLICANT = {
    "name": "王秀英",
    "id": id_number("37082919580315002"),
    "phone": "13805371234",
    "address": "嘉祥街道大李庄村12号",
}
CORRECTED = "户口簿"  # the material the clerk asks for again
PROBLEM = "户口簿本人页照片模糊，请重新拍照上传"


@pytest.fixture
def sms(settings):
    from onewindow.core.sms import LocmemSmsBackend

    settings.ONEWINDOW_SMS_BACKEND = "onewindow.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox = []


@pytest.fixture
def dibao(world):
    """The demo catalog's 最低生活保障申请, published county-wide and in town A's catalog at 综合受理.

    The loader (catalog/services/demo.py) would publish the whole demo catalog in both test towns; this does
    the same for the one item, with the business category and departments its spec names (as org demo data
    has them)."""
    from onewindow.audit.services import SYSTEM
    from onewindow.catalog.demo_catalog_welfare import ITEMS
    from onewindow.catalog.services import catalog_adopt, guide_publish, item_create
    from onewindow.catalog.services.demo import attach_demo_files, demo_spec
    from onewindow.org.models import BusinessCategory, Department
    from onewindow.org.services import save_business_category, save_department

    save_business_category(
        actor=SYSTEM,
        category=BusinessCategory(code="social_assistance", name="低保五保", is_high_frequency=True, sort_order=40),
    )
    save_department(actor=SYSTEM, department=Department(code="civil_affairs", name="嘉祥县民政局", kind="county"))
    save_department(
        actor=SYSTEM,
        department=Department(code="social_affairs", name="社会事务办公室", kind="town", town=world.a.region),
    )
    code, spec = demo_spec(next(data for data in ITEMS if data["code"] == DIBAO_CODE))
    assert spec.name == "最低生活保障申请" and spec.online_capable
    item = item_create(actor=SYSTEM, code=code, spec=spec, change_note="演示数据")
    attach_demo_files(item, spec)
    guide_publish(actor=SYSTEM, item=item)
    catalog_adopt(actor=SYSTEM, town=world.a.region, item=item, window=world.a.windows[1], publish=True)
    item.refresh_from_db()
    return item


@pytest.fixture
def files(tmp_path):
    """Real small files as a phone would have them: a photographed page (PNG) and a scanned form (PDF)."""
    from PIL import Image, ImageDraw

    def make(stem: str, kind: str) -> Path:
        image = Image.new("RGB", (240, 320), "white")
        draw = ImageDraw.Draw(image)
        draw.rectangle((12, 12, 228, 308), outline="black", width=3)
        for y in range(40, 300, 24):
            draw.line((30, y, 210, y), fill="gray", width=2)
        path = tmp_path / f"{stem}.{kind}"
        image.save(path, "PDF" if kind == "pdf" else "PNG")
        return path

    return make


def shoot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"portal-journey-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def no_sideways_scroll(page) -> None:
    """Nothing is wider than the browser window (what the test set: 390 px on the phone, 1366 on the PC)."""
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, (
        f"{page.url}: {scroll_width}px wide on a {width}px screen: {page.evaluate(OVERFLOW, width)}"
    )


def at_size(page, size: dict, name: str) -> None:
    """The same page at the other size (phone ↔ desktop): nothing scrolls sideways; then back."""
    before = page.viewport_size
    page.set_viewport_size(size)
    no_sideways_scroll(page)
    shoot(page, name)
    page.set_viewport_size(before)


def fits_phone(page, locator, *, whole_page: bool = True) -> None:
    """A control a thumb must reach lies inside the phone's width (no sideways scroll to get to it)."""
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, box
    if whole_page:
        no_sideways_scroll(page)


def phone_sign_in(page, sms) -> None:
    """On the login page (reached from a citizen-only page): mobile → SMS code → signed in."""
    expect(page.get_by_role("heading", level=1)).to_have_text("登录网上办事大厅")
    page.get_by_label("手机号码").fill(SIGN_IN_MOBILE)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_text("验证码已发送至 139****6001").first).to_be_visible()
    assert SIGN_IN_MOBILE not in page.url
    assert sms[-1].to == SIGN_IN_MOBILE
    code = re.search(r"验证码(\d{6})", sms[-1].text).group(1)
    page.get_by_label("短信验证码").fill(code)
    shoot(page, "01-sign-in-code-phone")
    page.get_by_role("button", name="登录", exact=True).click()


def clerk_opens(page, number: str) -> None:
    page.goto("/cases/prereview/")
    page.locator("#prereview").get_by_role("link", name=number).click()
    expect(page.locator("#case-number")).to_have_text(number)


def texts_to(sms, phone_number: str) -> list[str]:
    return [m.text for m in sms if m.to == phone_number]


def test_citizen_applies_online_corrects_once_and_sees_the_acceptance(
    phone, page, login, world, dibao, sms, files, clock
):
    from onewindow.cases.models import Case, Channel
    from onewindow.core.calendar import add_working_days

    town = world.a.region
    guide = dibao.current_guide
    materials = list(guide.materials.order_by("position"))
    required = [m for m in materials if m.required]
    assert len(materials) == 7 and len(required) == 6
    corrected = next(m for m in materials if m.name == CORRECTED)

    # ── 1. Phone: portal home → town → `dibao` → guide → 网上申报 → SMS sign-in → form → uploads → submit ──
    p = phone
    p.goto("/portal/")
    expect(p.get_by_role("heading", level=1)).to_have_text("网上办事大厅")
    p.get_by_label("所在镇（街道）").select_option(label=town.name)
    p.get_by_role("button", name="确定").click()
    expect(p.get_by_role("heading", level=1)).to_have_text(f"网上办事大厅 · {town.name}")
    expect(p.locator("#online")).to_contain_text("最低生活保障申请")
    assert_chinese_renders(p, "h1")
    assert_chinese_renders(p, ".pt-tiles")
    no_sideways_scroll(p)
    shoot(p, "01-home-phone")
    p.get_by_label("查找要办的事").fill("dibao")
    p.get_by_role("button", name="搜索").click()
    expect(p.get_by_role("heading", level=2, name=re.compile("“dibao”的搜索结果"))).to_contain_text("（1 项）")
    result = p.locator(".item-list .item-row")
    expect(result).to_have_count(1)
    expect(result).to_contain_text("最低生活保障申请")
    expect(result).to_contain_text("承诺 20 个工作日")
    expect(result).to_contain_text("可网上办")
    shoot(p, "01-search-dibao-phone")
    result.get_by_role("link").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("最低生活保障申请")
    expect(p.locator("table.materials tbody tr")).to_have_count(7)
    assert_chinese_renders(p, ".guide-head")
    no_sideways_scroll(p)
    apply_button = p.get_by_role("link", name="网上申报", exact=True)
    fits_phone(p, apply_button)
    shoot(p, "01-guide-phone")
    apply_button.click()

    phone_sign_in(p, sms)  # 网上申报 needs a signed-in citizen: back to the form after signing in
    p.wait_for_url(re.compile(rf"/apply/{town.code}/{DIBAO_CODE}/$"))
    expect(p.get_by_role("heading", level=1)).to_have_text("网上申报：最低生活保障申请")
    expect(p.locator(".citizen-nav")).to_contain_text("139****6001")
    # prefilled from the profile: a first-time citizen has only the mobile, shown masked and used for texts
    expect(p.get_by_label("联系电话（手机）")).to_have_attribute("placeholder", "139****6001")
    expect(p.locator("#phone-hint")).to_contain_text("将使用 139****6001 接收办理进度短信")
    expect(p.get_by_label("申请人姓名或单位名称（必填）")).to_have_value("")
    uploads = p.locator("#materials .pt-material")
    expect(uploads).to_have_count(7)
    expect(uploads.filter(has_text="（必填）")).to_have_count(6)
    p.get_by_label("申请人姓名或单位名称（必填）").fill(APPLICANT["name"])
    p.get_by_label("身份证号码（企业填统一社会信用代码）").fill(APPLICANT["id"])
    p.get_by_label("联系电话（手机）").fill(APPLICANT["phone"])
    p.get_by_label("联系地址").fill(APPLICANT["address"])
    p.get_by_label("所在村（社区）").select_option(label=world.a.villages[0].name)
    p.get_by_label("申请事由").fill("丈夫去世，本人无固定收入，家庭人均收入低于低保标准")
    uploaded = {}
    for index, material in enumerate(required):
        path = files(f"材料{material.position}", "png" if index % 2 else "pdf")
        p.locator(f"#material-{material.position} input[type=file]").set_input_files(path)
        uploaded[material.position] = path.name
    p.get_by_label(re.compile("本人承诺：所填信息及材料真实有效")).check()
    assert_chinese_renders(p, "#apply-form legend")
    no_sideways_scroll(p)
    submit = p.get_by_role("button", name="提交申请")
    fits_phone(p, submit)
    shoot(p, "01-apply-form-phone")
    at_size(p, DESKTOP, "01-apply-form-desktop")
    with p.expect_navigation():
        submit.click()
    expect(p.get_by_role("heading", level=1)).to_have_text("申请已提交")
    number = p.locator("#case-number").inner_text().strip()
    query_code = p.locator("#query-code").inner_text().strip()
    assert number and query_code and query_code != number
    assert_chinese_renders(p, "#apply-submitted")
    no_sideways_scroll(p)
    shoot(p, "01-submitted-phone")
    case = Case.objects.get(number=number)
    assert case.channel == Channel.ONLINE and case.status == "submitted" and case.applicant_name == APPLICANT["name"]
    assert case.attachments.count() == 6
    assert f"办件编号{number}，查询码{query_code}" in texts_to(sms, APPLICANT["phone"])[-1]
    for secret in (APPLICANT["id"], APPLICANT["phone"], SIGN_IN_MOBILE):
        assert secret not in p.url and secret not in p.content()

    # ── 2. Desktop, front clerk: the pre-review queue lists it; the files sit against their materials;
    #       one material asked for again (一次性告知) → the case moves to 待群众补正 ──
    page.set_viewport_size(DESKTOP)
    login(world.user("a", Role.FRONT_CLERK))
    page.goto("/cases/prereview/")
    expect(page.get_by_role("heading", level=1)).to_have_text("网上预审")
    expect(page.locator("#tab-submitted")).to_have_text("待预审（1）")
    expect(page.locator("#tab-correction")).to_have_text("待群众补正（0）")
    row = page.locator("#prereview tbody tr").filter(has_text=number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("最低生活保障申请")
    expect(row.locator("td[data-label=申请人]")).to_have_text("王**")
    expect(row).not_to_contain_text(APPLICANT["name"])
    expect(row).to_contain_text("2026-09-01 09:30")
    expect(row.locator(".badge")).to_have_count(0)  # a first submission, not a resubmission
    assert_chinese_renders(page, "#prereview")
    shoot(page, "02-prereview-desktop")
    at_size(page, PHONE, "02-prereview-phone")
    row.get_by_role("link", name=number).click()
    expect(page.locator("#case-number")).to_have_text(number)
    expect(page.locator("#case-status")).to_have_text("待受理")
    expect(page.locator("#case-facts")).to_contain_text("王**")
    expect(page.locator("#case-facts")).to_contain_text("网上申报")
    for material in materials:
        files_cell = page.locator("#materials tbody tr").nth(material.position - 1).locator(".material-files")
        if material.position in uploaded:
            expect(files_cell).to_contain_text(uploaded[material.position])
        else:
            expect(files_cell).to_have_text("")
    main_text = page.locator("main").inner_text()
    assert APPLICANT["id"] not in main_text and APPLICANT["phone"] not in main_text
    shoot(page, "02-case-submitted-desktop")
    correction = page.locator("#act-request_correction")
    correction.get_by_label(CORRECTED, exact=True).fill(PROBLEM)
    correction.get_by_label("补充说明").fill("其余材料齐全，补传后即可受理")
    with page.expect_navigation():
        correction.get_by_role("button", name="出具一次性告知书").click()
    expect(page.locator(".msg-success")).to_have_text("已一次性告知补正。")
    expect(page.locator("#case-status")).to_have_text("待补正")
    corrected_row = page.locator("#materials tbody tr").nth(corrected.position - 1)
    expect(corrected_row).to_contain_text(PROBLEM)
    expect(page.locator("#notices")).to_contain_text("补正")
    shoot(page, "02-case-correction-desktop")
    page.goto("/cases/prereview/")
    expect(page.locator("#tab-submitted")).to_have_text("待预审（0）")
    expect(page.locator("#tab-correction")).to_have_text("待群众补正（1）")
    expect(page.locator("#prereview")).not_to_contain_text(number)
    page.locator("#tab-correction").click()
    expect(page.locator("#prereview tbody tr").filter(has_text=number)).to_contain_text("告知补正")
    shoot(page, "02-prereview-correction-tab-desktop")
    correction_text = texts_to(sms, APPLICANT["phone"])[-1]
    assert f"（办件编号{number}）需补正材料：{CORRECTED}" in correction_text and "我的办件" in correction_text

    # ── 3. Phone: 我的办件 → 需要补正 with the one-time notice's item → upload it → resubmit (same case) ──
    p.goto("/portal/")
    p.get_by_role("link", name="我的办件").first.click()
    expect(p.get_by_role("heading", level=1)).to_have_text("我的办件")
    mine = p.locator("#in-progress tbody tr").filter(has_text=number)
    expect(mine).to_have_count(1)
    expect(mine.locator(".badge")).to_have_text("需要补正材料")
    no_sideways_scroll(p)
    shoot(p, "03-my-cases-correction-phone")
    mine.get_by_role("link", name="去补正").click()
    expect(p.locator("#case-number")).to_have_text(number)
    expect(p.locator("#case-status")).to_have_text("需要补正材料")
    notice = p.locator("#correction")
    expect(notice.get_by_role("heading", level=2)).to_have_text("请补正材料")
    expect(notice.locator(".pt-material")).to_have_count(1)  # only what the notice named
    expect(notice.locator(".pt-material")).to_contain_text(f"{corrected.position}. {CORRECTED}")
    expect(notice.locator(".pt-material")).to_contain_text(f"需补正：{PROBLEM}")
    expect(notice).to_contain_text("说明：其余材料齐全，补传后即可受理")
    notice_pdf = p.request.get(notice.get_by_role("link", name=re.compile("一次性告知书")).get_attribute("href"))
    assert notice_pdf.ok and notice_pdf.body().startswith(b"%PDF")
    expect(p.locator("#timeline")).to_contain_text("需要补正材料")
    assert_chinese_renders(p, "#correction")
    no_sideways_scroll(p)
    shoot(p, "03-my-case-correction-phone")
    at_size(p, DESKTOP, "03-my-case-correction-desktop")
    notice.get_by_label(f"{corrected.position}. {CORRECTED}").set_input_files(files("户口簿-重拍", "png"))
    resubmit = notice.get_by_role("button", name="提交补正材料")
    fits_phone(p, resubmit)
    with p.expect_navigation():
        resubmit.click()
    expect(p.locator(".msg-success")).to_contain_text("补正材料已提交")
    expect(p.locator("#case-number")).to_have_text(number)
    expect(p.locator("#case-status")).to_have_text("已提交，等待窗口预审")
    expect(p.locator("#correction")).to_have_count(0)
    expect(p.locator("#timeline")).to_contain_text("材料已补正")
    expect(p.locator("#attachments")).to_contain_text("户口簿-重拍.png")
    shoot(p, "03-my-case-resubmitted-phone")
    assert Case.objects.filter(citizen__isnull=False).count() == 1  # the same case, not a second one
    assert Case.objects.get(number=number).status == "submitted"
    assert f"补正后重新提交的“最低生活保障申请”（办件编号{number}）已收到" in texts_to(sms, APPLICANT["phone"])[-1]

    # ── 4. Desktop, clerk: the queue flags it 补正后重新提交 → accept ──
    page.goto("/cases/prereview/")
    expect(page.locator("#tab-submitted")).to_have_text("待预审（1）")
    expect(page.locator("#tab-correction")).to_have_text("待群众补正（0）")
    row = page.locator("#prereview tbody tr").filter(has_text=number)
    expect(row.locator(".badge")).to_have_text("补正后重新提交")
    expect(row).to_contain_text("2026-09-01 09:30 重新提交")
    shoot(page, "04-prereview-resubmitted-desktop")
    at_size(page, PHONE, "04-prereview-resubmitted-phone")
    clerk_opens(page, number)
    expect(page.locator("#case-status")).to_have_text("待受理")
    expect(page.locator("#materials tbody tr").nth(corrected.position - 1).locator(".material-files")).to_contain_text(
        "户口簿-重拍.png"
    )
    with page.expect_navigation():
        page.locator("#act-accept").get_by_role("button", name="受理", exact=True).click()
    expect(page.locator(".msg-success")).to_have_text("已受理。")
    deadline = add_working_days(date(2026, 9, 1), 20)
    expect(page.locator("#case-deadline")).to_have_text(deadline.isoformat())
    expect(page.locator("#case-status")).to_have_text("审批中")
    expect(page.locator("#timeline")).to_contain_text("受理")
    expect(page.locator("#notices")).to_contain_text("受理通知书")
    shoot(page, "04-case-accepted-desktop")
    page.goto("/cases/prereview/")
    expect(page.locator("#tab-submitted")).to_have_text("待预审（0）")
    expect(page.locator("#prereview")).not_to_contain_text(number)
    accepted_text = texts_to(sms, APPLICANT["phone"])[-1]
    assert f"已受理，办件编号{number}，查询码{query_code}，承诺{deadline:%Y年%m月%d日}前办结" in accepted_text

    # ── 5. Phone: the timeline shows 窗口受理 and the deadline ──
    p.goto(f"/my/cases/{number}/")
    expect(p.locator("#case-status")).to_have_text("已受理，正在审批")
    expect(p.locator("#case-deadline")).to_have_text(f"{deadline.year}年{deadline.month}月{deadline.day}日")
    expect(p.locator("#timeline .cs-what")).to_have_text(
        ["已接件", "需要补正材料", "材料已补正", "窗口受理", "转部门审批", "承诺办结日期"]
    )
    accepted_step = p.locator("#timeline li").filter(has_text="窗口受理")
    expect(accepted_step.locator("time")).to_have_text("2026-09-01 09:30")
    expect(p.locator("#timeline li").last).to_contain_text(deadline.isoformat())
    expect(p.locator("#notices")).to_contain_text("受理通知书")
    expect(p.get_by_role("link", name="撤回申请")).to_have_count(0)  # accepted: no longer the citizen's to withdraw
    assert_chinese_renders(p, "#timeline")
    no_sideways_scroll(p)
    phone_text = p.locator("main").inner_text()
    assert APPLICANT["id"] not in phone_text and APPLICANT["phone"] not in phone_text
    normal_px = p.evaluate(BODY_FONT_PX)
    shoot(p, "05-my-case-accepted-phone")
    at_size(p, DESKTOP, "05-my-case-accepted-desktop")

    # ── 6a. 长辈版 on the phone, while still signed in so the my-case page can be shown: bigger type, one column ──
    toggle = p.get_by_role("button", name="长辈版", exact=True)
    fits_phone(p, toggle)
    with p.expect_navigation():
        toggle.click()
    expect(p.locator("body")).to_have_class(re.compile(r"\bui-elderly\b"))
    expect(p.locator("#case-number")).to_have_text(number)  # back on the same page
    elderly_px = p.evaluate(BODY_FONT_PX)
    assert elderly_px >= 20 and elderly_px > normal_px, (normal_px, elderly_px)
    no_sideways_scroll(p)
    assert_chinese_renders(p, "#timeline")
    fits_phone(p, p.get_by_role("button", name="退出长辈版"))
    shoot(p, "06-my-case-elderly-phone")
    with p.expect_navigation():
        p.get_by_role("button", name="退出长辈版").click()
    expect(p.locator("body")).not_to_have_class(re.compile(r"\bui-elderly\b"))
    assert p.evaluate(BODY_FONT_PX) == normal_px

    # ── 5 (cont.). Sign out; the no-login lookup shows the acceptance, the name masked ──
    with p.expect_navigation():
        p.locator(".citizen-nav").get_by_role("button", name="退出登录").click()
    expect(p.locator(".msg-success")).to_have_text("您已安全退出。")
    expect(p.locator(".citizen-nav")).to_have_count(0)
    p.goto(f"/my/cases/{number}/")
    expect(p.get_by_role("heading", level=1)).to_have_text("登录网上办事大厅")  # signed out indeed
    p.goto("/portal/")
    p.get_by_role("link", name=re.compile("办件查询")).first.click()
    expect(p.get_by_role("heading", level=1)).to_have_text("办件进度查询")
    p.get_by_label("办件编号").fill(number)
    p.get_by_label(re.compile("查询码")).fill(query_code)
    with p.expect_navigation():
        p.get_by_role("button", name="查询").click()
    lookup = p.locator("#progress-result")
    expect(lookup).to_contain_text("最低生活保障申请")
    expect(lookup.locator("dd").nth(1)).to_have_text("王**")
    expect(lookup.locator("dd").nth(2)).to_contain_text("审批中")
    expect(lookup).to_contain_text(f"{deadline.year}年{deadline.month}月{deadline.day}日")
    expect(lookup.locator(".cs-what")).to_have_text(["已接件", "需要补正材料", "材料已补正", "窗口受理", "转部门审批"])
    expect(lookup.locator("li").filter(has_text="窗口受理").locator("time")).to_have_text("2026-09-01 09:30")
    lookup_text = lookup.inner_text()
    assert APPLICANT["name"] not in lookup_text and APPLICANT["id"] not in lookup_text
    assert APPLICANT["phone"] not in lookup_text and query_code not in p.url
    assert_chinese_renders(p, "#progress-result")
    no_sideways_scroll(p)
    shoot(p, "05-progress-lookup-phone")
    at_size(p, DESKTOP, "05-progress-lookup-desktop")

    # The same data on the clerk's side: the case's timeline carries the online submission, the correction round
    # and the acceptance, in that order.
    page.goto(f"/cases/{number}/")
    clerk_actions = [text.strip() for text in page.locator("#timeline .cs-what").all_inner_texts()]
    assert clerk_actions[:4] == ["提交申请", "一次性告知补正", "补齐材料", "受理"], clerk_actions

    # ── 6b. 长辈版 again (the choice is a cookie, no sign-in needed): the lookup result and the item's guide ──
    p.goto("/progress/")
    with p.expect_navigation():
        p.get_by_role("button", name="长辈版", exact=True).click()
    expect(p.locator("body")).to_have_class(re.compile(r"\bui-elderly\b"))
    assert p.evaluate(BODY_FONT_PX) == elderly_px
    no_sideways_scroll(p)
    shoot(p, "06-progress-elderly-phone")
    p.goto(f"/guide/{town.code}/{DIBAO_CODE}/")
    expect(p.locator("body")).to_have_class(re.compile(r"\bui-elderly\b"))
    expect(p.get_by_role("heading", level=1)).to_have_text("最低生活保障申请")
    assert p.evaluate(BODY_FONT_PX) == elderly_px
    assert_chinese_renders(p, ".guide-head")
    fits_phone(p, p.get_by_role("link", name="网上申报", exact=True), whole_page=False)  # the page: below
    shoot(p, "06-guide-elderly-phone")
    no_sideways_scroll(p)
