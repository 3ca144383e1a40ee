"""A clerk or director of one town cannot reach any object of another town through the pages or admin."""

import pytest
from django.test import Client

from onewindow.core.roles import Role
from onewindow.org.models import Window


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_window_list_shows_only_own_town(world):
    text = client_for(world.user("a", Role.FRONT_CLERK)).get("/windows/").content.decode()
    assert world.a.region.name in text
    assert world.b.region.name not in text


@pytest.mark.django_db
def test_director_toggles_own_window_and_is_audited(world):
    from onewindow.audit.actions import AuditAction
    from onewindow.audit.models import AuditEvent

    director = world.user("a", Role.CENTER_DIRECTOR)
    tidal = world.a.windows[2]
    response = client_for(director).post(f"/windows/{tidal.pk}/toggle/", {"is_open": "1"})
    assert response.status_code == 302
    tidal.refresh_from_db()
    assert tidal.is_open
    event = AuditEvent.objects.get(action=AuditAction.WINDOW_OPENED, actor=director)
    assert event.chain == world.a.region.code


@pytest.mark.django_db
def test_director_cannot_toggle_another_towns_window(world):
    foreign = world.b.windows[2]
    response = client_for(world.user("a", Role.CENTER_DIRECTOR)).post(
        f"/windows/{foreign.pk}/toggle/", {"is_open": "1"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_open is False


@pytest.mark.django_db
def test_front_clerk_cannot_toggle_even_own_window(world):
    window = world.a.windows[0]
    client = client_for(world.user("a", Role.FRONT_CLERK))
    response = client.post(f"/windows/{window.pk}/toggle/", {"is_open": "0"})
    assert response.status_code == 403
    assert "没有执行此操作的权限" in response.content.decode() or "本镇街" in response.content.decode()
    window.refresh_from_db()
    assert window.is_open is True


@pytest.mark.django_db
def test_a_stale_close_button_does_not_reopen_a_closed_window(world):
    director = world.user("a", Role.CENTER_DIRECTOR)
    tidal = world.a.windows[2]  # closed
    client_for(director).post(f"/windows/{tidal.pk}/toggle/", {"is_open": "0"})
    tidal.refresh_from_db()
    assert tidal.is_open is False


@pytest.mark.django_db
def test_toggle_without_target_state_is_a_400_and_changes_nothing(world):
    tidal = world.a.windows[2]
    response = client_for(world.user("a", Role.CENTER_DIRECTOR)).post(f"/windows/{tidal.pk}/toggle/")
    assert response.status_code == 400
    assert "目标状态" in response.content.decode()
    tidal.refresh_from_db()
    assert tidal.is_open is False


@pytest.mark.django_db
def test_front_clerk_has_no_admin(world):
    response = client_for(world.user("a", Role.FRONT_CLERK)).get("/admin/org/window/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_director_admin_lists_only_own_town_and_hides_foreign_objects(world):
    client = client_for(world.user("a", Role.CENTER_DIRECTOR))
    listing = client.get("/admin/org/window/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert world.a.center.name in text and world.b.center.name not in text
    foreign = world.b.windows[0]
    change = client.get(f"/admin/org/window/{foreign.pk}/change/")
    assert change.status_code == 302  # "not found" redirect, nothing shown
    client.post(f"/admin/org/window/{foreign.pk}/change/", {"name": "被篡改"})
    assert Window.objects.get(pk=foreign.pk).name == foreign.name


@pytest.mark.django_db
def test_director_edits_own_window_in_admin_through_the_service(world):
    from onewindow.audit.actions import AuditAction
    from onewindow.audit.models import AuditEvent

    director = world.user("a", Role.CENTER_DIRECTOR)
    window = world.a.windows[1]
    response = client_for(director).post(
        f"/admin/org/window/{window.pk}/change/",
        {
            "center": world.a.center.pk,
            "number": 2,
            "name": "综合受理（含不动产）",
            "kind": "comprehensive",
            "categories": [world.category.pk],
            "is_open": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    window.refresh_from_db()
    assert window.name == "综合受理（含不动产）"
    assert list(window.categories.values_list("code", flat=True)) == ["medical_insurance"]
    assert AuditEvent.objects.filter(action=AuditAction.WINDOW_UPDATED, actor=director).exists()


@pytest.mark.django_db
def test_director_cannot_create_a_window_in_another_towns_center(world):
    director = world.user("a", Role.CENTER_DIRECTOR)
    before = Window.objects.count()
    response = client_for(director).post(
        "/admin/org/window/add/",
        {
            "center": world.b.center.pk,
            "number": 9,
            "name": "越权窗口",
            "kind": "comprehensive",
        },
    )
    assert response.status_code == 200  # form redisplayed with an error
    assert Window.objects.count() == before


@pytest.mark.django_db
def test_director_staff_admin_is_scoped_and_cannot_grant_county_roles(world):
    director = world.user("a", Role.CENTER_DIRECTOR)
    client = client_for(director)
    text = client.get("/admin/org/user/").content.decode()
    assert "a_front_clerk" in text and "b_front_clerk" not in text
    from onewindow.org.models import User

    client.post(
        "/admin/org/user/add/",
        {
            "username": "sneaky",
            "name": "越权",
            "password": "Sneaky-Pass-2026",
            "role": "county_admin",
            "is_active": "on",
        },
    )
    assert not User.objects.filter(username="sneaky").exists()
