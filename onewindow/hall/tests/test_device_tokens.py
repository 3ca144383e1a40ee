"""设备令牌: the director adds a device, issues its token, and revokes or replaces it; a device browser signs in
with the token once and stays signed in (no idle timeout) until the token is revoked or replaced."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.core.errors import Forbidden, ValidationFailed
from onewindow.core.roles import Role
from onewindow.org.models import User
from onewindow.org.services.devices import device_create, device_token_issue, device_token_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the token-guess counter lives in the cache
    yield
    cache.clear()


def director(world, town="a"):
    return world.user(town, Role.CENTER_DIRECTOR)


def devices_url(world):
    return reverse("hall-devices", args=[world.a.center.pk])


def sign_in_with(client, key, next_url=""):
    return client.post(reverse("hall:device-sign-in"), {"token": key, "next": next_url})


def test_the_director_adds_a_device_and_its_token_is_shown_once(client, world, hall):
    client.force_login(director(world))
    response = client.post(devices_url(world), {"action": "create", "name": "一楼取号机"})
    assert response.status_code == 200
    device = User.objects.get(town=world.a.region, role=Role.DEVICE, name="一楼取号机")
    key = Token.objects.get(user=device).key
    html = response.content.decode()
    assert key in html and "只显示这一次" in html
    assert not device.has_usable_password()  # a token, never a password
    assert response["Cache-Control"].startswith("max-age=0")
    listing = client.get(devices_url(world)).content.decode()
    assert "一楼取号机" in listing and "已签发" in listing and key not in listing
    # where each device is pointed: the kiosk, the board, the terminal, each window's display and evaluator
    window = world.a.windows[0]
    for url in (reverse("hall:board", args=[world.a.center.pk]), reverse("feedback:evaluator", args=[window.pk])):
        assert url in listing
    actions = set(AuditEvent.objects.filter(target_id=str(device.pk)).values_list("action", flat=True))
    assert {AuditAction.DEVICE_CREATED, AuditAction.TOKEN_ISSUED} <= actions


def test_a_device_signs_in_with_its_token_and_stays_signed_in_past_the_idle_timeout(client, world, hall, settings):
    device = world.user("a", Role.DEVICE)
    token = device_token_issue(actor=director(world), device=device)
    kiosk = reverse("hall:kiosk", args=[world.a.center.pk])
    response = sign_in_with(client, token.key, kiosk)
    assert response.status_code == 302 and response["Location"] == kiosk
    assert client.session.get_expiry_age() == settings.ONEWINDOW_DEVICE_SESSION_DAYS * 24 * 3600
    assert AuditEvent.objects.filter(action=AuditAction.DEVICE_SIGNED_IN, target_id=str(device.pk)).exists()
    # A night with nobody at the kiosk: far past the staff idle timeout.
    session = client.session
    session["onewindow_last_seen"] = time.time() - 10 * 3600
    session.save()
    page = client.get(kiosk)
    assert page.status_code == 200 and "自助取号" in page.content.decode()


def test_replacing_the_token_signs_the_old_session_out_with_the_reason(client, world, hall):
    device = world.user("a", Role.DEVICE)
    old = device_token_issue(actor=director(world), device=device)
    kiosk = reverse("hall:kiosk", args=[world.a.center.pk])
    sign_in_with(client, old.key, kiosk)
    new = device_token_issue(actor=director(world), device=device)
    assert new.key != old.key
    response = client.get(kiosk)
    assert response.status_code == 302 and response["Location"].startswith(reverse("hall:device-sign-in"))
    page = client.get(response["Location"]).content.decode()
    assert "令牌已停用或已重新签发" in page
    # The old token no longer opens anything, on the sign-in page or in an API header.
    assert sign_in_with(client, old.key).status_code == 400
    api = client.get(reverse("hall:board-json", args=[world.a.center.pk]), HTTP_AUTHORIZATION=f"Token {old.key}")
    assert api.status_code == 401 and "令牌" in api.json()["error"]["message"]
    assert sign_in_with(client, new.key).status_code == 302


def test_revoking_the_token_takes_the_board_off_air(client, world, hall):
    device = world.user("a", Role.DEVICE)
    token = device_token_issue(actor=director(world), device=device)
    sign_in_with(client, token.key)
    board_json = reverse("hall:board-json", args=[world.a.center.pk])
    assert client.get(board_json).status_code == 200
    client.force_login(director(world))
    response = client.post(devices_url(world), {"action": "revoke", "device": device.pk})
    assert response.status_code == 302
    assert not Token.objects.filter(user=device).exists()
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKED, target_id=str(device.pk)).exists()
    device_browser = client.__class__()
    sign_in_with(device_browser, token.key)  # refused now
    assert device_browser.get(board_json).status_code == 401


def test_a_wrong_token_is_refused_and_guessing_is_limited(client, world, hall):
    for _ in range(10):
        response = sign_in_with(client, "0" * 40)
        assert response.status_code == 400 and "设备令牌不正确" in response.content.decode()
    assert sign_in_with(client, "1" * 40).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_staff_token_does_not_open_a_device_session(client, world, hall):
    clerk_token = Token.objects.create(user=world.user("a", Role.FRONT_CLERK))
    assert sign_in_with(client, clerk_token.key).status_code == 400


def test_another_towns_director_can_neither_see_nor_touch_the_devices(client, world, hall):
    device = world.user("a", Role.DEVICE)
    with pytest.raises(Forbidden):
        device_token_issue(actor=director(world, "b"), device=device)
    with pytest.raises(Forbidden):
        device_create(actor=director(world, "b"), town=world.a.region, name="冒名设备")
    client.force_login(director(world, "b"))
    assert client.get(devices_url(world)).status_code == 404
    assert not Token.objects.filter(user=device).exists()


def test_a_clerk_cannot_manage_devices(client, world, hall):
    client.force_login(world.user("a", Role.FRONT_CLERK))
    assert client.get(devices_url(world)).status_code == 403


def test_bad_input_is_refused_in_chinese_and_changes_nothing(client, world, hall):
    client.force_login(director(world))
    before = User.objects.filter(role=Role.DEVICE).count()
    empty = client.post(devices_url(world), {"action": "create", "name": "  "})
    assert empty.status_code == 400 and "请填写设备名称" in empty.content.decode()
    clerk = world.user("a", Role.FRONT_CLERK)
    not_a_device = client.post(devices_url(world), {"action": "issue", "device": clerk.pk})
    assert not_a_device.status_code == 400 and "请选择本镇街的设备账号" in not_a_device.content.decode()
    with pytest.raises(ValidationFailed):
        device_token_issue(actor=director(world), device=clerk)
    device_create(actor=director(world), town=world.a.region, name="大厅大屏")
    duplicate = client.post(devices_url(world), {"action": "create", "name": "大厅大屏"})
    assert duplicate.status_code == 400 and "同名设备" in duplicate.content.decode()
    assert User.objects.filter(role=Role.DEVICE).count() == before + 1
    assert not Token.objects.filter(user=clerk).exists()


def test_a_disabled_device_is_signed_out_and_gets_no_new_token(client, world, hall):
    device = world.user("a", Role.DEVICE)
    token = device_token_issue(actor=director(world), device=device)
    device_browser = client.__class__()
    sign_in_with(device_browser, token.key)
    client.force_login(director(world))
    client.post(devices_url(world), {"action": "disable", "device": device.pk})
    device.refresh_from_db()
    assert not device.is_active and not Token.objects.filter(user=device).exists()
    kiosk = reverse("hall:kiosk", args=[world.a.center.pk])
    assert device_browser.get(kiosk).status_code == 302
    with pytest.raises(ValidationFailed):
        device_token_issue(actor=director(world), device=device)
    assert device_token_revoke(actor=director(world), device=device) is False
