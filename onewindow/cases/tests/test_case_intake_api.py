"""POST /api/v1/cases/ (接件): bad input named by field, town and CSRF checks, idempotent retries."""

import threading

import pytest
from django.db import connection
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from rest_framework.test import APIClient

from onewindow.cases.models import Case
from onewindow.cases.tests.api_support import as_user, error, intake_body
from onewindow.org.services.tokens import issue_token
from onewindow.testing.cases import PERSON

pytestmark = pytest.mark.django_db


def test_bad_id_number_is_400_naming_the_field_and_creates_nothing(world, api, item):
    as_user(api, world.user("a", "front_clerk"))
    bad = intake_body(world)
    bad["applicant"] = {**bad["applicant"], "id_number": PERSON.id_number[:-1] + "0", "phone": "12345"}
    body = error(api.post("/api/v1/cases/", bad, format="json"), 400, "validation_failed")
    assert body["fields"]["applicant.id_number"] == "身份证号码校验码错误，请核对后重新输入"
    assert "applicant.phone" in body["fields"]
    assert PERSON.id_number[:-1] not in str(body)  # the value is never echoed
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"item": "no-such-item"}, "item"),
        ({"town": "370829999000"}, "town"),
        ({"materials": {"x": "received"}}, "materials"),
        ({"materials": {"1": "lost"}}, "materials.1"),
        ({"materials": {"9": "received"}}, "materials[9]"),
        ({"materials": {"1": "received", "2": "received", "3": "not_applicable"}}, "materials[3]"),
        ({"applicant": {"kind": "person"}}, "applicant.name"),
        ({"channel": "fax"}, "channel"),
        ({"village": "370829101201"}, "village"),  # a village of town B
    ],
)
def test_each_bad_intake_field_is_named(world, api, item, overrides, field):
    as_user(api, world.user("a", "front_clerk"))
    body = error(api.post("/api/v1/cases/", intake_body(world, **overrides), format="json"), 400)
    assert field in body["fields"], body
    assert Case.objects.count() == 0


def test_other_town_intake_is_403(world, api, item):
    as_user(api, world.user("b", "front_clerk"))
    error(api.post("/api/v1/cases/", intake_body(world), format="json"), 403, "forbidden")
    assert Case.objects.count() == 0


def test_session_post_without_csrf_token_is_refused(world, item):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.user("a", "front_clerk"))
    response = browser.post("/api/v1/cases/", intake_body(world), content_type="application/json")
    error(response, 403, "forbidden")
    assert Case.objects.count() == 0
    token = _get_new_csrf_string()
    browser.cookies["csrftoken"] = token
    response = browser.post(
        "/api/v1/cases/", intake_body(world), content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201 and Case.objects.count() == 1


def test_anonymous_and_token_access(world, api, item):
    error(api.get("/api/v1/cases/?queue=awaiting_acceptance"), 401, "not_authenticated")
    error(api.post("/api/v1/cases/", intake_body(world), format="json"), 401)
    api.credentials(HTTP_AUTHORIZATION="Token " + issue_token(actor=world.user("a", "front_clerk")).key)
    assert api.post("/api/v1/cases/", intake_body(world), format="json").status_code == 201


# --- Idempotent intake ----------------------------------------------------------------------------------


def test_a_retried_submission_returns_the_first_case(world, api, item):
    as_user(api, world.user("a", "front_clerk"))
    first = api.post("/api/v1/cases/", intake_body(world), format="json", headers={"Idempotency-Key": "kiosk-7-0001"})
    again = api.post("/api/v1/cases/", intake_body(world), format="json", headers={"Idempotency-Key": "kiosk-7-0001"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json() and Case.objects.count() == 1
    other = api.post("/api/v1/cases/", intake_body(world), format="json", headers={"Idempotency-Key": "kiosk-7-0002"})
    assert other.status_code == 201 and other.json()["number"] != first.json()["number"]
    # the key belongs to the account that sent it: a colleague's identical key is a different submission
    colleague = as_user(api, world.user("a", "center_director"))
    response = colleague.post(
        "/api/v1/cases/", intake_body(world), format="json", headers={"Idempotency-Key": "kiosk-7-0001"}
    )
    assert response.status_code == 201 and Case.objects.count() == 3


def test_a_malformed_idempotency_key_is_400(world, api, item):
    as_user(api, world.user("a", "front_clerk"))
    response = api.post("/api/v1/cases/", intake_body(world), format="json", headers={"Idempotency-Key": "x" * 61})
    assert "Idempotency-Key" in error(response, 400)["fields"] and Case.objects.count() == 0


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_identical_submissions_at_once_make_one_case(world, item):
    clerk = world.user("a", "front_clerk")
    start = threading.Barrier(2)
    responses = []

    def submit():
        client = APIClient()
        client.force_authenticate(clerk)
        try:
            start.wait()
            responses.append(
                client.post("/api/v1/cases/", intake_body(world), format="json", headers={"Idempotency-Key": "k-1"})
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(responses) == 2
    # both succeed with the same case; which of them is answered 201 depends on who committed first
    assert {r.status_code for r in responses} <= {200, 201} and 201 in {r.status_code for r in responses}
    assert responses[0].json() == responses[1].json()
    assert Case.objects.count() == 1 and Case.objects.get().number == responses[0].json()["number"]
