"""Public guide pages (一次性告知), QR codes, the QR wall and form downloads: no login, published only."""

from dataclasses import replace
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import resolve, reverse

from onewindow.catalog import qr
from onewindow.catalog.models import GuideMaterial
from onewindow.catalog.services import catalog_entry_update, guide_publish, guide_save_draft
from onewindow.catalog.spec import ProcedureSpec
from onewindow.core.errors import ValidationFailed
from onewindow.testing.catalog import make_item, sample_spec

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% sample form\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ONEWINDOW_PUBLIC_BASE_URL = ""
    return tmp_path


def stored(name: str, content: bytes = PDF) -> str:
    return default_storage.save(name, ContentFile(content))


def spec_with_files():
    base = sample_spec()
    materials = list(base.materials)
    materials[0] = replace(
        materials[0], sample_file=stored("catalog/forms/apply-sample.pdf"), blank_file=stored("catalog/forms/apply.pdf")
    )
    return replace(
        base,
        materials=materials,
        result_sample=stored("catalog/results/cert.pdf", b"%PDF-1.4 result"),
        special_procedures=[ProcedureSpec(name="公示", limit_days=7, counted_in_limit=False, note="在村务公开栏公示")],
        fee_free=False,
        fee_standard="工本费10元",
        fee_basis="鲁价费发〔2020〕1号",
        visits_needed=1,
    )


@pytest.fixture
def dibao(world):
    """最低生活保障申请, published in town A at window 1 (医保), with sample and blank forms and a result sample."""
    return make_item(spec=spec_with_files(), adopt_in=[world.a.region], window=world.a.windows[0])


def guide_path(world, item, town=None):
    return reverse("catalog:public-guide", args=[(town or world.a.region).code, item.code])


def file_path(world, item, kind, pk, town=None):
    return reverse("catalog:guide-file", args=[(town or world.a.region).code, item.code, kind, pk])


def test_index_lists_towns_with_their_published_counts(world, client, dibao):
    make_item(code="370829-ZF-002", spec=sample_spec(name="临时救助"), adopt_in=[world.a.region], publish=False)
    page = client.get(reverse("catalog:public-index")).content.decode()
    assert "嘉祥街道" in page and "已公布 1 项" in page  # the unpublished adoption is not counted
    assert "纸坊镇" in page and "暂未公布事项" in page
    assert reverse("catalog:public-town", args=[world.a.region.code]) in page


