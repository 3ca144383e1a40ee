"""Portal home: choose town and village (remembered), search into the town's guide, quick tiles, the town's
online items; the site root sends visitors here; the elderly mode (长辈版) toggle; the installable web app."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from onewindow.citizens.tests import support
from onewindow.citizens.tests.support import sign_in
from onewindow.testing.cases import offered_item

pytestmark = pytest.mark.django_db
outbox = support.outbox  # the SMS outbox fixture


def static_text(name: str) -> str:
    return Path(finders.find(name)).read_text(encoding="utf-8")


@pytest.fixture
def item(world):
    return offered_item(world)


def test_the_site_root_sends_visitors_to_the_portal(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/portal/"


def test_without_a_town_the_home_asks_for_one(client, world):
    page = client.get("/portal/").content.decode()
    assert "请先选择您所在的镇（街道）" in page
    assert world.a.region.name in page and world.b.region.name in page
    assert '<label for="town">' in page


def test_choosing_a_town_shows_search_tiles_and_online_items_and_is_remembered(client, world, item):
    town = world.a.region
    response = client.get("/portal/", {"town": town.code})
    assert response.status_code == 200
    assert response.cookies["ow_town"].value == town.code
    page = response.content.decode()
    assert f'action="/guide/{town.code}/"' in page and 'name="q"' in page  # pinyin search lives there
    for tile in ("网上申报", "办件查询", "二维码服务墙", f"/guide/{town.code}/qr-wall/"):
        assert tile in page
    assert "最低生活保障申请" in page  # online-capable and published in town A
    # remembered: the next visit without ?town= shows the same town
    again = client.get("/portal/").content.decode()
    assert "最低生活保障申请" in again and f"网上办事大厅 · {town.name}" in again


def test_town_b_does_not_list_town_a_items(client, world, item):
    page = client.get("/portal/", {"town": world.b.region.code}).content.decode()
    assert "最低生活保障申请" not in page and "暂未开通网上申报" in page


def test_an_unknown_town_is_a_404_and_not_remembered(client, world):
    response = client.get("/portal/", {"town": "999999999999"})
    assert response.status_code == 404 and "ow_town" not in response.cookies


def test_a_village_of_the_town_is_remembered_and_shows_its_station(client, world):
    village = world.a.villages[0]
    response = client.get("/portal/", {"town": world.a.region.code, "village": village.code})
    assert response.cookies["ow_village"].value == village.code
    assert f"{village.name}便民服务站" in response.content.decode()
    # a village of another town is ignored
    other = world.b.villages[0]
    response = client.get("/portal/", {"town": world.a.region.code, "village": other.code})
    assert f"{other.name}便民服务站" not in response.content.decode()


def test_a_signed_in_citizen_sees_their_masked_number_and_sign_out(
    client, world, outbox, django_capture_on_commit_callbacks
):
    sign_in(client, django_capture_on_commit_callbacks, outbox)
    page = client.get("/portal/").content.decode()
    assert "139****5678" in page and 'action="/account/logout/"' in page and "13905375678" not in page


# --- 长辈版 (elderly mode) -------------------------------------------------------------------------


def toggle(client, next_url="/portal/"):
    return client.post("/preferences/", {"toggle": "elderly", "next": next_url})


def test_the_elderly_toggle_is_one_keyboard_reachable_button(client, world):
    page = client.get("/portal/").content.decode()
    assert '<button type="submit" class="btn btn-small btn-elderly" aria-pressed="false">长辈版</button>' in page
    assert "ui-elderly" not in page.split("<body", 1)[1].split(">", 1)[0]


def test_the_elderly_mode_is_remembered_and_applies_to_public_pages(client, world, item):
    response = toggle(client)
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert "elderly" in response.cookies["ow_ui"].value
    for address in ("/portal/", f"/guide/{world.a.region.code}/", "/progress/", "/account/login/"):
        page = client.get(address).content.decode()
        body = page.split("<body", 1)[1].split(">", 1)[0]
        assert "ui-elderly" in body, address
        assert 'aria-pressed="true">退出长辈版' in page
    toggle(client)
    assert "ui-elderly" not in client.get("/portal/").content.decode().split("<body", 1)[1].split(">", 1)[0]


def test_the_elderly_mode_keeps_large_text_and_contrast_choices_and_vice_versa(client, world):
    client.post("/preferences/", {"large": "on", "contrast": "on", "next": "/portal/"})
    toggle(client)
    assert set(client.cookies["ow_ui"].value.split(".")) == {"large", "contrast", "elderly"}
    client.post("/preferences/", {"large": "on", "next": "/portal/"})  # the checkboxes keep the elderly mode
    assert set(client.cookies["ow_ui"].value.split(".")) == {"large", "elderly"}


def test_the_elderly_stylesheet_sets_large_type():
    css = static_text("onewindow/css/site.css")
    rule = css.split("body.ui-elderly {", 1)[1].split("}", 1)[0]
    assert int(rule.split("font-size:", 1)[1].split("px", 1)[0]) >= 20


# --- installable web app ---------------------------------------------------------------------------


def test_the_manifest_names_the_app_and_its_icons_exist(client, world):
    page = client.get("/portal/").content.decode()
    assert 'rel="manifest" href="/static/portal/manifest.webmanifest"' in page
    manifest = json.loads(static_text("portal/manifest.webmanifest"))
    assert manifest["start_url"].startswith("/portal/") and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/" + settings.STATIC_URL.strip("/") + "/")), icon["src"]
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}


def test_the_service_worker_is_served_from_the_root_with_a_wide_scope(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert "offline.html" in body and "<!--private-->" in body


def test_the_offline_page_is_chinese_and_pages_mark_their_private_parts(client, world):
    offline = static_text("portal/offline.html")
    assert "网络暂时没有连接" in offline and 'lang="zh-Hans"' in offline
    page = client.get("/portal/").content.decode()
    assert page.count("<!--private-->") == 1 and page.count("<!--/private-->") == 1
