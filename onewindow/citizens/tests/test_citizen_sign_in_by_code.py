"""Citizen sign-in by SMS code: the first sign-in registers; wrong, expired, reused and voided codes create
nothing; resend and hourly limits; wrong-code limit per address; no mobile number in a URL or a log line."""

import logging

import pytest
from django.db import connection
from django.test import Client

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.citizens.errors import CodeExpired
from onewindow.citizens.models import Citizen, SignInCode
from onewindow.citizens.services.accounts import citizen_sign_in_with_code
from onewindow.citizens.services.codes import code_send
from onewindow.citizens.session import SESSION_KEY
from onewindow.citizens.tests.support import LOGIN, MOBILE, OTHER_MOBILE, last_code, send_code, sign_in, verify

pytestmark = pytest.mark.django_db


def test_first_sign_in_registers_the_citizen_and_shows_the_masked_number(
    client, outbox, django_capture_on_commit_callbacks
):
    # given a number that never signed in
    assert client.get(LOGIN).status_code == 200
    # when the code texted to it is typed in
    response = send_code(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and MOBILE not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "139****5678" in page and MOBILE not in page
    assert [message.to for message in outbox] == [MOBILE]
    response = verify(client, last_code(outbox))
    # then the citizen exists, is signed in and lands on the portal home
    assert response.status_code == 302 and response["Location"] == "/portal/"
    citizen = Citizen.objects.get()
    assert citizen.mobile == MOBILE and client.session[SESSION_KEY] == citizen.pk
    assert citizen.last_login_at is not None
    actions = list(AuditEvent.objects.filter(role="citizen").order_by("pk").values_list("action", flat=True))
    assert actions == [AuditAction.CITIZEN_REGISTERED, AuditAction.CITIZEN_SIGNED_IN]
    home = client.get("/portal/").content.decode()
    assert "139****5678" in home and "退出登录" in home and MOBILE not in home


def test_signing_in_again_finds_the_same_citizen(client, outbox, clock, django_capture_on_commit_callbacks):
    sign_in(client, django_capture_on_commit_callbacks, outbox)
    client.post("/account/logout/")
    clock.minutes(2)
    other = Client()
    response = sign_in(other, django_capture_on_commit_callbacks, outbox)
    assert response.status_code == 302
    assert Citizen.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CITIZEN_REGISTERED).count() == 1
    assert Citizen.objects.get().last_login_at == clock.now()  # the second sign-in's time


def test_a_wrong_code_creates_nothing_and_says_how_many_tries_are_left(
    client, outbox, django_capture_on_commit_callbacks
):
    send_code(client, django_capture_on_commit_callbacks)
    right = last_code(outbox)
    wrong = "000000" if right != "000000" else "111111"
    response = verify(client, wrong)
    assert response.status_code == 400
    assert "验证码不正确，还可以再试4次" in response.content.decode()
    assert not Citizen.objects.exists() and SESSION_KEY not in client.session
    assert SignInCode.objects.get().attempts == 1
    assert AuditEvent.objects.filter(action=AuditAction.CITIZEN_CODE_FAILED).count() == 1


def test_five_wrong_tries_void_the_code(client, outbox, django_capture_on_commit_callbacks):
    send_code(client, django_capture_on_commit_callbacks)
    right = last_code(outbox)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(4):
        assert verify(client, wrong).status_code == 400
    response = verify(client, wrong)
    assert "错误次数过多，已失效" in response.content.decode()
    response = verify(client, right)  # the right code no longer helps
    assert response.status_code == 400 and "已失效" in response.content.decode()
    assert not Citizen.objects.exists()
    assert SignInCode.objects.get().voided


def test_an_expired_code_is_refused(client, outbox, clock, django_capture_on_commit_callbacks):
    send_code(client, django_capture_on_commit_callbacks)
    clock.minutes(6)  # valid for 5 minutes
    response = verify(client, last_code(outbox))
    assert response.status_code == 400 and "验证码已失效，请重新获取" in response.content.decode()
    assert not Citizen.objects.exists()


