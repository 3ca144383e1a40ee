"""The citizen's profile: name, ID number (encrypted, shown masked, replaced only when retyped), address,
and a mobile change confirmed by a code sent to the new number. Bad input changes nothing."""

import json

import pytest
from django.db import connection
from django.test import Client

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.citizens.models import Citizen, SignInCode
from onewindow.citizens.tests.support import MOBILE, OTHER_MOBILE, last_code, send_code, sign_in
from onewindow.testing.cases import id_number

pytestmark = pytest.mark.django_db

PROFILE = "/account/profile/"
ID = id_number("37082919560101001")
OTHER_ID = id_number("37082919800202002")


@pytest.fixture
def citizen_client(client, outbox, django_capture_on_commit_callbacks):
    assert sign_in(client, django_capture_on_commit_callbacks, outbox).status_code == 302
    return client


def save(client, **fields):
    data = {"action": "save", "name": "", "id_number": "", "address": "", **fields}
    return client.post(PROFILE, data)


def test_profile_needs_a_signed_in_citizen(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=/account/profile/")


def test_saving_the_profile_encrypts_and_masks_the_id_number(citizen_client):
    response = save(citizen_client, name="张桂英", id_number=ID, address="嘉祥街道一村3号")
    assert response.status_code == 302
    citizen = Citizen.objects.get()
    assert (citizen.name, citizen.id_number, citizen.address) == ("张桂英", ID, "嘉祥街道一村3号")
    assert citizen.id_index
    page = citizen_client.get(PROFILE).content.decode()
    assert citizen.id_number_masked in page and ID not in page and MOBILE not in page
    assert "张*" in page  # the header shows the masked name
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile FROM citizens_citizen WHERE id = %s", [citizen.pk])
        stored_id, stored_mobile = cursor.fetchone()
    assert ID not in stored_id and MOBILE not in stored_mobile
    event = AuditEvent.objects.get(action=AuditAction.CITIZEN_PROFILE_UPDATED)
    assert event.role == "citizen" and event.chain == "county" and event.actor_name == "办事群众张**"
    dumped = json.dumps([event.before, event.after, event.summary, event.target_repr], ensure_ascii=False)
    assert ID not in dumped and MOBILE not in dumped and "张桂英" not in dumped
    assert event.after["id_number"] == citizen.id_number_masked


def test_an_empty_id_box_keeps_the_stored_number_and_a_new_one_replaces_it(citizen_client):
    save(citizen_client, name="张桂英", id_number=ID)
    save(citizen_client, name="张桂英", id_number="", address="新地址")
    citizen = Citizen.objects.get()
    assert citizen.id_number == ID and citizen.address == "新地址"
    save(citizen_client, name="张桂英", id_number=OTHER_ID, address="新地址")
    assert Citizen.objects.get().id_number == OTHER_ID


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"id_number": "370829195601010010"}, "id_number", "校验码错误"),
        ({"id_number": "12345"}, "id_number", "位数不对"),
        ({"name": "张" * 41}, "name", "不能超过40个字"),
        ({"name": "张"}, "name", "请填写完整姓名"),
        ({"address": "村\x00里"}, "address", "无法识别的字符"),
    ],
)
def test_bad_input_changes_nothing(citizen_client, fields, field, message):
    save(citizen_client, name="张桂英", id_number=ID, address="嘉祥街道一村")
    before = Citizen.objects.values().get()
    events = AuditEvent.objects.count()
    response = save(citizen_client, **{"name": "李四", "address": "别处", **fields})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Citizen.objects.values().get() == before
    assert AuditEvent.objects.count() == events


def test_the_mobile_changes_only_with_a_code_sent_to_the_new_number(
    citizen_client, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen_client.post(PROFILE, {"action": "mobile_send", "new_mobile": OTHER_MOBILE})
    assert response.status_code == 302 and OTHER_MOBILE not in response["Location"]
    assert outbox[-1].to == OTHER_MOBILE and "更换手机号码" in outbox[-1].text
    right = last_code(outbox, OTHER_MOBILE)
    wrong = citizen_client.post(PROFILE, {"action": "mobile_verify", "code": "000000" if right != "000000" else "1"})
    assert wrong.status_code == 400
    assert Citizen.objects.get().mobile == MOBILE
    response = citizen_client.post(PROFILE, {"action": "mobile_verify", "code": right})
    assert response.status_code == 302
    assert Citizen.objects.get().mobile == OTHER_MOBILE
    event = AuditEvent.objects.get(action=AuditAction.CITIZEN_MOBILE_CHANGED)
    assert event.before["mobile"] == "139****5678" and event.after["mobile"] == "137****0001"


def test_a_sign_in_code_cannot_change_the_mobile(citizen_client, outbox, clock, django_capture_on_commit_callbacks):
    # a sign-in code of the new number (e.g. someone else's) is not a change-mobile code
    clock.minutes(2)
    send_code(Client(), django_capture_on_commit_callbacks, OTHER_MOBILE)
    session = citizen_client.session
    session["onewindow_citizen_pending_mobile_code"] = {"id": SignInCode.objects.latest("pk").pk, "masked": "x"}
    session.save()
    response = citizen_client.post(PROFILE, {"action": "mobile_verify", "code": last_code(outbox, OTHER_MOBILE)})
    assert response.status_code == 400
    assert Citizen.objects.get().mobile == MOBILE


def test_a_number_used_by_another_account_is_refused(citizen_client, outbox, clock, django_capture_on_commit_callbacks):
    clock.minutes(2)
    sign_in(Client(), django_capture_on_commit_callbacks, outbox, OTHER_MOBILE)  # the other account
    clock.minutes(2)
    with django_capture_on_commit_callbacks(execute=True):
        citizen_client.post(PROFILE, {"action": "mobile_send", "new_mobile": OTHER_MOBILE})
    response = citizen_client.post(PROFILE, {"action": "mobile_verify", "code": last_code(outbox, OTHER_MOBILE)})
    assert response.status_code == 409 and "已被其他账号使用" in response.content.decode()
    assert sorted(Citizen.objects.values_list("mobile", flat=True)) == sorted([MOBILE, OTHER_MOBILE])
