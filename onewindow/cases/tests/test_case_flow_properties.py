"""Random action sequences through the case services (hypothesis stateful testing).

A few cases in town A are driven by any of the front-desk, review, suspension and output actions, by the right
actor or a wrong one, while the test clock moves forward. After every step:
- a refused action (DomainError) changed nothing: status, deadline, timeline, tasks, materials, notices, audit;
- a successful action started from a status the flow allows, ended in the status it leads to, and added exactly
  the timeline steps (action, province step code) it should;
- the deadline never moves earlier, and moves later only by resume (exactly the suspended working days) or extend;
- a terminal status never changes; an approved result is never delivered while a 容缺 material is outstanding.
At the end of every sequence every audit chain still verifies.
"""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from onewindow.audit.services import SYSTEM
from onewindow.audit.verify import describe, verify_chains
from onewindow.cases import flow
from onewindow.cases.flow import Action, Status, Step
from onewindow.cases.models import Case, Decision, MaterialState, ReviewTask, TaskStatus
from onewindow.cases.tests.case_flow_model import CALLS, MAY, STEPS, TRANSITIONS, Snap, right_reviewer, snap
from onewindow.core.calendar import add_working_days, working_days_between
from onewindow.core.errors import DomainError
from onewindow.org.models import User
from onewindow.org.services import save_staff
from onewindow.testing.cases import offered_item, receive
from onewindow.testing.world import PASSWORD

pytestmark = pytest.mark.django_db

START = date(2026, 9, 1)
# The clock stays before November, so acceptance + promised days + extension + pauses stays inside 2026.
LAST_DAY = date(2026, 10, 31)
MAX_CASES = 4
OPEN_TASK = (TaskStatus.PENDING, TaskStatus.WAITING)
NO_OPEN_TASKS = {Status.RETURNED, Status.DECIDED, *flow.TERMINAL}

# Weights: the clerk's next step often, endings (reject, withdraw, revoke, deny) seldom, so most runs go deep.
WEIGHTED_ACTIONS = [
    *["progress"] * 8,
    *["accept", "accept_with_deficiency", "request_correction", "supplement", "approve", "approve", "return"] * 2,
    *["resend", "decide", "suspend", "resume", "extend", "receive_deficient", "deliver", "terminate"] * 2,
    *["advance"] * 4,
    *["intake"] * 2,
    *["reject", "complete_instantly", "deny", "withdraw", "revoke", "return"],
]


def choose(*right, wrong=()):
    """Mostly the right actor, sometimes a wrong one (whose attempt must be refused)."""
    return st.sampled_from([*right, *right, *right, *wrong])


