"""The hall's screens: the board and window pages for device accounts, the polling fallback, and the SSE stream
that brings a call to the screen well within a second without holding a database connection while it waits."""

import asyncio
import json
import time

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.cache import cache
from django.db import connections
from django.test import AsyncClient

from onewindow.audit.services import PUBLIC
from onewindow.hall.events import board_version
from onewindow.hall.services.calling import call_next
from onewindow.hall.services.tickets import ticket_issue
from onewindow.hall.views import board as board_views
from onewindow.org.services.tokens import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def device(world):
    return world.user("a", "device")


@pytest.fixture
def token(device):
    return issue_token(actor=device).key


def board_url(world, suffix="board/"):
    return f"/hall/{world.a.center.pk}/{suffix}"


def committed(capture, function, *args, **kwargs):
    """Runs a service and its after-commit callbacks (the board version bump), as a real request would."""
    with capture(execute=True):
        return function(*args, **kwargs)


def parse(chunk: bytes) -> dict:
    """One SSE event → {"id", "event", "data"} (data parsed as JSON)."""
    fields = dict(line.split(": ", 1) for line in chunk.decode().strip().splitlines())
    return {**fields, "data": json.loads(fields["data"])}


# --- pages ----------------------------------------------------------------------------------------


def test_the_board_page_shows_the_calls_to_a_signed_in_device(
    client, world, hall, clock, device, django_capture_on_commit_callbacks
):
    committed(django_capture_on_commit_callbacks, ticket_issue, actor=PUBLIC, category=hall["A"])
    committed(django_capture_on_commit_callbacks, ticket_issue, actor=PUBLIC, category=hall["C"])
    committed(
        django_capture_on_commit_callbacks, call_next, actor=world.user("a", "front_clerk"), window=world.a.windows[0]
    )
    client.force_login(device)

    page = client.get(board_url(world))

    assert page.status_code == 200
    html = page.content.decode()
    assert "正在呼叫" in html and "请A001号到1号窗口办理" in html
    assert "等候情况" in html and "最近叫号" in html and "语音播报" in html
    assert page.context["state"]["version"] == board_version(world.a.center.pk)
    assert f'data-stream-url="/hall/{world.a.center.pk}/board/stream/"' in html


def test_the_window_display_shows_that_windows_number(client, world, hall, clock, device):
    ticket_issue(actor=PUBLIC, category=hall["A"])
    call_next(actor=world.user("a", "front_clerk"), window=world.a.windows[0])
    client.force_login(device)

    medical = client.get(f"/hall/window/{world.a.windows[0].pk}/display/").content.decode()
    comprehensive = client.get(f"/hall/window/{world.a.windows[1].pk}/display/").content.decode()
    tidal = client.get(f"/hall/window/{world.a.windows[2].pk}/display/").content.decode()

    assert "data-display-number>A001<" in medical and "请到本窗口办理" in medical and "<b>1</b>号窗口" in medical
    assert "data-display-number>—<" in comprehensive and "等候叫号" in comprehensive
    assert "暂停服务" in tidal


