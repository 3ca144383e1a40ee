"""Self-service terminal (自助服务终端): only the town's device or staff open it; citizens sign in on it by SMS;
an idle citizen is signed out by the server itself (even with the page script off) and everything of theirs
is cleared, while the terminal's own account stays signed in."""

import time

import pytest
from django.test import Client

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.citizens.session import SEEN_KEY, SESSION_KEY, TERMINAL_KEY
from onewindow.citizens.tests import support
from onewindow.citizens.tests.support import MOBILE, sign_in

pytestmark = pytest.mark.django_db
outbox = support.outbox  # the SMS outbox fixture


def terminal_url(world, town="a"):
    return f"/portal/terminal/{getattr(world, town).region.code}/"


@pytest.fixture
def kiosk(world):
    """A browser signed in as town A's device account, opened in terminal mode."""
    client = Client()
    client.force_login(world.user("a", "device"))
    assert client.get(terminal_url(world)).status_code == 200
    return client


def test_an_anonymous_browser_is_sent_to_the_device_sign_in(client, world):
    response = client.get(terminal_url(world))
    assert response.status_code == 302 and response["Location"].startswith("/hall/")


def test_another_towns_device_gets_404_and_staff_accounts_403(world):
    device_b = Client()
    device_b.force_login(world.user("b", "device"))
    assert device_b.get(terminal_url(world)).status_code == 404
    supervisor = Client()
    supervisor.force_login(world.user("a", "supervisor"))
    assert supervisor.get(terminal_url(world)).status_code == 403
    # A citizen at a terminal must not share a staff member's rights (the workbench, the admin): devices only.
    for role in ("front_clerk", "center_director"):
        staff = Client()
        staff.force_login(world.user("a", role))
        response = staff.get(terminal_url(world))
        assert response.status_code == 403 and "设备账号" in response.content.decode()


def test_the_terminal_layout_has_huge_tiles_an_exit_button_and_the_idle_clock(kiosk, world, settings):
    page = kiosk.get(terminal_url(world)).content.decode()
    body = page.split("<body", 1)[1].split(">", 1)[0]
    assert "terminal" in body
    for tile in ("网上申报", "办件查询", "办事指南", "手机验证码登录"):
        assert tile in page
    assert f'data-idle="{settings.ONEWINDOW_TERMINAL_IDLE_SECONDS}"' in page
    assert "portal/terminal.css" in page and 'id="tm-idle"' in page
    # every page of the terminal's session gets the layout, including the guides and the progress lookup
    for address in (f"/guide/{world.a.region.code}/", "/progress/", "/portal/"):
        assert 'id="tm-idle"' in kiosk.get(address).content.decode(), address
    # a normal phone does not
    assert 'id="tm-idle"' not in Client().get("/progress/").content.decode()


def test_a_citizen_signs_in_on_the_terminal_and_returns_to_it(kiosk, world, outbox, django_capture_on_commit_callbacks):
    response = sign_in(kiosk, django_capture_on_commit_callbacks, outbox)
    assert response["Location"] == terminal_url(world)
    page = kiosk.get(terminal_url(world)).content.decode()
    assert "139****5678" in page and "退出（清除我的信息）" in page and MOBILE not in page


def test_exit_signs_the_citizen_out_but_keeps_the_terminal(kiosk, world, outbox, django_capture_on_commit_callbacks):
    sign_in(kiosk, django_capture_on_commit_callbacks, outbox)
    response = kiosk.post("/account/logout/")
    assert response["Location"] == terminal_url(world)
    session = kiosk.session
    assert SESSION_KEY not in session and TERMINAL_KEY in session
    assert not [key for key in list(session.keys()) if key.startswith("onewindow_citizen")]
    assert kiosk.get(terminal_url(world)).status_code == 200  # the device is still signed in


def test_an_idle_citizen_is_signed_out_by_the_server(
    kiosk, world, outbox, settings, django_capture_on_commit_callbacks
):
    sign_in(kiosk, django_capture_on_commit_callbacks, outbox)
    session = kiosk.session
    session[SEEN_KEY] = time.time() - settings.ONEWINDOW_TERMINAL_IDLE_SECONDS - 5
    session["onewindow_citizen_draft"] = {"anything": "of theirs"}
    session.save()
    # a plain page load, no script involved
    page = kiosk.get(terminal_url(world)).content.decode()
    assert "139****5678" not in page and "已自动退出并清除信息" in page
    session = kiosk.session
    assert not [key for key in list(session.keys()) if key.startswith("onewindow_citizen")]
    assert TERMINAL_KEY in session
    assert AuditEvent.objects.filter(action=AuditAction.CITIZEN_TERMINAL_TIMEOUT).count() == 1
    # their pages now ask for sign-in again
    assert kiosk.get("/account/profile/").status_code == 302


def test_activity_keeps_the_citizen_signed_in(kiosk, world, outbox, settings, django_capture_on_commit_callbacks):
    sign_in(kiosk, django_capture_on_commit_callbacks, outbox)
    session = kiosk.session
    session[SEEN_KEY] = time.time() - settings.ONEWINDOW_TERMINAL_IDLE_SECONDS + 30
    session.save()
    assert kiosk.get("/portal/terminal/ping/").status_code == 204
    assert kiosk.session[SEEN_KEY] > time.time() - 5
    assert kiosk.get("/account/profile/").status_code == 200


def test_the_ping_says_when_the_server_has_signed_the_citizen_out(kiosk, settings):
    assert kiosk.get("/portal/terminal/ping/").status_code == 205


def test_the_idle_timeout_does_not_apply_on_a_phone(
    client, world, outbox, settings, django_capture_on_commit_callbacks
):
    sign_in(client, django_capture_on_commit_callbacks, outbox)
    session = client.session
    session[SEEN_KEY] = time.time() - settings.ONEWINDOW_TERMINAL_IDLE_SECONDS - 500
    session.save()
    assert client.get("/account/profile/").status_code == 200


def test_staff_can_leave_terminal_mode(kiosk, world):
    response = kiosk.post("/portal/terminal/exit/")
    assert response.status_code == 302 and TERMINAL_KEY not in kiosk.session
    assert 'id="tm-idle"' not in kiosk.get("/portal/").content.decode()
