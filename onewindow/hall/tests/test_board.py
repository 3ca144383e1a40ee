"""The live board's state: who is called where, how many wait and how long, recent calls — built in a pinned
number of queries, computed once per change, and its version moves after each committed call."""

from datetime import time

import pytest
from django.core.cache import cache

from onewindow.audit.services import PUBLIC
from onewindow.hall import estimates
from onewindow.hall.board import board_payload, board_state
from onewindow.hall.events import board_version
from onewindow.hall.services.calling import call_next, ticket_finish, ticket_start
from onewindow.hall.services.tickets import ticket_issue
from onewindow.org.services import window_set_open

pytestmark = pytest.mark.django_db

BOARD_QUERIES = 6  # windows, current calls, categories with waiting counts, serving windows, service times, recent


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # versions and cached states are per center id, and ids repeat between tests
    yield
    cache.clear()


def issue(hall, prefix, **kwargs):
    return ticket_issue(actor=PUBLIC, category=hall[prefix], **kwargs)


def serve(clerk, window, clock, minutes):
    """Calls the next ticket at the window and finishes it `minutes` later."""
    ticket = call_next(actor=clerk, window=window)
    clock.minutes(minutes)
    return ticket_finish(actor=clerk, ticket=ticket, window=window)


def test_the_board_shows_current_calls_waiting_and_recent_calls(world, hall, clock):
    clerk = world.user("a", "front_clerk")
    medical, comprehensive = world.a.windows[0], world.a.windows[1]
    for prefix in ("A", "A", "A", "C", "C"):
        issue(hall, prefix)
    a1 = call_next(actor=clerk, window=medical)
    clock.minutes(2)
    c1 = call_next(actor=clerk, window=comprehensive)
    ticket_start(actor=clerk, ticket=c1, window=comprehensive)

    state = board_state(world.a.center)

    assert state["center"] == {"id": world.a.center.pk, "name": world.a.center.name}
    assert state["day"] == "2026-09-01"
    # window 3 (潮汐) is closed and idle: not on the board
    assert [(w["number"], w["name"], w["ticket"]["number"]) for w in state["windows"]] == [
        (1, "医保", "A001"),
        (2, "综合受理", "C001"),
    ]
    assert state["windows"][0]["ticket"] == {
        "number": "A001",
        "status": "called",
        "category": "医保社保",
        "called_at": "2026-09-01T09:30:00+08:00",
        "recalls": 0,
    }
    assert state["windows"][1]["ticket"]["status"] == "serving"
    waiting = {c["prefix"]: c for c in state["categories"]}
    assert list(waiting) == ["A", "B", "C", "D", "E"]
    assert (waiting["A"]["waiting"], waiting["C"]["waiting"], waiting["B"]["waiting"]) == (2, 1, 0)
    # A is called by window 1 and 2 (open), C by window 2 only; nobody finished yet: 6 minutes per person
    assert (waiting["A"]["serving_windows"], waiting["C"]["serving_windows"]) == (2, 1)
    assert waiting["A"]["estimated_wait_seconds"] == 2 * 360 // 2 and waiting["A"]["estimated_wait_minutes"] == 6
    assert waiting["C"]["estimated_wait_seconds"] == 360 and waiting["B"]["estimated_wait_minutes"] == 0
    assert [(r["number"], r["window_number"]) for r in state["recent"]] == [("C001", 2), ("A001", 1)]
    assert a1.number == "A001"


def test_closed_categories_are_left_out_and_a_closing_window_keeps_its_last_call(world, hall, clock):
    clerk, director = world.user("a", "front_clerk"), world.user("a", "center_director")
    hall["D"].is_open = False
    hall["D"].save()
    issue(hall, "A")
    call_next(actor=clerk, window=world.a.windows[0])
    window_set_open(actor=director, window=world.a.windows[0], is_open=False)

    state = board_state(world.a.center)

    assert "D" not in [c["prefix"] for c in state["categories"]]
    assert [(w["number"], w["is_open"], w["ticket"]["number"]) for w in state["windows"] if w["ticket"]] == [
        (1, False, "A001")
    ]


