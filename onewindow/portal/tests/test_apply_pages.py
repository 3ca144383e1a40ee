"""网上申报 through the browser's eyes: sign-in, the prefilled form (ID and mobile masked, never echoed),
draft save and resume, submit → the number and query code shown once, and every bad input a 4xx page
with a Chinese message and nothing saved."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.cases.models import Case
from onewindow.portal.models import Application, ApplicationFile
from onewindow.testing.catalog import make_item, sample_spec
from onewindow.testing.portal import CITIZEN_ID, CITIZEN_MOBILE, EXE, apply_url, form, pdf, sign_in, token

pytestmark = pytest.mark.django_db


def files(**extra):
    return {
        "material_1": pdf("申请书.pdf"),
        "material_2": pdf("户口簿.pdf"),
        "material_3": pdf("收入证明.pdf"),
        **extra,
    }


def page_token(response) -> str:
    return re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode()).group(1)


def assert_no_pii_in_links(html: str):
    for url in re.findall(r'(?:href|action|src)="([^"]*)"', html):
        assert CITIZEN_ID not in url and CITIZEN_MOBILE not in url and CITIZEN_ID[-4:] + "&" not in url


def test_the_form_needs_a_signed_in_citizen(client, world, clock, item):
    response = client.get(apply_url(world, item))
    assert response.status_code == 302 and response["Location"].startswith(reverse("citizens:login"))
    assert "next=" in response["Location"]


def test_the_form_is_prefilled_with_the_profile_and_masks_the_id_and_mobile(client, world, clock, item, citizen):
    sign_in(client, citizen)
    response = client.get(apply_url(world, item))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="李秀兰"' in html and "嘉祥街道二村5号" in html
    assert citizen.id_number_masked in html and citizen.mobile_masked in html
    assert CITIZEN_ID not in html and CITIZEN_MOBILE not in html
    for name in ("最低生活保障申请书", "户口簿", "家庭收入证明", "残疾证"):
        assert name in html
    assert 'name="material_1"' in html and "multiple" in html and "真实有效" in html
    assert_no_pii_in_links(html)


def test_submit_shows_the_number_and_query_code_once(client, world, clock, item, citizen, sms):
    sign_in(client, citizen)
    page = client.get(apply_url(world, item))
    response = client.post(apply_url(world, item), {**form(page_token(page)), **files()})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:apply-submitted", args=[case.number])
    assert CITIZEN_ID not in response["Location"] and CITIZEN_MOBILE not in response["Location"]
    done = client.get(response["Location"]).content.decode()
    assert case.number in done and case.query_code in done
    again = client.get(response["Location"])  # shown once: afterwards the case page
    assert again.status_code == 302 and again["Location"] == reverse("portal:my-case", args=[case.number])
    assert case.channel == "online" and case.attachments.count() == 3


def test_a_double_click_submits_once(client, world, clock, item, citizen):
    sign_in(client, citizen)
    form_token = page_token(client.get(apply_url(world, item)))
    first = client.post(apply_url(world, item), {**form(form_token), **files()})
    second = client.post(apply_url(world, item), {**form(form_token), **files()})
    assert first["Location"] == second["Location"] and Case.objects.count() == 1


def test_save_a_draft_and_resume_it_then_remove_a_file_and_discard(client, world, clock, item, citizen):
    sign_in(client, citizen)
    url = apply_url(world, item)
    form_token = page_token(client.get(url))
    saved = client.post(
        url,
        {
            **form(form_token, action="save", declared=False, request_summary="草稿事由"),
            "material_2": pdf("户口簿.pdf"),
        },
        follow=True,
    )
    html = saved.content.decode()
    assert saved.status_code == 200 and "草稿已保存" in html and "户口簿.pdf" in html and "草稿事由" in html
    assert page_token(saved) == form_token and not Case.objects.exists()
    # 我的办件 lists the draft and leads back to it
    mine = client.get(reverse("portal:my-cases")).content.decode()
    assert "继续填写" in mine and url in mine
    # remove the file
    draft_file = ApplicationFile.objects.get()
    removed = client.post(reverse("portal:apply-file-remove", args=[world.a.region.code, item.code, draft_file.pk]))
    assert removed.status_code == 302 and not ApplicationFile.objects.exists()
    # discard the draft
    discarded = client.post(reverse("portal:apply-discard", args=[world.a.region.code, item.code]))
    assert discarded["Location"] == reverse("portal:my-cases") and not Application.objects.exists()


def test_bad_uploads_answer_400_with_a_chinese_message_and_save_nothing(client, world, clock, item, citizen, settings):
    sign_in(client, citizen)
    url = apply_url(world, item)
    form_token = page_token(client.get(url))
    exe = client.post(url, {**form(form_token), **files(material_2=pdf("户口簿.pdf", EXE))})
    assert exe.status_code == 400 and "可执行程序" in exe.content.decode()
    settings.ONEWINDOW_ATTACHMENT_MAX_BYTES = 1024  # stands for 20 MB against a 51 MB file
    big = client.post(url, {**form(form_token), **files(material_3=pdf("大.pdf", b"%PDF-1.4\n" + b"0" * 4096))})
    assert big.status_code == 400 and "超过上限" in big.content.decode()
    assert not Application.objects.exists() and not Case.objects.exists()


def test_missing_material_or_declaration_answers_400_without_echoing_the_id(client, world, clock, item, citizen):
    sign_in(client, citizen)
    url = apply_url(world, item)
    form_token = page_token(client.get(url))
    typed_id = CITIZEN_ID
    response = client.post(
        url,
        {
            **form(form_token, declared=False, applicant_id_number=typed_id),
            "material_1": pdf("申请书.pdf"),
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "请上传必要材料“户口簿”" in html and "真实有效" in html and "本次没有保存任何内容" in html
    assert typed_id not in html
    assert not Application.objects.exists() and not Case.objects.exists()


def test_an_item_not_offered_online_is_a_clear_404(client, world, clock, citizen):
    offline = make_item(
        "370829-XX-009", spec=sample_spec(name="农村宅基地申请", online_capable=False), adopt_in=[world.a.region]
    )
    sign_in(client, citizen)
    response = client.get(reverse("portal:apply", args=[world.a.region.code, offline.code]))
    assert response.status_code == 404 and "暂不支持网上申报" in response.content.decode()
    posted = client.post(reverse("portal:apply", args=[world.a.region.code, offline.code]), form(token()))
    assert posted.status_code == 404 and not Application.objects.exists()


def test_a_post_without_csrf_token_is_refused(world, clock, item, citizen):
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, citizen)
    response = browser.post(apply_url(world, item), {**form(token()), **files()})
    assert response.status_code == 403
    assert not Application.objects.exists() and not Case.objects.exists()
