"""GET /api/v1/windows/ and /api/v1/windows/{id}/: scoped to the caller's town, errors in one shape."""

import pytest
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from onewindow.core.roles import Role
from onewindow.testing.world import PASSWORD


@pytest.fixture
def api():
    return APIClient()


def token_for(api, user):
    response = api.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.mark.django_db
def test_front_clerk_lists_only_own_town_windows_with_town_code(world, api):
    api.credentials(HTTP_AUTHORIZATION="Token " + token_for(api, world.user("a", Role.FRONT_CLERK)))
    response = api.get("/api/v1/windows/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(world.a.windows)
    assert {row["id"] for row in body["results"]} == {w.pk for w in world.a.windows}
    assert {row["town_code"] for row in body["results"]} == {world.a.region.code}
    assert body["results"][0]["categories"] == ["medical_insurance"]


@pytest.mark.django_db
def test_other_towns_window_answers_not_found_without_leaking(world, api):
    api.force_authenticate(world.user("a", Role.FRONT_CLERK))
    foreign = world.b.windows[0]
    response = api.get(f"/api/v1/windows/{foreign.pk}/")
    missing = api.get("/api/v1/windows/999999/")
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()
    assert response.json()["error"]["code"] == "not_found"
    assert "未找到" in response.json()["error"]["message"]
    assert foreign.name not in response.content.decode()


@pytest.mark.django_db
def test_malformed_id_is_a_json_404(world, api):
    api.force_authenticate(world.user("a", Role.FRONT_CLERK))
    response = api.get("/api/v1/windows/abc/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_own_window_detail(world, api):
    api.force_authenticate(world.user("a", Role.FRONT_CLERK))
    window = world.a.windows[2]
    body = api.get(f"/api/v1/windows/{window.pk}/").json()
    assert body["number"] == 3
    assert body["kind"] == "tidal"
    assert body["is_open"] is False
    assert body["town_code"] == world.a.region.code


@pytest.mark.django_db
def test_is_open_filter(world, api):
    api.force_authenticate(world.user("b", Role.CENTER_DIRECTOR))
    body = api.get("/api/v1/windows/?is_open=false").json()
    assert [row["id"] for row in body["results"]] == [world.b.windows[2].pk]


@pytest.mark.django_db
def test_unauthenticated_is_refused_in_chinese(world, api):
    response = api.get("/api/v1/windows/")
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"
    assert "登录" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_bad_token_is_refused(world, api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = api.get("/api/v1/windows/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


@pytest.mark.django_db
def test_token_wrong_password_is_400_in_chinese_and_issues_nothing(world, api):
    from rest_framework.authtoken.models import Token

    clerk = world.user("a", Role.FRONT_CLERK)
    response = api.post("/api/v1/auth/token/", {"username": clerk.username, "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == {"code": "auth.bad_credentials", "message": "用户名或密码错误", "fields": {}}
    assert not Token.objects.filter(user=clerk).exists()


@pytest.mark.django_db
def test_token_missing_fields_lists_them(api):
    response = api.post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"username", "password"}


@pytest.mark.django_db
def test_token_locked_after_repeated_failures(world, api, settings):
    clerk = world.user("a", Role.FRONT_CLERK)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post("/api/v1/auth/token/", {"username": clerk.username, "password": "wrong"}, format="json")
    response = api.post("/api/v1/auth/token/", {"username": clerk.username, "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "auth.locked"


@pytest.mark.django_db
def test_token_is_issued_once_and_audited(world, api):
    from onewindow.audit.actions import AuditAction
    from onewindow.audit.models import AuditEvent

    clerk = world.user("a", Role.FRONT_CLERK)
    first = token_for(api, clerk)
    assert token_for(api, clerk) == first
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_ISSUED, actor=clerk).count() == 1


@pytest.mark.django_db
def test_regions_are_public_and_filterable(world, api):
    towns = api.get("/api/v1/regions/?level=town").json()
    assert {r["code"] for r in towns} == {world.a.region.code, world.b.region.code}
    villages = api.get(f"/api/v1/regions/?parent={world.a.region.code}").json()
    assert {r["name"] for r in villages} == {v.name for v in world.a.villages}
    assert all(r["parent_code"] == world.a.region.code for r in villages)


@pytest.mark.django_db
def test_window_list_query_count_does_not_grow_with_rows(world, api, django_assert_max_num_queries):
    from django.db import connection

    api.force_authenticate(world.county_admin)
    with CaptureQueriesContext(connection) as ctx:
        api.get("/api/v1/windows/")
    # count + page + categories prefetch, whatever the number of windows
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        api.get("/api/v1/windows/?limit=2")
    assert len(ctx.captured_queries) <= 4


@pytest.mark.django_db
def test_openapi_schema_and_docs_are_served(api, world):
    schema = api.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/windows/{window_id}/" in schema.content
    api.force_authenticate(world.county_admin)
    assert api.get("/api/v1/docs/").status_code == 200
