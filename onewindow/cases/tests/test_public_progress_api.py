"""GET /api/v1/public/progress/: no login, masked, one answer for every wrong guess, and a limit on guessing."""

import logging
import time

import pytest
from django.core.cache import cache

from onewindow.cases.api.schemas import ProgressOut
from onewindow.cases.services.acceptance import case_accept
from onewindow.cases.services.review import task_approve, task_deny
from onewindow.cases.services.suspension import case_suspend
from onewindow.cases.tests.api_support import error
from onewindow.testing.cases import PERSON, receive

pytestmark = pytest.mark.django_db

URL = "/api/v1/public/progress/"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def case(world, item):
    case = case_accept(actor=world.user("a", "front_clerk"), case=receive(world, item))
    reviewer = world.user("a", "reviewer")
    task_approve(actor=reviewer, task=case.tasks.get(status="pending"), opinion="内部意见：邻居反映其有稳定收入")
    case_suspend(actor=reviewer, case=case, procedure="公示", reason="内部：公示七天", expected_days=5)
    return case


def ask(api, number, code, ip="203.0.113.5"):
    return api.get(URL, {"number": number, "query_code": code}, REMOTE_ADDR=ip)


def test_progress_is_masked_and_plain(world, api, case, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the case, its steps (+ the calendar stamp re-check at most)
        response = ask(api, case.number, case.query_code.lower())  # read aloud, typed in lower case: still found
    assert response.status_code == 200
    body = response.json()
    assert set(body) == set(ProgressOut().fields)
    assert body["number"] == case.number and body["item_name"] == "最低生活保障申请"
    assert body["applicant"] == "张**" and body["status_label"] == "特别程序中"
    assert body["accepted_on"] == body["submitted_on"] == "2026-09-01" and body["deadline"] == "2026-09-21"
    assert body["deadline_state"] is None and body["decided_on"] is None and body["decision_opinion"] == ""
    assert [step["label"] for step in body["timeline"]] == [
        "已接件",
        "窗口受理",
        "转部门审批",
        "部门审核通过",
        "进入特别程序（暂停计时）",
    ]
    text = response.content.decode()
    for secret in (PERSON.id_number, PERSON.phone, PERSON.name, "内部", world.user("a", "reviewer").name):
        assert secret not in text
    assert world.user("a", "front_clerk").name not in text


def test_a_denial_shows_its_reason_to_the_applicant(world, api, item):
    case = case_accept(actor=world.user("a", "front_clerk"), case=receive(world, item))
    task_deny(actor=world.user("a", "reviewer"), task=case.tasks.get(status="pending"), opinion="家庭收入超过标准")
    body = ask(api, case.number, case.query_code).json()
    assert body["decision_label"] == "不予" and body["decision_opinion"] == "家庭收入超过标准"
    assert body["decided_on"] == "2026-09-01"


def test_wrong_number_and_wrong_code_answer_the_same(world, api, case):
    wrong_code = ask(api, case.number, "ABCDEFGH")
    wrong_number = ask(api, "370829001202609019999", case.query_code)
    nothing = api.get(URL, REMOTE_ADDR="203.0.113.5")
    first = error(wrong_code, 404, "progress.not_found")
    assert first == error(wrong_number, 404) == error(nothing, 404)
    assert "办件编号或查询码不正确" in first["message"]


def test_no_login_needed_and_a_stale_token_does_not_matter(api, case):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert ask(api, case.number, case.query_code).status_code == 200


def test_ten_failures_in_fifteen_minutes_block_the_address(api, case, caplog):
    caplog.set_level(logging.DEBUG)
    for attempt in range(10):
        error(ask(api, case.number, f"WRONG{attempt:03d}"), 404)
    # the eleventh try is refused, even with the right code
    body = error(ask(api, case.number, case.query_code), 429, "rate_limited")
    assert "15分钟" in body["message"]
    # other addresses are unaffected
    assert ask(api, case.number, case.query_code, ip="198.51.100.7").status_code == 200
    # nothing identifying the applicant, and no query code, is written to the log
    for secret in (PERSON.id_number, PERSON.phone, case.query_code, "WRONG000"):
        assert secret not in caplog.text


def test_successes_do_not_count_towards_the_limit(api, case):
    for _ in range(12):
        assert ask(api, case.number, case.query_code).status_code == 200


def test_the_counter_expires_after_the_window(api, case, monkeypatch, settings):
    if "LocMemCache" not in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("moves the in-process cache's clock")
    for attempt in range(10):
        ask(api, case.number, f"WRONG{attempt:03d}")
    assert ask(api, case.number, case.query_code).status_code == 429
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 14 * 60)
    assert ask(api, case.number, case.query_code).status_code == 429
    monkeypatch.setattr(time, "time", lambda: now + 15 * 60 + 1)
    assert ask(api, case.number, case.query_code).status_code == 200
