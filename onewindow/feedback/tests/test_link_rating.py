"""The signed rating link (短信 / 扫码评价): it opens the form for exactly one case step without an account; a forged
link is refused (400), a used one meets its rating (409), an old one is past the window; the SMS carries it."""

import time
from datetime import date

import pytest
from django.core import signing
from django.urls import reverse

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.audit.services import PUBLIC
from onewindow.cases.flow import Action
from onewindow.core.roles import Role
from onewindow.feedback import links
from onewindow.feedback.links import rating_link, rating_path, send_rating_invitation, step_id_from_token
from onewindow.feedback.models import Channel, Rating, Rectification
from onewindow.feedback.services.ratings import rating_submit, subject_for_step
from onewindow.feedback.tests.ratings_support import counts, instant_case, step_of
from onewindow.testing.cases import PERSON

pytestmark = pytest.mark.django_db

BASE = "https://zwfw.jiaxiang.gov.cn"


@pytest.fixture
def step(world, clock, instant_item, settings):
    settings.ONEWINDOW_PUBLIC_BASE_URL = BASE
    return step_of(instant_case(world, instant_item))


def test_the_link_is_absolute_signed_and_names_its_step(step):
    url = rating_link(step)
    assert url.startswith(f"{BASE}/rate/") and url == BASE + rating_path(step)
    token = url.removeprefix(f"{BASE}/rate/").rstrip("/")
    assert step_id_from_token(token) == step.pk
    assert rating_link(step, via="qr").endswith("/?via=qr")
    assert PERSON.phone not in url and PERSON.id_number not in url


def test_a_citizen_rates_the_step_from_the_sms_once(client, step):
    path = rating_path(step)
    html = client.get(path).content.decode()
    assert "请为本次服务评价" in html and step.case.number in html and "即办办结" in html
    assert "办事指南精确度" not in html and "服务态度" in html  # a window service: the offline indicators
    response = client.post(
        path, {"level": "4", "reasons": ["态度好"], "indicator_attitude": "5", "comment": "窗口很耐心"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("feedback:rate-thanks")
    rating = Rating.objects.get()
    assert (rating.case_step, rating.channel, rating.level) == (step, Channel.SMS, 4)
    assert rating.indicators == {"overall": 4, "attitude": 5} and rating.comment == "窗口很耐心"
    assert AuditEvent.objects.get(action=AuditAction.RATING_GIVEN).role == "public"
    assert "谢谢您的评价" in client.get(response["Location"]).content.decode()

    before = counts()
    reused = client.get(path)
    assert reused.status_code == 409 and "该服务已评价" in reused.content.decode()
    again = client.post(path, {"level": "1", "reasons": ["服务态度差"]})
    assert again.status_code == 409 and counts() == before


def test_the_qr_code_marks_its_channel(client, step):
    response = client.post(rating_path(step, via="qr"), {"level": "5"})
    assert response.status_code == 302 and Rating.objects.get().channel == Channel.QR


def test_a_bad_rating_without_a_reason_comes_back_with_the_form(client, step):
    before = counts()
    response = client.post(rating_path(step), {"level": "2", "comment": "等太久"})
    html = response.content.decode()
    assert response.status_code == 400 and "差评请至少选择一项原因" in html and "等太久" in html
    assert counts() == before
    response = client.post(rating_path(step), {"level": "2", "reasons": ["办理超时"]})
    assert response.status_code == 302 and Rectification.objects.get().rating.case_step == step


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
        lambda token: "9999" + token[token.index(":") :],  # another step, same signature
        lambda token: signing.dumps(token),  # signed, but not with the link's salt
        lambda token: "x" * 300,
        lambda token: "abc",
    ],
)
def test_a_forged_link_is_refused_in_chinese(client, step, tamper):
    token = links.rating_token(step)
    response = client.get(reverse("feedback:rate", args=[tamper(token)]))
    assert response.status_code == 400 and "评价链接无效" in response.content.decode()
    response = client.post(reverse("feedback:rate", args=[tamper(token)]), {"level": "5"})
    assert response.status_code == 400 and not Rating.objects.exists()


def test_an_expired_link_and_a_late_rating_are_past_the_window(client, step, clock, monkeypatch):
    old = int(time.time()) - 21 * 86400
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(old))
    expired = links.rating_path(step)
    monkeypatch.undo()
    response = client.get(expired)
    assert response.status_code == 409 and "已超过评价期限" in response.content.decode()

    fresh = links.rating_path(step)
    clock.day = date(2026, 9, 9)  # the 6th working day after the service
    response = client.post(fresh, {"level": "5"})
    assert response.status_code == 409 and "5个工作日" in response.content.decode() and not Rating.objects.exists()


def test_the_invitation_texts_the_link_after_delivery(step, sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert send_rating_invitation(step) is True
    [message] = sms.outbox
    assert message.to == PERSON.phone and rating_link(step) in message.text and step.case.number in message.text
    assert PERSON.id_number not in message.text and "5个工作日" in message.text


def test_no_invitation_without_a_public_address_or_for_a_step_nobody_can_rate(
    step, sms, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert send_rating_invitation(step_of(step.case, Action.SUBMIT)) is False
        settings.ONEWINDOW_PUBLIC_BASE_URL = ""
        assert send_rating_invitation(step) is False
    assert sms.outbox == []


def test_the_window_shows_the_qr_code_to_the_citizen(client, world, step):
    client.force_login(world.user("a", Role.FRONT_CLERK))
    url = reverse("feedback:rating-qr", args=[step.pk])
    html = client.get(url).content.decode()
    assert "<svg" in html and "扫码评价本次服务" in html and rating_link(step, via="qr") in html.replace("&amp;", "&")
    client.force_login(world.user("b", Role.FRONT_CLERK))
    assert client.get(url).status_code == 404
    client.force_login(world.user("a", Role.REVIEWER))
    assert client.get(url).status_code == 403


def test_completing_an_instant_case_texts_the_invitation_instead_of_the_plain_notice(
    world, instant_item, sms, settings, django_capture_on_commit_callbacks
):
    settings.ONEWINDOW_PUBLIC_BASE_URL = BASE
    with django_capture_on_commit_callbacks(execute=True):
        case = instant_case(world, instant_item)
    [message] = [m for m in sms.outbox if case.number in m.text and "办结" in m.text]
    assert rating_link(step_of(case)) in message.text
    assert not [m for m in sms.outbox if "结果已送达" in m.text]  # one text, not two
    assert not Rating.objects.exists()  # invited, never rated on the citizen's behalf


def test_without_a_public_address_the_plain_notice_goes_out(
    world, instant_item, sms, settings, django_capture_on_commit_callbacks
):
    settings.ONEWINDOW_PUBLIC_BASE_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        instant_case(world, instant_item)
    assert [m for m in sms.outbox if "结果已送达" in m.text]


def test_the_case_page_offers_the_qr_code_until_the_step_is_rated(client, world, step):
    client.force_login(world.user("a", Role.FRONT_CLERK))
    page = client.get(reverse("cases:detail", args=[step.case.number])).content.decode()
    assert reverse("feedback:rating-qr", args=[step.pk]) in page and page.count("请办事群众扫码评价") == 1
    rating_submit(actor=PUBLIC, subject=subject_for_step(step), level=4, channel=Channel.QR)
    page = client.get(reverse("cases:detail", args=[step.case.number])).content.decode()
    assert "已评价：满意" in page and "请办事群众扫码评价" not in page