def test_the_estimate_is_the_estimates_module_rule_for_every_category(world, hall, clock):
    clerk, medical, comprehensive = world.user("a", "front_clerk"), world.a.windows[0], world.a.windows[1]
    # history: a slow A at 08:30, then nine A called between 09:00 and 09:53 (the same-hour average applies,
    # with a capped outlier), one C
    clock.at = time(8, 30)
    issue(hall, "A")
    serve(clerk, medical, clock, 25)
    clock.at = time(9, 0)
    for minutes in (4, 5, 3, 5, 4, 3, 5, 4, 20):
        issue(hall, "A")
        serve(clerk, medical, clock, minutes)
    issue(hall, "C")
    serve(clerk, comprehensive, clock, 5)
    for prefix in ("A", "A", "A", "C", "C", "B"):
        issue(hall, prefix)

    state = board_state(world.a.center)

    for row in state["categories"]:
        category = hall[row["prefix"]]
        expected = estimates.wait_seconds(category, row["waiting"])
        assert row["estimated_wait_seconds"] == expected, row["prefix"]
    waiting = {c["prefix"]: c for c in state["categories"]}
    assert waiting["A"]["waiting"] == 3 and waiting["A"]["estimated_wait_seconds"] > 0
    assert [r["number"] for r in state["recent"]][:2] == ["C001", "A010"] and len(state["recent"]) == 10


def test_the_state_takes_a_fixed_number_of_queries_and_is_computed_once_per_version(
    world, hall, clock, django_assert_num_queries
):
    clerk = world.user("a", "front_clerk")
    for prefix in ("A", "B", "C", "A", "C"):
        issue(hall, prefix)
    for window in world.a.windows[:2]:
        serve(clerk, window, clock, 3)
        call_next(actor=clerk, window=window)
    center = world.a.center

    with django_assert_num_queries(BOARD_QUERIES):
        first = board_state(center)
    with django_assert_num_queries(0):  # thirty displays asking again: the cached state
        assert board_state(center) == first
    for _ in range(3):
        issue(hall, "A")
    cache.clear()
    with django_assert_num_queries(BOARD_QUERIES):  # more rows, same queries
        assert board_state(center)["categories"][0]["waiting"] == 3


def test_a_committed_call_bumps_the_version_and_the_board_follows(
    world, hall, clock, django_capture_on_commit_callbacks
):
    clerk, medical = world.user("a", "front_clerk"), world.a.windows[0]
    center = world.a.center
    with django_capture_on_commit_callbacks(execute=True):
        issue(hall, "A")
    before = board_version(center.pk)
    stale = board_state(center)
    assert stale["version"] == before and stale["windows"][0]["ticket"] is None

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_next(actor=clerk, window=medical)

    assert callbacks and board_version(center.pk) != before
    fresh = board_state(center)
    assert fresh["version"] == board_version(center.pk)
    assert fresh["windows"][0]["ticket"]["number"] == "A001"
    assert board_payload(center, str(before))["changed"] is True
    assert board_payload(center, str(fresh["version"])) == {"version": fresh["version"], "changed": False}


def test_an_uncommitted_call_does_not_move_the_version(world, hall, clock, django_capture_on_commit_callbacks):
    issue(hall, "A")
    before = board_version(world.a.center.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_next(actor=world.user("a", "front_clerk"), window=world.a.windows[0])
    assert callbacks  # queued for the commit…
    assert board_version(world.a.center.pk) == before  # …and nothing before it


def test_yesterdays_calls_leave_the_board_overnight(world, hall, clock):
    clerk = world.user("a", "front_clerk")
    issue(hall, "A")
    call_next(actor=clerk, window=world.a.windows[0])
    assert board_state(world.a.center)["recent"]
    clock.advance(1)  # same version (nothing happened yet today), another day
    state = board_state(world.a.center)
    assert state["day"] == "2026-09-02"
    assert state["recent"] == [] and all(w["ticket"] is None for w in state["windows"])
