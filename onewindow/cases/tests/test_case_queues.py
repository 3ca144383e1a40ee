"""Work queues: scoped per role, sorted by deadline, keyset-paginated, a fixed number of queries."""

from datetime import date

import pytest

from onewindow.cases.selectors import case_detail, queue
from onewindow.cases.services.acceptance import case_accept
from onewindow.cases.services.review import task_approve
from onewindow.core.errors import NotFound, ValidationFailed
from onewindow.testing.cases import offered_item, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world, clock):
    item = offered_item(world)
    clerk = world.user("a", "front_clerk")
    accepted = [case_accept(actor=clerk, case=receive(world, item)) for _ in range(3)]
    waiting = [receive(world, item) for _ in range(2)]
    return accepted, waiting


def test_front_desk_queues(world, cases):
    clerk = world.user("a", "front_clerk")
    assert len(queue(clerk, "intake_today").rows) == 5
    awaiting = queue(clerk, "awaiting_acceptance").rows
    assert {r["number"] for r in awaiting} == {c.number for c in cases[1]}
    assert all(r["applicant_masked"] == "张**" for r in awaiting)
    assert queue(world.user("b", "front_clerk"), "awaiting_acceptance").rows == []


def test_reviewer_sees_only_own_department_tasks(world, cases, django_assert_max_num_queries):
    reviewer = world.user("a", "reviewer")
    with django_assert_max_num_queries(3):
        page = queue(reviewer, "my_tasks")
    assert len(page.rows) == 3 and all(r["department__name"] == "社会事务办" for r in page.rows)
    assert page.rows[0]["deadline_state"] == "green"
    task_approve(actor=reviewer, task=cases[0][0].tasks.get(status="pending"))
    assert len(queue(reviewer, "my_tasks").rows) == 3  # the joint stage now waits on social too
    assert queue(world.user("b", "reviewer"), "my_tasks").rows == []


def test_keyset_pages_walk_every_row_once(world, cases):
    clerk = world.user("a", "front_clerk")
    seen, cursor = [], None
    while True:
        page = queue(clerk, "intake_today", cursor=cursor, size=2)
        seen += [r["number"] for r in page.rows]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 5
    with pytest.raises(ValidationFailed):
        queue(clerk, "intake_today", cursor="garbage")


def test_overdue_and_joint_queues(world, cases, clock):
    coordinator = world.user("a", "coordinator")
    assert len(queue(coordinator, "joint").rows) == 3
    clock.day = date(2026, 9, 22)
    overdue = queue(coordinator, "overdue").rows
    assert len(overdue) == 3 and {r["deadline_state"] for r in overdue} == {"red"}


def test_case_detail_is_scoped_and_fixed_in_queries(world, cases, django_assert_max_num_queries):
    number = cases[0][0].number
    with django_assert_max_num_queries(9):
        case = case_detail(world.user("a", "front_clerk"), number)
        list(case.steps.all()), list(case.tasks.all()), list(case.materials.all())
    with pytest.raises(NotFound):
        case_detail(world.user("b", "center_director"), number)
    assert case_detail(world.user("a", "reviewer"), number).number == number


def test_devices_never_read_cases(world, cases):
    from onewindow.cases.selectors import cases_for, tasks_for

    device = world.user("a", "device")
    assert not cases_for(device).exists() and not tasks_for(device).exists()
