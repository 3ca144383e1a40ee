"""The hall API over HTTP: a kiosk device takes tickets, window staff call and serve them, a screen reads the
board — and every refusal is a Chinese message in the project's error shape with nothing changed."""

from datetime import date, time

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from onewindow.audit.models import AuditEvent
from onewindow.audit.services import PUBLIC
from onewindow.hall.models import Ticket, TicketStatus
from onewindow.hall.services.appointments import appointment_book, slots_create
from onewindow.hall.services.calling import call_next
from onewindow.hall.services.setup import hall_setup_defaults
from onewindow.hall.services.tickets import ticket_issue
from onewindow.org.services.tokens import issue_token

pytestmark = pytest.mark.django_db

WINDOW_ACTIONS = ["call-next", "recall", "skip", "start", "hold", "resume", "transfer", "finish"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def client_for(user) -> APIClient:
    """A device or staff member calling with its API token, as kiosks and window terminals do."""
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(actor=user).key}")
    return api


@pytest.fixture
def kiosk(world):
    return client_for(world.user("a", "device"))


@pytest.fixture
def clerk(world):
    return client_for(world.user("a", "front_clerk"))


def tickets_url(world, town="a"):
    return f"/api/v1/hall/{getattr(world, town).center.pk}/tickets/"


def act(api, window, action, body=None):
    return api.post(f"/api/v1/hall/windows/{window.pk}/{action}/", body or {}, format="json")


def snapshot():
    """Everything a refused request must leave alone."""
    return (
        list(
            Ticket.objects.order_by("pk").values_list("pk", "number", "status", "window_id", "recalls", "finished_at")
        ),
        AuditEvent.objects.count(),
    )


def error(response, status):
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["error"]["message"] + str(body["error"]["fields"]))
    return body["error"]


# --- taking tickets -------------------------------------------------------------------------------


def test_a_kiosk_takes_a_ticket_with_its_place_wait_and_follow_link(world, hall, clock, kiosk):
    ticket_issue(actor=PUBLIC, category=hall["A"])

    response = kiosk.post(tickets_url(world), {"category": "medical_social", "priority": "elderly"}, format="json")

    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert body["number"] == "A002" and body["status"] == "waiting" and body["status_label"] == "等候中"
    assert body["category"] == {"code": "medical_social", "prefix": "A", "name": "医保社保"}
    assert body["priority"] == "elderly" and body["source"] == "kiosk" and body["window"] is None
    assert body["people_ahead"] == 0  # the green channel goes ahead of the normal A001
    assert body["arrived_at"] == "2026-09-01T09:30:00+08:00"
    assert body["follow_url"].endswith(f"/hall/t/{body['follow_token']}/")
    ticket = Ticket.objects.get(pk=body["id"])
    assert ticket.source == "kiosk" and ticket.priority == "elderly"


def test_an_appointment_code_checks_in_at_the_kiosk(world, hall, clock, kiosk):
    slots_create(actor=world.user("a", "center_director"), category=hall["B"], days=[date(2026, 9, 1)])
    slot = hall["B"].slots.get(start=time(10, 0))
    appointment = appointment_book(actor=PUBLIC, slot=slot, name="张桂英", phone="13805371234")

    body = kiosk.post(tickets_url(world), {"appointment_code": appointment.code}, format="json").json()

    assert body["number"] == "B001" and body["source"] == "appointment"
    assert (
        error(kiosk.post(tickets_url(world), {"appointment_code": appointment.code}, format="json"), 409)["code"]
        == "hall.already_checked_in"
    )


def test_a_closed_category_or_a_closed_hall_gives_no_ticket(world, hall, clock, kiosk):
    hall["B"].is_open = False
    hall["B"].save()
    before = snapshot()
    closed = error(kiosk.post(tickets_url(world), {"category": "civil_veterans"}, format="json"), 409)
    assert closed["code"] == "hall.category_closed" and "暂停取号" in closed["message"]
    clock.at = time(12, 30)
    lunch = error(kiosk.post(tickets_url(world), {"category": "medical_social"}, format="json"), 409)
    assert lunch["code"] == "hall.closed" and "08:30-12:00" in lunch["message"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "category"),
        ({"category": "nonexistent"}, "category"),
        ({"category": "medical_social", "priority": "vip"}, "priority"),
        ({"category": "medical_social", "source": "mobile"}, "source"),
        ({"category": "medical_social", "id_number": "123"}, "id_number"),
        ({"appointment_code": "12ab"}, "appointment_code"),
    ],
)
def test_bad_ticket_input_names_the_field(world, hall, clock, kiosk, body, field):
    before = snapshot()
    assert field in error(kiosk.post(tickets_url(world), body, format="json"), 400)["fields"]
    assert snapshot() == before


