"""GET /api/v1/items/ and /api/v1/items/{code}/: public, published items only, the full guide, one error shape."""

from dataclasses import replace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from rest_framework.test import APIClient

from onewindow.catalog.api.serializers import ItemDetailOut, ItemSummaryOut
from onewindow.catalog.services import catalog_entry_update
from onewindow.catalog.spec import ProcedureSpec
from onewindow.testing.catalog import make_item, sample_spec

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ONEWINDOW_PUBLIC_BASE_URL = ""


@pytest.fixture
def api():
    return APIClient()  # anonymous: guides are public


@pytest.fixture
def catalog(world):
    """A: 低保 (with a sample form) and 医保参保; B: 残疾人补贴; plus items the public must not see."""
    spec = sample_spec(special_procedures=[ProcedureSpec(name="公示", limit_days=7)])
    spec.materials[0] = replace(
        spec.materials[0], sample_file=default_storage.save("catalog/forms/s.pdf", ContentFile(b"%PDF-1.4 s"))
    )
    items = {
        "dibao": make_item(spec=spec, adopt_in=[world.a.region], window=world.a.windows[0]),
        "yibao": make_item(
            code="370829-YB-001",
            spec=sample_spec(
                name="城乡居民医保参保登记", keywords="医保", handling_type="instant", promised_limit_days=0
            ),
            adopt_in=[world.a.region, world.b.region],
        ),
        "b_only": make_item(code="370829-CL-001", spec=sample_spec(name="残疾人补贴"), adopt_in=[world.b.region]),
        "unadopted": make_item(code="370829-XX-001", spec=sample_spec(name="未纳入目录的事项")),
        "draft": make_item(code="370829-XX-002", spec=sample_spec(name="草稿事项"), publish=False),
        "withdrawn": make_item(code="370829-XX-003", spec=sample_spec(name="暂停公布事项"), adopt_in=[world.a.region]),
    }
    catalog_entry_update(actor=world.county_admin, entry=items["withdrawn"].catalog_entries.get(), is_published=False)
    return items


def test_list_without_town_is_every_item_published_in_any_town(api, catalog):
    body = api.get("/api/v1/items/").json()
    assert body["count"] == 3
    assert [row["code"] for row in body["results"]] == ["370829-CL-001", "370829-DB-001", "370829-YB-001"]
    assert set(body["results"][0]) == set(ItemSummaryOut().fields)
    assert all(row["guide_url"] is None for row in body["results"])


def test_list_for_a_town_with_labels_and_guide_links(world, api, catalog, django_assert_max_num_queries):
    town = world.a.region.code
    with django_assert_max_num_queries(3):  # the town, the count, the page
        body = api.get("/api/v1/items/", {"town": town}).json()
    rows = {row["code"]: row for row in body["results"]}
    assert set(rows) == {"370829-DB-001", "370829-YB-001"}
    dibao = rows["370829-DB-001"]
    assert dibao == {
        "code": "370829-DB-001",
        "name": "最低生活保障申请",
        "kind": "05",
        "kind_label": "行政给付",
        "handling_type": "promised",
        "handling_type_label": "承诺件",
        "legal_limit_days": 30,
        "promised_limit_days": 15,
        "window_category": "comprehensive",
        "window_category_label": "综合事项",
        "business_category": {"code": "medical_insurance", "name": "医保"},
        "online_capable": True,
        "proxy_capable": True,
        "guide_url": "http://testserver" + reverse("catalog:public-guide", args=[town, "370829-DB-001"]),
    }
    assert rows["370829-YB-001"]["handling_type_label"] == "即办件"


def test_list_query_count_does_not_grow_with_the_catalog(world, api, catalog, django_assert_max_num_queries):
    for n in range(20):
        make_item(code=f"370829-GEN-{n:03d}", spec=sample_spec(name=f"测试事项{n}"), adopt_in=[world.a.region])
    with django_assert_max_num_queries(3):
        body = api.get("/api/v1/items/", {"town": world.a.region.code, "limit": 10}).json()
    assert body["count"] == 22 and len(body["results"]) == 10 and body["next"]
    with django_assert_max_num_queries(4):  # the town, the search (2: candidates, hits), the rows of the hits
        body = api.get("/api/v1/items/", {"town": world.a.region.code, "q": "cssx"}).json()
    assert body["count"] == 20


@pytest.mark.parametrize("q", ["dibao", "dbsq", "低保", "最低生活保障"])
def test_search_by_chinese_and_pinyin(world, api, catalog, q):
    body = api.get("/api/v1/items/", {"town": world.a.region.code, "q": q}).json()
    assert [row["name"] for row in body["results"]] == ["最低生活保障申请"]