def test_a_used_code_cannot_sign_in_twice(outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = code_send(mobile=MOBILE, ip="198.51.100.1")
    code = last_code(outbox)
    citizen_sign_in_with_code(code_id=row.pk, code=code, ip="198.51.100.1")
    with pytest.raises(CodeExpired):
        citizen_sign_in_with_code(code_id=row.pk, code=code, ip="198.51.100.1")


def test_full_width_digits_typed_on_a_phone_count(client, outbox, django_capture_on_commit_callbacks):
    send_code(client, django_capture_on_commit_callbacks)
    full_width = "".join(chr(ord(d) + 0xFEE0) for d in last_code(outbox))
    assert verify(client, full_width).status_code == 302


def test_resend_waits_a_minute_and_voids_the_older_code(client, outbox, clock, django_capture_on_commit_callbacks):
    send_code(client, django_capture_on_commit_callbacks)
    first = last_code(outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LOGIN, {"action": "resend"})
    assert response.status_code == 429 and "秒后再重新获取" in response.content.decode()
    assert len(outbox) == 1 and SignInCode.objects.count() == 1
    clock.minutes(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LOGIN, {"action": "resend"})
    assert response.status_code == 302 and len(outbox) == 2
    second = last_code(outbox)
    if first != second:
        assert verify(client, first).status_code == 400  # the older message no longer counts
    assert verify(client, second).status_code == 302


def test_codes_per_number_per_hour_are_limited(client, outbox, clock, settings, django_capture_on_commit_callbacks):
    settings.ONEWINDOW_CITIZEN_CODES_PER_MOBILE_HOUR = 2
    for _ in range(2):
        assert send_code(client, django_capture_on_commit_callbacks).status_code == 302
        clock.minutes(2)
    response = send_code(client, django_capture_on_commit_callbacks)
    assert response.status_code == 429 and "获取验证码次数过多" in response.content.decode()
    assert SignInCode.objects.count() == 2 and len(outbox) == 2
    clock.minutes(61)
    assert send_code(client, django_capture_on_commit_callbacks).status_code == 302


def test_codes_per_address_per_hour_are_limited(client, outbox, settings, django_capture_on_commit_callbacks):
    settings.ONEWINDOW_CITIZEN_CODES_PER_IP_HOUR = 2
    for mobile in (MOBILE, OTHER_MOBILE):
        assert send_code(client, django_capture_on_commit_callbacks, mobile).status_code == 302
    response = send_code(client, django_capture_on_commit_callbacks, "13605379999")
    assert response.status_code == 429
    assert SignInCode.objects.count() == 2
    # another address is not held up
    assert (
        send_code(Client(REMOTE_ADDR="198.51.100.7"), django_capture_on_commit_callbacks, "13605379999").status_code
        == 302
    )


def test_wrong_codes_per_address_are_limited(client, outbox, settings, django_capture_on_commit_callbacks):
    settings.ONEWINDOW_CITIZEN_CODE_FAILURES_PER_IP = 3
    send_code(client, django_capture_on_commit_callbacks)
    right = last_code(outbox)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(3):
        verify(client, wrong)
    response = verify(client, right)
    assert response.status_code == 429 and "尝试次数过多" in response.content.decode()
    assert not Citizen.objects.exists()


@pytest.mark.parametrize("mobile", ["12345", "1380537123", "23805371234", ""])
def test_a_bad_mobile_number_is_refused_in_chinese(client, outbox, mobile, django_capture_on_commit_callbacks):
    response = send_code(client, django_capture_on_commit_callbacks, mobile)
    assert response.status_code == 400 and "手机号码格式不对" in response.content.decode()
    assert not SignInCode.objects.exists() and not outbox


def test_verify_without_a_sent_code_says_to_get_one(client, outbox):
    response = verify(client, "123456")
    assert response.status_code == 400 and "请重新获取" in response.content.decode()


def test_posts_without_csrf_token_are_refused(outbox):
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)
    response = client.post(LOGIN, {"action": "send", "mobile": MOBILE})
    assert response.status_code == 403
    assert not SignInCode.objects.exists()


def test_the_code_is_stored_only_as_a_keyed_hash(outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = code_send(mobile=MOBILE, ip=None)
    code = last_code(outbox)
    row.refresh_from_db()
    assert code not in row.code_hash and len(row.code_hash) == 64
    with connection.cursor() as cursor:  # the number is encrypted at rest
        cursor.execute("SELECT mobile FROM citizens_signincode WHERE id = %s", [row.pk])
        assert MOBILE not in cursor.fetchone()[0]


def test_no_mobile_number_in_any_log_line_or_address(
    client, outbox, caplog, settings, django_capture_on_commit_callbacks
):
    settings.ONEWINDOW_SMS_BACKEND = "onewindow.core.sms.ConsoleSmsBackend"  # the one that logs
    caplog.set_level(logging.DEBUG)
    response = send_code(client, django_capture_on_commit_callbacks)
    locations = [response["Location"]]
    verify(client, "000000")
    verify(client, "999999")
    send_code(client, django_capture_on_commit_callbacks, "1390537567")  # a bad number: logged as a 400 warning
    client.post("/account/logout/")
    lines = [record.getMessage() for record in caplog.records]
    assert any("139****5678" in line for line in lines)  # the console SMS backend did log, masked
    assert not [line for line in lines if MOBILE in line or "1390537567" in line]
    assert not [url for url in locations if MOBILE in url]


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(
    client, outbox, clock, django_capture_on_commit_callbacks
):
    response = sign_in(client, django_capture_on_commit_callbacks, outbox, next="/progress/")
    assert response["Location"] == "/progress/"
    client.post("/account/logout/")
    clock.minutes(2)
    response = sign_in(Client(), django_capture_on_commit_callbacks, outbox, next="https://evil.example/")
    assert response["Location"] == "/portal/"


def test_sign_out_forgets_the_citizen_and_is_audited(client, outbox, django_capture_on_commit_callbacks):
    sign_in(client, django_capture_on_commit_callbacks, outbox)
    response = client.post("/account/logout/")
    assert response.status_code == 302 and SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.CITIZEN_SIGNED_OUT).count() == 1
    assert client.get("/account/profile/").status_code == 302
    assert client.get("/account/logout/").status_code == 405  # sign-out is a POST (no cross-site image sign-out)
