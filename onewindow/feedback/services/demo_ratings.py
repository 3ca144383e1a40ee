"""The feedback demo's ratings and rectifications (see services/demo.py for the whole story).

Ratings are planned per town from the hall's ticket history and the demo cases' timelines, then given through
rating_submit at the moment the person would have given them: on the window's tablet a few seconds after the ticket
was finished, from the QR code minutes after a case step, from the SMS link within a day, on a paper card the front
desk types in at the end of the day. Each 差评's rectification is then told as far as its age allows.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.utils import timezone

from onewindow.audit.services import PUBLIC
from onewindow.cases.demo_cases import NAMES
from onewindow.cases.flow import Action
from onewindow.cases.models import Case, CaseStep
from onewindow.cases.services.demo import working_days_before
from onewindow.core.calendar import add_working_days, working_days_between
from onewindow.feedback import demo_texts as texts
from onewindow.feedback.models import (
    BAD_LEVELS,
    INDICATORS,
    Channel,
    CountyReview,
    Mode,
    Outcome,
    Rectification,
    ReviewState,
)
from onewindow.feedback.selectors import reasons_by_level
from onewindow.feedback.services import rectification as rect
from onewindow.feedback.services import rectification_work as work
from onewindow.feedback.services.ratings import (
    RatingWindowClosed,
    Subject,
    rateable_among,
    rating_submit,
    subject_for_step,
)
from onewindow.hall.models import Ticket, TicketStatus

if TYPE_CHECKING:
    from onewindow.feedback.services.demo import DemoTown

WINDOW_SHARE = (0.38, 0.55)  # each window's share of its finished tickets that get rated
STEP_SHARE = 0.5
CARD_SHARE = 0.03  # of the hall's ratings: paper cards
BAD_RATES = (0.012, 0.018, 0.024, 0.03)  # a window's 差评 rate (before long waits)
LONG_WAIT_MINUTES = 40
STEP_CHANNELS = ((Channel.SMS, 35), (Channel.QR, 30), (Channel.MOBILE, 15), (Channel.PC, 5), (Channel.CARD, 15))
COMPLETIONS = frozenset({Action.COMPLETE_INSTANTLY, Action.DELIVER})
# What becomes of a 差评 by its age in working days: ≤1 待核实; 2–4 in the middle of the work; older mostly done.
MIDDLE = ("rectifying", "deadline_open", "appealing", "replying")
OLD = {"closed_fixed": 40, "closed_explained": 12, "closed_deadline": 22, "invalid": 8, "refused": 4}
EXTENSION_DAYS = 5
OUTCOMES = {
    "closed_fixed": Outcome.FIXED_NOW,
    "replying": Outcome.FIXED_NOW,
    "refused": Outcome.FIXED_NOW,
    "closed_explained": Outcome.EXPLAINED,
}  # the other stories that get as far as an outcome: 限期整改


@dataclass
class Bad:
    key: tuple
    moment: datetime
    real_name: bool
    trouble: texts.Trouble
    comment: str
    kind: str = ""


def plan_ratings(demo: DemoTown) -> None:
    reasons = reasons_by_level()
    bads = _plan_ticket_ratings(demo, reasons) + _plan_step_ratings(demo, reasons)
    for bad in _assign(demo, sorted(bads, key=lambda b: b.moment)):
        demo.chain(_rectification_steps(demo, bad))


# --- what a rater says ----------------------------------------------------------------------------------------


def _level(rng, bad_rate: float, long_wait: bool) -> int:
    bad, basic = (bad_rate * 2.5, 0.12) if long_wait else (bad_rate, 0.05)
    r = rng.random()
    if r < bad:
        return 1 if rng.random() < 0.35 else 2
    if r < bad + basic:
        return 3
    return 4 if rng.random() < 0.17 else 5


def _words(rng, level: int, reasons: dict, *, on_case: bool) -> tuple[int, list[str], str, texts.Trouble | None]:
    """(level, reasons, comment, trouble): a 差评 names a reason the county offers (else it is given as 基本满意)."""
    offered = reasons.get(level, [])
    if level in BAD_LEVELS:
        troubles = [t for t in texts.TROUBLES if t.label in offered and (t.case_weight if on_case else t.weight)]
        if troubles:
            weights = [t.case_weight if on_case else t.weight for t in troubles]
            trouble = rng.choices(troubles, weights)[0]
            chosen = [trouble.label]
            others = [label for label in offered if label != trouble.label]
            if others and rng.random() < 0.2:
                chosen.append(rng.choice(others))
            comment = rng.choice(trouble.comments) if rng.random() < 0.8 else ""
            return level, chosen, comment, trouble
        level, offered = 3, reasons.get(3, [])
    if level == 3:  # the reason ticked and the words written go together
        label = rng.choice(offered) if offered else ""
        said = texts.MIDDLING.get(label, ())
        chosen = [label] if label and rng.random() < 0.6 else []
        comment = rng.choice(said) if said and chosen and rng.random() < 0.5 else ""
        return level, chosen, comment, None
    chosen = []
    if offered and rng.random() < 0.55:
        weights = [texts.PRAISE_WEIGHTS.get(label, 1) for label in offered]
        chosen = list(dict.fromkeys(rng.choices(offered, weights, k=rng.choice((1, 1, 2)))))
    comment_share = {5: 0.08, 4: 0.12}[level]
    comment = rng.choice(texts.GOOD_COMMENTS[level]) if rng.random() < comment_share else ""
    return level, chosen, comment, None


def _indicators(rng, mode: str, level: int) -> dict:
    scores = {key: min(5, max(1, level + rng.choice((0, 0, 0, 0, -1, 1)))) for key, _ in INDICATORS[Mode(mode)]}
    scores["overall"] = level
    return scores


def _rater(demo: DemoTown, n: int) -> tuple[str, str]:
    return NAMES[(demo.index * 11 + n) % len(NAMES)], f"1390537{demo.index:02d}{n % 100:02d}"


def _give(demo: DemoTown, key, subject_of, **kwargs) -> None:
    """rating_submit at the planned moment; a rating window set shorter than the demo assumes only means fewer
    ratings (and no rectification for a 差评 that could not be given)."""
    subject = subject_of()
    if "indicators" in kwargs:
        kwargs["indicators"] = _indicators(demo.rng, subject.mode, kwargs["level"])
    try:
        demo.ratings[key] = rating_submit(subject=subject, **kwargs)
    except RatingWindowClosed:
        return


# --- hall tickets -----------------------------------------------------------------------------------------------


def ticket_subject(ticket: Ticket, cases: list[Case]) -> Subject:
    """What subject_for_ticket returns, built from rows loaded a town at a time (it reads two rows per ticket, the
    bulk of the demo's time otherwise; tests check that the two agree)."""
    case = cases[0] if len(cases) == 1 else None
    where = f" · {ticket.window.number}号窗口" if ticket.window_id else ""
    return Subject(
        town=ticket.center.town,
        mode=Mode.OFFLINE,
        served_at=ticket.finished_at,
        label=f"{ticket.number}号 {ticket.category.name}{where}",
        ticket=ticket,
        case=case,
        window=ticket.window,
        staff=ticket.staff,
        item=case.item if case else None,
    )


def _plan_ticket_ratings(demo: DemoTown, reasons: dict) -> list[Bad]:
    rng, bads = demo.rng, []
    tickets = (
        Ticket.objects.filter(center__town=demo.town, status=TicketStatus.DONE, finished_at__isnull=False)
        .filter(day__lte=demo.today)
        .select_related("center__town", "category", "window", "staff")
        .order_by("finished_at", "pk")
    )
    cases = defaultdict(list)
    for case in Case.objects.filter(ticket__center__town=demo.town).select_related("item"):
        cases[case.ticket_id].append(case)
    profiles = {}
    for n, ticket in enumerate(tickets):
        share, bad_rate = profiles.setdefault(ticket.window_id, (rng.uniform(*WINDOW_SHARE), rng.choice(BAD_RATES)))
        if rng.random() >= share:
            continue
        long_wait = ticket.called_at - ticket.arrived_at > timedelta(minutes=LONG_WAIT_MINUTES)
        level, chosen, comment, trouble = _words(rng, _level(rng, bad_rate, long_wait), reasons, on_case=False)
        card = rng.random() < CARD_SHARE
        if card:  # the paper card box is emptied and typed in at closing time
            evening = demo.at(ticket.day, 17, 40) + timedelta(seconds=rng.randrange(600))
            moment = max(evening, ticket.finished_at + timedelta(minutes=5))
        else:
            moment = ticket.finished_at + timedelta(seconds=rng.randrange(15, 90))
        real_name = rng.random() < (0.6 if trouble else 0.5 if card else 0.12)
        name, mobile = _rater(demo, n) if real_name else ("", "")
        key = ("ticket", ticket.pk)
        action = partial(
            _give,
            demo,
            key,
            partial(ticket_subject, ticket, cases.get(ticket.pk, [])),
            actor=demo.clerk if card else demo.device,
            channel=Channel.CARD if card else Channel.EVALUATOR,
            entered_by=demo.clerk if card else None,
            level=level,
            reasons=chosen,
            comment=comment,
            anonymous=not real_name,
            rater_name=name,
            rater_mobile=mobile,
            **({"indicators": {}} if card else {}),
        )
        if demo.schedule(moment, action) and trouble:
            bads.append(Bad(key, moment, real_name, trouble, comment))
    return bads


# --- case steps -------------------------------------------------------------------------------------------------


def _plan_step_ratings(demo: DemoTown, reasons: dict) -> list[Bad]:
    rng, bads, rateable = demo.rng, [], []
    steps = CaseStep.objects.filter(case__town=demo.town).select_related("case").order_by("case_id", "at", "pk")
    for _, timeline in itertools.groupby(steps, key=lambda s: s.case_id):
        rateable += rateable_among(list(timeline))
    rateable.sort(key=lambda s: (s.at, s.pk))
    # The newest completed case stays unrated: the demo's "rate a finished case from the QR link".
    kept = max((s for s in rateable if s.action in COMPLETIONS), key=lambda s: (s.at, s.pk), default=None)
    for step in rateable:
        if step is kept or rng.random() >= STEP_SHARE:
            continue
        bad_rate = 0.06 if step.action in (Action.REJECT, Action.REQUEST_CORRECTION) else 0.02
        level, chosen, comment, trouble = _words(rng, _level(rng, bad_rate, False), reasons, on_case=True)
        channel = rng.choices([c for c, _ in STEP_CHANNELS], [w for _, w in STEP_CHANNELS])[0]
        if channel == Channel.QR:  # scanned at the window, on the way out
            moment = step.at + timedelta(minutes=rng.randrange(2, 9))
        elif channel == Channel.CARD:
            moment = max(demo.at(timezone.localdate(step.at), 17, 40), step.at + timedelta(minutes=5))
        else:  # the SMS link or the portal, later that day or the next
            moment = step.at + timedelta(minutes=rng.randrange(30, 26 * 60))
        case = step.case
        real_name = bool(case.contact_phone) and rng.random() < 0.6
        action = partial(
            _give,
            demo,
            ("step", step.pk),
            partial(subject_for_step, step),
            actor=demo.clerk if channel == Channel.CARD else PUBLIC,
            channel=channel,
            entered_by=demo.clerk if channel == Channel.CARD else None,
            level=level,
            reasons=chosen,
            comment=comment,
            anonymous=not real_name,
            rater_name=case.applicant_name if real_name else "",
            rater_mobile=case.contact_phone if real_name else "",
            indicators={},
        )
        if demo.schedule(moment, action) and trouble:
            bads.append(Bad(("step", step.pk), moment, real_name, trouble, comment))
            demo.bad_case_ids.add(case.pk)
    return bads


# --- rectifications ---------------------------------------------------------------------------------------------


def _assign(demo: DemoTown, bads: list[Bad]) -> list[Bad]:
    """Each 差评's story by its age; the county seat tells the overdue 限期整改, 纸坊 an extension, and the fully
    staffed towns have every ending among their older ones."""
    middle = itertools.cycle(MIDDLE)
    old = []
    for bad in bads:
        age = working_days_between(timezone.localdate(bad.moment), demo.today)
        if age <= 1:
            bad.kind = "verifying"
        elif age <= 4:
            bad.kind = next(middle)
        else:
            bad.kind = demo.rng.choices(list(OLD), list(OLD.values()))[0]
            if age >= 10:
                old.append(bad)
    if demo.showcase and old:
        old[0].kind = "overdue" if demo.county_seat else "extended"
        present = {b.kind for b in old}
        for kind in [k for k in OLD if k not in present]:  # in a fixed order: the same data every load
            spare = [b for b in old[1:] if b.kind == "closed_fixed"]
            if len(spare) > 1:
                spare[-1].kind = kind
    return bads


def _rectification_of(demo: DemoTown, key) -> Rectification | None:
    rating = demo.ratings.get(key)
    return Rectification.objects.get(rating=rating) if rating else None


def _act(demo: DemoTown, key, service, **kwargs) -> None:
    """Runs a rectification service on the 差评's rectification (none when the rating could not be given)."""
    rectification = _rectification_of(demo, key)
    if rectification is not None:
        service(rectification=rectification, **kwargs)


def _decide(demo: DemoTown, key, *, approve: bool, opinion: str) -> None:
    rectification = _rectification_of(demo, key)
    if rectification is not None:
        review = CountyReview.objects.get(rectification=rectification, state=ReviewState.PENDING)
        work.rectification_review_decide(actor=demo.county, review=review, approve=approve, opinion=opinion)


def _rectification_steps(demo: DemoTown, bad: Bad) -> list:
    """The (moment, action) steps of one 差评's story; Timeline.chain drops what would happen after today."""
    rng, key, trouble, kind = demo.rng, bad.key, bad.trouble, bad.kind
    what = bad.comment or trouble.label
    act = partial(_act, demo, key)
    call = partial(act, rect.rectification_callback, actor=demo.caller)
    missed = partial(call, reached=False, summary=texts.CALLBACK_MISSED)
    steps = []
    moment = demo.later(bad.moment, 1, 9, rng.randrange(0, 150))
    if kind == "verifying":
        return [(moment, missed)] if bad.real_name and rng.random() < 0.5 else []
    valid = kind not in ("invalid", "appealing", "refused")
    if bad.real_name:
        if rng.random() < 0.2:  # not reached in the morning: again after lunch
            steps.append((moment, missed))
            moment = demo.at(timezone.localdate(moment), 14, rng.randrange(0, 90))
        summary = (texts.CALLBACK_VALID if valid else texts.CALLBACK_INVALID).format(what=what)
        steps.append((moment, partial(call, reached=True, valid=valid, summary=summary)))
    else:
        summary = (texts.RECORD_VALID if valid else texts.RECORD_INVALID).format(what=what)
        verify = partial(act, rect.rectification_verify, actor=demo.director, valid=valid, summary=summary)
        steps.append((moment, verify))
    moment += timedelta(minutes=rng.randrange(20, 80))
    if not valid:
        steps.append((moment, partial(act, rect.rectification_appeal, actor=demo.director, reason=texts.APPEAL_REASON)))
        if kind == "appealing":
            return steps
        moment = demo.later(moment, 2, 10, rng.randrange(0, 60))
        approve = kind == "invalid"
        opinion = texts.APPEAL_APPROVED if approve else texts.APPEAL_REFUSED
        steps.append((moment, partial(_decide, demo, key, approve=approve, opinion=opinion)))
        if approve:
            return steps
        moment += timedelta(minutes=40)
    if kind == "rectifying":
        return steps
    outcome = OUTCOMES.get(kind, Outcome.BY_DEADLINE)
    measures = {Outcome.FIXED_NOW: trouble.fixed, Outcome.EXPLAINED: trouble.explained}.get(outcome, trouble.plan)
    choose = partial(act, work.rectification_choose_outcome, actor=demo.director, outcome=outcome, measures=measures)
    steps.append((moment, partial(choose, problem_kind=trouble.kind)))
    if kind in ("replying", "deadline_open", "overdue"):
        return steps
    if outcome == Outcome.BY_DEADLINE:
        deadline = add_working_days(timezone.localdate(moment), rect.working_days_allowed())
        if kind == "extended":
            asked = demo.at(working_days_before(deadline, 1), 15, rng.randrange(0, 60))
            extend = partial(
                act,
                work.rectification_request_extension,
                actor=demo.director,
                reason=texts.EXTENSION_REASON,
                extra_days=EXTENSION_DAYS,
            )
            steps.append((asked, extend))
            approved = partial(_decide, demo, key, approve=True, opinion=texts.EXTENSION_APPROVED)
            steps.append((demo.later(asked, 1, 10), approved))
            deadline = add_working_days(deadline, EXTENSION_DAYS)
        moment = demo.at(working_days_before(deadline, rng.randrange(0, 3)), 16, rng.randrange(0, 50))
        steps.append((moment, partial(act, work.rectification_complete, actor=demo.director, measures=trouble.done)))
    reply = texts.EXPLAINED_REPLY if outcome == Outcome.EXPLAINED else trouble.reply
    answer = partial(act, rect.rectification_reply, actor=demo.director, text=reply)
    steps.append((demo.later(moment, 1, 10, rng.randrange(0, 60)), answer))
    return steps
