"""One generated case's life, simulated up to now, and the rows the services would have written for it.

The plan is a list of timed events (ticks: working-day index * 1440 + minute of the day, Asia/Shanghai);
replaying those at or before now gives the status, the dates, the materials' and tasks' states, the timeline
and the notices — the same transitions flow.ALLOWED_FROM permits, with the services' step codes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.cases_world import Offer, TownStaff

OPEN, CLOSE = 8 * 60 + 30, 17 * 60 + 30  # office hours
SYSTEM = (None, "系统")
ONLINE = (None, "山东政务服务网")
# A promised case's chances (the rest are accepted and reviewed to the end).
P_WITHDRAW, P_REJECT, P_CORRECTION = 0.015, 0.02, 0.08
P_NEVER_SUPPLEMENTED, P_DEFICIENCY, P_DEFICIENCY_MISSED = 0.05, 0.15, 0.08
P_SUSPEND, P_RETURN, P_REVOKE, P_SLOW, P_STUCK, P_DENY = 0.03, 0.03, 0.003, 0.03, 0.002, 0.03
P_NEVER_PICKED = 0.004
CLOCK_RUNNING = {"accepted", "in_review", "returned"}
TERMINABLE = CLOCK_RUNNING | {"suspended", "decided"}


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Life:
    MATERIAL_COLUMNS = (
        "case_id", "guide_material_id", "position", "name", "required", "deficiency_allowed", "state", "problem",
        "received_at",
    )  # fmt: skip
    TASK_COLUMNS = (
        "case_id", "stage_position", "stage_name", "round", "department_id", "assignee_id", "status", "limit_days",
        "started_on", "due_on", "opinion", "decided_by_id", "decided_at", "created_at",
    )  # fmt: skip
    STEP_COLUMNS = (
        "case_id", "action", "step_code", "status_after", "actor_id", "actor_name", "department_id", "opinion",
        "data", "at",
    )  # fmt: skip
    NOTICE_COLUMNS = ("case_id", "kind", "content", "issued_by_id", "issued_at")

    def __init__(self, clock, rng, case_id, staff: TownStaff, offer: Offer, channel, seq, day_index, person):
        self.clock, self.rng, self.id, self.staff, self.offer, self.person = clock, rng, case_id, staff, offer, person
        if channel == "agent" and staff.agent is None:
            channel = "window"
        self.channel = channel
        self.number = f"{staff.code[:9]}{clock.days[day_index]:%Y%m%d}{seq:04d}"
        self.t0 = day_index * 1440 + OPEN + rng.randrange(480)
        self.intake = ONLINE if channel == "online" else (staff.agent[:2] if channel == "agent" else staff.front)
        self.village = (
            staff.agent[2] if channel == "agent" else (rng.choice(staff.villages) if rng.random() < 0.3 else None)
        )
        self.status, self.updated, self.ended = "submitted", self.t0, False
        self.plan, self.steps, self.notices, self.tasks = [], [], [], []
        self.f = dict.fromkeys(("accepted_at", "deadline", "suspended_on", "deficiency_due", "decided_at"))
        self.f |= dict.fromkeys(("delivered_at", "delivered_by", "closed_at", "contact_clerk"))
        self.f |= {"suspended_from": "", "suspended_days": 0, "decision": "", "decision_opinion": ""}
        self.f |= {"certificate_number": "", "delivery_method": "", "tracking_number": "", "recipient_name": ""}
        self.deadline_index = None
        received = clock.at(self.t0)
        self.materials = [
            [gm, pos, name, req, dfc, "received" if req or rng.random() < 0.5 else "not_applicable", "", None]
            for gm, pos, name, req, dfc in offer.materials
        ]
        for m in self.materials:
            m[7] = received if m[5] == "received" else None

    # --- planning -----------------------------------------------------------------------------------------

    def later(self, t: int, days: int) -> int:
        if days == 0:
            minute = t % 1440 + self.rng.randint(3, 40)
            if minute < CLOSE:
                return t - t % 1440 + minute
            days = 1
        return (t // 1440 + days) * 1440 + OPEN + self.rng.randrange(480)

    def on(self, t: int, fn, *args) -> None:
        self.plan.append((t, len(self.plan), fn, args))

    def run(self) -> None:
        self.step(self.t0, "submit", 1, "submitted", self.intake, data={"channel": self.channel})
        (self._plan_instant if self.offer.instant else self._plan_promised)()
        now = self.clock.now
        for t, _, fn, args in sorted(self.plan, key=lambda e: e[:2]):
            if t > now or self.ended:
                break
            fn(t, *args)

    def _plan_instant(self) -> None:
        r, t = self.rng.random(), self.later(self.t0, 0)
        self.on(t, self.reject if r < 0.02 else self.withdraw if r < 0.03 else self.complete_instantly)

    def _plan_promised(self) -> None:
        rng, offer = self.rng, self.offer
        wait = rng.choice((1, 1, 2)) if self.channel == "online" else 0  # 网上预审
        r, t = rng.random(), self.later(self.t0, wait)
        if r < P_WITHDRAW:
            return self.on(self.later(self.t0, rng.randint(0, 3)), self.withdraw)
        if r < P_WITHDRAW + P_REJECT:
            return self.on(t, self.reject)
        required = [m[1] for m in self.materials if m[3]]
        if r < P_WITHDRAW + P_REJECT + P_CORRECTION and required:
            position = rng.choice(required)
            self.on(t, self.request_correction, position)
            if rng.random() < P_NEVER_SUPPLEMENTED:
                return None
            t = self.later(t, rng.randint(1, 5))
            self.on(t, self.supplement, position)
            t = self.later(t, 0)
        deficient = rng.choice(offer.deficient) if offer.deficient and rng.random() < P_DEFICIENCY else None
        accepted = t
        self.on(t, self.accept, deficient)
        self.on(t + 1, self.route)
        t, decided = self._plan_review(t + 1)
        if t is None:
            return None
        ready = decided
        if deficient is not None:
            due = accepted // 1440 + min(5, offer.promised)
            if rng.random() < P_DEFICIENCY_MISSED:
                return self.on((due + 1) * 1440 + 60, self.terminate)  # the night sweep after the due day
            got = self.later(accepted, rng.randint(1, due - accepted // 1440))
            self.on(got, self.receive_deficient, deficient)
            ready = max(ready, got)
        if rng.random() >= P_NEVER_PICKED:
            self.on(self.later(ready, rng.randint(0, 5)), self.deliver)
        return None

    def _plan_review(self, t: int) -> tuple[int | None, int | None]:
        rng, stages = self.rng, self.offer.stages
        slow = rng.random() < P_SLOW
        stuck = rng.randrange(len(stages)) if rng.random() < P_STUCK else None
        round_no, i, suspended, resent = 1, 0, False, False
        while i < len(stages):
            _pos, _name, limit, departments, _names = stages[i]
            if i > 0 and not resent:
                self.on(t, self.start_stage, round_no, i)
            resent = False
            if not suspended and rng.random() < P_SUSPEND:
                suspended, days = True, rng.randint(3, 15)
                start = self.later(t, 1)
                t = self.later(start, days)
                self.on(start, self.suspend, days)
                self.on(t, self.resume, days)
            if round_no == 1 and rng.random() < P_RETURN:
                back = self.later(t, rng.randint(1, 3))
                self.on(back, self.return_task, round_no, i)
                t, round_no, resent = self.later(back, rng.randint(1, 2)), round_no + 1, True
                self.on(t, self.resend, round_no, i)
                continue
            if rng.random() < P_REVOKE:
                self.on(self.later(t, rng.randint(1, 3)), self.revoke)
                return None, None
            if stuck == i:
                return None, None
            t = self.later(t, rng.randint(limit + 1, limit + 10) if slow else rng.randint(1, max(1, limit)))
            if i == len(stages) - 1 and rng.random() < P_DENY:
                self.on(t, self.deny, round_no, i)
                return t, t
            for k in range(len(departments)):
                self.on(t, self.approve, round_no, i, k)
                t = self.later(t, 0)
            i += 1
        t = self.later(t, rng.choice((0, 0, 1)))
        self.on(t, self.decide)
        return t, t

    # --- what each event writes ---------------------------------------------------------------------------

    def step(self, t, action, code, status, actor, *, dept=None, opinion="", data=None) -> None:
        self.status, self.updated = status, t
        at = self.clock.at(t)
        self.steps.append((self.id, action, code, status, actor[0], actor[1], dept, opinion, dumps(data or {}), at))
        if status in ("delivered", "rejected", "withdrawn", "revoked", "terminated"):
            self.f["closed_at"] = at

    def notice(self, t, kind, issuer, **content) -> None:
        base = {"center": self.staff.center_name, "number": self.number, "item": self.offer.name}
        base |= {"applicant": self.person[1], "date": self.clock.day(t).isoformat(), **content}
        self.notices.append((self.id, kind, dumps(base), issuer[0], self.clock.at(t)))

    def _reviewer(self, i, k) -> tuple:
        _pos, _name, _limit, departments, names = self.offer.stages[i]
        return self.staff.reviewers.get(departments[k]) or (None, f"{names[k]}经办人")

    def _new_round(self, t, round_no, first) -> None:
        for i, (pos, name, limit, departments, _names) in enumerate(self.offer.stages):
            for department in departments if i >= first else ():
                self.tasks.append([pos, name, round_no, department, "waiting", limit, None, None, "", None, None, t, i])
        self.start_stage(t, round_no, first)

    def start_stage(self, t, round_no, i) -> None:
        due = min(t // 1440 + self.offer.stages[i][2], self.deadline_index)
        for task in self.tasks:
            if task[2] == round_no and task[12] == i:
                task[4], task[6], task[7] = "pending", t // 1440, due

    def _close_task(self, t, round_no, i, k, status, opinion) -> None:
        department = self.offer.stages[i][3][k]
        for task in self.tasks:
            if task[2] == round_no and task[12] == i and task[3] == department:
                task[4], task[8], task[9], task[10] = status, opinion, self._reviewer(i, k)[0], self.clock.at(t)

    def _cancel_open(self) -> None:
        for task in self.tasks:
            if task[4] in ("pending", "waiting"):
                task[4] = "cancelled"

    def accept(self, t, deficient) -> None:
        day, front = t // 1440, self.staff.front
        self.deadline_index = day + self.offer.promised
        self.f |= {
            "accepted_at": self.clock.at(t),
            "contact_clerk": front[0],
            "deadline": self.clock.days[self.deadline_index],
        }
        content = {"deadline": self.f["deadline"].isoformat()}
        if deficient is None:
            self.step(t, "accept", 3, "accepted", front)
            self.notice(t, "acceptance", front, **content, promised_days=self.offer.promised, contact_clerk=front[1])
            return
        material = next(m for m in self.materials if m[1] == deficient)
        material[5], material[7] = "deficient", None
        due = self.clock.days[day + min(5, self.offer.promised)]
        self.f["deficiency_due"] = due
        data = {"deficient": [material[2]], "due": due.isoformat()}
        self.step(t, "accept_with_deficiency", 3, "accepted", front, data=data)
        self.notice(t, "deficiency", front, **content, **data)
        self.notice(t, "pledge", front, **content, **data)

    def route(self, t) -> None:
        self._new_round(t, 1, 0)
        _pos, name, _limit, departments, names = self.offer.stages[0]
        data = {"stage": name, "departments": "、".join(names), "joint": len(departments) > 1}
        self.step(t, "route", 8, "in_review", self.staff.front, data=data)

    def suspend(self, t, days) -> None:
        self.f |= {"suspended_from": self.status, "suspended_on": self.clock.day(t)}
        self.step(
            t,
            "suspend",
            9,
            "suspended",
            self.staff.front,
            opinion="需公示",
            data={"procedure": "公示", "expected_days": days},
        )

    def resume(self, t, days) -> None:
        back = self.f["suspended_from"]
        self.f |= {"suspended_from": "", "suspended_on": None, "suspended_days": self.f["suspended_days"] + days}
        self.deadline_index += days
        self.f["deadline"] = self.clock.days[self.deadline_index]
        for task in self.tasks:
            if task[4] == "pending" and task[7] is not None:
                task[7] += days
        self.step(t, "resume", 10, back, self.staff.front, data={"paused_working_days": days})

    def return_task(self, t, round_no, i) -> None:
        self._close_task(t, round_no, i, 0, "returned", "材料需补充说明")
        self._cancel_open()
        reviewer, dept = self._reviewer(i, 0), self.offer.stages[i][3][0]
        data = {"stage_position": self.offer.stages[i][0]}
        self.step(t, "return", None, "returned", reviewer, dept=dept, opinion="材料需补充说明", data=data)

    def resend(self, t, round_no, i) -> None:
        self.step(t, "resend", None, "in_review", self.staff.front)
        self._new_round(t, round_no, i)

    def approve(self, t, round_no, i, k) -> None:
        self._close_task(t, round_no, i, k, "approved", "同意")
        stage = self.offer.stages[i]
        self.step(t, "approve_task", None, self.status, self._reviewer(i, k), dept=stage[3][k], opinion="同意",
                  data={"stage": stage[1]})  # fmt: skip

    def _decide(self, t, decision, code, actor, dept, opinion) -> None:
        certificate = f"JX{self.clock.day(t):%Y}{self.id:08d}" if decision == "approved" else ""
        self.f |= {"decision": decision, "decided_at": self.clock.at(t), "decision_opinion": opinion}
        self.f["certificate_number"] = certificate
        self.step(t, "decide", code, "decided", actor, dept=dept, opinion=opinion)
        label = "准予" if decision == "approved" else "不予"
        self.notice(t, "decision", actor, decision=label, opinion=opinion, certificate_number=certificate,
                    result=self.offer.result)  # fmt: skip

    def deny(self, t, round_no, i) -> None:
        self._close_task(t, round_no, i, 0, "denied", "不符合申请条件")
        self._cancel_open()
        self._decide(t, "denied", 13, self._reviewer(i, 0), self.offer.stages[i][3][0], "不符合申请条件")

    def decide(self, t) -> None:
        code = 12 if any(m[5] == "deficient" for m in self.materials) else 11
        i = len(self.offer.stages) - 1
        self._decide(t, "approved", code, self._reviewer(i, 0), self.offer.stages[i][3][0], "")

    def receive_deficient(self, t, position) -> None:
        material = next(m for m in self.materials if m[1] == position)
        material[5], material[7] = "received", self.clock.at(t)
        self.step(
            t,
            "supplement",
            None,
            self.status,
            self.staff.front,
            opinion="容缺材料已补交",
            data={"received": [material[2]]},
        )

    def terminate(self, t) -> None:
        if self.status not in TERMINABLE:
            return
        self._cancel_open()
        names = [m[2] for m in self.materials if m[5] == "deficient"]
        self.step(t, "terminate", None, "terminated", SYSTEM, opinion=f"容缺材料逾期未补交：{'、'.join(names)}")
        self.notice(t, "termination", SYSTEM, due=self.f["deficiency_due"].isoformat(), materials=names)
        self.ended = True

    def deliver(self, t) -> None:
        r, output = self.rng.random(), self.staff.output
        method = "pickup" if r < 0.8 else "mail" if r < 0.95 else "electronic"
        tracking = f"11{self.id:011d}" if method == "mail" else ""
        recipient = self.person[1] if method == "pickup" else ""
        self.f |= {"delivery_method": method, "delivered_at": self.clock.at(t), "delivered_by": output[0]}
        self.f |= {"recipient_name": recipient, "tracking_number": tracking}
        self.step(t, "deliver", None, "delivered", output, data={"method": method})
        self.notice(t, "delivery_receipt", output, method=method, recipient=recipient, tracking_number=tracking,
                    certificate_number=self.f["certificate_number"], result=self.offer.result)  # fmt: skip

    def withdraw(self, t) -> None:
        self.step(t, "withdraw", 14, "withdrawn", self.staff.front, opinion="申请人申请撤回")

    def reject(self, t) -> None:
        self.step(t, "reject", 5, "rejected", self.staff.front, opinion="不属于本事项受理范围")
        self.notice(
            t, "rejection", self.staff.front, reason="不属于本事项受理范围", remedy="依法申请行政复议或提起行政诉讼"
        )

    def revoke(self, t) -> None:
        self._cancel_open()
        self.step(t, "revoke", 15, "revoked", self.staff.front, opinion="申请人申请撤销")

    def request_correction(self, t, position) -> None:
        material = next(m for m in self.materials if m[1] == position)
        material[5], material[6], material[7] = "missing", "复印件不清晰，请重新提供", None
        items = [{"name": material[2], "problem": material[6]}]
        self.step(t, "request_correction", 6, "correction_required", self.staff.front, data={"materials": items})
        self.notice(t, "correction", self.staff.front, materials=items, note="")

    def supplement(self, t, position) -> None:
        material = next(m for m in self.materials if m[1] == position)
        material[5], material[6], material[7] = "received", "", self.clock.at(t)
        self.step(t, "supplement", 7, "submitted", self.intake, data={"received": [material[2]]})

    def complete_instantly(self, t) -> None:
        front, at = self.staff.front, self.clock.at(t)
        self.f |= {"accepted_at": at, "contact_clerk": front[0], "deadline": self.clock.day(t)}
        self.f |= {"decision": "approved", "decided_at": at, "delivery_method": "pickup", "delivered_at": at}
        self.step(t, "accept", 3, "accepted", front)
        self.step(t, "complete_instantly", 11, "delivered", front)
        self.notice(t, "delivery_receipt", front, method="窗口领取", certificate_number="", result=self.offer.result)

    # --- rows ---------------------------------------------------------------------------------------------

    def case_row(self, code) -> tuple:
        f, staff, offer, person = self.f, self.staff, self.offer, self.person
        at = self.clock.at
        created_by = self.intake[0]
        return (
            self.id, self.number, code[0], code[1], offer.item_id, offer.guide_id, staff.town_id, staff.center_id,
            self.village, person[0], person[1], person[2], person[3], person[1][:50], person[4], person[5],
            "", "", self.channel, self.intake[0] if self.channel == "agent" else None, created_by,
            f["contact_clerk"], None, self.status, f["suspended_from"], at(self.t0), f["accepted_at"], f["deadline"],
            f["suspended_on"], f["suspended_days"], 0, f["deficiency_due"], f["decision"], f["decided_at"],
            f["decision_opinion"], f["certificate_number"], f["delivery_method"], f["tracking_number"],
            f["delivered_at"], f["delivered_by"], f["recipient_name"], f["closed_at"], at(self.t0), at(self.updated),
        )  # fmt: skip

    def children(self) -> dict:
        days, case_id = self.clock.days, self.id
        tasks = [
            (case_id, *task[:4], None, task[4], task[5], None if task[6] is None else days[task[6]],
             None if task[7] is None else days[task[7]], task[8], task[9], task[10], self.clock.at(task[11]))
            for task in self.tasks
        ]  # fmt: skip
        return {
            "materials": [(case_id, *m) for m in self.materials],
            "tasks": tasks,
            "steps": self.steps,
            "notices": self.notices,
        }
