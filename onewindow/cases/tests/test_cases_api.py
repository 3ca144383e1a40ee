"""The cases API over HTTP: one call per action through a whole case, refusals, the masked detail, queues."""

from datetime import date

import pytest

from onewindow.cases.api.documents import case_document
from onewindow.cases.api.schemas import CaseDetailOut, CaseQueueRowOut
from onewindow.cases.flow import Status, Step
from onewindow.cases.models import Case, NoticeKind, TaskStatus
from onewindow.cases.selectors import case_detail
from onewindow.cases.tests.api_support import as_user, create, error, intake_body, snapshot
from onewindow.core.pii import mask_id_number, mask_mobile
from onewindow.testing.cases import PERSON, id_number

pytestmark = pytest.mark.django_db


def post(api, path, body=None):
    return api.post(f"/api/v1/{path}", body or {}, format="json")


def pending_tasks(case_body):
    return [t for t in case_body["tasks"] if t["status"] == TaskStatus.PENDING]


def test_walk_in_case_from_intake_to_handover(world, api, item, labour_reviewer, clock):
    # given a walk-in applicant without the income certificate (容缺-allowed)
    clerk, social = world.user("a", "front_clerk"), world.user("a", "reviewer")
    created = create(as_user(api, clerk), world)
    assert set(created) == {"number", "status", "query_code", "deadline"}
    assert created["status"] == Status.SUBMITTED and created["deadline"] is None and len(created["query_code"]) == 8
    number = created["number"]

    # when the clerk accepts with the certificate pledged, review starts at once
    body = post(api, f"cases/{number}/accept-with-deficiency/", {"deficient": [3], "due": "2026-09-15"}).json()
    assert body["status"] == Status.IN_REVIEW and body["deficiency_due"] == "2026-09-15"
    assert body["deadline"] == "2026-09-21" and body["contact_clerk"] == clerk.name
    assert [m["state"] for m in body["materials"]] == ["received", "received", "deficient", "not_applicable"]
    assert [(t["stage_name"], t["department"]["code"]) for t in pending_tasks(body)] == [("入户调查", "social")]

    # the two stages: 入户调查 by social, then 联合审核 by social and labour jointly
    body = post(as_user(api, social), f"tasks/{pending_tasks(body)[0]['id']}/approve/", {"opinion": "入户调查属实"})
    assert body.status_code == 200, body.content.decode()
    joint = {t["department"]["code"]: t["id"] for t in pending_tasks(body.json())}
    assert set(joint) == {"social", "labour"}
    body = post(api, f"tasks/{joint['social']}/approve/").json()
    assert body["status"] == Status.IN_REVIEW and len(pending_tasks(body)) == 1
    body = post(as_user(api, labour_reviewer), f"tasks/{joint['labour']}/approve/", {"opinion": "无就业收入"}).json()
    assert pending_tasks(body) == [] and body["status"] == Status.IN_REVIEW

    # 公示 stops the clock for exactly the working days it lasts
    coordinator = world.user("a", "coordinator")
    body = post(
        as_user(api, coordinator),
        f"cases/{number}/suspend/",
        {"procedure": "公示", "reason": "低保对象公示", "expected_days": 5},
    ).json()
    assert body["status"] == Status.SUSPENDED and body["deadline_state"] is None
    clock.day = date(2026, 9, 8)
    body = post(api, f"cases/{number}/resume/", {"result": "公示无异议"}).json()
    assert body["status"] == Status.IN_REVIEW and body["suspended_days"] == 5
    assert body["deadline"] == "2026-09-29"  # 2026-09-21 + 5 working days (9-25 is the Mid-Autumn holiday)

    body = post(api, f"cases/{number}/decide/", {"certificate_number": "DB-2026-001"}).json()
    assert body["status"] == Status.DECIDED and body["decision"] == "approved"

    # the result waits for the pledged certificate
    output = as_user(api, world.user("a", "output_clerk"))
    handover = {"method": "pickup", "recipient_name": PERSON.name, "identity_checked": True}
    case = Case.objects.get(number=number)
    before = snapshot(case)
    error(post(output, f"cases/{number}/deliver/", handover), 409, "case.deficiency_outstanding")
    assert snapshot(case) == before
    body = post(output, f"cases/{number}/receive-deficient/", {"positions": [3]}).json()
    assert body["materials"][2]["state"] == "received"
    body = post(output, f"cases/{number}/deliver/", handover).json()

    assert body["status"] == Status.DELIVERED and body["delivery_method"] == "pickup"
    assert body["recipient_name"] == "张**"
    codes = [s["step_code"] for s in body["timeline"] if s["step_code"]]
    assert codes == [
        Step.RECEIVED,
        Step.WINDOW_ACCEPTED,
        Step.DEPARTMENT_ACCEPTED,
        Step.SPECIAL_STARTED,
        Step.SPECIAL_ENDED,
        Step.APPROVED_WITH_DEFICIENCY,
    ]
    approvals = [s for s in body["timeline"] if s["action"] == "approve_task"]
    assert (approvals[0]["actor_name"], approvals[0]["opinion"]) == (social.name, "入户调查属实")
    assert [n["kind"] for n in body["notices"]] == [
        NoticeKind.DEFICIENCY,
        NoticeKind.PLEDGE,
        NoticeKind.DECISION,
        NoticeKind.DELIVERY_RECEIPT,
    ]


