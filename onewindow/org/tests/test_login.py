"""Staff sign-in, lockout, idle timeout, sign-out and password change through the pages."""

import time

import pytest
from django.test import Client

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.core.roles import Role
from onewindow.testing.world import PASSWORD


@pytest.fixture
def client():
    return Client()


def login(client, user, password=PASSWORD):
    return client.post("/accounts/login/", {"username": user.username, "password": password})


@pytest.mark.django_db
def test_login_lands_on_the_role_home_page(world, client):
    clerk = world.user("a", Role.FRONT_CLERK)
    response = login(client, clerk)
    assert response.status_code == 302
    home = client.get("/")
    text = home.content.decode()
    assert "工作台" in text and "窗口一览" in text
    assert "配置管理" not in text  # the clerk has no configuration screens
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_SUCCEEDED, actor=clerk).exists()


@pytest.mark.django_db
def test_director_home_shows_configuration_and_town_counts(world, client):
    login(client, world.user("a", Role.CENTER_DIRECTOR))
    text = client.get("/").content.decode()
    assert "配置管理" in text
    assert "2 / 3" in text  # open / all windows of the town


@pytest.mark.django_db
def test_wrong_password_shows_chinese_message_and_is_audited(world, client):
    response = login(client, world.user("a", Role.FRONT_CLERK), password="nope")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_account_locks_after_repeated_failures_even_with_the_right_password(world, client, settings):
    clerk = world.user("a", Role.FRONT_CLERK)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, clerk, password="nope")
    response = login(client, clerk)
    assert response.status_code == 429 or "锁定" in response.content.decode()
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_LOCKED, target_id=str(clerk.pk)).exists()


@pytest.mark.django_db
def test_idle_session_is_signed_out(world, client, settings, monkeypatch):
    login(client, world.user("a", Role.FRONT_CLERK))
    assert client.get("/").status_code == 200
    later = time.time() + settings.ONEWINDOW_IDLE_TIMEOUT_MINUTES * 60 + 5
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.get("/windows/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_needs_post_and_ends_the_session(world, client):
    clerk = world.user("a", Role.FRONT_CLERK)
    login(client, clerk)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=clerk).exists()


@pytest.mark.django_db
def test_password_change_enforces_policy_and_keeps_session(world, client):
    clerk = world.user("a", Role.FRONT_CLERK)
    login(client, clerk)
    weak = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password": "12345678", "new_password_again": "12345678"}
    )
    assert weak.status_code == 400
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)
    wrong_old = client.post(
        "/accounts/password/",
        {"old_password": "x", "new_password": "Better-Pass-2026", "new_password_again": "Better-Pass-2026"},
    )
    assert "原密码不正确" in wrong_old.content.decode()
    ok = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": "Better-Pass-2026", "new_password_again": "Better-Pass-2026"},
    )
    assert ok.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password("Better-Pass-2026")
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED, actor=clerk).exists()


@pytest.mark.django_db
def test_pages_are_chinese_by_default(client):
    response = client.get("/accounts/login/")
    assert 'lang="zh-Hans"' in response.content.decode()
    assert "工作人员登录" in response.content.decode()


@pytest.mark.django_db
def test_large_text_preference_is_remembered(client):
    response = client.post("/preferences/", {"large": "on", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert 'class="ui-large' in page


@pytest.mark.django_db
def test_preference_redirect_refuses_other_hosts(client):
    response = client.post("/preferences/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"
