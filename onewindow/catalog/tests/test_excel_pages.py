"""The Excel import/export page: county admin and center directors only; errors shown cell by cell."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onewindow.catalog.excel.template import XLSX_CONTENT_TYPE
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.services.importing import catalog_export
from onewindow.catalog.tests.excel_utils import build_catalog, db_counts, edit, rows

pytestmark = pytest.mark.django_db

IMPORT, EXPORT = reverse("catalog:excel-import"), reverse("catalog:excel-export")


@pytest.fixture
def catalog(world):
    return build_catalog(world)


def upload(data: bytes, name="目录.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX_CONTENT_TYPE)


def test_signed_out_visitors_are_sent_to_login(client):
    for url in (IMPORT, EXPORT):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_front_clerk_gets_403_and_cannot_import(client, world, catalog):
    client.force_login(world.user("a", "front_clerk"))
    before = db_counts()
    assert client.get(IMPORT).status_code == 403
    assert client.get(EXPORT).status_code == 403
    data = edit(catalog_export(actor=world.county_admin), "事项", 2, "承诺办结时限（工作日）", 12)
    response = client.post(IMPORT, {"file": upload(data)})
    assert response.status_code == 403 and "无权访问" in response.content.decode()
    assert db_counts() == before


def test_a_director_downloads_the_towns_catalog(client, world, catalog):
    client.force_login(world.user("b", "center_director"))
    page = client.get(IMPORT)
    assert page.status_code == 200 and "导出纸坊镇事项目录" in page.content.decode()
    response = client.get(EXPORT)
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"] and "filename*=utf-8''" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert [r["实施编码"] for r in rows(data, "事项")] == ["370829-DB-001", "B-TS-001"]
    assert client.get(EXPORT, {"town": world.a.region.code}).status_code == 403


def test_the_county_admin_picks_a_town_or_the_blank_template(client, world, catalog):
    client.force_login(world.county_admin)
    assert "纸坊镇" in client.get(IMPORT).content.decode()  # the town choice
    response = client.get(EXPORT, {"town": world.a.region.code})
    assert [r["实施编码"] for r in rows(b"".join(response.streaming_content), "事项")] == ["370829-DB-001"]
    blank = client.get(EXPORT, {"blank": "1"})
    assert rows(b"".join(blank.streaming_content), "事项") == []
    assert client.get(EXPORT, {"town": "999999999999"}).status_code == 404


def test_a_bad_row_is_shown_with_its_sheet_row_and_column_and_nothing_is_saved(client, world, catalog):
    client.force_login(world.county_admin)
    data = edit(catalog_export(actor=world.county_admin), "事项", 2, "承诺办结时限（工作日）", 40)
    before = db_counts()
    response = client.post(IMPORT, {"file": upload(data)})
    html = response.content.decode()
    assert response.status_code == 400
    assert "导入失败：发现1处错误，没有导入任何内容" in html
    assert "<td>事项</td>" in html and "<td>第2行</td>" in html and "M列（承诺办结时限）" in html
    assert "承诺办结时限（40个工作日）不能超过法定办结时限（30个工作日）" in html
    assert db_counts() == before


def test_a_non_excel_upload_gets_one_clear_error(client, world, catalog):
    client.force_login(world.user("a", "center_director"))
    before = db_counts()
    response = client.post(IMPORT, {"file": upload(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, name="photo.xlsx")})
    assert response.status_code == 400
    assert "上传的文件不是Excel工作簿（.xlsx）" in response.content.decode()
    assert db_counts() == before
    response = client.post(IMPORT, {})
    assert response.status_code == 400 and "请选择要导入的Excel文件" in response.content.decode()


def test_a_good_file_is_checked_then_imported(client, world, catalog):
    client.force_login(world.county_admin)
    data = edit(catalog_export(actor=world.county_admin), "事项", 2, "承诺办结时限（工作日）", 12)
    before = db_counts()
    checked = client.post(IMPORT, {"file": upload(data), "dry_run": "on"})
    assert checked.status_code == 200 and "检查通过" in checked.content.decode()
    assert db_counts() == before
    done = client.post(IMPORT, {"file": upload(data)})
    assert done.status_code == 200 and "导入成功" in done.content.decode()
    assert ServiceItem.objects.get(code="370829-DB-001").current_guide.version == 2
