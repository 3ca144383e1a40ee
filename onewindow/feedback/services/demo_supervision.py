"""The feedback demo's supervision side (see services/demo.py): the output window's follow-up calls, complaints
through the GB/T 36113 steps, the staff's own ledger lines and the county's micro-innovation proposals."""

from __future__ import annotations

import itertools
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.utils import timezone

from onewindow.audit.services import PUBLIC
from onewindow.cases.demo_cases import NAMES
from onewindow.cases.flow import Status
from onewindow.cases.models import Case
from onewindow.cases.services.demo import working_days_before
from onewindow.catalog.selectors import public_items
from onewindow.core.roles import Role
from onewindow.feedback import demo_texts as texts
from onewindow.feedback.models import FollowUp, ProblemEntry, ProblemStatus
from onewindow.feedback.services import complaints, followups, ledger, proposals
from onewindow.org import demo_data
from onewindow.org.models import Department, User

if TYPE_CHECKING:
    from onewindow.feedback.services.demo import DemoTown, Timeline

# Complaint stories per town: (status reached, received this many working days before today).
SEAT_COMPLAINTS = (
    ("reviewed", 24),
    ("reviewed", 16),
    ("closed", 11),
    ("overdue", 9),
    ("replied", 6),
    ("handling", 2),
    ("accepted", 0),
)
SHOWCASE_COMPLAINTS = (("reviewed", 20), ("closed", 12), ("replied", 5), ("handling", 2), ("accepted", 1))
TOWN_COMPLAINTS = (("reviewed", 8), ("handling", 1))
# Staff ledger lines: recorded this many working days before today (the fully staffed towns get them all).
STAFF_PROBLEM_AGES = (18, 12, 9, 6, 3)


class FollowUpPattern:
    """How the calls go, in turn across the county: answered, answered with a problem, not answered, answered
    on the second try."""

    def __init__(self):
        self._turns = itertools.cycle(("ok", "problem", "missed", "retry"))
        self._problems = itertools.cycle(texts.FOLLOWUP_PROBLEMS)

    def next(self) -> str:
        return next(self._turns)

    def problem(self) -> tuple[str, str]:
        return next(self._problems)


def _item(demo: DemoTown, name: str):
    return public_items(demo.town).filter(name=name).first() if name else None


def _department(demo: DemoTown, code: str):
    return Department.objects.filter(town=demo.town, code=code).first() if code else None


# --- 出件窗口满意度回访 ------------------------------------------------------------------------------------------


def _call(demo: DemoTown, case: Case, **kwargs) -> FollowUp:
    return followups.followup_record(actor=demo.caller, case=case, **kwargs)


def plan_followups(demo: DemoTown, pattern: FollowUpPattern) -> None:
    """The output window calls back the sampled delivered cases and every badly rated one (the fully staffed towns
    call every delivered case) the working day after delivery; a case delivered today is still on the list."""
    delivered = Case.objects.filter(town=demo.town, status=Status.DELIVERED, delivered_at__isnull=False)
    percent = followups.sample_percent()
    for n, case in enumerate(delivered.order_by("delivered_at", "pk")):
        chosen = demo.showcase or case.pk in demo.bad_case_ids or followups.in_sample(case.number, percent)
        first = demo.later(case.delivered_at, 1, 9, 30 + 10 * n)
        if not chosen or not demo.in_time(first):
            continue
        turn = pattern.next()
        call = partial(_call, demo, case)
        if turn == "ok":
            steps = [(first, partial(call, reached=True, satisfaction=5, note=texts.FOLLOWUP_NOTES["ok"]))]
        elif turn == "problem":
            kind, problem = pattern.problem()
            steps = [(first, partial(call, reached=True, satisfaction=3, problem=problem, problem_kind=kind))]
        else:
            steps = [(first, partial(call, reached=False, note=texts.FOLLOWUP_NOTES[turn]))]
            if turn == "retry":
                again = demo.at(timezone.localdate(first), 15, 10 * n % 60)
                steps.append((again, partial(call, reached=True, satisfaction=4)))
        demo.chain(steps)