def test_guide_page_shows_every_element_of_the_one_time_notice(world, client, dibao, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(guide_path(world, dibao))
    assert response.status_code == 200
    page = response.content.decode()
    guide = dibao.current_guide
    expected = [
        "一次性告知",
        "最低生活保障申请",
        "370829-DB-001",
        "05 行政给付",
        "县直部门下放事项（委托办理）",
        "县市场监管局",  # the county department the item comes from
        "镇（街道）级",
        "嘉祥县民政局",
        "镇（街道）为民服务中心",
        "承诺件",
        "30 个工作日",
        "15 个工作日",
        "公示",
        "在村务公开栏公示",
        "不计入",
        "人均收入低于当地最低生活保障标准",
        "《社会救助暂行办法》第十一条",
        "家庭经济状况调查",
        "民主评议",
        "入户调查",
        "社会事务办、人社所",  # the joint stage, departments resolved in town A
        "并联审批",
        "户口簿",
        "原件和复印件",
        "窗口现场填写",
        "可容缺",
        "非必要",
        "家庭成员有残疾的提供",
        "工本费10元",
        "鲁价费发〔2020〕1号",
        "最低生活保障证",
        "镇（街道）为民服务中心综合受理窗口",
        "上午8:30-12:00",
        'href="tel:0537-6851234"',
        'href="tel:0537-12345"',
        "最多跑 1 次",
        "可以网上办理",
        "帮办代办",
        "1号窗口（医保）",
        "低保多久复核一次？",
        "一般每年复核一次。",
        "第 1 版",
        f"{guide.valid_from.year}年{guide.valid_from.month}月{guide.valid_from.day}日",
        "打印本页",
        "onewindow/css/guide.css",
    ]
    missing = [text for text in expected if text not in page]
    assert not missing, missing
    # The QR code on the page encodes this very page's absolute address.
    assert qr.qr_svg("http://testserver" + guide_path(world, dibao), scale=4) in page
    first = guide.materials.get(position=1)
    assert file_path(world, dibao, "sample", first.pk) in page
    assert file_path(world, dibao, "blank", first.pk) in page
    assert file_path(world, dibao, "result", guide.pk) in page


def test_guide_stylesheet_prints_on_a4_without_navigation():
    from django.contrib.staticfiles import finders

    with open(finders.find("onewindow/css/guide.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    assert "@media print" in css and "size: A4" in css
    assert ".site-header" in css.split("@media print")[1] and "break-inside: avoid" in css


def test_unpublished_and_foreign_entries_are_not_found(world, client, dibao):
    hidden = make_item(code="370829-ZF-002", spec=sample_spec(name="临时救助"), adopt_in=[world.a.region])
    entry = hidden.catalog_entries.get()
    catalog_entry_update(actor=world.county_admin, entry=entry, is_published=False)
    draft_only = make_item(code="370829-ZF-003", spec=sample_spec(name="特困供养"), publish=False)
    only_b = make_item(code="370829-ZF-004", spec=sample_spec(name="残疾人补贴"), adopt_in=[world.b.region])

    assert client.get(guide_path(world, hidden)).status_code == 404
    assert client.get(guide_path(world, draft_only)).status_code == 404
    assert client.get(guide_path(world, only_b)).status_code == 404  # not in town A's catalog
    assert client.get(guide_path(world, only_b, town=world.b.region)).status_code == 200
    assert client.get(f"/guide/370829999000/{dibao.code}/").status_code == 404
    assert client.get("/guide/12345/").status_code == 404
    assert client.get(reverse("catalog:guide-qr", args=[world.a.region.code, hidden.code])).status_code == 404
    town_page = client.get(reverse("catalog:public-town", args=[world.a.region.code])).content.decode()
    assert "最低生活保障申请" in town_page and "临时救助" not in town_page and "残疾人补贴" not in town_page


def test_town_page_groups_by_window_and_business_category(world, client, dibao):
    make_item(
        code="370829-YB-001",
        spec=sample_spec(name="城乡居民医保参保登记", window_category="high_frequency", keywords="医保"),
        adopt_in=[world.a.region],
    )
    page = client.get(reverse("catalog:public-town", args=[world.a.region.code])).content.decode()
    assert page.index("高频事项") < page.index("城乡居民医保参保登记") < page.index("综合事项")
    assert page.index("综合事项") < page.index("最低生活保障申请")
    assert "<h3>医保</h3>" in page
    assert "承诺 15 个工作日" in page and "1号窗口" in page
    for name in ("doc-catalog-pdf", "doc-catalog-xlsx", "doc-handbook-pdf", "doc-qrwall-pdf", "qr-wall"):
        assert reverse(f"catalog:{name}", args=[world.a.region.code]) in page


@pytest.mark.parametrize("q", ["dibao", "dbsq", "低保", "最低生活"])
def test_town_search_finds_by_chinese_and_pinyin(world, client, dibao, q):
    yibao = sample_spec(name="城乡居民医保参保登记", keywords="医保")
    make_item(code="370829-YB-001", spec=yibao, adopt_in=[world.a.region])
    page = client.get(reverse("catalog:public-town", args=[world.a.region.code]), {"q": q}).content.decode()
    assert "搜索结果（1 项）" in page
    assert guide_path(world, dibao) in page and "城乡居民医保参保登记" not in page


def test_town_search_is_scoped_to_the_town(world, client, dibao):
    page = client.get(reverse("catalog:public-town", args=[world.b.region.code]), {"q": "dibao"}).content.decode()
    assert "搜索结果（0 项）" in page and "没有找到相关事项" in page


def test_sample_form_downloads_with_its_chinese_name(world, client, dibao):
    first = dibao.current_guide.materials.get(position=1)
    response = client.get(file_path(world, dibao, "sample", first.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" + quote("最低生活保障申请书（样表）.pdf") in disposition
    assert response["Content-Type"] == "application/pdf"

    blank = client.get(file_path(world, dibao, "blank", first.pk))
    assert quote("最低生活保障申请书（空白表格）.pdf") in blank["Content-Disposition"]
    result = client.get(file_path(world, dibao, "result", dibao.current_guide.pk))
    assert b"".join(result.streaming_content) == b"%PDF-1.4 result"


def test_files_of_drafts_retired_versions_and_other_items_are_not_served(world, client, dibao):
    v1 = dibao.current_guide
    v1_first = v1.materials.get(position=1)
    second = v1.materials.get(position=2)  # has no file
    assert client.get(file_path(world, dibao, "sample", second.pk)).status_code == 404
    assert client.get(file_path(world, dibao, "other", v1_first.pk)).status_code == 404
    assert client.get(file_path(world, dibao, "result", v1.pk + 1000)).status_code == 404

    # A draft with a new sample form: its file is not public until the draft is published.
    spec = spec_with_files()
    spec.materials[0] = replace(spec.materials[0], sample_file=stored("catalog/forms/new-sample.pdf", b"%PDF new"))
    draft = guide_save_draft(actor=world.county_admin, item=dibao, spec=spec)
    draft_first = draft.materials.get(position=1)
    assert client.get(file_path(world, dibao, "sample", draft_first.pk)).status_code == 404
    assert client.get(file_path(world, dibao, "result", draft.pk)).status_code == 404

    # Another published item's material is not reachable under this item's address.
    other = make_item(code="370829-ZF-002", spec=spec_with_files(), adopt_in=[world.a.region])
    other_first = other.current_guide.materials.get(position=1)
    assert client.get(file_path(world, dibao, "sample", other_first.pk)).status_code == 404

    # Once v2 is published, v1's files are retired with it.
    guide_publish(actor=world.county_admin, item=dibao)
    assert client.get(file_path(world, dibao, "sample", v1_first.pk)).status_code == 404
    response = client.get(file_path(world, dibao, "sample", draft_first.pk))
    assert b"".join(response.streaming_content) == b"%PDF new"


def test_stored_names_outside_media_or_missing_files_are_not_found(world, client, dibao, media):
    (media.parent / "secret.txt").write_text("secret")
    first = dibao.current_guide.materials.get(position=1)
    # Tampered rows (not reachable through the guide services) must still not escape MEDIA_ROOT.
    GuideMaterial.objects.filter(pk=first.pk).update(sample_file="../secret.txt", blank_file="catalog/forms/gone.pdf")
    sample = client.get(file_path(world, dibao, "sample", first.pk))
    assert sample.status_code == 404 and b"secret" not in sample.content
    assert client.get(file_path(world, dibao, "blank", first.pk)).status_code == 404


def test_single_qr_code_is_an_svg_of_the_guide_address(world, client, dibao, settings):
    settings.ONEWINDOW_PUBLIC_BASE_URL = "https://zwfw.jiaxiang.gov.cn"
    response = client.get(reverse("catalog:guide-qr", args=[world.a.region.code, dibao.code]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    body = response.content.decode()
    assert body.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in body and "viewBox" in body
    assert "最低生活保障申请" in body
    expected = qr.make_qr("https://zwfw.jiaxiang.gov.cn" + guide_path(world, dibao)).svg_inline(scale=10, border=4)
    assert expected.split("<path", 1)[1].split("/>", 1)[0] in body  # the same modules


def test_qr_wall_groups_codes_by_window_category(world, client, dibao):
    make_item(
        code="370829-YB-001",
        spec=sample_spec(name="城乡居民医保参保登记", window_category="high_frequency"),
        adopt_in=[world.a.region],
    )
    hidden = make_item(code="370829-ZF-002", spec=sample_spec(name="临时救助"), adopt_in=[world.a.region])
    catalog_entry_update(actor=world.county_admin, entry=hidden.catalog_entries.get(), is_published=False)
    page = client.get(reverse("catalog:qr-wall", args=[world.a.region.code])).content.decode()
    assert "二维码便民服务墙" in page
    assert page.index("高频事项") < page.index("城乡居民医保参保登记") < page.index("综合事项")
    assert page.index("综合事项") < page.index("最低生活保障申请")
    assert page.count("<svg") == 2 and "临时救助" not in page
    assert reverse("catalog:doc-qrwall-pdf", args=[world.a.region.code]) in page
    assert "打印本页" in page


def test_town_pages_take_precedence_over_item_codes(world, client):
    # The wall's address is reserved: no item may take `qr-wall` as its code.
    with pytest.raises(ValidationFailed):
        make_item(code="qr-wall", spec=sample_spec(), adopt_in=[world.a.region])
    assert resolve(f"/guide/{world.a.region.code}/qr-wall/").url_name == "qr-wall"
    assert "二维码便民服务墙" in client.get(f"/guide/{world.a.region.code}/qr-wall/").content.decode()


def test_town_page_and_wall_queries_do_not_grow_with_the_catalog(world, client, dibao, django_assert_max_num_queries):
    for n in range(12):
        make_item(code=f"370829-GEN-{n:03d}", spec=sample_spec(name=f"测试事项{n}"), adopt_in=[world.a.region])
    town = world.a.region.code
    with django_assert_max_num_queries(2):  # the town, its published entries
        page = client.get(reverse("catalog:public-town", args=[town])).content.decode()
    assert page.count('class="item-row"') == 13
    with django_assert_max_num_queries(2):
        wall = client.get(reverse("catalog:qr-wall", args=[town])).content.decode()
    assert wall.count("<svg") == 13
    with django_assert_max_num_queries(4):  # the town, the search (candidates, hits), their entries
        found = client.get(reverse("catalog:public-town", args=[town]), {"q": "cssx"}).content.decode()
    assert "搜索结果（12 项）" in found
