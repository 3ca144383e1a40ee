"""结果公示: per town, approved results of items whose guides publish them — persons masked, enterprises in
full, by month and item, one query per page, no login; nothing of other towns, other items or other outcomes."""

from dataclasses import replace
from datetime import date

import pytest
from django.urls import reverse

from onewindow.audit.services import SYSTEM
from onewindow.cases.models import Case, TaskStatus
from onewindow.cases.selectors import publicity_items, publicity_page
from onewindow.cases.services.acceptance import case_accept, case_complete_instantly, case_reject
from onewindow.cases.services.intake import Applicant, case_intake
from onewindow.cases.services.review import case_decide, task_approve, task_deny
from onewindow.catalog.services.guides import guide_publish, guide_save_draft
from onewindow.catalog.spec import spec_from_guide
from onewindow.core.errors import ValidationFailed
from onewindow.core.pii import credit_check_char
from onewindow.testing.cases import PERSON
from onewindow.testing.catalog import make_item, sample_spec

pytestmark = pytest.mark.django_db

SEPTEMBER = date(2026, 9, 1)
COOPERATIVE = Applicant(
    kind="enterprise",
    name="嘉祥县惠民农机专业合作社",
    id_number="11370829004349237" + credit_check_char("11370829004349237"),
    phone="13905378888",
)


def instant_spec(name, **overrides):
    return sample_spec(name=name, handling_type="instant", promised_limit_days=0, stages=[], **overrides)


@pytest.fixture
def items(world):
    towns = [world.a.region, world.b.region]
    return {
        "public": make_item("PUB-001", spec=instant_spec("农机购置补贴", results_public=True), adopt_in=towns),
        "other_public": make_item("PUB-002", spec=instant_spec("高龄津贴", results_public=True), adopt_in=towns),
        "private": make_item("PRI-001", spec=instant_spec("户口迁移"), adopt_in=towns),
        "promised": make_item("PUB-003", spec=sample_spec(results_public=True), adopt_in=towns),
    }


def filed(world, item, town="a", applicant=PERSON):
    return case_intake(
        actor=world.user(town, "front_clerk"),
        item=item,
        town=getattr(world, town).region,
        applicant=applicant,
        channel="window",
        materials={1: "received", 2: "received", 3: "received"},
    )


def completed(world, item, town="a", applicant=PERSON):
    return case_complete_instantly(actor=world.user(town, "front_clerk"), case=filed(world, item, town, applicant))


def through_review(world, item, labour_reviewer, *, deny=False):
    social = world.user("a", "reviewer")
    case = case_accept(actor=world.user("a", "front_clerk"), case=filed(world, item))
    if deny:
        task_deny(actor=social, task=case.tasks.get(status=TaskStatus.PENDING), opinion="收入超标")
        return case
    task_approve(actor=social, task=case.tasks.get(status=TaskStatus.PENDING))
    task_approve(actor=social, task=case.tasks.get(status=TaskStatus.PENDING, department__code="social"))
    task_approve(actor=labour_reviewer, task=case.tasks.get(status=TaskStatus.PENDING, department__code="labour"))
    return case_decide(actor=social, case=case, certificate_number="DB-1")


@pytest.fixture
def labour_reviewer(world):
    from onewindow.org.models import User
    from onewindow.org.services import save_staff
    from onewindow.testing.world import PASSWORD

    labour = next(d for d in world.a.departments if d.code == "labour")
    return save_staff(
        actor=world.county_admin,
        user=User(username="a_labour", name="人社所审批员", role="reviewer", town=world.a.region, department=labour),
        password=PASSWORD,
    )


def test_only_approved_results_of_public_items_in_the_town_are_shown(world, clock, items, labour_reviewer):
    # given: what belongs on town A's board
    person = completed(world, items["public"])
    firm = completed(world, items["public"], applicant=COOPERATIVE)
    decided = through_review(world, items["promised"], labour_reviewer)  # decided, waiting for pickup
    # and what does not
    completed(world, items["private"])  # item does not publish results
    completed(world, items["public"], town="b")  # another town
    through_review(world, items["promised"], labour_reviewer, deny=True)  # 不予批准
    case_reject(actor=world.user("a", "front_clerk"), case=filed(world, items["public"]), reason="不符合条件")
    filed(world, items["public"])  # still waiting
    draft = filed(world, items["public"])
    Case.objects.filter(pk=draft.pk).update(status="draft")
    # when
    page = publicity_page(world.a.region, month=SEPTEMBER)
    # then: newest first, persons masked, the enterprise in full
    assert [(r["item_name"], r["applicant"]) for r in page.rows] == [
        ("最低生活保障申请", "张**"),
        ("农机购置补贴", "嘉祥县惠民农机专业合作社"),
        ("农机购置补贴", "张**"),
    ]
    row = page.rows[0]
    assert row["accepted_on"] == row["completed_on"] == date(2026, 9, 1)
    assert row["result"] == "准予：最低生活保障证"
    shown = repr(page.rows)
    for secret in (PERSON.id_number, PERSON.phone, COOPERATIVE.id_number, person.number, firm.number, decided.number):
        assert secret not in shown
    assert [r["applicant"] for r in publicity_page(world.b.region, month=SEPTEMBER).rows] == ["张**"]


