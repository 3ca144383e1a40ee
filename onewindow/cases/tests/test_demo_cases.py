"""manage.py demo adds cases in every state across the towns, some near or past their deadline, all through the
services: a second load adds nothing and the audit chains still verify."""

from collections import defaultdict
from datetime import date

from django.test import TestCase, override_settings
from django.utils import timezone

from onewindow.audit.models import AuditEvent
from onewindow.audit.verify import verify_chains
from onewindow.cases.deadlines import DeadlineState, deadline_state
from onewindow.cases.flow import Status, Step
from onewindow.cases.models import Case, CaseStep, MaterialState, Notice, ReviewTask, TaskStatus
from onewindow.cases.services.demo import CALENDAR_MARGIN_DAYS, demo_today
from onewindow.core.calendar import add_working_days
from onewindow.core.models import CalendarYear
from onewindow.core.pii import is_valid_id_number
from onewindow.org import demo_data
from onewindow.org.services.demo import load_demo

FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Acceptance routes the case to review at once, and intake never makes drafts: these two never rest.
RESTING = set(Status.values) - {Status.DRAFT, Status.ACCEPTED}
# What a town's director can bring about alone (the towns without demo reviewers get at least these).
DIRECTOR_ALONE = {
    Status.SUBMITTED,
    Status.CORRECTION_REQUIRED,
    Status.IN_REVIEW,
    Status.SUSPENDED,
    Status.DELIVERED,
    Status.REJECTED,
    Status.WITHDRAWN,
    Status.REVOKED,
    Status.TERMINATED,
}


def counts():
    return {model.__name__: model.objects.count() for model in (Case, CaseStep, ReviewTask, Notice, AuditEvent)}


@override_settings(PASSWORD_HASHERS=FAST_HASHING)
class DemoCasesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with cls.captureOnCommitCallbacks() as cls.after_commit:
            cls.result = load_demo()
        cls.today = demo_today(timezone.localdate())

    def statuses_by_town(self):
        found = defaultdict(set)
        for code, status in Case.objects.values_list("town__code", "status"):
            found[code].add(status)
        return found

    def test_a_second_load_adds_nothing(self):
        before = counts()
        again = load_demo()
        assert again.created == 0
        assert counts() == before
        assert before["Case"] > 100

    def test_every_status_in_some_town_and_every_town_has_a_spread(self):
        found = self.statuses_by_town()
        assert set(found) == {code for code, *_ in demo_data.TOWNS}
        assert set().union(*found.values()) == RESTING
        for code, statuses in found.items():
            assert statuses >= DIRECTOR_ALONE, (code, DIRECTOR_ALONE - statuses)
        for code in ("370829001000", "370829101000"):  # the fully staffed towns: everything
            assert found[code] == RESTING, (code, RESTING - found[code])

    def test_some_cases_near_and_some_past_their_deadline(self):
        open_cases = Case.objects.filter(status=Status.IN_REVIEW)
        states = {deadline_state(case.deadline, self.today) for case in open_cases}
        assert {DeadlineState.GREEN, DeadlineState.YELLOW, DeadlineState.RED} <= states
        last_year = max(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
        assert not Case.objects.filter(deadline__year__gt=last_year).exists()
        assert not Case.objects.filter(submitted_at__gt=timezone.now()).exists()

    def test_the_demo_today_keeps_every_deadline_inside_the_calendar(self):
        last_year = max(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
        late = demo_today(date(last_year + 1, 3, 1))  # run after the calendar ran out: the stories move back
        assert add_working_days(late, CALENDAR_MARGIN_DAYS).year == last_year
        assert demo_today(date(last_year, 5, 6)) == date(last_year, 5, 6)

    def test_joint_stage_half_approved_and_deficiency_pending(self):
        half = [
            task.case_id
            for task in ReviewTask.objects.filter(status=TaskStatus.PENDING)
            if ReviewTask.objects.filter(
                case_id=task.case_id, round=task.round, stage_position=task.stage_position, status=TaskStatus.APPROVED
            ).exists()
        ]
        assert half
        deficient = Case.objects.filter(materials__state=MaterialState.DEFICIENT, deficiency_due__gte=self.today)
        assert deficient.filter(status=Status.IN_REVIEW).exists()
        assert deficient.filter(status=Status.DECIDED, decision="approved").exists()  # held at the output window

    def test_the_whole_walk_is_on_the_timeline(self):
        walked = Case.objects.filter(status=Status.DELIVERED, suspended_days__gt=0, deficiency_due__isnull=False)
        assert walked.exists()
        case = walked.first()
        codes = [code for code in case.steps.order_by("at", "pk").values_list("step_code", flat=True) if code]
        assert codes == [
            Step.RECEIVED,
            Step.WINDOW_ACCEPTED,
            Step.DEPARTMENT_ACCEPTED,
            Step.SPECIAL_STARTED,
            Step.SPECIAL_ENDED,
            Step.APPROVED_WITH_DEFICIENCY,
        ]
        assert not case.materials.filter(state=MaterialState.DEFICIENT).exists()
        assert case.submitted_at < case.accepted_at <= case.decided_at < case.delivered_at

    def test_the_made_up_applicants_are_never_texted(self):
        assert Case.objects.count() > 100
        assert not [callback for callback in self.after_commit if callback.__module__ == "onewindow.core.sms"]

    def test_applicants_are_valid_and_audit_chains_verify(self):
        assert all(is_valid_id_number(case.applicant_id_number) for case in Case.objects.all())
        reports = list(verify_chains())
        assert reports and all(report.ok for report in reports)
        assert Case.objects.filter(channel="agent", agent__isnull=False).exists()
