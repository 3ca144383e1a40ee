"""The case flow as the property test (test_case_flow_properties.py) expects it, written down independently of
the services: who may take each action, which status it starts from and leads to, which timeline rows it adds."""

from dataclasses import dataclass
from datetime import date

from onewindow.audit.models import AuditEvent
from onewindow.cases import flow
from onewindow.cases.flow import Action, Status, Step
from onewindow.cases.models import Case, MaterialState
from onewindow.cases.services import acceptance, output, review, suspension

FRONT_DESK = {"clerk", "director"}
SUSPENDERS = {"clerk", "director", "coordinator", "social", "labour"}
STAFF = {"clerk", "director", "coordinator", "output"}
EVERYONE_OF_TOWN_A = {"clerk", "director", "coordinator", "output", "social", "labour", "system"}
# action → who may take it (in town A). Review tasks: only a reviewer of the task's department.
MAY = {
    **dict.fromkeys(["accept", "accept_with_deficiency", "request_correction", "reject"], FRONT_DESK),
    **dict.fromkeys(["complete_instantly", "resend"], FRONT_DESK),
    "supplement": EVERYONE_OF_TOWN_A,
    "withdraw": EVERYONE_OF_TOWN_A,
    "decide": {"coordinator", "director", "social", "labour"},  # social and labour review the last stage
    "suspend": SUSPENDERS,
    "resume": SUSPENDERS,
    "extend": {"director"},
    "receive_deficient": STAFF,
    "deliver": {"output", "clerk", "director"},
    "revoke": STAFF,
    "terminate": {"system"},
}
# action → the service call, given the actor and the case (or the review task).
CALLS = {
    "accept": lambda actor, case: acceptance.case_accept(actor=actor, case=case),
    "accept_with_deficiency": lambda actor, case, **kw: acceptance.case_accept_with_deficiency(
        actor=actor, case=case, **kw
    ),
    "request_correction": lambda actor, case, **kw: acceptance.case_request_correction(actor=actor, case=case, **kw),
    "supplement": lambda actor, case, **kw: acceptance.case_supplement(actor=actor, case=case, **kw),
    "reject": lambda actor, case: acceptance.case_reject(actor=actor, case=case, reason="不属于本中心受理范围"),
    "complete_instantly": lambda actor, case: acceptance.case_complete_instantly(
        actor=actor, case=case, certificate_number="JB-001"
    ),
    "approve": lambda actor, task: review.task_approve(actor=actor, task=task),
    "return": lambda actor, task: review.task_return(actor=actor, task=task, reason="缺少银行流水"),
    "deny": lambda actor, task: review.task_deny(actor=actor, task=task, opinion="收入高于标准"),
    "resend": lambda actor, case: review.case_resend(actor=actor, case=case, note="已补齐"),
    "decide": lambda actor, case: review.case_decide(actor=actor, case=case, certificate_number="DB-001"),
    "suspend": lambda actor, case, **kw: suspension.case_suspend(
        actor=actor, case=case, procedure="公示", reason="低保对象公示", **kw
    ),
    "resume": lambda actor, case: suspension.case_resume(actor=actor, case=case, result="公示无异议"),
    "extend": lambda actor, case, **kw: suspension.case_extend(actor=actor, case=case, reason="补充调查", **kw),
    "receive_deficient": lambda actor, case: output.case_receive_deficient(actor=actor, case=case, positions=[3]),
    "deliver": lambda actor, case, **kw: output.case_deliver(
        actor=actor, case=case, recipient_name="张桂英", identity_checked=True, tracking_number="1187654321098", **kw
    ),
    "withdraw": lambda actor, case: output.case_withdraw(actor=actor, case=case, reason="申请人主动撤回"),
    "revoke": lambda actor, case: output.case_revoke(actor=actor, case=case, reason="申请人书面申请撤销"),
    "terminate": lambda actor, case: output.case_terminate_overdue_deficiency(actor=actor, case=case),
}


def right_reviewer(task) -> str:
    return {"social": "social", "labour": "labour"}[task.department.code]


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
    "terminate": (
        Action.TERMINATE,
        {Status.IN_REVIEW, Status.RETURNED, Status.SUSPENDED, Status.DECIDED},
        Status.TERMINATED,
    ),
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