# --- 吐槽找茬 -------------------------------------------------------------------------------------------------


def _handler(demo: DemoTown) -> User:
    for role in (Role.FRONT_CLERK, Role.COORDINATOR, Role.OUTPUT_CLERK):
        if role in demo.staff:
            return demo.staff[role]
    return demo.director


def _receive(demo: DemoTown, text: texts.ComplaintText, n: int, holder: dict) -> None:
    named = not text.anonymous
    holder["complaint"] = complaints.complaint_receive(
        actor=demo.clerk if text.channel == "window" else PUBLIC,
        town=demo.town,
        channel=text.channel,
        content=text.content,
        item=_item(demo, text.item),
        name=NAMES[(demo.index * 5 + n + 3) % len(NAMES)] if named else "",
        mobile=f"1350537{demo.index:02d}{n:02d}" if named else "",
        anonymous=text.anonymous,
    ).complaint


def _step(holder: dict, service, **kwargs) -> None:
    holder["complaint"] = service(complaint=holder["complaint"], **kwargs)


def _close_ledger_line(demo: DemoTown, holder: dict, measures: str) -> None:
    for entry in ProblemEntry.objects.filter(complaint=holder["complaint"], status=ProblemStatus.IN_PROGRESS):
        ledger.problem_set_status(actor=demo.director, entry=entry, status=ProblemStatus.DONE, measures=measures)


def plan_complaints(demo: DemoTown) -> None:
    stories = SEAT_COMPLAINTS if demo.county_seat else SHOWCASE_COMPLAINTS if demo.showcase else TOWN_COMPLAINTS
    rng, handler = demo.rng, _handler(demo)
    for n, (status, age) in enumerate(stories):
        text = texts.COMPLAINTS[(demo.index * 3 + n) % len(texts.COMPLAINTS)]
        holder: dict = {}
        received = demo.at(working_days_before(demo.today, age), 9, rng.randrange(0, 420))
        steps = [(received, partial(_receive, demo, text, n, holder))]
        handled = received + timedelta(minutes=rng.randrange(40, 150))
        if status != "accepted":
            assign = partial(_step, holder, complaints.complaint_handle, actor=demo.director, handler=handler)
            steps.append((handled, partial(assign, note=text.handling)))
            if text.ledger_kind:
                to_ledger = partial(_step_ledger, demo, holder, text.ledger_kind)
                steps.append((handled + timedelta(minutes=10), to_ledger))
        if status in ("replied", "closed", "reviewed"):
            replied = demo.later(received, rng.randrange(1, 4), 15, rng.randrange(0, 90))
            steps.append((replied, partial(_step, holder, complaints.complaint_reply, actor=handler, reply=text.reply)))
            if text.ledger_kind:
                steps.append((replied + timedelta(minutes=5), partial(_close_ledger_line, demo, holder, text.reply)))
        if status in ("closed", "reviewed"):
            closed = demo.later(replied, 1, 9, 30)
            steps.append((closed, partial(_step, holder, complaints.complaint_close, actor=demo.director)))
        if status == "reviewed":
            note = rng.choice(texts.COMPLAINT_REVIEW_NOTES)
            review = partial(_step, holder, complaints.complaint_review, actor=demo.caller, note=note)
            steps.append((demo.later(closed, 1, 10, 30), partial(review, satisfaction=rng.choice((4, 5, 5)))))
        demo.chain(steps)


def _step_ledger(demo: DemoTown, holder: dict, kind: str) -> None:
    complaints.complaint_to_ledger(actor=demo.director, complaint=holder["complaint"], kind=kind)


# --- 堵点、难点、卡点台账（工作人员发现）------------------------------------------------------------------------


