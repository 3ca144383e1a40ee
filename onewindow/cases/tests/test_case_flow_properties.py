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

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from onewindow.audit.models import AuditEvent
from onewindow.audit.services import SYSTEM
from onewindow.audit.verify import describe, verify_chains
from onewindow.cases import flow
from onewindow.cases.flow import Action, Status, Step
from onewindow.cases.models import Case, Decision, MaterialState, ReviewTask, TaskStatus
from onewindow.cases.services import acceptance, output, review, suspension
from onewindow.core.calendar import add_working_days, working_days_between
from onewindow.core.errors import DomainError
from onewindow.org.models import User
from onewindow.org.services import save_staff
from onewindow.testing.cases import PERSON, offered_item, receive
from onewindow.testing.world import PASSWORD

pytestmark = pytest.mark.django_db

START = date(2026, 9, 1)
# The clock stays before November, so acceptance + promised days + extension + pauses stays inside 2026.
LAST_DAY = date(2026, 10, 31)
MAX_CASES = 4
OPEN_TASK = (TaskStatus.PENDING, TaskStatus.WAITING)
NO_OPEN_TASKS = {Status.RETURNED, Status.DECIDED, *flow.TERMINAL}

FRONT_DESK = {"clerk", "director"}
SUSPENDERS = {"clerk", "director", "coordinator", "social", "labour"}
STAFF = {"clerk", "director", "coordinator", "output"}

# name → (flow action, statuses it may start from, status it leads to; None = unchanged, "back" = resumed)
TRANSITIONS = {
    "accept": (Action.ACCEPT, {Status.SUBMITTED}, Status.IN_REVIEW),
    "accept_with_deficiency": (Action.ACCEPT_WITH_DEFICIENCY, {Status.SUBMITTED}, Status.IN_REVIEW),
    "request_correction": (Action.REQUEST_CORRECTION, {Status.SUBMITTED}, Status.CORRECTION_REQUIRED),
    "supplement": (Action.SUPPLEMENT, {Status.CORRECTION_REQUIRED}, Status.SUBMITTED),
    "reject": (Action.REJECT, {Status.SUBMITTED}, Status.REJECTED),
    "complete_instantly": (Action.COMPLETE_INSTANTLY, {Status.SUBMITTED}, Status.DELIVERED),
    "approve": (Action.APPROVE_TASK, {Status.IN_REVIEW}, Status.IN_REVIEW),
    "return": (Action.RETURN, {Status.IN_REVIEW}, Status.RETURNED),
    "deny": (Action.DECIDE, {Status.IN_REVIEW}, Status.DECIDED),
    "resend": (Action.RESEND, {Status.RETURNED}, Status.IN_REVIEW),
    "suspend": (Action.SUSPEND, {Status.IN_REVIEW, Status.RETURNED}, Status.SUSPENDED),
    "resume": (Action.RESUME, {Status.SUSPENDED}, "back"),
    "extend": (Action.EXTEND, {Status.IN_REVIEW, Status.RETURNED, Status.SUSPENDED}, None),
    "decide": (Action.DECIDE, {Status.IN_REVIEW}, Status.DECIDED),
    "receive_deficient": (None, set(Status.values) - flow.TERMINAL, None),
    "deliver": (Action.DELIVER, {Status.DECIDED}, Status.DELIVERED),
    "withdraw": (Action.WITHDRAW, {Status.SUBMITTED, Status.CORRECTION_REQUIRED}, Status.WITHDRAWN),
    "revoke": (Action.REVOKE, {Status.IN_REVIEW, Status.RETURNED, Status.SUSPENDED}, Status.REVOKED),
    "terminate": (Action.TERMINATE, {Status.IN_REVIEW, Status.RETURNED, Status.SUSPENDED, Status.DECIDED}, "terminated"),
}