class CaseFlowMachine(RuleBasedStateMachine):
    """Set up by `machine_for`: world, clock, the two items and the actors as class attributes."""

    world = clock = promised_item = instant_item = None
    actors: dict = {}

    def __init__(self):
        super().__init__()
        self.clock.day = START
        # Each sequence runs in a savepoint rolled back at teardown: sequences never see each other's cases.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.pks: list[int] = []
        self.terminal: dict[int, str] = {}

    def teardown(self):
        try:
            broken = [describe(report) for report in verify_chains() if not report.ok]
            assert not broken, broken
        finally:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

    # --- the checks -------------------------------------------------------------------------------------------

    def act(self, pk, name, by, target=None, **options) -> bool:
        """Runs one action by `by` (a key of `actors`) on case `pk` (or on its review task `target`)."""
        before = snap(pk)
        actor = SYSTEM if by == "system" else self.actors[by]
        call = (
            (lambda: CALLS[name](actor, target, **options))
            if target
            else (lambda: CALLS[name](actor, Case.objects.get(pk=pk), **options))
        )
        try:
            call()
        except DomainError:
            assert snap(pk) == before, f"{name} was refused but changed the case"
            return False
        after = snap(pk)
        permitted = by == right_reviewer(target) if target else by in MAY[name]
        assert permitted, f"{name} succeeded for {by}, who may not do it"
        self.check_success(name, before, after, days=options.get("days"))
        return True

    def check_success(self, name, before: Snap, after: Snap, *, days=None):
        assert before.status not in flow.TERMINAL, f"{name} changed a {before.status} case"
        action, sources, target = TRANSITIONS[name]
        assert before.status in sources, f"{name} succeeded from {before.status}"
        if action is not None:
            assert before.status in flow.ALLOWED_FROM[action]
        expected = {None: before.status, "back": before.suspended_from}.get(target, target)
        assert after.status == expected, f"{name}: {before.status} → {after.status}, expected {expected}"

        added = list(after.steps[len(before.steps) :])
        assert list(after.steps[: len(before.steps)]) == list(before.steps), "the timeline was rewritten"
        wanted = STEPS.get(name) or [
            (Action.DECIDE, Step.APPROVED_WITH_DEFICIENCY if before.deficient else Step.APPROVED)  # decide
        ]
        assert added == [(a.value, c if c is None else c.value) for a, c in wanted], f"{name} added {added}"
        assert all(code is None or code in Step.values for _, code in after.steps)

        today = self.clock.day
        if before.deadline is None:
            accepting = name in ("accept", "accept_with_deficiency", "complete_instantly")
            promised = self.instant_item if name == "complete_instantly" else self.promised_item
            limit = promised.current_guide.promised_limit_days
            assert after.deadline == (add_working_days(today, limit) if accepting else None)
        else:
            assert after.deadline >= before.deadline, f"{name} moved the deadline earlier"
            if name == "resume":
                paused = max(0, working_days_between(before.suspended_on, today))
                assert after.deadline == add_working_days(before.deadline, paused)
                assert after.suspended_days == before.suspended_days + paused
            elif name == "extend":
                assert after.deadline == add_working_days(before.deadline, days)
                assert after.extended_days == before.extended_days + days
            else:
                assert after.deadline == before.deadline, f"{name} moved the deadline"
        if name == "deliver" or name == "complete_instantly":
            assert not (after.decision == Decision.APPROVED and after.deficient), "delivered with 容缺 outstanding"

    @invariant()
    def cases_are_consistent(self):
        for pk in self.pks:
            case = Case.objects.get(pk=pk)
            if pk in self.terminal:
                assert case.status == self.terminal[pk], "a terminal status changed"
            elif case.status in flow.TERMINAL:
                self.terminal[pk] = case.status
            open_tasks = case.tasks.filter(status__in=OPEN_TASK)
            if case.status in NO_OPEN_TASKS:
                assert not open_tasks.exists(), f"{case.status} case with open review tasks"
            if case.status == Status.IN_REVIEW:
                # Something is pending, or every task of the current round agreed and the decision is due.
                last_round = max(case.tasks.values_list("round", flat=True))
                current = set(case.tasks.filter(round=last_round).values_list("status", flat=True))
                assert TaskStatus.PENDING in current or current == {TaskStatus.APPROVED}, current
            deficient = case.materials.filter(state=MaterialState.DEFICIENT).exists()
            if case.status == Status.DELIVERED and case.decision == Decision.APPROVED:
                assert not deficient, "approved result delivered while a 容缺 material is outstanding"

    # --- the actions ----------------------------------------------------------------------------------------------
    # One rule draws a weighted action (hypothesis's per-run rule switching would starve the deep states), on one of
    # the cases, by mostly the right actor; `progress` is the step a competent clerk takes next.

    @initialize(
        first=st.sampled_from([MaterialState.RECEIVED] * 3 + [MaterialState.MISSING]),
        third=st.sampled_from([MaterialState.RECEIVED, MaterialState.MISSING, MaterialState.DEFICIENT]),
    )
    def first_case(self, first, third):
        self.intake(instant=False, first=first, third=third, by="clerk")

    @rule(action=st.sampled_from(WEIGHTED_ACTIONS), index=st.integers(0, MAX_CASES - 1), data=st.data())
    def step(self, action, index, data):
        pk = self.pks[index % len(self.pks)]
        getattr(self, f"do_{action}")(pk, data.draw)

    def intake(self, *, instant, first, third, by):
        item = self.instant_item if instant else self.promised_item
        case = receive(
            self.world, item, actor=self.actors[by], materials={1: first, 2: MaterialState.RECEIVED, 3: third}
        )
        assert case.status == Status.SUBMITTED and snap(case.pk).steps == ((Action.SUBMIT.value, Step.RECEIVED.value),)
        self.pks.append(case.pk)

    def do_intake(self, pk, draw):
        if len(self.pks) < MAX_CASES:
            self.intake(
                instant=draw(st.sampled_from([False, False, True])),
                first=draw(st.sampled_from([MaterialState.RECEIVED] * 3 + [MaterialState.MISSING])),
                third=draw(st.sampled_from([MaterialState.RECEIVED, MaterialState.MISSING, MaterialState.DEFICIENT])),
                by=draw(st.sampled_from(["clerk", "director"])),
            )

    def do_accept(self, pk, draw):
        self.act(pk, "accept", draw(choose("clerk", "director", wrong=["output", "b_clerk"])))

    def do_accept_with_deficiency(self, pk, draw):
        deficient = draw(st.lists(st.sampled_from([3, 3, 1]), min_size=1, max_size=2, unique=True))
        due = self.clock.day + timedelta(days=draw(st.integers(-1, 25)))
        self.act(pk, "accept_with_deficiency", draw(choose("clerk", wrong=["output"])), deficient=deficient, due=due)

    def do_request_correction(self, pk, draw):
        problems = draw(
            st.dictionaries(st.sampled_from([1, 2, 3]), st.sampled_from(["复印件不清晰", "缺少签字"]), max_size=2)
        )
        self.act(pk, "request_correction", draw(choose("clerk", wrong=["b_clerk"])), problems=problems)

    def do_supplement(self, pk, draw):
        received = draw(st.lists(st.sampled_from([1, 2, 3, 4]), max_size=3, unique=True))
        self.act(pk, "supplement", draw(choose("clerk", "output", wrong=["b_clerk"])), received=received)

    def do_reject(self, pk, draw):
        self.act(pk, "reject", draw(choose("clerk", wrong=["coordinator"])))

    def do_complete_instantly(self, pk, draw):
        self.act(pk, "complete_instantly", draw(choose("clerk", wrong=["output"])))

    def on_task(self, pk, draw, name, wrong):
        tasks = list(ReviewTask.objects.filter(case_id=pk).select_related("department").order_by("pk"))
        pending = [task for task in tasks if task.status == TaskStatus.PENDING]
        if pending and draw(st.sampled_from([True, True, False])):
            tasks = pending  # mostly a task that is open; sometimes any (a decided or waiting one must be refused)
        if tasks:
            task = tasks[draw(st.integers(0, 7)) % len(tasks)]
            who = draw(choose("right", wrong=wrong))
            self.act(pk, name, right_reviewer(task) if who == "right" else who, target=task)

    def do_approve(self, pk, draw):
        self.on_task(pk, draw, "approve", ["social", "labour", "b_social"])

    def do_return(self, pk, draw):
        self.on_task(pk, draw, "return", ["labour", "b_social"])

    def do_deny(self, pk, draw):
        self.on_task(pk, draw, "deny", ["social", "b_social"])

    def do_resend(self, pk, draw):
        self.act(pk, "resend", draw(choose("clerk", wrong=["output"])))

    def do_decide(self, pk, draw):
        self.act(pk, "decide", draw(choose("coordinator", "director", "labour", wrong=["clerk"])))

    def do_suspend(self, pk, draw):
        by = draw(choose("social", "director", wrong=["output"]))
        self.act(pk, "suspend", by, expected_days=draw(st.integers(1, 10)))

    def do_resume(self, pk, draw):
        self.advance(draw(st.integers(0, 8)))
        self.act(pk, "resume", draw(choose("coordinator", "clerk", wrong=["output"])))

    def do_extend(self, pk, draw):
        self.act(pk, "extend", draw(choose("director", wrong=["coordinator"])), days=draw(st.integers(1, 8)))

    def do_receive_deficient(self, pk, draw):
        self.act(pk, "receive_deficient", draw(choose("output", wrong=["social"])))

    def do_deliver(self, pk, draw):
        method = draw(st.sampled_from(["pickup", "mail", "electronic"]))
        self.act(pk, "deliver", draw(choose("output", wrong=["social"])), method=method)

    def do_withdraw(self, pk, draw):
        self.act(pk, "withdraw", draw(choose("clerk", wrong=["b_clerk"])))

    def do_revoke(self, pk, draw):
        self.act(pk, "revoke", draw(choose("clerk", wrong=["social"])))

    def do_terminate(self, pk, draw):
        self.advance(draw(st.integers(0, 7)))
        self.act(pk, "terminate", "system")

    def do_advance(self, pk, draw):
        self.advance(draw(st.integers(1, 6)))

    def advance(self, days):
        self.clock.day = min(LAST_DAY, self.clock.day + timedelta(days=days))

    def do_progress(self, pk, draw):
        """The step a competent clerk takes next: legal and by the right person, so it must succeed."""
        case = Case.objects.get(pk=pk)
        missing = [m.position for m in case.materials.all() if m.required and m.state != MaterialState.RECEIVED]
        status, done = case.status, True
        if status == Status.SUBMITTED and case.guide.is_instant:
            done = missing or self.act(pk, "complete_instantly", "clerk")
        elif status == Status.SUBMITTED and missing == [3]:
            due = self.clock.day + timedelta(days=draw(st.integers(0, 6)))
            done = self.act(pk, "accept_with_deficiency", "clerk", deficient=[3], due=due)
        elif status == Status.SUBMITTED and missing:
            done = self.act(pk, "request_correction", "clerk", problems=dict.fromkeys(missing, "未提供"))
        elif status == Status.SUBMITTED:
            done = self.act(pk, "accept", "clerk")
        elif status == Status.CORRECTION_REQUIRED:
            done = self.act(pk, "supplement", "clerk", received=missing or [1])
        elif status == Status.IN_REVIEW:
            task = case.tasks.filter(status=TaskStatus.PENDING).select_related("department").first()
            done = (
                self.act(pk, "approve", right_reviewer(task), target=task) if task else self.act(pk, "decide", "labour")
            )
        elif status == Status.RETURNED:
            done = self.act(pk, "resend", "clerk")
        elif status == Status.SUSPENDED:
            self.advance(2)
            done = self.act(pk, "resume", "coordinator")
        elif status == Status.DECIDED and case.materials.filter(state=MaterialState.DEFICIENT).exists():
            done = self.act(pk, "receive_deficient", "output")
        elif status == Status.DECIDED:
            done = self.act(pk, "deliver", "output", method="electronic")
        assert done, f"a legal next step was refused in status {status}"