def test_instant_item_is_completed_in_one_call(world, api, clock):
    from onewindow.testing.cases import offered_item

    offered_item(world, "370829-YB-001", handling_type="instant", promised_limit_days=0, stages=[])
    as_user(api, world.user("a", "front_clerk"))
    number = create(api, world, item="370829-YB-001", materials={"1": "received", "2": "received", "3": "received"})[
        "number"
    ]
    body = post(api, f"cases/{number}/complete-instantly/", {"certificate_number": "YB-1"}).json()
    assert body["status"] == Status.DELIVERED and body["certificate_number"] == "YB-1"
    assert [s["step_code"] for s in body["timeline"]] == [Step.RECEIVED, Step.WINDOW_ACCEPTED, Step.APPROVED]


def test_correction_then_supplement_then_reject(world, api, item):
    as_user(api, world.user("a", "front_clerk"))
    number = create(api, world)["number"]
    body = post(api, f"cases/{number}/request-correction/", {"problems": {"2": "户口簿复印件不清晰"}}).json()
    assert body["status"] == Status.CORRECTION_REQUIRED
    assert body["materials"][1]["problem"] == "户口簿复印件不清晰"
    body = post(api, f"cases/{number}/supplement/", {"received": [2, 3]}).json()
    assert body["status"] == Status.SUBMITTED
    body = post(api, f"cases/{number}/reject/", {"reason": "申请人户籍不在本镇街"}).json()
    assert body["status"] == Status.REJECTED and body["timeline"][-1]["step_code"] == Step.REJECTED
    assert {n["kind"] for n in body["notices"]} == {NoticeKind.CORRECTION, NoticeKind.REJECTION}


def test_withdraw_before_and_revoke_after_acceptance(world, api, item):
    as_user(api, world.user("a", "front_clerk"))
    first = create(api, world)["number"]
    assert post(api, f"cases/{first}/withdraw/", {"reason": "申请人不再申请"}).json()["status"] == Status.WITHDRAWN
    second = create(api, world, materials={"1": "received", "2": "received", "3": "received"})["number"]
    assert post(api, f"cases/{second}/accept/").json()["status"] == Status.IN_REVIEW
    body = post(api, f"cases/{second}/revoke/", {"reason": "申请人书面申请撤销"}).json()
    assert body["status"] == Status.REVOKED
    assert {t["status"] for t in body["tasks"]} == {TaskStatus.CANCELLED}


def test_extend_needs_the_director(world, api, item):
    as_user(api, world.user("a", "front_clerk"))
    number = create(api, world, materials={"1": "received", "2": "received", "3": "received"})["number"]
    post(api, f"cases/{number}/accept/")
    case = Case.objects.get(number=number)
    before = snapshot(case)
    error(post(api, f"cases/{number}/extend/", {"days": 3, "reason": "需补充调查"}), 403, "forbidden")
    assert snapshot(case) == before
    body = post(
        as_user(api, world.user("a", "center_director")), f"cases/{number}/extend/", {"days": 3, "reason": "需补充调查"}
    )
    assert body.json()["deadline"] == "2026-09-24" and body.json()["extended_days"] == 3


# --- Refusals: the right status and code, and nothing changed ------------------------------------------------