def test_a_token_header_works_but_a_token_in_the_address_does_not(client, world, hall, token):
    assert client.get(board_url(world), HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    refused = client.get(board_url(world) + f"?token={token}")
    assert refused.status_code == 400 and "不支持在网址中传递令牌" in refused.content.decode()


def test_a_stale_token_is_401_in_chinese(client, world, hall, token, device):
    device.auth_token.delete()  # the director rotated the screen's token
    page = client.get(board_url(world), HTTP_AUTHORIZATION=f"Token {token}")
    assert page.status_code == 401 and "设备令牌无效或已停用" in page.content.decode()
    data = client.get(board_url(world, "board.json"), HTTP_AUTHORIZATION=f"Token {token}")
    assert data.status_code == 401 and data.json()["error"]["code"] == "authentication_failed"
    assert "设备令牌无效" in data.json()["error"]["message"]


def test_strangers_are_sent_to_sign_in_and_other_towns_get_404(client, world, hall):
    page = client.get(board_url(world))
    assert page.status_code == 302 and page["Location"].startswith("/hall/device/sign-in/?next=")
    assert client.get(board_url(world, "board.json")).json()["error"]["code"] == "not_authenticated"
    client.force_login(world.user("b", "device"))
    assert client.get(board_url(world)).status_code == 404
    assert client.get(f"/hall/window/{world.a.windows[0].pk}/display/").status_code == 404
    assert client.get(board_url(world, "board.json")).status_code == 404
    client.force_login(world.user("a", "supervisor"))
    forbidden = client.get(board_url(world))
    assert forbidden.status_code == 403 and "无权访问" in forbidden.content.decode()


def test_polling_gets_the_whole_state_only_when_the_version_moved(
    client, world, hall, clock, device, django_capture_on_commit_callbacks
):
    client.force_login(device)
    url = board_url(world, "board.json")
    committed(django_capture_on_commit_callbacks, ticket_issue, actor=PUBLIC, category=hall["A"])
    version = client.get(url).json()["version"]
    assert client.get(url, {"since": version}).json() == {"version": version, "changed": False}
    assert client.get(url, {"since": version, "day": "2026-09-01"}).json()["changed"] is False
    assert client.get(url, {"since": version, "day": "2026-08-31"}).json()["changed"] is True  # left on overnight

    committed(
        django_capture_on_commit_callbacks, call_next, actor=world.user("a", "front_clerk"), window=world.a.windows[0]
    )

    body = client.get(url, {"since": version}).json()
    assert body["changed"] is True and body["version"] != version
    assert body["windows"][0]["ticket"]["number"] == "A001"


# --- the stream -----------------------------------------------------------------------------------


def test_under_wsgi_the_stream_answers_204_so_the_page_polls(client, world, hall, device):
    client.force_login(device)
    assert client.get(board_url(world, "board/stream/")).status_code == 204


def stream(world, headers, scenario, *, signed_in=None):
    """Opens the stream through the ASGI request path and runs `scenario(events)` on its chunks."""
    client = AsyncClient()
    if signed_in is not None:
        client.force_login(signed_in)

    async def run():
        response = await client.get(board_url(world, "board/stream/"), headers=headers)
        if response.status_code != 200:
            return response
        assert response["Content-Type"].startswith("text/event-stream")
        assert response["Cache-Control"] == "no-cache, no-store"
        events = response.streaming_content
        try:
            return await scenario(events)
        finally:
            await events.aclose()

    return async_to_sync(run)()


def test_after_a_call_the_next_event_arrives_within_a_second(
    world, hall, clock, token, django_capture_on_commit_callbacks
):
    committed(django_capture_on_commit_callbacks, ticket_issue, actor=PUBLIC, category=hall["A"])
    clerk, medical = world.user("a", "front_clerk"), world.a.windows[0]

    def make_call():
        committed(django_capture_on_commit_callbacks, call_next, actor=clerk, window=medical)

    async def scenario(events):
        assert await anext(events) == b"retry: 1000\n\n"
        first = parse(await anext(events))
        started = time.monotonic()
        await sync_to_async(make_call)()
        second = parse(await asyncio.wait_for(anext(events), timeout=3))
        return first, second, time.monotonic() - started

    first, second, delay = stream(world, {"Authorization": f"Token {token}"}, scenario)

    assert first["event"] == "board" and first["data"]["windows"][0]["ticket"] is None
    assert first["id"] == f"2026-09-01.{first['data']['version']}"
    assert second["data"]["windows"][0]["ticket"]["number"] == "A001"
    assert second["id"] == f"2026-09-01.{board_version(world.a.center.pk)}" != first["id"]
    assert delay < 1.0, f"the call took {delay:.2f} s to reach the stream"


def test_the_board_pages_session_opens_the_stream_too(world, hall, device):
    async def scenario(events):
        await anext(events)
        return parse(await anext(events))

    assert stream(world, {}, scenario, signed_in=device)["data"]["center"]["id"] == world.a.center.pk


def test_heartbeats_while_nothing_happens_and_no_resend_of_a_known_version(world, hall, clock, token, monkeypatch):
    monkeypatch.setattr(board_views, "HEARTBEAT_SECONDS", 0.3)
    known = f"2026-09-01.{board_version(world.a.center.pk)}"

    async def scenario(events):
        return [await asyncio.wait_for(anext(events), timeout=2) for _ in range(3)]

    chunks = stream(world, {"Authorization": f"Token {token}", "Last-Event-ID": known}, scenario)
    assert chunks == [b"retry: 1000\n\n", b": heartbeat\n\n", b": heartbeat\n\n"]


def test_a_screen_reconnecting_the_next_morning_gets_the_new_day(world, hall, clock, token):
    known = f"2026-09-01.{board_version(world.a.center.pk)}"
    clock.advance(1)

    async def scenario(events):
        await anext(events)
        return parse(await asyncio.wait_for(anext(events), timeout=2))

    event = stream(world, {"Authorization": f"Token {token}", "Last-Event-ID": known}, scenario)
    assert event["id"] == f"2026-09-02.{board_version(world.a.center.pk)}" and event["data"]["day"] == "2026-09-02"


def test_a_stream_ends_after_a_while_so_the_browser_reconnects_and_signs_in_again(world, hall, token, monkeypatch):
    monkeypatch.setattr(board_views, "STREAM_SECONDS", 0.5)

    async def scenario(events):
        return [chunk async for chunk in events]

    chunks = stream(world, {"Authorization": f"Token {token}"}, scenario)
    assert chunks[0] == b"retry: 1000\n\n" and parse(chunks[1])["event"] == "board" and len(chunks) == 2


def test_the_stream_refuses_strangers_in_the_api_error_shape(world, hall, token, device):
    anonymous = stream(world, {}, None)
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "not_authenticated"
    assert "请先以显示设备账号登录" in anonymous.json()["error"]["message"]
    stale = stream(world, {"Authorization": "Token 0123456789abcdef0123456789abcdef01234567"}, None)
    assert stale.status_code == 401 and "设备令牌无效" in stale.json()["error"]["message"]
    other_town = issue_token(actor=world.user("b", "device")).key
    assert stream(world, {"Authorization": f"Token {other_town}"}, None).status_code == 404


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_stream_holds_no_database_connection_while_it_waits(world, hall, token):
    async def scenario(events):
        await anext(events)  # retry
        await anext(events)  # the state: read from the database, then the connection is handed back
        return await sync_to_async(lambda: connections["default"].connection is None)()

    assert stream(world, {"Authorization": f"Token {token}"}, scenario) is True