def test_only_the_towns_devices_and_staff_take_tickets(world, hall, clock, kiosk):
    assert error(client_for(world.user("b", "device")).post(tickets_url(world), {"category": "medical_social"}), 404)
    assert error(
        client_for(world.user("a", "supervisor")).post(tickets_url(world), {"category": "medical_social"}), 403
    )
    assert error(APIClient().post(tickets_url(world), {"category": "medical_social"}), 401)["code"] == (
        "not_authenticated"
    )
    assert not Ticket.objects.exists()


def test_a_stale_token_is_refused_in_chinese(world, hall, clock):
    device = world.user("a", "device")
    stale = client_for(device)
    device.auth_token.delete()  # rotated in the admin after the kiosk was set up
    refused = error(stale.post(tickets_url(world), {"category": "medical_social"}, format="json"), 401)
    assert refused["code"] == "authentication_failed" and "令牌" in refused["message"]
    assert error(stale.get(f"/api/v1/hall/{world.a.center.pk}/board/"), 401)
    assert not Ticket.objects.exists()


# --- window actions -------------------------------------------------------------------------------


def test_a_window_serves_a_ticket_through_every_action(world, hall, clock, clerk):
    medical, comprehensive = world.a.windows[0], world.a.windows[1]
    first = ticket_issue(actor=PUBLIC, category=hall["A"])
    second = ticket_issue(actor=PUBLIC, category=hall["A"])

    called = act(clerk, medical, "call-next").json()
    assert called["message"] == "请A001号到1号窗口办理"
    assert called["ticket"]["status"] == "called" and called["ticket"]["window"]["number"] == 1
    assert act(clerk, medical, "recall").json()["ticket"]["recalls"] == 1
    assert act(clerk, medical, "start").json()["ticket"]["status"] == "serving"
    assert act(clerk, medical, "hold", {"reason": "去复印户口本"}).json()["ticket"]["status"] == "held"
    assert act(clerk, medical, "call-next").json()["ticket"]["number"] == "A002"
    assert act(clerk, medical, "finish").json()["ticket"]["status"] == "done"
    assert act(clerk, medical, "resume").json()["ticket"]["number"] == "A001"
    moved = act(clerk, medical, "transfer", {"category": "comprehensive"}).json()
    assert moved["ticket"]["number"] == "C001" and moved["ticket"]["status"] == "waiting"
    assert moved["ticket"]["arrived_at"] == "2026-09-01T09:30:00+08:00" and "保留原到达时间" in moved["message"]
    assert act(clerk, comprehensive, "call-next").json()["ticket"]["number"] == "C001"
    done = act(clerk, comprehensive, "finish", {"ticket": moved["ticket"]["id"]}).json()
    assert done["ticket"]["status"] == "done" and done["ticket"]["finished_at"]
    assert act(clerk, medical, "call-next").json() == {"ticket": None, "message": "当前没有等候的号"}
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (TicketStatus.TRANSFERRED, TicketStatus.DONE)


def test_call_next_over_the_api_stays_within_its_query_budget(world, hall, clock, clerk, django_assert_max_num_queries):
    ticket_issue(actor=PUBLIC, category=hall["A"])
    # token, window; the service's claim, update and audit (13 with savepoints); the ticket read back
    with django_assert_max_num_queries(17):
        assert act(clerk, world.a.windows[0], "call-next").json()["ticket"]["number"] == "A001"


def test_a_no_show_needs_the_recalls_first(world, hall, clock, clerk):
    medical = world.a.windows[0]
    ticket_issue(actor=PUBLIC, category=hall["A"])
    act(clerk, medical, "call-next")
    assert error(act(clerk, medical, "skip"), 409)["code"] == "hall.recall_first"
    act(clerk, medical, "recall")
    act(clerk, medical, "recall")
    assert act(clerk, medical, "skip").json()["ticket"]["status"] == "no_show"