def test_illegal_transition_is_409_and_changes_nothing(world, api, item):
    as_user(api, world.user("a", "front_clerk"))
    case = Case.objects.get(number=create(api, world)["number"])
    before = snapshot(case)
    body = error(
        post(as_user(api, world.user("a", "output_clerk")), f"cases/{case.number}/deliver/", {"method": "electronic"}),
        409,
        "case.illegal_transition",
    )
    assert "不能出件" in body["message"]
    error(post(api, f"cases/{case.number}/resume/"), 403)  # an output clerk does not run special procedures
    assert snapshot(case) == before


def test_deficiency_on_a_material_the_guide_does_not_allow_is_409(world, api, item):
    as_user(api, world.user("a", "front_clerk"))
    case = Case.objects.get(number=create(api, world, materials={"1": "received"})["number"])
    before = snapshot(case)
    response = post(api, f"cases/{case.number}/accept-with-deficiency/", {"deficient": [2, 3], "due": "2026-09-15"})
    assert "户口簿" in error(response, 409, "material.deficiency_not_allowed")["message"]
    assert snapshot(case) == before


def test_other_towns_case_is_not_found_like_a_missing_one(world, api, item):
    as_user(api, world.user("a", "front_clerk"))
    case = Case.objects.get(number=create(api, world)["number"])
    before = snapshot(case)
    as_user(api, world.user("b", "front_clerk"))
    foreign = api.get(f"/api/v1/cases/{case.number}/")
    missing = api.get("/api/v1/cases/370829001202609019999/")
    assert error(foreign, 404, "not_found") == error(missing, 404, "not_found")
    error(post(api, f"cases/{case.number}/accept/"), 404, "not_found")
    error(post(as_user(api, world.user("b", "center_director")), f"cases/{case.number}/reject/", {"reason": "x"}), 404)
    assert case.number not in foreign.content.decode() and snapshot(case) == before


def test_bad_action_input_is_400(world, api, item):
    as_user(api, world.user("a", "front_clerk"))
    case = Case.objects.get(number=create(api, world)["number"])
    before = snapshot(case)
    body = error(post(api, f"cases/{case.number}/accept-with-deficiency/", {"deficient": ["x"], "due": "明天"}), 400)
    assert {"deficient.0", "due"} <= set(body["fields"])
    body = error(
        post(api, f"cases/{case.number}/accept-with-deficiency/", {"deficient": [3], "due": "2026-12-31"}), 400
    )
    assert "due" in body["fields"]  # later than the promised deadline
    assert "reason" in error(post(api, f"cases/{case.number}/reject/", {"reason": "  "}), 400)["fields"]
    assert snapshot(case) == before


# --- Detail and queues ------------------------------------------------------------------------------------


def test_detail_is_masked_and_takes_a_fixed_number_of_queries(world, api, item, django_assert_num_queries, settings):
    settings.ONEWINDOW_CALENDAR_RECHECK_SECONDS = 3600  # no calendar stamp re-check inside the measured request
    as_user(api, world.user("a", "front_clerk"))
    number = create(api, world)["number"]
    post(api, f"cases/{number}/accept-with-deficiency/", {"deficient": [3], "due": "2026-09-15"})
    api.get(f"/api/v1/cases/{number}/")  # warm the working-day calendar snapshot
    # the case with its guide, item, town, center, village and people; materials, tasks, their departments,
    # steps, notices, attachments (no task is assigned to a named person yet, so no query for assignees)
    with django_assert_num_queries(7):
        response = api.get(f"/api/v1/cases/{number}/")
    body = response.json()
    assert body["applicant"] == {
        "kind": "person",
        "kind_label": "个人",
        "name": "张**",
        "id_number": mask_id_number(PERSON.id_number),
        "phone": mask_mobile(PERSON.phone),
        "contact_name": "张**",
    }
    text = response.content.decode()
    assert PERSON.id_number not in text and PERSON.phone not in text and PERSON.name not in text
    assert body["item"] == {"code": "370829-DB-001", "name": "最低生活保障申请"} and body["guide"]["version"] == 1
    assert body["deadline_state"] == "green" and body["working_days_left"] == 15
    assert body["timeline"][0] | {"at": None} == {
        "action": "submit",
        "label": "提交申请",
        "step_code": Step.RECEIVED,
        "step_label": "已接件",
        "status_after": "submitted",
        "actor_name": world.user("a", "front_clerk").name,
        "at": None,
        "opinion": "",
    }
    assert body["timeline"][0]["at"].startswith("2026-09-01T09:30:00+08:00")