def test_months_and_items_filter(world, clock, items):
    completed(world, items["public"])
    completed(world, items["other_public"])
    clock.day = date(2026, 10, 9)
    completed(world, items["public"], applicant=COOPERATIVE)
    september = publicity_page(world.a.region, month=SEPTEMBER).rows
    assert sorted(r["item_code"] for r in september) == ["PUB-001", "PUB-002"]
    october = publicity_page(world.a.region, month=date(2026, 10, 1)).rows
    assert [(r["item_code"], r["completed_on"]) for r in october] == [("PUB-001", date(2026, 10, 9))]
    only = publicity_page(world.a.region, month=SEPTEMBER, item_code="PUB-002").rows
    assert [r["item_name"] for r in only] == ["高龄津贴"]
    assert publicity_page(world.a.region, month=SEPTEMBER, item_code="PRI-001").rows == []
    assert publicity_page(world.a.region, month=date(2026, 8, 1)).rows == []
    assert [i["code"] for i in publicity_items(world.a.region)] == ["PUB-001", "PUB-002", "PUB-003"]


def test_results_are_published_only_if_the_applicant_was_told_and_the_item_still_publishes(world, clock, items):
    told = completed(world, items["public"])
    not_told = completed(world, items["private"])
    # the private item starts publishing: its earlier applicant was never told, so stays off the board
    guide_save_draft(actor=SYSTEM, item=items["private"], spec=instant_spec("户口迁移", results_public=True))
    guide_publish(actor=SYSTEM, item=items["private"])
    assert [r["item_code"] for r in publicity_page(world.a.region, month=SEPTEMBER).rows] == ["PUB-001"]
    assert not_told.guide.results_public is False and told.guide.results_public is True
    # the public item stops publishing: its old results come off at once
    spec = replace(spec_from_guide(items["public"].current_guide), results_public=False)
    guide_save_draft(actor=SYSTEM, item=items["public"], spec=spec)
    guide_publish(actor=SYSTEM, item=items["public"])
    assert publicity_page(world.a.region, month=SEPTEMBER).rows == []


def test_pages_walk_every_row_once_in_one_query_each(world, clock, items, django_assert_num_queries):
    made = []
    for _ in range(5):
        made.append(completed(world, items["public"]))
        clock.minutes(7)
    seen, cursor = [], None
    while True:
        with django_assert_num_queries(1):
            page = publicity_page(world.a.region, month=SEPTEMBER, cursor=cursor, size=2)
        seen += [r["completed_on"] for r in page.rows]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert len(seen) == 5
    with pytest.raises(ValidationFailed):
        publicity_page(world.a.region, month=SEPTEMBER, cursor="1_x")


def test_the_page_needs_no_login_and_shows_masked_rows(client, world, clock, items, django_assert_max_num_queries):
    case = completed(world, items["public"])
    completed(world, items["public"], town="b", applicant=COOPERATIVE)
    url = reverse("portal:publicity", args=[world.a.region.code])
    client.get(url)  # warm up
    with django_assert_max_num_queries(3):  # the town, the item filter, the rows
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200 and "农机购置补贴" in page and "张**" in page
    assert "张桂英" not in page and PERSON.id_number not in page and PERSON.phone not in page
    assert case.number not in page and "合作社" not in page  # town B's applicant is not on town A's board
    assert '<label for="month">' in page and '<label for="item">' in page


def test_filters_in_the_address_and_their_bad_values(client, world, clock, items):
    completed(world, items["public"])
    url = reverse("portal:publicity", args=[world.a.region.code])
    assert "农机购置补贴" in client.get(url, {"month": "2026-09", "item": "PUB-001"}).content.decode()
    assert "本月暂无" in client.get(url, {"month": "2026-09", "item": "PUB-002"}).content.decode()
    for bad in ("2026-13", "九月", "2026-10", "1999-12"):
        response = client.get(url, {"month": bad})
        assert response.status_code == 400, bad
    assert client.get(reverse("portal:publicity", args=["370829999000"])).status_code == 404
    assert client.get(reverse("portal:publicity", args=["not-a-town"])).status_code == 404
    assert client.post(url).status_code == 405


def test_the_api_gives_the_same_rows_without_a_token(world, clock, items, django_assert_max_num_queries):
    from rest_framework.test import APIClient

    completed(world, items["public"])
    completed(world, items["public"], applicant=COOPERATIVE)
    api = APIClient()
    with django_assert_max_num_queries(2):  # the town, the rows
        response = api.get("/api/v1/public/publicity/", {"town": world.a.region.code, "month": "2026-09"})
    body = response.json()
    assert response.status_code == 200 and body["month"] == "2026-09" and body["next_cursor"] is None
    assert [(r["applicant"], r["completed_on"]) for r in body["results"]] == [
        ("嘉祥县惠民农机专业合作社", "2026-09-01"),
        ("张**", "2026-09-01"),
    ]
    assert PERSON.id_number not in response.content.decode()
    assert api.get("/api/v1/public/publicity/").status_code == 400
    bad = api.get("/api/v1/public/publicity/", {"town": world.a.region.code, "month": "2026-13"})
    assert bad.status_code == 400 and "month" in bad.json()["error"]["fields"]
