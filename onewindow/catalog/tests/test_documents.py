"""Generated documents of a town's published catalog: 一窗受理事项目录 (PDF, Excel), 标准化受理材料指导手册
and 二维码便民服务墙 (PDF) — Chinese embedded, A4, numbered pages, published content only."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from onewindow.catalog.documents import (
    build_catalog_pdf,
    build_catalog_xlsx,
    build_handbook_pdf,
    build_qrwall_pdf,
    load_town_catalog,
)
from onewindow.catalog.documents.fonts import FontMissing
from onewindow.catalog.services import catalog_adopt
from onewindow.catalog.spec import MaterialSpec, ProcedureSpec
from onewindow.catalog.views import documents as documents_views
from onewindow.core.errors import ValidationFailed
from onewindow.testing.catalog import make_item, sample_spec

pytestmark = pytest.mark.django_db

BASE = "https://zwfw.example.gov.cn"
PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
A4_PORTRAIT = b"/MediaBox [ 0 0 595.2756 841.8898 ]"
A4_LANDSCAPE = b"/MediaBox [ 0 0 841.8898 595.2756 ]"
A3_PORTRAIT = b"/MediaBox [ 0 0 841.8898 1190.551 ]"


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF with whitespace removed (table cells wrap Chinese anywhere)."""
    result = subprocess.run([PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", result.stdout.decode())


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


def instant_spec():
    return sample_spec(
        name="城乡居民医保参保登记",
        handling_type="instant",
        legal_limit_days=1,
        promised_limit_days=0,
        window_category="high_frequency",
        online_capable=False,
        stages=[],
        materials=[MaterialSpec(name="居民身份证", form="original")],
        faq=[],
    )


def charged_spec():
    return sample_spec(
        name="个体工商户名称变更&登记",
        fee_free=False,
        fee_standard="工本费每份10元",
        fee_basis="鲁价费发〔2019〕1号",
        special_procedures=[ProcedureSpec(name="现场勘查", limit_days=5, note="需到经营场所核实")],
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rendered documents are cached by content; ids repeat between tests on SQLite.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def town_catalog(world, settings):
    """Town A publishes three items (a joint route, an instant item, a charged item with a special
    procedure); one adopted item is left unpublished and one item is published in town B only."""
    settings.ONEWINDOW_PUBLIC_BASE_URL = BASE
    town = world.a.region
    make_item("370829-DB-001", adopt_in=[town], window=world.a.windows[1])
    make_item("370829-YB-002", spec=instant_spec(), adopt_in=[town], window=world.a.windows[0])
    make_item("370829-GT-003", spec=charged_spec(), adopt_in=[town])
    hidden = make_item("370829-WG-004", spec=sample_spec(name="尚未公布的事项"))
    catalog_adopt(actor=world.user("a", "center_director"), town=town, item=hidden, publish=False)
    make_item("370829-QT-005", spec=sample_spec(name="纸坊镇才有的事项"), adopt_in=[world.b.region])
    return load_town_catalog(town)


def url_for(code):
    return f"{BASE}/guide/370829001000/{code}/"


# --- content and structure (no external tool needed) ---------------------------------------------


def test_catalog_holds_only_published_entries_grouped_high_frequency_first(town_catalog):
    assert [g.label for g in town_catalog.groups] == ["高频事项", "综合事项"]
    assert [e.item.code for e in town_catalog.groups[0].entries] == ["370829-YB-002"]
    assert {e.item.code for e in town_catalog.entries} == {"370829-DB-001", "370829-YB-002", "370829-GT-003"}


@pytest.mark.parametrize(
    "build, media_box",
    [
        (lambda c: build_catalog_pdf(c), A4_LANDSCAPE),
        (lambda c: build_handbook_pdf(c, url_for), A4_PORTRAIT),
        (lambda c: build_qrwall_pdf(c, url_for), A4_PORTRAIT),
        (lambda c: build_qrwall_pdf(c, url_for, paper="a3"), A3_PORTRAIT),
    ],
    ids=["catalog", "handbook", "qr-wall", "qr-wall-a3"],
)
def test_every_pdf_embeds_the_cjk_font_and_no_other(town_catalog, build, media_box):
    pdf = build(town_catalog)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/FontFile2" in pdf  # an embedded TrueType font program
    assert re.search(rb"/BaseFont /[A-Z]{6}\+WenQuanYiMicroHei", pdf)
    assert b"/BaseFont /Helvetica" not in pdf and b"STSong" not in pdf  # nothing left to the viewer's fonts
    assert media_box in pdf


def test_handbook_draws_one_qr_code_per_item_to_its_guide(town_catalog):
    asked = []

    def recording_url_for(code):
        asked.append(code)
        return url_for(code)

    build_handbook_pdf(town_catalog, recording_url_for)
    assert sorted(asked) == ["370829-DB-001", "370829-GT-003", "370829-YB-002"]


def test_missing_font_is_a_clear_chinese_error(town_catalog, settings):
    settings.ONEWINDOW_CJK_FONT = "/nonexistent/fonts/missing.ttc"
    with pytest.raises(FontMissing) as caught:
        build_catalog_pdf(town_catalog)
    assert "未找到中文字体文件" in caught.value.message and "/nonexistent/fonts/missing.ttc" in caught.value.message


def test_unknown_paper_size_is_refused(town_catalog):
    with pytest.raises(ValidationFailed) as caught:
        build_qrwall_pdf(town_catalog, url_for, paper="letter")
    assert caught.value.fields == {"paper": "纸张规格只能是A4或A3"}


def test_catalog_workbook_is_a_printable_directory(town_catalog):
    sheet = load_workbook(io.BytesIO(build_catalog_xlsx(town_catalog))).active
    assert sheet["A1"].value == "嘉祥街道为民服务中心一窗受理事项目录"
    assert "公布日期" in sheet["A2"].value and "共3项" in sheet["A2"].value
    assert [c.value for c in sheet[3]][:3] == ["序号", "事项名称", "实施编码"]
    assert sheet["A4"].value == "一、高频事项（1项）" and sheet["A6"].value == "二、综合事项（2项）"
    rows = {row[2]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[2]}
    assert set(rows) == {"370829-DB-001", "370829-YB-002", "370829-GT-003"}
    instant = rows["370829-YB-002"]
    assert instant[0] == 1 and instant[6] == "即办件" and "即办（当场办结）" in instant[7]
    assert instant[8] == "1号窗口（医保）"
    assert rows["370829-GT-003"][10] == "工本费每份10元"
    assert "尚未公布的事项" not in str(list(sheet.values))
    assert sheet.freeze_panes == "C4" and sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width


def test_documents_are_read_in_a_fixed_number_of_queries(town_catalog, world, django_assert_num_queries):
    # given: three more items, with materials, stages and procedures of their own
    for n in range(3):
        make_item(f"370829-MORE-{n}", spec=charged_spec(), adopt_in=[world.a.region])
    # when / then: entries + materials + procedures + stages + center + departments, however many items
    with django_assert_num_queries(6):
        catalog = load_town_catalog(world.a.region)
    with django_assert_num_queries(0):
        build_handbook_pdf(catalog, url_for)
        build_catalog_xlsx(catalog)
    assert len(catalog.entries) == 6


# --- what a reader sees (text extracted with pdftotext) -------------------------------------------


@needs_pdftotext
def test_catalog_pdf_lists_published_items_with_page_numbers(town_catalog):
    pdf = build_catalog_pdf(town_catalog)
    text = pdf_text(pdf)
    assert "嘉祥街道为民服务中心一窗受理事项目录" in text
    for name in ("最低生活保障申请", "城乡居民医保参保登记", "个体工商户名称变更&登记"):
        assert name in text
    assert "一、高频事项（1项）" in text and "二、综合事项（2项）" in text
    assert "尚未公布的事项" not in text and "纸坊镇才有的事项" not in text
    total = page_count(pdf)
    assert f"第1页/共{total}页" in text


@needs_pdftotext
def test_handbook_has_cover_contents_and_a_full_chapter_per_item(town_catalog):
    pdf = build_handbook_pdf(town_catalog, url_for)
    text = pdf_text(pdf)
    total = page_count(pdf)
    # cover (no page number), table of contents, then one chapter per item on its own pages
    assert total >= 5
    assert "标准化受理材料指导手册" in text and "目录" in text
    assert "第1页/" not in text and f"第2页/共{total}页" in text and f"第{total}页/共{total}页" in text
    for needle in (
        "1城乡居民医保参保登记",  # 高频 first
        "受理条件",
        "最低生活保障申请书",
        "可容缺",
        "窗口提供表格，现场填写",
        "法定办结时限",
        "即办件，当场办结",
        "现场勘查",
        "不计入（办理期间暂停计时）",
        "工本费每份10元",
        "鲁价费发〔2019〕1号",
        "社会事务办、人社所",
        "并联审批",
        "受办一体",
        "0537-6851234",
        "0537-12345",
        "低保多久复核一次？",
        "扫码查看办事指南",
    ):
        assert needle in text, needle
    assert "尚未公布的事项" not in text and "纸坊镇才有的事项" not in text


@needs_pdftotext
def test_handbook_contents_point_at_the_chapter_pages(town_catalog):
    pdf = build_handbook_pdf(town_catalog, url_for)
    # Page by page: the contents entry's number is the page where the chapter heading is.
    pages = subprocess.run([PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    pages = [re.sub(r"\s+", "", p) for p in pages.split("\f")]
    entry = re.search(r"3个体工商户名称变更&登记[.\s]*(\d+)", pages[1])
    assert entry, pages[1]
    assert pages[int(entry.group(1)) - 1].startswith("嘉祥街道为民服务中心标准化受理材料指导手册3个体工商户")


@needs_pdftotext
def test_qr_wall_groups_codes_by_window_category(town_catalog):
    pdf = build_qrwall_pdf(town_catalog, url_for)
    text = pdf_text(pdf)
    assert "嘉祥街道为民服务中心二维码便民服务墙" in text
    assert text.index("高频事项（1项") < text.index("城乡居民医保参保登记") < text.index("综合事项（2项")
    assert "编码：370829-DB-001" in text and "编码：370829-GT-003" in text
    assert "尚未公布的事项" not in text
    assert page_count(pdf) == 2 and "第2页/共2页" in text


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")), reason="pdftoppm or zbarimg is not installed"
)
def test_qr_wall_codes_scan_to_each_items_public_guide(town_catalog, tmp_path):
    (tmp_path / "wall.pdf").write_bytes(build_qrwall_pdf(town_catalog, url_for))
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(tmp_path / "wall.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(str(p) for p in tmp_path.glob("page*.png"))
    scanned = subprocess.run(["zbarimg", "-q", *pages], capture_output=True, text=True).stdout.split()
    assert sorted(scanned) == [
        f"QR-Code:{url_for(code)}" for code in ("370829-DB-001", "370829-GT-003", "370829-YB-002")
    ]


@needs_pdftotext
def test_a_town_with_nothing_published_still_gets_its_documents(world):
    catalog = load_town_catalog(world.b.region)
    for pdf in (build_catalog_pdf(catalog), build_handbook_pdf(catalog, url_for), build_qrwall_pdf(catalog, url_for)):
        assert "本镇街尚未公布一窗受理事项" in pdf_text(pdf)


# --- HTTP endpoints -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content_type, disposition, title",
    [
        ("catalog:doc-catalog-pdf", "application/pdf", "inline", "一窗受理事项目录.pdf"),
        (
            "catalog:doc-catalog-xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "attachment",
            "一窗受理事项目录.xlsx",
        ),
        (
            "catalog:doc-handbook-pdf",
            "application/pdf",
            "inline",
            "政务服务（便民服务）事项标准化受理材料指导手册.pdf",
        ),
        ("catalog:doc-qrwall-pdf", "application/pdf", "inline", "二维码便民服务墙.pdf"),
    ],
)
def test_documents_are_public_downloads_with_chinese_file_names(
    client, town_catalog, name, content_type, disposition, title
):
    url = reverse(name, args=["370829001000"])
    assert url.startswith("/guide/370829001000/documents/")
    response = client.get(url)  # no login: the published catalog is public
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    header = response["Content-Disposition"]
    assert header.startswith(f'{disposition}; filename="') and header.isascii()
    encoded = re.search(r"filename\*=UTF-8''(\S+)", header).group(1)
    assert unquote(encoded) == f"嘉祥街道为民服务中心{title}"
    assert response.content.startswith(b"%PDF-" if content_type == "application/pdf" else b"PK\x03\x04")


def test_qr_wall_endpoint_serves_a3_on_request(client, town_catalog):
    response = client.get(reverse("catalog:doc-qrwall-pdf", args=["370829001000"]), {"paper": "a3"})
    assert response.status_code == 200 and A3_PORTRAIT in response.content
    assert "%EF%BC%88A3%EF%BC%89" in response["Content-Disposition"]  # （A3）
    bad = client.get(reverse("catalog:doc-qrwall-pdf", args=["370829001000"]), {"paper": "b5"})
    assert bad.status_code == 400 and "纸张规格只能是A4或A3" in bad.content.decode()


def test_qr_codes_fall_back_to_the_request_address(client, town_catalog, settings, monkeypatch):
    settings.ONEWINDOW_PUBLIC_BASE_URL = ""
    seen = []
    monkeypatch.setattr("onewindow.catalog.documents.pdf_base.qr_matrix", lambda url: seen.append(url) or [[True]])
    response = client.get(reverse("catalog:doc-qrwall-pdf", args=["370829001000"]))
    assert response.status_code == 200
    assert "http://testserver/guide/370829001000/370829-DB-001/" in seen


def test_a_document_is_rendered_once_until_the_catalog_changes(client, town_catalog, world, monkeypatch):
    built = []
    real = documents_views.build_handbook_pdf
    monkeypatch.setattr(documents_views, "build_handbook_pdf", lambda *a, **k: built.append(1) or real(*a, **k))
    url = reverse("catalog:doc-handbook-pdf", args=["370829001000"])
    first = client.get(url).content
    assert client.get(url).content == first and len(built) == 1
    # a newly published item changes what is printed, so the next request renders afresh
    make_item("370829-NEW-006", spec=sample_spec(name="新公布的事项"), adopt_in=[world.a.region])
    assert client.get(url).content != first and len(built) == 2


def test_unknown_town_is_404(client, town_catalog):
    for name in ("catalog:doc-catalog-pdf", "catalog:doc-catalog-xlsx", "catalog:doc-handbook-pdf"):
        assert client.get(reverse(name, args=["370829999000"])).status_code == 404
    assert client.get("/guide/3708/documents/catalog.pdf").status_code == 404


def test_missing_font_answers_503_with_a_chinese_page(client, town_catalog, settings):
    settings.ONEWINDOW_CJK_FONT = "/nonexistent/fonts/missing.ttc"
    response = client.get(reverse("catalog:doc-handbook-pdf", args=["370829001000"]))
    assert response.status_code == 503 and "未找到中文字体文件" in response.content.decode()


# --- management command ---------------------------------------------------------------------------


def test_command_writes_the_four_documents(town_catalog, tmp_path, settings):
    settings.ONEWINDOW_PUBLIC_BASE_URL = ""
    out = io.StringIO()
    call_command("catalog_documents", town="370829001000", out=str(tmp_path / "docs"), base_url=BASE + "/", stdout=out)
    files = sorted(p.name for p in (tmp_path / "docs").iterdir())
    assert files == ["catalog.pdf", "catalog.xlsx", "handbook.pdf", "qr-wall.pdf"]
    assert (tmp_path / "docs" / "handbook.pdf").read_bytes().startswith(b"%PDF-")
    assert "共 3 个已公布事项" in out.getvalue()


def test_command_needs_a_public_address_and_a_known_town(town_catalog, tmp_path, settings):
    settings.ONEWINDOW_PUBLIC_BASE_URL = ""
    with pytest.raises(CommandError, match="对外访问地址"):
        call_command("catalog_documents", town="370829001000", out=str(tmp_path))
    with pytest.raises(CommandError, match="未找到镇街"):
        call_command("catalog_documents", town="370829999000", out=str(tmp_path), base_url=BASE)
    assert not any(tmp_path.iterdir())
