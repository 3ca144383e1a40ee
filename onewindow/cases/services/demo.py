"""Loads the demo cases (part of manage.py demo) through the case services, acting as the demo towns' staff.

Every demo town gets a spread of cases in every state (see onewindow/cases/demo_cases.py), some near or past their
deadline. Running it again adds nothing: each case carries an idempotency key, and a story whose case exists is
skipped whole.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from onewindow.audit.services import SYSTEM
from onewindow.cases.demo_cases import NAMES, REASONS, STORIES, Act, Story
from onewindow.cases.models import Case, Channel, MaterialState, ReviewTask, TaskStatus
from onewindow.cases.services import acceptance, notify, output, review, suspension
from onewindow.cases.services.intake import Applicant, case_intake
from onewindow.catalog.models import CatalogEntry
from onewindow.core.calendar import is_workday
from onewindow.core.models import CalendarYear
from onewindow.core.pii import id_check_char
from onewindow.core.roles import Role
from onewindow.org import demo_data
from onewindow.org.models import Region, User

logger = logging.getLogger(__name__)

# The demo's "today" stays this many working days before the end of the calendar's last covered year, so that no
# deadline the stories compute (at most ~20 working days ahead) runs into a year the calendar does not know.
CALENDAR_MARGIN_DAYS = 25
ROLES = {
    "front": Role.FRONT_CLERK,
    "output": Role.OUTPUT_CLERK,
    "coordinator": Role.COORDINATOR,
    "director": Role.CENTER_DIRECTOR,
    "agent": Role.AGENT,
}
STANDS_IN_FOR = ("front", "output", "coordinator")


@contextmanager
def happening_at(moment: datetime):
    """Makes `timezone.now()` answer `moment` while the services run.

    Why: the services stamp everything with the current time — receipt and acceptance times, case numbers (by day),
    deadlines (from today), stage due dates, the timeline and the audit events. Demo cases have to look as if they
    happened over the past weeks, with deadlines near or past, and still pass through the same services and checks;
    the services have (and must have) no parameter to backdate an action. So the demo moves the clock instead. The
    patch is process-wide: fine for the single-threaded demo command, never to be used in a serving process.
    """
    original = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = original


@contextmanager
def no_texts():
    """Drops the applicant texts the services send. The demo applicants are made up, but their generated mobile
    numbers are well-formed and may belong to someone: a demo loaded where a real SMS gateway is configured must
    never text them."""
    from onewindow.feedback import links  # delivery invites the applicant to rate from there

    originals = (notify.send_after_commit, links.send_rating_invitation)
    notify.send_after_commit = lambda to, text: None
    links.send_rating_invitation = lambda step: False
    try:
        yield
    finally:
        notify.send_after_commit, links.send_rating_invitation = originals


def working_days_before(day: date, n: int) -> date:
    while n > 0:
        day -= timedelta(days=1)
        n -= is_workday(day)
    return day


def working_days_after(day: date, n: int) -> date:
    while n > 0:
        day += timedelta(days=1)
        n -= is_workday(day)
    return day


def demo_today(real_today: date) -> date | None:
    """The demo's today: the real one, or earlier when the calendar would not cover the stories' deadlines."""
    years = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    if not years:
        return None
    latest = working_days_before(date(max(years), 12, 31), CALENDAR_MARGIN_DAYS)
    return min(real_today, latest)


def id_number(born: int, town_index: int, story_index: int) -> str:
    first17 = f"370829{born}{1 + story_index % 12:02d}{1 + town_index % 28:02d}{story_index * 7 % 1000:03d}"
    return first17 + id_check_char(first17)


class TownDemo:
    """One town's staff and catalog, and the stories told there."""

    def __init__(self, town: Region, index: int, today: date, result):
        self.town, self.index, self.today, self.result = town, index, today, result
        self.staff: dict[str, User] = {}
        for user in User.objects.filter(town=town, is_active=True).select_related("department").order_by("pk"):
            key = f"reviewer:{user.department.code}" if user.role == Role.REVIEWER and user.department else user.role
            self.staff.setdefault(key, user)
        entries = CatalogEntry.objects.filter(town=town, is_published=True, item__current_guide__isnull=False)
        self.items = {entry.item.name: entry.item for entry in entries.select_related("item")}
        self.villages = list(Region.objects.filter(parent=town).order_by("code"))

    def actor(self, key: str):
        if key == "system":
            return SYSTEM
        user = self.staff.get(ROLES.get(key, key))
        if user is None and key in STANDS_IN_FOR:
            user = self.staff.get(Role.CENTER_DIRECTOR)  # a town with a director only: they take every window
        return user

    def can_tell(self, story: Story) -> bool:
        return story.item in self.items and all(self.actor(act.by) is not None for act in story.acts)

    def tell(self, number: int, story: Story) -> None:
        intake = story.acts[0]
        key = f"demo:{story.key}"
        if Case.objects.filter(idempotency_key=f"{self.actor(intake.by).pk}:{key}").exists():
            return
        case = None
        for step, act in enumerate(story.acts):
            day = working_days_before(self.today, act.days_ago)
            moment = timezone.make_aware(datetime.combine(day, time(8, 40))) + timedelta(minutes=3 * number + step)
            with happening_at(min(moment, timezone.now())):
                case = self.intake(number, story, act, key) if case is None else self.act(case, act, day)
        self.result.created += 1

    def intake(self, number: int, story: Story, act: Act, key: str) -> Case:
        item = self.items[story.item]
        guide = item.current_guide
        marks = {m.position: MaterialState.RECEIVED for m in guide.materials.all() if m.required}
        if act.options.get("missing"):
            marks[min(marks)] = MaterialState.MISSING
        if act.options.get("deficient"):
            marks[_deficiency_position(guide)] = MaterialState.DEFICIENT
        agent = self.actor(act.by)
        village = agent.village if act.by == "agent" else self.villages[number % len(self.villages)]
        name = NAMES[(self.index * 7 + number) % len(NAMES)]
        applicant = Applicant(
            kind="person",
            name=name,
            id_number=id_number(story.born, self.index, number),
            phone=f"1380537{self.index:02d}{number:02d}",
            address=f"嘉祥县{self.town.name}{village.name}{number + 3}号",
        )
        return case_intake(
            actor=agent,
            item=item,
            town=self.town,
            applicant=applicant,
            channel=act.options.get("channel", Channel.WINDOW),
            materials=marks,
            village=village,
            request_summary=f"申请{story.item}",
            idempotency_key=key,
        )

    def act(self, case: Case, act: Act, day: date) -> Case:
        actor, action = self.actor(act.by), act.action
        reason = REASONS.get(action, "")
        if action == "accept":
            return acceptance.case_accept(actor=actor, case=case)
        if action == "accept_deficient":
            due = working_days_after(day, act.options["due"])
            position = _deficiency_position(case.guide)
            return acceptance.case_accept_with_deficiency(actor=actor, case=case, deficient=[position], due=due)
        if action == "correct":
            first = case.materials.filter(required=True).order_by("position").first()
            return acceptance.case_request_correction(actor=actor, case=case, problems={first.position: reason})
        if action == "reject":
            return acceptance.case_reject(actor=actor, case=case, reason=reason)
        if action == "instant":
            return acceptance.case_complete_instantly(actor=actor, case=case, certificate_number=_certificate(case))
        if action in ("approve", "return", "deny"):
            task = ReviewTask.objects.get(case=case, status=TaskStatus.PENDING, department=actor.department)
            if action == "approve":
                review.task_approve(actor=actor, task=task, opinion="情况属实，同意")
            elif action == "return":
                review.task_return(actor=actor, task=task, reason=reason)
            else:
                review.task_deny(actor=actor, task=task, opinion=reason)
            return case
        if action == "decide":
            return review.case_decide(actor=actor, case=case, certificate_number=_certificate(case))
        if action == "suspend":
            procedure = case.guide.special_procedures.filter(counted_in_limit=False).first()
            name = procedure.name if procedure else "公示"
            return suspension.case_suspend(actor=actor, case=case, procedure=name, reason=reason, expected_days=7)
        if action == "resume":
            return suspension.case_resume(actor=actor, case=case, result=reason)
        if action == "extend":
            return suspension.case_extend(actor=actor, case=case, days=act.options["days"], reason=reason)
        if action == "receive_deficient":
            pending = case.materials.filter(state=MaterialState.DEFICIENT).values_list("position", flat=True)
            return output.case_receive_deficient(actor=actor, case=case, positions=list(pending))
        if action == "deliver":
            return output.case_deliver(
                actor=actor, case=case, method="pickup", recipient_name=case.applicant_name, identity_checked=True
            )
        if action == "withdraw":
            return output.case_withdraw(actor=actor, case=case, reason=reason)
        if action == "revoke":
            return output.case_revoke(actor=actor, case=case, reason=reason)
        if action == "terminate":
            return output.case_terminate_overdue_deficiency(actor=actor, case=case)
        raise ValueError(f"unknown demo action {action}")


def _deficiency_position(guide) -> int:
    return guide.materials.filter(required=True, deficiency_allowed=True).order_by("position").first().position


def _certificate(case: Case) -> str:
    return f"嘉民证〔{timezone.localdate():%Y}〕{case.number[-6:]}号"


def load_demo_cases(result) -> None:
    """Demo cases in every demo town; `result.created` counts the cases that were new."""
    today = demo_today(timezone.localdate())
    if today is None:
        logger.warning("no working-day calendar: demo cases skipped")
        return
    towns = Region.objects.towns().filter(code__in=[t[0] for t in demo_data.TOWNS]).order_by("code")
    with no_texts():
        for index, town in enumerate(towns):
            demo = TownDemo(town, index, today, result)
            for number, story in enumerate(STORIES):
                if demo.can_tell(story):
                    demo.tell(number, story)
