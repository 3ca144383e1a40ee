"""A citizen's phone opens an item's guide from its QR code (一次性告知), downloads a sample form and
searches the town's catalog by pinyin; the hall prints the QR wall."""

from dataclasses import replace
from pathlib import Path

import pytest
from browser_helpers import assert_chinese_renders, fits_width
from playwright.sync_api import expect

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
PDF = b"%PDF-1.4\n% sample form\n"


@pytest.fixture
def phone(browser, base_url):
    """A phone-sized browser (390×844, touch), as a citizen scanning a code in the hall would have."""
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        accept_downloads=True,
    )
    page = context.new_page()
    yield page
    context.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def catalog(world, settings, tmp_path, live_server):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from onewindow.testing.catalog import make_item, sample_spec

    settings.MEDIA_ROOT = tmp_path
    settings.ONEWINDOW_PUBLIC_BASE_URL = live_server.url  # what the printed QR codes carry
    spec = sample_spec()
    spec.materials[0] = replace(
        spec.materials[0], sample_file=default_storage.save("catalog/forms/apply.pdf", ContentFile(PDF))
    )
    town = world.a.region
    items = {
        "dibao": make_item(spec=spec, adopt_in=[town], window=world.a.windows[1]),
        "yibao": make_item(
            code="370829-YB-001",
            spec=sample_spec(name="城乡居民基本医疗保险参保登记", window_category="high_frequency", keywords="医保"),
            adopt_in=[town],
        ),
        "draft": make_item(code="370829-XX-001", spec=sample_spec(name="尚未发布的事项"), publish=False),
    }
    return town, items


def test_phone_opens_guide_from_qr_code_sees_materials_and_downloads_sample(phone, catalog, live_server):
    from onewindow.catalog import qr

    town, items = catalog
    # given: the address the item's QR code carries
    address = qr.guide_url(town.code, items["dibao"].code)
    assert address.startswith(live_server.url)

    # when: the phone opens it
    phone.goto(address)

    # then: the whole one-time notice, in Chinese, readable on a phone without sideways scrolling
    expect(phone.get_by_role("heading", level=1)).to_have_text("最低生活保障申请")
    assert_chinese_renders(phone, "h1")
    assert_chinese_renders(phone, ".materials")
    materials = phone.locator("table.materials tbody tr")
    expect(materials).to_have_count(4)
    expect(materials.nth(2)).to_contain_text("家庭收入证明")
    expect(materials.nth(2).locator(".mark-deficiency")).to_have_text("可容缺")
    expect(materials.nth(3)).to_contain_text("非必要")
    expect(phone.get_by_text("并联审批")).to_be_visible()
    expect(phone.locator("a.tel").first).to_have_attribute("href", "tel:0537-6851234")
    assert fits_width(phone)
    assert phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.guide-page')).fontSize)") >= 18
    assert phone.locator(".guide-qr svg").count() == 1
    shot(phone, "guide-phone")

    # The sample form downloads under its Chinese name.
    with phone.expect_download() as caught:
        phone.get_by_role("link", name="下载样表").click()
    download = caught.value
    assert download.suggested_filename == "最低生活保障申请书（样表）.pdf"
    assert Path(download.path()).read_bytes() == PDF

    # The 大字号 / 高对比度 switch enlarges the guide too, still without sideways scrolling.
    phone.get_by_label("大字号").check()
    phone.get_by_label("高对比度").check()
    with phone.expect_navigation():
        phone.get_by_role("button", name="应用").click()
    assert phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.guide-page')).fontSize)") >= 24
    assert fits_width(phone)
    shot(phone, "guide-phone-large-contrast")

    # Printed on A4: no site header, no buttons, the materials table in full.
    phone.emulate_media(media="print")
    expect(phone.locator(".site-header")).to_be_hidden()
    expect(phone.get_by_role("button", name="打印本页")).to_be_hidden()
    expect(phone.locator("table.materials thead")).to_be_visible()
    phone.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    shot(phone, "guide-print")


def test_town_page_search_by_pinyin_finds_the_item(phone, catalog):
    town, _ = catalog
    phone.goto(f"/guide/{town.code}/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text(town.name)
    expect(phone.get_by_role("heading", name="高频事项")).to_be_visible()
    expect(phone.get_by_text("尚未发布的事项")).to_have_count(0)
    assert fits_width(phone)
    shot(phone, "town-phone")

    phone.get_by_label("查找事项").fill("dibao")
    with phone.expect_navigation():
        phone.get_by_role("button", name="搜索").click()
    expect(phone.locator("#results-title")).to_have_text("“dibao”的搜索结果（1 项）")
    result = phone.get_by_role("link", name="最低生活保障申请")
    expect(result).to_be_visible()
    assert_chinese_renders(phone, ".item-list")
    shot(phone, "town-search-dibao")
    result.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("最低生活保障申请")


def test_unpublished_item_is_a_chinese_not_found_page(phone, catalog):
    town, items = catalog
    response = phone.goto(f"/guide/{town.code}/{items['draft'].code}/")
    assert response.status == 404
    expect(phone.get_by_role("heading", level=1)).to_have_text("未找到该页面")


def test_qr_wall_page_prints_a_grid_of_codes(page, catalog):
    town, items = catalog
    # A single code, as an SVG image for printing on its own.
    page.goto(f"/guide/{town.code}/{items['dibao'].code}/qr.svg")
    assert page.evaluate("document.documentElement.tagName") == "svg"
    assert page.evaluate("document.documentElement.getBoundingClientRect().width") > 100

    page.goto(f"/guide/{town.code}/qr-wall/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("二维码便民服务墙")
    expect(page.locator(".qr-cell svg")).to_have_count(2)
    expect(page.get_by_role("heading", name="高频事项")).to_be_visible()
    expect(page.get_by_role("heading", name="综合事项")).to_be_visible()
    assert_chinese_renders(page, ".qr-grid")
    shot(page, "qr-wall")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("link", name="下载 PDF 版")).to_be_hidden()
    shot(page, "qr-wall-print")
