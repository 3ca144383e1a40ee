"""Staff screens for a town's catalog: adopt (several at once), window, publish / unpublish, remove."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.audit.services import SYSTEM
from onewindow.catalog.models import CatalogEntry
from onewindow.catalog.spec import StageSpec
from onewindow.org.models import Department
from onewindow.org.services import save_department
from onewindow.testing.catalog import make_item, sample_spec

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def catalog_url(town, name="staff-town-catalog", *extra):
    return reverse(f"catalog:{name}", args=[town.code, *extra])


@pytest.fixture
def civil_in_a_only(world):
    """A department code only town A has: an item routed to it cannot be published in town B."""
    save_department(actor=SYSTEM, department=Department(code="civil", name="民政办", kind="town", town=world.a.region))
    spec = sample_spec(
        name="高龄津贴申请",
        keywords="高龄补贴",
        stages=[StageSpec(name="审核", department_codes=["civil"], limit_days=5)],
    )
    return make_item(code="C-CIVIL", spec=spec)


def test_director_is_sent_to_own_town_and_cannot_open_another(world):
    director = client_for(world.user("a", "center_director"))
    response = director.get(reverse("catalog:staff-towns"))
    assert response.status_code == 302 and response["Location"] == catalog_url(world.a.region)
    assert director.get(catalog_url(world.b.region)).status_code == 404
    assert director.get(reverse("catalog:staff-town-catalog", args=["999999999999"])).status_code == 404


def test_director_adopts_several_items_at_a_window_and_publishes_them(world):
    dibao = make_item(code="C-1")
    yibao = make_item(code="C-2", spec=sample_spec(name="城乡居民医保参保登记", keywords="医保"))
    director = world.user("a", "center_director")
    client = client_for(director)
    page = client.get(catalog_url(world.a.region)).content.decode()
    assert "最低生活保障申请" in page and "城乡居民医保参保登记" in page  # offered for adoption

    window = world.a.windows[1]
    response = client.post(
        catalog_url(world.a.region, "staff-town-adopt"),
        {"items": [dibao.code, yibao.code], "window": str(window.pk), "publish": "1"},
    )
    assert response.status_code == 302
    entries = CatalogEntry.objects.filter(town=world.a.region).order_by("item__code")
    assert [(e.item.code, e.window, e.is_published) for e in entries] == [
        ("C-1", window, True),
        ("C-2", window, True),
    ]
    assert AuditEvent.objects.filter(action=AuditAction.CATALOG_ENTRY_ADOPTED, actor=director).count() == 2
    assert not CatalogEntry.objects.filter(town=world.b.region).exists()

    page = client.get(catalog_url(world.a.region)).content.decode()
    assert "已公布" in page and "全县通用事项均已纳入本镇街目录" in page


def test_adopt_search_uses_pinyin(world):
    make_item(code="C-1")
    make_item(code="C-2", spec=sample_spec(name="城乡居民医保参保登记", keywords="医保"))
    page = client_for(world.user("a", "center_director")).get(catalog_url(world.a.region), {"q": "dbsq"})
    text = page.content.decode().split('id="h-adopt"')[1]
    assert "最低生活保障申请" in text and "城乡居民医保参保登记" not in text


def test_one_unpublishable_item_stops_the_batch_and_names_the_missing_department(world, civil_in_a_only):
    other = make_item(code="C-1")
    client = client_for(world.user("b", "center_director"))
    response = client.post(
        catalog_url(world.b.region, "staff-town-adopt"), {"items": [other.code, civil_in_a_only.code], "publish": "1"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "本镇街的审批环节需要" in page or "需要本镇街没有的部门：civil" in page
    assert "本次未纳入任何事项" in page
    assert 'value="C-CIVIL" id="pick-' in page and "checked" in page.split('value="C-CIVIL"')[1][:60]  # kept ticked
    assert not CatalogEntry.objects.filter(town=world.b.region).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CATALOG_ENTRY_ADOPTED).exists()


def test_publishing_an_entry_whose_route_the_town_lacks_shows_the_problem(world, civil_in_a_only):
    client = client_for(world.user("b", "center_director"))
    client.post(catalog_url(world.b.region, "staff-town-adopt"), {"items": [civil_in_a_only.code]})
    entry = CatalogEntry.objects.get(town=world.b.region)
    assert not entry.is_published
    page = client.get(catalog_url(world.b.region)).content.decode()
    assert "本镇街缺少审批部门：civil" in page  # warned before trying
    response = client.post(catalog_url(world.b.region, "staff-town-entry", entry.pk), {"action": "publish"})
    assert response.status_code == 400
    assert "操作未完成" in response.content.decode() and "civil" in response.content.decode()
    entry.refresh_from_db()
    assert not entry.is_published


def test_set_window_publish_unpublish_and_remove(world):
    item = make_item(code="C-1", adopt_in=[world.a.region], window=world.a.windows[0])
    entry = CatalogEntry.objects.get(town=world.a.region, item=item)
    client = client_for(world.user("a", "center_director"))
    entry_url = catalog_url(world.a.region, "staff-town-entry", entry.pk)

    assert client.post(entry_url, {"action": "window", "window": str(world.a.windows[1].pk)}).status_code == 302
    entry.refresh_from_db()
    assert entry.window == world.a.windows[1]
    # another town's window: refused, unchanged
    response = client.post(entry_url, {"action": "window", "window": str(world.b.windows[0].pk)})
    assert response.status_code == 400 and "请选择本镇街为民服务中心的窗口" in response.content.decode()
    entry.refresh_from_db()
    assert entry.window == world.a.windows[1]

    client.post(entry_url, {"action": "unpublish"})
    entry.refresh_from_db()
    assert not entry.is_published
    client.post(entry_url, {"action": "publish"})
    entry.refresh_from_db()
    assert entry.is_published

    remove_url = catalog_url(world.a.region, "staff-town-entry-remove", entry.pk)
    assert "确认移出" in client.get(remove_url).content.decode()
    assert CatalogEntry.objects.filter(pk=entry.pk).exists()
    assert client.post(remove_url).status_code == 302
    assert not CatalogEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.CATALOG_ENTRY_REMOVED, chain=world.a.region.code).exists()


def test_director_cannot_change_another_towns_entries(world):
    item = make_item(code="C-1", adopt_in=[world.b.region])
    entry = CatalogEntry.objects.get(town=world.b.region, item=item)
    client = client_for(world.user("a", "center_director"))
    for town in (world.b.region, world.a.region):  # by B's address, and by A's address with B's entry
        assert client.post(catalog_url(town, "staff-town-entry", entry.pk), {"action": "unpublish"}).status_code == 404
        assert client.post(catalog_url(town, "staff-town-entry-remove", entry.pk)).status_code == 404
    assert client.post(catalog_url(world.b.region, "staff-town-adopt"), {"items": ["C-1"]}).status_code == 404
    entry.refresh_from_db()
    assert entry.is_published


def test_county_admin_chooses_any_town(world):
    item = make_item(code="C-1")
    admin = client_for(world.county_admin)
    page = admin.get(reverse("catalog:staff-towns")).content.decode()
    assert world.a.region.name in page and world.b.region.name in page
    response = admin.post(catalog_url(world.b.region, "staff-town-adopt"), {"items": [item.code], "publish": "1"})
    assert response.status_code == 302
    assert CatalogEntry.objects.get(town=world.b.region).is_published


def test_own_town_items_show_as_featured(world):
    own = make_item(code="A-1", spec=sample_spec(name="甲镇特色"), owner_town=world.a.region)
    page = client_for(world.user("a", "center_director")).get(catalog_url(world.a.region)).content.decode()
    row = page.split(f'id="entry-{CatalogEntry.objects.get(item=own).pk}"')[1].split("</tr>")[0]
    assert "甲镇特色" in row and "特色事项" in row


@pytest.mark.parametrize("role", ["front_clerk", "output_clerk", "agent"])
def test_clerks_are_refused(world, role):
    item = make_item(code="C-1", adopt_in=[world.a.region])
    entry = CatalogEntry.objects.get(item=item)
    client = client_for(world.user("a", role))
    assert client.get(catalog_url(world.a.region)).status_code == 403
    assert (
        client.post(catalog_url(world.a.region, "staff-town-entry", entry.pk), {"action": "unpublish"}).status_code
        == 403
    )
    entry.refresh_from_db()
    assert entry.is_published


def test_document_links_point_at_the_town(world):
    page = client_for(world.user("a", "center_director")).get(catalog_url(world.a.region)).content.decode()
    names = ["doc-catalog-pdf", "doc-catalog-xlsx", "doc-handbook-pdf", "doc-qrwall-pdf", "qr-wall"]
    defined = []
    for name in names:
        try:
            defined.append(reverse(f"catalog:{name}", args=[world.a.region.code]))
        except NoReverseMatch:
            continue
    assert defined, "no document pages defined yet"
    for url in defined:
        assert f'href="{url}"' in page


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_do_not_query_per_row(world):
    director = client_for(world.user("a", "center_director"))
    admin = client_for(world.county_admin)
    make_item(code="C-0", adopt_in=[world.a.region])
    make_item(code="C-00")
    urls = [(director, catalog_url(world.a.region)), (director, reverse("catalog:staff-items"))]
    urls.append((admin, reverse("catalog:staff-items")))
    for client, url in urls:  # the first request of a session also writes the session
        client.get(url)
    few = [_queries(client, url) for client, url in urls]
    for i in range(1, 7):
        name = f"测试事项{i}"
        make_item(code=f"C-{i}", spec=sample_spec(name=name), adopt_in=[world.a.region] if i % 2 else [])
    assert [_queries(client, url) for client, url in urls] == few