def test_enterprise_credit_code_is_masked(world, api, item):
    as_user(api, world.user("a", "front_clerk"))
    applicant = {"kind": "enterprise", "name": "嘉祥县某某商贸有限公司", "id_number": "91350100M000100Y43"}
    number = create(api, world, applicant={**applicant, "phone": "13805371234"})["number"]
    assert api.get(f"/api/v1/cases/{number}/").json()["applicant"]["id_number"] == "9135**********0Y43"


def test_document_keys_match_the_schema(world, api, item):
    as_user(api, world.user("a", "front_clerk"))
    number = create(api, world)["number"]
    post(api, f"cases/{number}/accept-with-deficiency/", {"deficient": [3], "due": "2026-09-15"})
    document = case_document(case_detail(world.user("a", "front_clerk"), number))
    assert set(document) == set(CaseDetailOut().fields)
    for key in ("materials", "tasks", "timeline", "notices"):
        assert set(document[key][0]) == set(CaseDetailOut().fields[key].child.fields), key
    row = api.get("/api/v1/cases/?queue=intake_today").json()["results"][0]
    assert set(row) == set(CaseQueueRowOut().fields)


def test_queue_pages_are_masked_and_keyset_paginated(world, api, item, django_assert_max_num_queries):
    as_user(api, world.user("a", "front_clerk"))
    numbers = {
        create(
            api, world, applicant={**intake_body(world)["applicant"], "id_number": id_number(f"3708291956010100{n}")}
        )["number"]
        for n in range(3)
    }
    seen, cursor = [], ""
    while True:
        with django_assert_max_num_queries(2):  # the page (+ the calendar stamp re-check at most)
            body = api.get("/api/v1/cases/", {"queue": "awaiting_acceptance", "size": 2, "cursor": cursor}).json()
        seen += [row["number"] for row in body["results"]]
        assert all(row["applicant"] == "张**" and row["status_label"] == "待受理" for row in body["results"])
        if not body["next_cursor"]:
            break
        cursor = body["next_cursor"]
    assert sorted(seen) == sorted(numbers)
    as_user(api, world.user("b", "front_clerk"))
    assert api.get("/api/v1/cases/", {"queue": "awaiting_acceptance"}).json() == {"results": [], "next_cursor": None}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "queue"),
        ({"queue": "everything"}, "queue"),
        ({"queue": "my_tasks"}, "queue"),
        ({"queue": "overdue", "size": "0"}, "size"),
        ({"queue": "overdue", "size": "lots"}, "size"),
        ({"queue": "overdue", "cursor": "garbage"}, "cursor"),
    ],
)
def test_bad_queue_parameters_are_400(world, api, params, field):
    as_user(api, world.user("a", "front_clerk"))
    assert field in error(api.get("/api/v1/cases/", params), 400)["fields"]


def test_schema_lists_every_case_endpoint(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    actions = [
        "accept",
        "accept-with-deficiency",
        "reject",
        "request-correction",
        "supplement",
        "complete-instantly",
        "suspend",
        "resume",
        "extend",
        "resend",
        "decide",
        "receive-deficient",
        "deliver",
        "withdraw",
        "revoke",
    ]
    for action in actions:
        assert "post" in paths[f"/api/v1/cases/{{number}}/{action}/"], action
    for action in ("approve", "return", "deny", "reassign"):
        assert "post" in paths[f"/api/v1/tasks/{{task_id}}/{action}/"], action
    create_op = paths["/api/v1/cases/"]["post"]
    assert create_op["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/CaseCreateIn")
    assert create_op["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/CaseCreatedOut")
    assert {p["name"] for p in create_op["parameters"]} == {"Idempotency-Key"}
    assert {p["name"] for p in paths["/api/v1/cases/"]["get"]["parameters"]} == {"queue", "cursor", "size"}
    deficiency = paths["/api/v1/cases/{number}/accept-with-deficiency/"]["post"]
    assert deficiency["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/CaseAcceptWithDeficiencyIn"
    )
    assert set(deficiency["responses"]) == {"200", "400", "403", "404", "409"}
    detail = paths["/api/v1/cases/{number}/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert detail["$ref"].endswith("/CaseDetailOut")
    assert "/api/v1/tasks/" in paths and "/api/v1/public/progress/" in paths
    assert {"CaseStatusEnum", "TaskStatusEnum"} <= set(schema["components"]["schemas"])