def test_search_ranks_the_best_match_first_and_stays_in_the_town(world, api, catalog):
    body = api.get("/api/v1/items/", {"q": "医保"}).json()
    assert body["results"][0]["name"] == "城乡居民医保参保登记"  # keyword match above a category match
    body = api.get("/api/v1/items/", {"town": world.b.region.code, "q": "最低生活"}).json()
    assert body["count"] == 0 and body["results"] == []  # published in town A only


@pytest.mark.parametrize(
    ("town", "message"),
    [("12345", "12位数字"), ("37082900100x", "12位数字"), ("370829999000", "未找到"), ("370829001201", "未找到")],
)
def test_bad_town_code_is_a_chinese_400(api, catalog, town, message):
    for url in ("/api/v1/items/", "/api/v1/items/370829-DB-001/"):
        response = api.get(url, {"town": town})
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"].startswith("catalog.") and message in error["fields"]["town"]


def test_detail_is_the_full_current_guide_in_the_town(world, api, catalog, django_assert_max_num_queries):
    town = world.a.region.code
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/items/370829-DB-001/", {"town": town})
    assert response.status_code == 200
    doc = response.json()
    assert set(doc) == set(ItemDetailOut().fields)
    guide = catalog["dibao"].current_guide
    assert (doc["version"], doc["valid_from"]) == (1, guide.valid_from.isoformat())
    assert (doc["source_label"], doc["delegation_mode_label"]) == ("县直部门下放事项", "委托办理")
    assert doc["source_department"] == {"code": "market", "name": "县市场监管局"}
    assert doc["exercise_levels"] == [{"code": "town", "label": "镇（街道）级"}]
    assert doc["special_procedures"] == [{"name": "公示", "limit_days": 7, "counted_in_limit": False, "note": ""}]
    assert doc["process_steps"][2] == "家庭经济状况调查"
    joint = doc["stages"][1]
    assert joint["is_joint"] is True
    assert joint["departments"] == [{"code": "social", "name": "社会事务办"}, {"code": "labour", "name": "人社所"}]
    materials = doc["materials"]
    assert [m["name"] for m in materials] == ["最低生活保障申请书", "户口簿", "家庭收入证明", "残疾证"]
    assert materials[2]["deficiency_allowed"] is True and materials[3]["required"] is False
    assert materials[1]["form_label"] == "原件和复印件" and materials[0]["source_label"] == "窗口现场填写"
    assert materials[0]["sample_url"].startswith("http://testserver/guide/370829001000/370829-DB-001/files/sample/")
    assert materials[0]["blank_url"] is None and doc["result_sample_url"] is None
    assert doc["faq"] == [{"question": "低保多久复核一次？", "answer": "一般每年复核一次。"}]
    assert doc["window"] == {"number": 1, "name": "医保"}
    assert doc["town_code"] == town and doc["guide_url"].endswith(f"/guide/{town}/370829-DB-001/")
    # The download address works for anyone.
    download = api.get(materials[0]["sample_url"].removeprefix("http://testserver"))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 s"


def test_detail_without_town_names_no_town_departments_but_links_files(api, catalog):
    doc = api.get("/api/v1/items/370829-DB-001/").json()
    assert doc["town_code"] is None and doc["window"] is None and doc["guide_url"] is None
    assert doc["stages"][0]["departments"] == [{"code": "social", "name": None}]
    assert doc["materials"][0]["sample_url"].startswith("http://testserver/guide/370829001000/")


@pytest.mark.parametrize(
    ("code", "town"),
    [
        ("370829-XX-001", None),  # published but in no town's catalog
        ("370829-XX-002", None),  # a draft
        ("370829-XX-003", "370829001000"),  # adopted, then withdrawn from the public
        ("370829-CL-001", "370829001000"),  # published in town B only
        ("no-such-item", None),
    ],
)
def test_unpublished_items_are_not_found(api, catalog, code, town):
    response = api.get(f"/api/v1/items/{code}/", {"town": town} if town else {})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found" and "未找到" in response.json()["error"]["message"]


def test_both_endpoints_are_in_the_schema_with_their_parameters(api):
    response = api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    listing = paths["/api/v1/items/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"town", "q", "limit", "offset"}
    schemas = response.json()["components"]["schemas"]
    page = listing["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert schemas[page]["properties"]["results"]["items"]["$ref"].endswith("/ItemSummaryOut")
    detail = paths["/api/v1/items/{code}/"]["get"]
    assert {p["name"] for p in detail["parameters"]} >= {"code", "town"}
    assert {"ItemSummaryOut", "ItemDetailOut", "MaterialOut"} <= set(schemas)
    assert "deficiency_allowed" in schemas["MaterialOut"]["properties"]
