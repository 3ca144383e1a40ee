"""Review tasks over HTTP: my tasks, approve / return / deny, reassignment, and who may not act."""

import pytest

from onewindow.cases.api.schemas import TaskQueueRowOut
from onewindow.cases.flow import Status
from onewindow.cases.models import Case, ReviewTask, TaskStatus
from onewindow.cases.services.acceptance import case_accept
from onewindow.cases.tests.api_support import as_user, error, snapshot
from onewindow.testing.cases import receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, item):
    return case_accept(actor=world.user("a", "front_clerk"), case=receive(world, item))


def pending(case, code="social") -> ReviewTask:
    return case.tasks.get(status=TaskStatus.PENDING, department__code=code)


def post(api, task, action, body=None):
    return api.post(f"/api/v1/tasks/{task.pk}/{action}/", body or {}, format="json")


def test_my_tasks_lists_the_departments_pending_tasks_masked(world, api, case, django_assert_max_num_queries):
    as_user(api, world.user("a", "reviewer"))
    with django_assert_max_num_queries(2):  # the page (+ the calendar stamp re-check at most)
        body = api.get("/api/v1/tasks/").json()
    assert body["next_cursor"] is None and len(body["results"]) == 1
    row = body["results"][0]
    assert set(row) == set(TaskQueueRowOut().fields)
    assert row["id"] == pending(case).pk and row["case_number"] == case.number
    assert row["applicant"] == "张**" and row["department_name"] == "社会事务办" and row["deadline_state"] == "green"
    assert "张桂英" not in str(body)
    assert api.get("/api/v1/tasks/", {"size": "0"}).status_code == 400
    as_user(api, world.user("b", "reviewer"))
    assert api.get("/api/v1/tasks/").json()["results"] == []


def test_approve_answers_with_the_case_and_a_task_is_decided_once(world, api, case):
    task = pending(case)
    response = post(as_user(api, world.user("a", "reviewer")), task, "approve", {"opinion": "入户调查属实"})
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == case.number
    approved = next(t for t in body["tasks"] if t["id"] == task.pk)
    assert approved["status"] == TaskStatus.APPROVED and approved["opinion"] == "入户调查属实"
    before = snapshot(case)
    error(post(api, task, "approve"), 409, "task.not_pending")
    assert snapshot(case) == before


def test_reviewer_of_another_department_is_403_and_of_another_town_404(world, api, case, labour_reviewer):
    task = pending(case)
    before = snapshot(case)
    error(post(as_user(api, labour_reviewer), task, "approve"), 403, "forbidden")
    error(post(api, task, "deny", {"opinion": "不同意"}), 403)
    error(post(as_user(api, world.user("b", "reviewer")), task, "approve"), 404, "not_found")
    error(post(api, ReviewTask(pk=999999), "approve"), 404, "not_found")
    assert api.post("/api/v1/tasks/abc/approve/", {}, format="json").status_code == 404
    assert snapshot(case) == before


def test_return_needs_a_reason_then_goes_back_to_the_front_desk(world, api, case):
    task = pending(case)
    as_user(api, world.user("a", "reviewer"))
    before = snapshot(case)
    assert "reason" in error(post(api, task, "return"), 400, "validation_failed")["fields"]
    assert "reason" in error(post(api, task, "return", {"reason": "   "}), 400)["fields"]
    assert snapshot(case) == before
    body = post(api, task, "return", {"reason": "收入证明与调查不符"}).json()
    assert body["status"] == Status.RETURNED and body["timeline"][-1]["opinion"] == "收入证明与调查不符"
    as_user(api, world.user("a", "front_clerk"))
    body = api.post(f"/api/v1/cases/{case.number}/resend/", {"note": "已核实"}, format="json").json()
    assert body["status"] == Status.IN_REVIEW
    assert [t["round"] for t in body["tasks"] if t["status"] == TaskStatus.PENDING] == [2]


def test_deny_decides_the_case_as_not_granted(world, api, case):
    as_user(api, world.user("a", "reviewer"))
    body = post(api, pending(case), "deny", {"opinion": "家庭收入超过低保标准"}).json()
    assert body["status"] == Status.DECIDED and body["decision"] == "denied"
    assert body["decision_opinion"] == "家庭收入超过低保标准"


def test_coordinator_reassigns_within_the_town_only(world, api, case, labour_reviewer):
    task = pending(case)
    labour = labour_reviewer.department
    before = snapshot(case)
    error(post(as_user(api, world.user("a", "reviewer")), task, "reassign", {"department": labour.pk}), 403)
    coordinator = as_user(api, world.user("a", "coordinator"))
    foreign = world.b.departments[1]
    body = error(post(coordinator, task, "reassign", {"department": foreign.pk}), 400)
    assert body["fields"] == {"department": "未找到该部门"}
    body = error(post(coordinator, task, "reassign", {"assignee": world.user("b", "reviewer").pk}), 400)
    assert "assignee" in body["fields"]
    assert snapshot(case) == before
    body = post(coordinator, task, "reassign", {"department": labour.pk, "reason": "属人社所职责"}).json()
    assert next(t for t in body["tasks"] if t["id"] == task.pk)["department"]["code"] == "labour"
    body = post(coordinator, task, "reassign", {"assignee": labour_reviewer.pk}).json()
    assert next(t for t in body["tasks"] if t["id"] == task.pk)["assignee"] == labour_reviewer.name
    # now the labour reviewer may act on it, the social reviewer may not
    error(post(as_user(api, world.user("a", "reviewer")), task, "approve"), 403)
    assert post(as_user(api, labour_reviewer), task, "approve").status_code == 200
    assert Case.objects.get(pk=case.pk).status == Status.IN_REVIEW