def machine_for(world, clock):
    labour = next(d for d in world.a.departments if d.code == "labour")
    labour_reviewer = save_staff(
        actor=world.county_admin,
        user=User(username="a_labour", name="人社所审批员", role="reviewer", town=world.a.region, department=labour),
        password=PASSWORD,
    )
    attributes = {
        "world": world,
        "clock": clock,
        "promised_item": offered_item(world),
        "instant_item": offered_item(
            world,
            code="370829-JB-001",
            name="临时救助金领取确认",
            handling_type="instant",
            promised_limit_days=0,
            stages=[],
        ),
        "actors": {
            "clerk": world.user("a", "front_clerk"),
            "director": world.user("a", "center_director"),
            "coordinator": world.user("a", "coordinator"),
            "output": world.user("a", "output_clerk"),
            "social": world.user("a", "reviewer"),
            "labour": labour_reviewer,
            "b_clerk": world.user("b", "front_clerk"),
            "b_social": world.user("b", "reviewer"),
        },
    }
    return type("CaseFlow", (CaseFlowMachine,), attributes)


def test_random_action_sequences_keep_the_flow_deadlines_and_audit_intact(world, clock):
    machine = machine_for(world, clock)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=40,
            stateful_step_count=30,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
    assert all(report.ok for report in verify_chains())
