"""The feedback demo (part of manage.py demo): weeks of 好差评 and of what follows them in every demo town, told
through the feedback services — so every row has its audit event and every rule holds as it would live (one rating
per service, the rating window, a rectification for every 差评, the GB/T 36113 steps, the ledger's transitions).

What a town gets (demo_ratings.py, demo_supervision.py; the words are in feedback/demo_texts.py):
- ratings of about half of the hall tickets finished at its windows (the window tablet, signed in as the town's
  窗口评价器 device; a few paper rating cards typed in by the front desk) and of the demo cases' rateable steps (QR
  code, SMS link, phone or PC; cards). Unrated services stay unrated. Mostly 非常满意/满意, some 基本满意, about
  2 % 差评 with reasons and comments; a long wait makes a poor rating likelier.
- every 差评's rectification carried as far as its age allows: the recent ones still 待核实, then 整改中, 限期整改,
  申诉复核, 待答复, and most older ones answered and closed; some found invalid on appeal; one 限期整改 overdue.
- follow-up calls by the output window, complaints in each GB/T 36113 step (one overdue), ledger lines from
  ratings, calls, complaints and staff in each status, and micro-innovation proposals county-wide.

Time: the services stamp "now", so each action runs under the cases demo's happening_at(moment), in time order per
town. Nothing happens after the real now or after the demo's today (demo_today), so every deadline the services
compute stays inside the working-day calendar. Random choices are seeded per town: the same day gives the same data.
No text message is sent (the applicants and raters are made up; their numbers are well-formed and may be someone's).
Running it again adds nothing: a town with any rating, complaint, follow-up or ledger line is left as it is.

Measured (2 shared CPUs, SQLite): ~17,400 ratings and ~380 rectifications county-wide add ~34 s of CPU to the
demo (18 s → 52 s), nearly all of it in rating_submit and its audit event (~2 ms a rating). Rating only the two
fully staffed towns would halve it; the county's figures would then show the other towns unrated.
"""

from __future__ import annotations

import logging
import random
from contextlib import ExitStack, contextmanager
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from onewindow.cases.services.demo import demo_today, happening_at, working_days_after, working_days_before
from onewindow.core.roles import Role
from onewindow.core.services import notifications
from onewindow.core.services.notifications import mark_read_older
from onewindow.feedback import links
from onewindow.feedback.models import Complaint, FollowUp, ProblemEntry, Proposal, Rating
from onewindow.feedback.services import complaints, rectification
from onewindow.feedback.services.demo_ratings import plan_ratings
from onewindow.feedback.services.demo_supervision import (
    FollowUpPattern,
    plan_complaints,
    plan_followups,
    plan_proposals,
    plan_staff_problems,
)
from onewindow.feedback.services.rectification_work import sweep_rectifications
from onewindow.org import demo_data
from onewindow.org.models import Region, User
from onewindow.org.services.devices import device_create

logger = logging.getLogger(__name__)

EVALUATOR_DEVICE = "窗口评价器"
FEEDBACK_KINDS = ("rectification", "complaint", "proposal", "problem")
UNREAD_WORKING_DAYS = 2  # the directors have read their feedback notifications, all but the last two days'


class Timeline:
    """Actions to run at given moments, in time order, each under happening_at(moment). An action planned after
    the real now or after the demo's today is dropped, and so is the rest of its story (`chain`)."""

    def __init__(self, *, today: date, now: datetime):
        self.today, self.now = today, now
        self.events: list[tuple[datetime, int, object]] = []

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour))) + timedelta(minutes=minute)

    def later(self, moment: datetime, working_days: int, hour: int, minute: int = 0) -> datetime:
        """`working_days` working days after the moment's day, at hour:minute."""
        return self.at(working_days_after(timezone.localdate(moment), working_days), hour, minute)

    def in_time(self, moment: datetime) -> bool:
        return moment <= self.now and timezone.localdate(moment) <= self.today

    def schedule(self, moment: datetime, action) -> bool:
        if not self.in_time(moment):
            return False
        self.events.append((moment, len(self.events), action))
        return True

    def chain(self, steps) -> int:
        """Schedules (moment, action) steps in order until one falls outside the time; each step at least a minute
        after the one before. Returns how many were scheduled."""
        previous, done = None, 0
        for moment, action in steps:
            if previous is not None:
                moment = max(moment, previous + timedelta(minutes=1))
            if not self.schedule(moment, action):
                break
            previous, done = moment, done + 1
        return done

    def run(self) -> int:
        for moment, _, action in sorted(self.events, key=lambda event: event[:2]):
            with happening_at(moment):
                action()
        ran, self.events = len(self.events), []
        return ran


