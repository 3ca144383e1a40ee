"""POST /api/v1/ratings/: an evaluator device (token), a clerk typing a card (session), a citizen's phone (link token);
errors in the one API shape, nothing saved; described in the OpenAPI schema."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from onewindow.core.roles import Role
from onewindow.feedback.links import rating_token
from onewindow.feedback.models import Channel, Rating, Rectification
from onewindow.feedback.tests.ratings_support import counts, instant_case, serve, step_of
from onewindow.org.services.devices import device_token_issue

pytestmark = pytest.mark.django_db

URL = "/api/v1/ratings/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def device_api(api, world):
    token = device_token_issue(actor=world.user("a", Role.CENTER_DIRECTOR), device=world.user("a", Role.DEVICE))
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api


@pytest.fixture
def step(world, clock, instant_item):
    return step_of(instant_case(world, instant_item))


def error(response, status, code=None) -> dict:
    assert response.status_code == status, response.content.decode()
    body = response.json()["error"]
    assert set(body) == {"code", "message", "fields"} and body["message"]
    if code:
        assert body["code"] == code, body
    return body


def test_the_evaluator_device_rates_a_finished_ticket(device_api, world, hall, clock):
    ticket = serve(world, hall, clock)
    response = device_api.post(URL, {"ticket": ticket.pk, "level": 5, "reasons": ["办事快"]}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["level"] == 5 and body["level_label"] == "非常满意" and body["channel"] == "evaluator"
    assert body["ticket"] == ticket.pk and body["rectification"] is None and not body["is_bad"]
    rating = Rating.objects.get(pk=body["id"])
    assert rating.window == world.a.windows[0] and rating.entered_by is None


def test_a_bad_rating_answers_with_its_rectification(device_api, world, hall, clock):
    ticket = serve(world, hall, clock)
    body = device_api.post(URL, {"ticket": ticket.pk, "level": 1, "reasons": ["服务态度差"]}, format="json").json()
    assert body["is_bad"] and body["rectification"] == Rectification.objects.get().pk


def test_a_clerk_types_a_card_for_a_step(api, world, step):
    clerk = world.user("a", Role.FRONT_CLERK)
    api.force_authenticate(clerk)
    response = api.post(URL, {"case_step": step.pk, "level": 4, "indicators": {"attitude": 5}}, format="json")
    assert response.status_code == 201, response.content
    rating = Rating.objects.get()
    assert (
        rating.channel == Channel.CARD
        and rating.entered_by == clerk
        and rating.indicators == {"overall": 4, "attitude": 5}
    )


def test_a_citizen_rates_with_the_link_token_without_an_account(api, step):
    body = {"token": rating_token(step), "level": 2, "reasons": ["办理超时"], "channel": "sms", "anonymous": False}
    body.update(rater_name="李明", rater_mobile="13905370001")
    response = api.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    rating = Rating.objects.get()
    assert rating.case_step == step and rating.channel == Channel.SMS and rating.rater_mobile == "13905370001"


@pytest.mark.parametrize(
    "body, status, code, field",
    [
        ({"level": 2}, 400, "validation_failed", "reasons"),  # 差评 without a reason
        ({"level": 9}, 400, "validation_failed", "level"),
        ({"level": "好"}, 400, "validation_failed", "level"),
        ({"level": 5, "comment": "很" * 501}, 400, "validation_failed", "comment"),
        ({"level": 5, "indicators": {"attitude": 8}}, 400, "validation_failed", "indicators.attitude"),
        ({"level": 5, "anonymous": False}, 400, "validation_failed", "rater_mobile"),
        ({"level": 5, "channel": "evaluator"}, 403, "forbidden", None),  # a phone is not the hall's tablet
        ({"level": 5, "case_step": 1}, 400, "validation_failed", "token"),
    ],
)
def test_bad_input_answers_in_the_error_shape_and_saves_nothing(api, step, body, status, code, field):
    before = counts()
    payload = {"token": rating_token(step), **body}
    found = error(api.post(URL, payload, format="json"), status, code)
    if field:
        assert field in found["fields"], found
    assert counts() == before


def test_a_second_rating_a_forged_link_and_a_late_rating_are_refused(api, world, clock, instant_item, step):
    assert api.post(URL, {"token": rating_token(step), "level": 5}, format="json").status_code == 201
    before = counts()
    error(
        api.post(URL, {"token": rating_token(step), "level": 1, "reasons": ["服务态度差"]}, format="json"),
        409,
        "rating.already_rated",
    )
    error(
        api.post(URL, {"token": rating_token(step)[:-2] + "xx", "level": 5}, format="json"), 400, "rating.invalid_link"
    )
    late = step_of(instant_case(world, instant_item))
    before = counts()
    clock.day = date(2026, 9, 10)
    error(api.post(URL, {"token": rating_token(late), "level": 5}, format="json"), 409, "rating.window_closed")
    assert counts() == before


def test_without_a_link_the_caller_must_sign_in_and_sees_only_its_town(api, device_api, world, hall, clock, step):
    anonymous = APIClient()
    error(anonymous.post(URL, {"case_step": step.pk, "level": 5}, format="json"), 401, "not_authenticated")
    error(
        device_api.post(URL, {"case_step": step.pk, "level": 5}, format="json"), 404, "not_found"
    )  # devices never read cases
    ticket = serve(world, hall, clock)
    error(device_api.post(URL, {"ticket": ticket.pk, "case_step": step.pk, "level": 5}, format="json"), 400)
    api.force_authenticate(world.user("b", Role.FRONT_CLERK))
    error(api.post(URL, {"ticket": ticket.pk, "level": 5}, format="json"), 404, "not_found")
    error(api.post(URL, {"case_step": step.pk, "level": 5}, format="json"), 404, "not_found")
    assert not Rating.objects.exists()


def test_the_schema_describes_the_endpoint(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/ratings/"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/RatingIn")
    assert operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/RatingCreatedOut")
    assert {"400", "401", "409"} <= set(operation["responses"])