def test_calling_from_a_closed_window_changes_nothing(world, hall, clock, clerk):
    ticket_issue(actor=PUBLIC, category=hall["A"])
    before = snapshot()
    refused = error(act(clerk, world.a.windows[2], "call-next"), 409)
    assert refused["code"] == "hall.window_closed" and "已关闭" in refused["message"]
    assert snapshot() == before


def test_finishing_another_windows_ticket_changes_nothing(world, hall, clock, clerk):
    ticket_issue(actor=PUBLIC, category=hall["A"])
    ticket = act(clerk, world.a.windows[0], "call-next").json()["ticket"]
    before = snapshot()
    refused = error(act(clerk, world.a.windows[1], "finish", {"ticket": ticket["id"]}), 409)
    assert refused["code"] == "hall.not_this_window" and "A001不是2号窗口" in refused["message"]
    assert error(act(clerk, world.a.windows[1], "finish"), 409)["code"] == "hall.no_current_ticket"
    assert snapshot() == before


def test_a_device_may_not_call_and_other_towns_are_not_found(world, hall, clock, kiosk, clerk):
    ticket_issue(actor=PUBLIC, category=hall["A"])
    other_town = client_for(world.user("b", "front_clerk"))
    before = snapshot()
    assert "窗口工作人员" in error(act(kiosk, world.a.windows[0], "call-next"), 403)["message"]
    assert error(act(other_town, world.a.windows[0], "call-next"), 404)
    assert snapshot() == before
    # a ticket of town B named at town A's window: not found
    hall_setup_defaults(actor=world.user("b", "center_director"), center=world.b.center)
    b_category = world.b.center.queue_categories.get(prefix="A")
    b_ticket = ticket_issue(actor=PUBLIC, category=b_category)
    call_next(actor=world.user("b", "front_clerk"), window=world.b.windows[0])
    before = snapshot()
    assert error(act(clerk, world.a.windows[0], "finish", {"ticket": b_ticket.pk}), 404)["code"] == "not_found"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("transfer", {}, "category"),
        ("transfer", {"category": "nonexistent"}, "category"),
        ("finish", {"ticket": "abc"}, "ticket"),
        ("hold", {"reason": "长" * 101}, "reason"),
    ],
)
def test_bad_action_input_names_the_field(world, hall, clock, clerk, action, body, field):
    ticket_issue(actor=PUBLIC, category=hall["A"])
    act(clerk, world.a.windows[0], "call-next")
    before = snapshot()
    assert field in error(act(clerk, world.a.windows[0], action, body), 400)["fields"]
    assert snapshot() == before


# --- the board --------------------------------------------------------------------------------------


def test_the_board_endpoint_returns_the_board_state(world, hall, clock, kiosk, clerk, django_assert_max_num_queries):
    ticket_issue(actor=PUBLIC, category=hall["A"])
    ticket_issue(actor=PUBLIC, category=hall["A"])
    act(clerk, world.a.windows[0], "call-next")
    url = f"/api/v1/hall/{world.a.center.pk}/board/"

    body = kiosk.get(url).json()

    assert body["changed"] is True and body["center"]["name"] == world.a.center.name
    assert body["windows"][0]["ticket"]["number"] == "A001"
    assert {c["prefix"]: c["waiting"] for c in body["categories"]}["A"] == 1
    with django_assert_max_num_queries(2):  # the token, the center; the state comes from the cache
        assert kiosk.get(url, {"since": body["version"]}).json() == {"version": body["version"], "changed": False}
    assert error(client_for(world.user("b", "device")).get(url), 404)


def test_the_schema_lists_every_hall_endpoint(world):
    paths = APIClient().get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    assert "post" in paths["/api/v1/hall/{center_id}/tickets/"]
    assert "get" in paths["/api/v1/hall/{center_id}/board/"]
    for action in WINDOW_ACTIONS:
        operation = paths[f"/api/v1/hall/windows/{{window_id}}/{action}/"]["post"]
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
            "/HallWindowActionOut"
        ), action
    issue = paths["/api/v1/hall/{center_id}/tickets/"]["post"]
    assert issue["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/HallTicketIssuedOut")
    assert issue["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/TicketIssueIn")
