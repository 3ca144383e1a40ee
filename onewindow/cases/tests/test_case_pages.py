"""Staff pages for cases: intake screen, case page with actions, workbench, notices, public progress."""

import pytest
from django.urls import reverse

from onewindow.cases.flow import Status
from onewindow.cases.models import Case
from onewindow.cases.services.acceptance import case_accept
from onewindow.testing.cases import PERSON, offered_item, receive

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def intake_post(item, **overrides):
    data = {
        "item": item.code,
        "applicant_kind": "person",
        "applicant_name": PERSON.name,
        "applicant_id_number": PERSON.id_number,
        "contact_phone": PERSON.phone,
        "channel": "window",
        "material_1": "received",
        "material_2": "received",
        "material_3": "received",
        "decision": "accept",
        "form_token": "t-1",
    }
    data.update(overrides)
    return data


def test_intake_screen_finds_items_by_pinyin_and_accepts(client, world, clock):
    item = offered_item(world)
    login(client, world.user("a", "front_clerk"))
    page = client.get(reverse("cases:intake"), {"q": "dbsq"})
    assert "最低生活保障申请" in page.content.decode()
    page = client.get(reverse("cases:intake"), {"item": item.code})
    assert "家庭收入证明" in page.content.decode() and "可容缺" in page.content.decode()
    response = client.post(reverse("cases:intake") + f"?item={item.code}", intake_post(item))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.number])
    assert case.status == Status.IN_REVIEW
    again = client.post(reverse("cases:intake") + f"?item={item.code}", intake_post(item))  # double click
    assert again.status_code == 302 and Case.objects.count() == 1


def test_bad_id_number_is_shown_in_chinese_and_nothing_saved(client, world, clock):
    item = offered_item(world)
    login(client, world.user("a", "front_clerk"))
    response = client.post(reverse("cases:intake"), intake_post(item, applicant_id_number="370829195601010010"))
    assert response.status_code == 400 and "校验" in response.content.decode()
    assert not Case.objects.exists()


def test_deficiency_at_the_counter(client, world, clock):
    item = offered_item(world)
    login(client, world.user("a", "front_clerk"))
    client.post(
        reverse("cases:intake"), intake_post(item, material_3="deficient", decision="deficiency", due="2026-09-10")
    )
    case = Case.objects.get()
    assert case.status == Status.IN_REVIEW and case.deficiency_due.isoformat() == "2026-09-10"


def test_case_page_masks_the_applicant_and_offers_the_reviewer_their_task(client, world, clock):
    case = case_accept(actor=world.user("a", "front_clerk"), case=receive(world, offered_item(world)))
    login(client, world.user("a", "reviewer"))
    html = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert PERSON.id_number not in html and PERSON.phone not in html and "张**" in html
    assert "我的审批" in html and "环节代码 8" in html
    task = case.tasks.get(status="pending")
    response = client.post(
        reverse("cases:act", args=[case.number, "approve_task"]), {"task": task.pk, "opinion": "属实"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "approved" and task.opinion == "属实"


def test_refused_action_shows_the_reason_and_changes_nothing(client, world, clock):
    case = receive(world, offered_item(world), materials={1: "received"})
    login(client, world.user("a", "front_clerk"))
    response = client.post(reverse("cases:act", args=[case.number, "accept"]), follow=True)
    assert "尚未收齐" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_other_towns_case_is_not_found(client, world, clock):
    case = receive(world, offered_item(world))
    login(client, world.user("b", "center_director"))
    assert client.get(reverse("cases:detail", args=[case.number])).status_code == 404
    assert client.post(reverse("cases:act", args=[case.number, "reject"]), {"reason": "x"}).status_code == 404
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_workbench_lists_the_queue_with_deadline_colours(client, world, clock):
    case_accept(actor=world.user("a", "front_clerk"), case=receive(world, offered_item(world)))
    login(client, world.user("a", "reviewer"))
    html = client.get(reverse("cases:workbench")).content.decode()
    assert "我的审批任务" in html and "入户调查" in html and "badge-green" in html


def test_notice_pdf_embeds_the_chinese_font(client, world, clock):
    case = case_accept(actor=world.user("a", "front_clerk"), case=receive(world, offered_item(world)))
    notice = case.notices.get()
    login(client, world.user("a", "front_clerk"))
    response = client.get(reverse("cases:notice-pdf", args=[case.number, notice.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"FontFile2" in response.content
    assert client.get(reverse("cases:notice-pdf", args=[case.number, notice.pk + 999])).status_code == 404


def test_public_progress_lookup_is_masked_and_rate_limited(client, world, clock):
    case = case_accept(actor=world.user("a", "front_clerk"), case=receive(world, offered_item(world)))
    url = reverse("cases:public-progress")
    ok = client.post(url, {"number": case.number, "query_code": case.query_code.lower()})
    html = ok.content.decode()
    assert ok.status_code == 200 and "审批中" in html and "张**" in html and PERSON.name not in html
    assert world.user("a", "front_clerk").name not in html  # staff names stay internal
    for _ in range(10):
        assert client.post(url, {"number": case.number, "query_code": "WRONG123"}).status_code == 404
    assert client.post(url, {"number": case.number, "query_code": case.query_code}).status_code == 429