def _record_problem(demo: DemoTown, problem: texts.StaffProblem, holder: dict) -> None:
    holder["entry"] = ledger.problem_record_by_staff(
        actor=demo.caller,
        kind=problem.kind,
        description=problem.description,
        item=_item(demo, problem.item),
        department=_department(demo, problem.department),
    )


def _set_status(holder: dict, actor, status: str, measures: str = "") -> None:
    holder["entry"] = ledger.problem_set_status(actor=actor, entry=holder["entry"], status=status, measures=measures)


def plan_staff_problems(demo: DemoTown) -> None:
    chosen = list(enumerate(texts.STAFF_PROBLEMS))
    if not demo.showcase:
        chosen = [chosen[demo.index % len(chosen)]]
    for n, problem in chosen:
        holder: dict = {}
        recorded = demo.at(working_days_before(demo.today, STAFF_PROBLEM_AGES[n]), 16, 10 * n)
        steps = [(recorded, partial(_record_problem, demo, problem, holder))]
        if problem.status == ProblemStatus.DONE:
            done = partial(_set_status, holder, demo.director, ProblemStatus.DONE, problem.measures)
            steps.append((demo.later(recorded, 2, 11), done))
        elif problem.status == ProblemStatus.ESCALATED:
            steps.append((demo.later(recorded, 1, 9), partial(_set_status, holder, demo.director, problem.status)))
            if demo.county_seat and n == 2:  # the county solves one of them (county-wide 评残 days)
                solved = partial(_set_status, holder, demo.county, ProblemStatus.DONE, texts.COUNTY_SOLVED)
                steps.append((demo.later(recorded, 4, 10), solved))
        demo.chain(steps)


# --- 微创新 ---------------------------------------------------------------------------------------------------

PROPOSAL_AGES = (30, 22, 18, 8, 5, 2, 12, 25)  # submitted this many working days before today, in list order


def _propose(text: texts.ProposalText, town, holder: dict) -> None:
    if text.proposer.startswith("citizen:"):
        actor, name = PUBLIC, text.proposer.split(":", 1)[1]
    else:
        actor, name = User.objects.filter(town=town, role=text.proposer, is_active=True).order_by("pk").first(), ""
        actor = actor or User.objects.filter(town=town, role=Role.CENTER_DIRECTOR, is_active=True).first()
    holder["proposal"] = proposals.proposal_submit(
        actor=actor, area=text.area, title=text.title, content=text.content, proposer_name=name, town=town
    )


def _evaluate(holder: dict, service, **kwargs) -> None:
    holder["proposal"] = service(proposal=holder["proposal"], **kwargs)


def plan_proposals(county: Timeline, *, towns: dict, county_admin) -> None:
    slugs = {slug: code for code, _, slug, _ in demo_data.TOWNS}
    for n, text in enumerate(texts.PROPOSALS):
        town = towns.get(slugs.get(text.town)) if text.town else None
        if text.town and town is None:
            continue
        evaluator = county_admin
        if town is not None:
            evaluator = User.objects.filter(town=town, role=Role.CENTER_DIRECTOR, is_active=True).first()
        holder: dict = {}
        submitted = county.at(working_days_before(county.today, PROPOSAL_AGES[n % len(PROPOSAL_AGES)]), 10, 7 * n)
        steps = [(submitted, partial(_propose, text, town, holder))]
        if text.outcome != "submitted":
            start = partial(_evaluate, holder, proposals.proposal_start_evaluation, actor=evaluator)
            steps.append((county.later(submitted, 1, 15), start))
        if text.outcome in ("adopted", "declined"):
            decide = partial(
                _evaluate,
                holder,
                proposals.proposal_decide,
                actor=evaluator,
                adopt=text.outcome == "adopted",
                evaluation=text.evaluation,
                recognition=text.recognition,
            )
            steps.append((county.later(submitted, 6, 16), decide))
        county.chain(steps)
