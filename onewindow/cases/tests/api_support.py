"""Shared pieces of the cases API tests: clients, a second reviewer, request bodies, 'nothing changed'."""

import pytest
from rest_framework.test import APIClient

from onewindow.audit.models import AuditEvent
from onewindow.cases.models import Case
from onewindow.org.models import User
from onewindow.org.services import save_staff
from onewindow.testing.cases import PERSON, offered_item
from onewindow.testing.world import PASSWORD

ITEM_CODE = "370829-DB-001"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def item(world, clock):
    return offered_item(world, ITEM_CODE)


@pytest.fixture
def labour_reviewer(world):
    labour = next(d for d in world.a.departments if d.code == "labour")
    return save_staff(
        actor=world.county_admin,
        user=User(username="a_labour", name="人社所审批员", role="reviewer", town=world.a.region, department=labour),
        password=PASSWORD,
    )


def as_user(api, user) -> APIClient:
    api.force_authenticate(user)
    return api


def intake_body(world, **overrides) -> dict:
    """A walk-in 低保 application in town A: materials 1 and 2 received, 3 (容缺-allowed) not yet."""
    body = {
        "item": ITEM_CODE,
        "town": world.a.region.code,
        "applicant": {
            "kind": "person",
            "name": PERSON.name,
            "id_number": PERSON.id_number,
            "phone": PERSON.phone,
            "address": PERSON.address,
        },
        "channel": "window",
        "materials": {"1": "received", "2": "received"},
        "request_summary": "家庭困难，申请最低生活保障",
    }
    body.update(overrides)
    return body


def create(api, world, **overrides) -> dict:
    response = api.post("/api/v1/cases/", intake_body(world, **overrides), format="json")
    assert response.status_code == 201, response.content.decode()
    return response.json()


def snapshot(case: Case) -> tuple:
    """Everything an action could change: the row, its timeline, notices, tasks, materials and the audit log."""
    case = Case.objects.get(pk=case.pk)
    return (
        case.status,
        case.updated_at,
        case.deadline,
        case.steps.count(),
        case.notices.count(),
        tuple(case.tasks.order_by("pk").values_list("status", "department_id", "assignee_id")),
        tuple(case.materials.order_by("position").values_list("state", flat=True)),
        AuditEvent.objects.count(),
    )


def error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content.decode()
    body = response.json()["error"]
    assert set(body) == {"code", "message", "fields"} and body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body