# name → the timeline rows (action, step code) one success adds; decide's code depends on 容缺 (below).
STEPS = {
    "accept": [(Action.ACCEPT, Step.WINDOW_ACCEPTED), (Action.ROUTE, Step.DEPARTMENT_ACCEPTED)],
    "accept_with_deficiency": [
        (Action.ACCEPT_WITH_DEFICIENCY, Step.WINDOW_ACCEPTED),
        (Action.ROUTE, Step.DEPARTMENT_ACCEPTED),
    ],
    "request_correction": [(Action.REQUEST_CORRECTION, Step.CORRECTION_STARTED)],
    "supplement": [(Action.SUPPLEMENT, Step.CORRECTION_ENDED)],
    "reject": [(Action.REJECT, Step.REJECTED)],
    "complete_instantly": [(Action.ACCEPT, Step.WINDOW_ACCEPTED), (Action.COMPLETE_INSTANTLY, Step.APPROVED)],
    "approve": [(Action.APPROVE_TASK, None)],
    "return": [(Action.RETURN, None)],
    "deny": [(Action.DECIDE, Step.DENIED)],
    "resend": [(Action.RESEND, None)],
    "suspend": [(Action.SUSPEND, Step.SPECIAL_STARTED)],
    "resume": [(Action.RESUME, Step.SPECIAL_ENDED)],
    "extend": [(Action.EXTEND, None)],
    "receive_deficient": [(Action.SUPPLEMENT, None)],
    "deliver": [(Action.DELIVER, None)],
    "withdraw": [(Action.WITHDRAW, Step.WITHDRAWN)],
    "revoke": [(Action.REVOKE, Step.REVOKED)],
    "terminate": [(Action.TERMINATE, None)],
}


@dataclass(frozen=True)
class Snap:
    """Everything an action may change on one case (plus the audit log's length)."""

    status: str
    deadline: date | None
    suspended_from: str
    suspended_on: date | None
    suspended_days: int
    extended_days: int
    deficiency_due: date | None
    decision: str
    steps: tuple
    tasks: tuple
    materials: tuple
    notices: int
    audit_events: int

    @property
    def deficient(self) -> bool:
        return any(state == MaterialState.DEFICIENT for _, state in self.materials)


def snap(pk) -> Snap:
    case = Case.objects.get(pk=pk)
    return Snap(
        status=case.status,
        deadline=case.deadline,
        suspended_from=case.suspended_from,
        suspended_on=case.suspended_on,
        suspended_days=case.suspended_days,
        extended_days=case.extended_days,
        deficiency_due=case.deficiency_due,
        decision=case.decision,
        steps=tuple(case.steps.order_by("pk").values_list("action", "step_code")),
        tasks=tuple(case.tasks.order_by("pk").values_list("pk", "status", "due_on")),
        materials=tuple(case.materials.order_by("position").values_list("position", "state")),
        notices=case.notices.count(),
        audit_events=AuditEvent.objects.count(),
    )


