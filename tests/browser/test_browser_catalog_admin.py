"""Catalog maintenance in the browser: a director builds the town's catalog; the county admin revises a guide."""

import re

from browser_helpers import assert_chinese_renders, fits_width
from playwright.sync_api import expect

from onewindow.core.roles import Role
from onewindow.testing.catalog import make_item, sample_spec


def test_director_adopts_publishes_sets_a_window_and_opens_the_qr_wall(page, world, login, screenshot):
    make_item(code="370829-DB-001")
    make_item(code="370829-YB-001", spec=sample_spec(name="城乡居民医保参保登记", keywords="医保"))
    login(world.user("a", Role.CENTER_DIRECTOR))

    page.get_by_role("link", name="本镇事项目录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("嘉祥街道一窗受理事项目录")
    expect(page.locator(".sc-entries")).to_contain_text("目录中还没有事项")

    # Search the county-wide list by pinyin initials, from the keyboard.
    page.get_by_label("搜索事项").fill("dbsq")
    page.get_by_label("搜索事项").press("Enter")
    candidates = page.locator(".sc-candidates")
    expect(candidates).to_contain_text("最低生活保障申请")
    expect(candidates).not_to_contain_text("城乡居民医保参保登记")
    page.get_by_label(re.compile("^最低生活保障申请")).check()
    page.get_by_label("受理窗口").select_option(label="2号窗口（综合受理）")
    page.get_by_label("纳入后立即向群众公布").check()
    page.get_by_role("button", name="纳入所选事项").click()

    expect(page.locator(".messages")).to_contain_text("已将1个事项纳入嘉祥街道目录并向群众公布")
    row = page.locator(".sc-entries tbody tr").filter(has_text="最低生活保障申请")
    expect(row).to_contain_text("已公布")
    window = row.get_by_label("“最低生活保障申请”的受理窗口")
    expect(window).to_have_value(str(world.a.windows[1].pk))

    # Move it to the 医保 window.
    window.select_option(label="1号窗口（医保）")
    row.get_by_role("button", name="保存窗口").click()
    expect(page.locator(".messages")).to_contain_text("受理窗口已设为1号窗口（医保）")
    expect(page.locator(".sc-entries tbody tr").filter(has_text="最低生活保障申请").locator("select")).to_have_value(
        str(world.a.windows[0].pk)
    )
    assert_chinese_renders(page, "h1")
    assert_chinese_renders(page, ".sc-entries")
    assert fits_width(page)
    screenshot("catalog-town-director")

    # Large text and high contrast (适老化): still no sideways scrolling, still Chinese glyphs.
    page.get_by_label("大字号").check()
    page.get_by_label("高对比度").check()
    with page.expect_navigation():
        page.get_by_role("button", name="应用").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("嘉祥街道一窗受理事项目录")
    assert fits_width(page)
    assert_chinese_renders(page, ".sc-entries")
    screenshot("catalog-town-director-large-contrast")

    # The QR wall for the town, from the documents box.
    page.get_by_role("link", name="二维码便民服务墙（网页）").click()
    expect(page).to_have_url(re.compile(rf"/guide/{world.a.region.code}/qr-wall/$"))
    expect(page.locator("body")).to_contain_text("最低生活保障申请")
    expect(page.locator("body")).not_to_contain_text("城乡居民医保参保登记")  # not adopted here
    screenshot("catalog-qr-wall-from-staff")


def test_county_admin_revises_a_guide_into_version_two(page, world, login, screenshot, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_item(code="370829-DB-001", adopt_in=[world.a.region])
    login(world.county_admin)
    page.get_by_role("link", name="事项与办事指南").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("事项与办事指南")
    assert_chinese_renders(page, ".sc-table")
    screenshot("catalog-item-list")
    page.get_by_role("link", name="最低生活保障申请").click()
    page.get_by_role("link", name="修改指南（形成新版本）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("修改办事指南：最低生活保障申请")
    assert fits_width(page)
    screenshot("catalog-guide-form")

    # A promised limit above the legal one: the message at the top and next to the field; input kept.
    page.get_by_label("承诺办结时限").fill("40")
    page.get_by_label("调整说明").fill("压缩承诺时限，增加委托书")
    page.get_by_role("button", name="保存草稿").click()
    summary = page.locator(".sc-error-summary")
    expect(summary).to_contain_text("不能超过法定办结时限")
    expect(summary).to_be_focused()
    expect(page.locator("#id_promised_limit_days_error")).to_contain_text("承诺办结时限（40个工作日）不能超过")
    expect(page.get_by_label("承诺办结时限")).to_have_value("40")
    expect(page.get_by_label("调整说明")).to_have_value("压缩承诺时限，增加委托书")
    screenshot("catalog-guide-form-error")

    # Fix it, and add a material row with the keyboard.
    page.get_by_label("承诺办结时限").fill("12")
    page.get_by_role("button", name="＋ 添加一行申请材料").focus()
    page.keyboard.press("Enter")
    new_name = page.locator("#id_materials-5-name")  # four materials + the blank row → the sixth
    expect(new_name).to_be_focused()
    page.keyboard.type("委托书")
    page.get_by_role("button", name="保存草稿").click()

    expect(page.locator(".messages")).to_contain_text("已保存办事指南第2版草稿")
    changes = page.locator(".sc-diff")
    expect(changes).to_contain_text("承诺办结时限（工作日）")
    expect(changes).to_contain_text("委托书")
    expect(changes).not_to_contain_text("审批环节")  # nothing else changed

    # A sample form for the new material: a program renamed .pdf is refused next to its field, a real PDF taken.
    fake = tmp_path / "委托书样表.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 500)
    page.get_by_label("“委托书”的样表（示范文本）").set_input_files(str(fake))
    page.get_by_role("button", name=re.compile(r"上传\s*“委托书”的样表")).click()
    expect(page.locator("#err-sample-5")).to_contain_text("该文件实际是可执行程序")
    expect(page.locator("#file-sample-5")).to_have_attribute("aria-invalid", "true")
    screenshot("catalog-item-upload-refused")
    real = tmp_path / "委托书样表-真.pdf"
    real.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.get_by_label("“委托书”的样表（示范文本）").set_input_files(str(real))
    page.get_by_role("button", name=re.compile(r"上传\s*“委托书”的样表")).click()
    expect(page.locator(".messages")).to_contain_text("已上传样表（示范文本）")
    expect(page.locator("#files")).to_contain_text("已上传，下载核对")
    assert fits_width(page)
    screenshot("catalog-item-draft")
    page.get_by_role("link", name="发布第2版…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("发布办事指南第2版？")
    page.get_by_role("button", name="确认发布").click()
    expect(page.locator(".messages")).to_contain_text("已发布办事指南第2版")

    page.get_by_role("link", name="版本记录").click()
    rows = page.locator(".sc-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("已发布")
    expect(rows.first).to_contain_text("压缩承诺时限，增加委托书")
    expect(rows.last).to_contain_text("已废止")
    assert_chinese_renders(page, ".sc-table")
    screenshot("catalog-history")
    rows.first.get_by_role("link", name="逐项对比").click()
    expect(page.locator("#changes")).to_contain_text("与第1版相比")
    assert fits_width(page)
    screenshot("catalog-version-diff")