class DemoTown(Timeline):
    """One town's staff (who acts where the town has no such account: its director), its evaluator device, a seeded
    random source and its timeline; the planners fill `ratings` (key → Rating, once given) and `bad_case_ids`."""

    def __init__(self, town: Region, *, index: int, today: date, now: datetime, county_admin, device):
        super().__init__(today=today, now=now)
        self.town, self.index, self.county, self.device = town, index, county_admin, device
        self.rng = random.Random(f"onewindow-feedback-demo:{town.code}")
        self.staff: dict[str, User] = {}
        for user in User.objects.filter(town=town, is_active=True).exclude(role=Role.DEVICE).order_by("pk"):
            self.staff.setdefault(user.role, user)
        self.director = self.staff[Role.CENTER_DIRECTOR]
        self.clerk = self.staff.get(Role.FRONT_CLERK, self.director)  # rating cards, window complaints
        self.caller = self.staff.get(Role.OUTPUT_CLERK, self.director)  # 回访, the ledger
        self.showcase = town.code in SHOWCASE
        self.county_seat = town.code == demo_data.TOWNS[0][0]
        self.ratings: dict = {}
        self.bad_case_ids: set[int] = set()


SHOWCASE = {code for code, _, slug, _ in demo_data.TOWNS if slug in demo_data.FULLY_STAFFED_TOWNS}


def _drop_text(to: str, text: str) -> None:
    return None


@contextmanager
def no_feedback_texts():
    """Drops the texts the feedback services send (replies to raters and complainants, overdue alerts), as the
    cases demo's no_texts() does for applicants: the demo's numbers are made up but may belong to someone."""
    with ExitStack() as stack:
        for module in (rectification, complaints, links, notifications):
            original = module.send_after_commit
            module.send_after_commit = _drop_text
            stack.callback(setattr, module, "send_after_commit", original)
        yield


def _has_feedback(town: Region) -> bool:
    return any(model.objects.filter(town=town).exists() for model in (Rating, Complaint, FollowUp, ProblemEntry))


def _evaluator_device(town: Region, director: User) -> User:
    device = User.objects.filter(town=town, role=Role.DEVICE, name=EVALUATOR_DEVICE).first()
    return device or device_create(actor=director, town=town, name=EVALUATOR_DEVICE)


def _mark_old_notifications_read(today: date) -> None:
    """A director of a real center has read last month's 差评 notices; leave only the last days' unread."""
    cutoff = timezone.make_aware(datetime.combine(working_days_before(today, UNREAD_WORKING_DAYS), time()))
    mark_read_older(kinds=FEEDBACK_KINDS, before=cutoff)


def load_demo_feedback(result) -> None:
    """Ratings, rectifications, follow-ups, complaints, ledger lines and proposals in every demo town (see the
    module's docstring); `result.created` counts the actions taken."""
    now = timezone.now()
    today = demo_today(timezone.localdate(now))
    if today is None:
        logger.warning("no working-day calendar: demo feedback skipped")
        return
    county_admin = User.objects.filter(role=Role.COUNTY_ADMIN, is_active=True).order_by("pk").first()
    towns = Region.objects.towns().filter(code__in=[t[0] for t in demo_data.TOWNS]).order_by("code")
    pattern = FollowUpPattern()
    created = 0
    with no_feedback_texts():
        for index, town in enumerate(towns):
            director = User.objects.filter(town=town, role=Role.CENTER_DIRECTOR, is_active=True).first()
            if director is None or county_admin is None or _has_feedback(town):
                continue
            demo = DemoTown(
                town,
                index=index,
                today=today,
                now=now,
                county_admin=county_admin,
                device=_evaluator_device(town, director),
            )
            plan_ratings(demo)
            plan_followups(demo, pattern)
            plan_complaints(demo)
            plan_staff_problems(demo)
            created += demo.run()
        if county_admin is not None and not Proposal.objects.exists():
            county = Timeline(today=today, now=now)
            plan_proposals(county, towns={t.code: t for t in towns}, county_admin=county_admin)
            created += county.run()
        if created:
            with happening_at(min(now, Timeline(today=today, now=now).at(today, 8, 5))):
                sweep_rectifications(today=today)  # the scheduler's morning sweep: the overdue 限期整改 alerts
            _mark_old_notifications_read(today)
    result.created += created