class CaseFlowMachine(RuleBasedStateMachine):
    """Set up by `machine_for`: world, clock, the two items and the actors as class attributes."""

    world = clock = promised_item = instant_item = None
    actors: dict = {}
    cases = Bundle("cases")

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

    def act(self, pk, name, call, *, permitted=True, **facts) -> bool:
        before = snap(pk)
        try:
            call()
        except DomainError:
            assert snap(pk) == before, f"{name} was refused but changed the case"
            return False
        after = snap(pk)
        assert permitted, f"{name} succeeded for an actor who may not do it"
        self.check_success(name, before, after, **facts)
        return True

    def check_success(self, name, before: Snap, after: Snap, *, days=None):
        assert before.status not in flow.TERMINAL, f"{name} changed a {before.status} case"
        action, sources, target = TRANSITIONS[name]
        assert before.status in sources, f"{name} succeeded from {before.status}"
        if action is not None:
            assert before.status in flow.ALLOWED_FROM[action]
        expected = {None: before.status, "back": before.suspended_from, "terminated": Status.TERMINATED}.get(
            target, target
        )
        assert after.status == expected, f"{name}: {before.status} → {after.status}, expected {expected}"

        added = list(after.steps[len(before.steps) :])
        assert list(after.steps[: len(before.steps)]) == list(before.steps), "the timeline was rewritten"
        wanted = STEPS[name]
        if name == "decide":
            wanted = [(Action.DECIDE, Step.APPROVED_WITH_DEFICIENCY if before.deficient else Step.APPROVED)]
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

    # --- the actions -------------------------------------------------------------------------------------------

    def actor(self, key):
        return SYSTEM if key == "system" else self.actors[key]

    def case(self, pk):
        return Case.objects.get(pk=pk)

    @precondition(lambda self: len(self.pks) < MAX_CASES)
    @rule(
        target=cases,
        instant=st.booleans(),
        first=st.sampled_from([MaterialState.RECEIVED] * 3 + [MaterialState.MISSING]),
        third=st.sampled_from([MaterialState.RECEIVED, MaterialState.MISSING, MaterialState.DEFICIENT]),
        by=st.sampled_from(["clerk", "director"]),
    )
    def intake(self, instant, first, third, by):
        item = self.instant_item if instant else self.promised_item
        marks = {1: first, 2: MaterialState.RECEIVED, 3: third}
        case = receive(self.world, item, actor=self.actor(by), materials=marks, applicant=PERSON)
        assert case.status == Status.SUBMITTED and snap(case.pk).steps == ((Action.SUBMIT.value, Step.RECEIVED.value),)
        self.pks.append(case.pk)
        return case.pk

    @rule(pk=cases, by=st.sampled_from(["clerk", "director", "output", "b_clerk"]))
    def accept(self, pk, by):
        call = lambda: acceptance.case_accept(actor=self.actor(by), case=self.case(pk))  # noqa: E731
        self.act(pk, "accept", call, permitted=by in FRONT_DESK)

    @rule(pk=cases, deficient=st.lists(st.sampled_from([1, 2, 3]), min_size=1, max_size=2, unique=True),
          due_in=st.integers(-1, 25), by=st.sampled_from(["clerk", "output"]))  # fmt: skip
    def accept_with_deficiency(self, pk, deficient, due_in, by):
        due = self.clock.day + timedelta(days=due_in)
        call = lambda: acceptance.case_accept_with_deficiency(  # noqa: E731
            actor=self.actor(by), case=self.case(pk), deficient=deficient, due=due
        )
        self.act(pk, "accept_with_deficiency", call, permitted=by in FRONT_DESK)

    @rule(pk=cases, problems=st.dictionaries(st.sampled_from([1, 2, 3]), st.sampled_from(["复印件不清晰", "缺少签字"]),
          max_size=2), by=st.sampled_from(["clerk", "b_clerk"]))  # fmt: skip
    def request_correction(self, pk, problems, by):
        call = lambda: acceptance.case_request_correction(actor=self.actor(by), case=self.case(pk), problems=problems)  # noqa: E731
        self.act(pk, "request_correction", call, permitted=by in FRONT_DESK)

    @rule(pk=cases, received=st.lists(st.sampled_from([1, 2, 3, 4]), max_size=3, unique=True),
          by=st.sampled_from(["clerk", "output", "b_clerk"]))  # fmt: skip
    def supplement(self, pk, received, by):
        call = lambda: acceptance.case_supplement(actor=self.actor(by), case=self.case(pk), received=received)  # noqa: E731
        self.act(pk, "supplement", call, permitted=by != "b_clerk")

    @rule(pk=cases, by=st.sampled_from(["clerk", "coordinator"]))
    def reject(self, pk, by):
        call = lambda: acceptance.case_reject(actor=self.actor(by), case=self.case(pk), reason="不属于本中心受理范围")  # noqa: E731
        self.act(pk, "reject", call, permitted=by in FRONT_DESK)

    @rule(pk=cases, by=st.sampled_from(["clerk", "output"]))
    def complete_instantly(self, pk, by):
        call = lambda: acceptance.case_complete_instantly(  # noqa: E731
            actor=self.actor(by), case=self.case(pk), certificate_number="JB-001"
        )
        self.act(pk, "complete_instantly", call, permitted=by in FRONT_DESK)

    def review(self, pk, name, index, who, call_for):
        tasks = list(ReviewTask.objects.filter(case_id=pk).select_related("department").order_by("pk"))
        if not tasks:
            return
        task = tasks[index % len(tasks)]
        right = {"social": "social", "labour": "labour"}[task.department.code]
        by = right if who == "right" else who
        self.act(pk, name, lambda: call_for(self.actor(by), task), permitted=by == right)

    @rule(pk=cases, index=st.integers(0, 7), who=st.sampled_from(["right", "right", "social", "labour", "b_social"]))
    def approve(self, pk, index, who):
        self.review(pk, "approve", index, who, lambda actor, task: review.task_approve(actor=actor, task=task))

    @rule(pk=cases, index=st.integers(0, 7), who=st.sampled_from(["right", "labour", "b_social"]))
    def return_task(self, pk, index, who):
        call = lambda actor, task: review.task_return(actor=actor, task=task, reason="缺少银行流水")  # noqa: E731
        self.review(pk, "return", index, who, call)

    @rule(pk=cases, index=st.integers(0, 7), who=st.sampled_from(["right", "social", "b_social"]))
    def deny(self, pk, index, who):
        call = lambda actor, task: review.task_deny(actor=actor, task=task, opinion="收入高于标准")  # noqa: E731
        self.review(pk, "deny", index, who, call)

    @rule(pk=cases, by=st.sampled_from(["clerk", "output"]))
    def resend(self, pk, by):
        call = lambda: review.case_resend(actor=self.actor(by), case=self.case(pk), note="已补齐")  # noqa: E731
        self.act(pk, "resend", call, permitted=by in FRONT_DESK)

    @rule(pk=cases, by=st.sampled_from(["coordinator", "director", "labour", "clerk"]))
    def decide(self, pk, by):
        call = lambda: review.case_decide(actor=self.actor(by), case=self.case(pk), certificate_number="DB-001")  # noqa: E731
        # labour reviews the last (joint) stage; the front clerk may not decide.
        self.act(pk, "decide", call, permitted=by in {"coordinator", "director", "labour"})

    @rule(pk=cases, expected=st.integers(1, 10), by=st.sampled_from(["social", "director", "output"]))
    def suspend(self, pk, expected, by):
        call = lambda: suspension.case_suspend(  # noqa: E731
            actor=self.actor(by), case=self.case(pk), procedure="公示", reason="低保对象公示", expected_days=expected
        )
        self.act(pk, "suspend", call, permitted=by in SUSPENDERS)

    @rule(pk=cases, days=st.integers(0, 8), by=st.sampled_from(["coordinator", "clerk", "output"]))
    def resume(self, pk, days, by):
        self.advance(days)
        call = lambda: suspension.case_resume(actor=self.actor(by), case=self.case(pk), result="公示无异议")  # noqa: E731
        self.act(pk, "resume", call, permitted=by in SUSPENDERS)

    @rule(pk=cases, days=st.integers(1, 8), by=st.sampled_from(["director", "director", "coordinator"]))
    def extend(self, pk, days, by):
        call = lambda: suspension.case_extend(actor=self.actor(by), case=self.case(pk), days=days, reason="补充调查")  # noqa: E731
        self.act(pk, "extend", call, permitted=by == "director", days=days)

    @rule(pk=cases, by=st.sampled_from(["output", "social"]))
    def receive_deficient(self, pk, by):
        call = lambda: output.case_receive_deficient(actor=self.actor(by), case=self.case(pk), positions=[3])  # noqa: E731
        self.act(pk, "receive_deficient", call, permitted=by in STAFF)

    @rule(pk=cases, method=st.sampled_from(["pickup", "mail", "electronic"]), by=st.sampled_from(["output", "social"]))
    def deliver(self, pk, method, by):
        call = lambda: output.case_deliver(  # noqa: E731
            actor=self.actor(by),
            case=self.case(pk),
            method=method,
            recipient_name="张桂英",
            identity_checked=True,
            tracking_number="1187654321098",
        )
        self.act(pk, "deliver", call, permitted=by in {"output", "clerk", "director"})

    @rule(pk=cases, by=st.sampled_from(["clerk", "b_clerk"]))
    def withdraw(self, pk, by):
        call = lambda: output.case_withdraw(actor=self.actor(by), case=self.case(pk), reason="申请人主动撤回")  # noqa: E731
        self.act(pk, "withdraw", call, permitted=by != "b_clerk")

    @rule(pk=cases, by=st.sampled_from(["clerk", "social"]))
    def revoke(self, pk, by):
        call = lambda: output.case_revoke(actor=self.actor(by), case=self.case(pk), reason="申请人书面申请撤销")  # noqa: E731
        self.act(pk, "revoke", call, permitted=by in STAFF)

    @rule(pk=cases)
    def terminate(self, pk):
        call = lambda: output.case_terminate_overdue_deficiency(actor=SYSTEM, case=self.case(pk))  # noqa: E731
        self.act(pk, "terminate", call)

    @rule(days=st.integers(1, 6))
    def advance(self, days):
        self.clock.day = min(LAST_DAY, self.clock.day + timedelta(days=days))


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
            world, code="370829-JB-001", name="临时救助金领取确认", handling_type="instant", promised_limit_days=0, stages=[]
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
            stateful_step_count=25,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
    assert all(report.ok for report in verify_chains())
