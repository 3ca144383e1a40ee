"""manage.py demo's feedback history: about half of the hall's and the cases' services rated (never all), mostly
good, some 差评 whose rectifications stand in every state, follow-up calls, complaints in each GB/T 36113 step,
ledger lines from every source, micro-innovation proposals; the month's figures add up, the audit chains verify,
nobody is texted, and a second load adds nothing. The clock is pinned to Tuesday 2026-11-10 10:30 (the calendar
knows 2026), so the hall's eight weeks reach back into September and October is a whole month."""

import shutil
import tempfile
from collections import Counter
from datetime import date, datetime
from unittest import mock

from django.db.models import Q
from django.test import TestCase, override_settings
from django.utils import timezone

from onewindow.audit.models import AuditEvent
from onewindow.audit.verify import verify_chains
from onewindow.cases.services.demo import working_days_before
from onewindow.core.calendar import add_working_days
from onewindow.core.models import Notification
from onewindow.core.months import month_bounds
from onewindow.core.roles import Role
from onewindow.core.sms import LocmemSmsBackend
from onewindow.feedback.figures import month_figures, window_ranking
from onewindow.feedback.models import (
    BAD_LEVELS,
    Channel,
    Complaint,
    ComplaintChannel,
    ComplaintStatus,
    FollowUp,
    Outcome,
    ProblemEntry,
    ProblemSource,
    ProblemStatus,
    Proposal,
    ProposalStatus,
    Rating,
    Rectification,
    RectificationStatus,
    ReviewKind,
    ReviewState,
)
from onewindow.feedback.services.complaints import is_overdue
from onewindow.feedback.services.demo import EVALUATOR_DEVICE, UNREAD_WORKING_DAYS
from onewindow.feedback.services.demo_ratings import ticket_subject
from onewindow.feedback.services.ratings import subject_for_ticket
from onewindow.hall.models import Ticket, TicketStatus
from onewindow.org import demo_data
from onewindow.org.models import Region
from onewindow.org.services.demo import load_demo

NOW = timezone.make_aware(datetime(2026, 11, 10, 10, 30))
TODAY = NOW.date()
OCTOBER = date(2026, 10, 1)
JIAXIANG_STREET, ZHIFANG = "370829001000", "370829101000"
MEDIA = tempfile.mkdtemp(prefix="onewindow-demo-feedback-")
MODELS = (Rating, Rectification, Complaint, FollowUp, ProblemEntry, Proposal, AuditEvent)


def teardown_module():
    shutil.rmtree(MEDIA, ignore_errors=True)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@override_settings(
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    MEDIA_ROOT=MEDIA,
    ONEWINDOW_PRIVATE_DIR=MEDIA,
    ONEWINDOW_SMS_BACKEND="onewindow.core.sms.LocmemSmsBackend",
    ONEWINDOW_PUBLIC_BASE_URL="https://zwfw.jiaxiang.gov.cn",  # invitations could go out: the demo must not send them
)
class DemoFeedbackTests(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.enterClassContext(mock.patch.object(timezone, "now", lambda: NOW))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        LocmemSmsBackend.outbox = []
        with cls.captureOnCommitCallbacks(execute=True):
            load_demo()
        cls.texts = list(LocmemSmsBackend.outbox)

    def town(self, code):
        return Region.objects.get(code=code)

    def test_about_half_of_the_services_are_rated_and_never_all(self):
        for code, *_ in demo_data.TOWNS:
            done = Ticket.objects.filter(center__town__code=code, status=TicketStatus.DONE)
            rated = done.filter(ratings__isnull=False).count()
            assert 0.35 <= rated / done.count() <= 0.6, (code, rated, done.count())
        assert not Rating.objects.filter(ticket__isnull=True, case_step__isnull=True).exists()
        assert not Rating.objects.filter(ticket__isnull=False).exclude(ticket__status=TicketStatus.DONE).exists()
        steps = Rating.objects.filter(case_step__isnull=False)
        assert steps.exists() and steps.count() < Rating.objects.count() / 50
        for served_at, created_at in Rating.objects.values_list("served_at", "created_at"):
            served_on = timezone.localdate(served_at)
            assert served_at <= created_at <= NOW
            assert timezone.localdate(created_at) <= add_working_days(served_on, 5)

    def test_mostly_good_a_few_bad_each_with_reasons_and_a_rectification(self):
        levels = Counter(Rating.objects.values_list("level", flat=True))
        total = sum(levels.values())
        assert levels[5] / total > 0.6 and levels[5] > levels[4] > levels[3] > 0
        bad = Rating.objects.bad()
        assert 0.01 < bad.count() / total < 0.04
        assert bad.count() == Rectification.objects.count()
        assert not bad.filter(rectification__isnull=True).exists()
        assert all(reasons for reasons in bad.values_list("reasons", flat=True))
        assert bad.exclude(comment="").exists() and bad.filter(anonymous=False).exists()

    def test_ratings_come_from_the_tablet_cards_and_the_links(self):
        channels = Counter(Rating.objects.values_list("channel", flat=True))
        assert channels[Channel.EVALUATOR] > 0.9 * sum(channels.values())
        assert {Channel.CARD, Channel.QR, Channel.SMS, Channel.MOBILE} <= set(channels)
        assert not Rating.objects.filter(channel=Channel.CARD, entered_by__isnull=True).exists()
        assert not Rating.objects.filter(~Q(channel=Channel.CARD), entered_by__isnull=False).exists()
        given = AuditEvent.objects.filter(target_type="feedback.rating", after__channel=Channel.EVALUATOR)
        assert set(given.values_list("actor_name", "role").distinct()) == {(EVALUATOR_DEVICE, Role.DEVICE)}

    def test_ticket_subjects_are_the_ones_the_service_builds(self):
        for rating in Rating.objects.filter(ticket__isnull=False).select_related("ticket")[:40]:
            expected = subject_for_ticket(rating.ticket)
            built = ticket_subject(
                Ticket.objects.select_related("center__town", "category", "window", "staff").get(pk=rating.ticket_id),
                [],
            )
            assert built == expected
            assert (rating.window, rating.staff, rating.served_at) == (
                expected.window,
                expected.staff,
                expected.served_at,
            )

    def test_rectifications_stand_in_every_state(self):
        statuses = set(Rectification.objects.values_list("status", flat=True))
        assert statuses == set(RectificationStatus.values)
        outcomes = set(Rectification.objects.exclude(outcome="").values_list("outcome", flat=True))
        assert outcomes == set(Outcome.values)
        overdue = Rectification.objects.filter(
            status=RectificationStatus.RECTIFYING, outcome=Outcome.BY_DEADLINE, deadline__lt=TODAY
        )
        assert [r.town.code for r in overdue] == [JIAXIANG_STREET]
        assert overdue.get().overdue_alerted_on == TODAY
        assert Rectification.objects.filter(
            status=RectificationStatus.RECTIFYING, outcome=Outcome.BY_DEADLINE, deadline__gte=TODAY
        ).exists()
        assert Rectification.objects.filter(
            reviews__kind=ReviewKind.EXTENSION, reviews__state=ReviewState.APPROVED
        ).exists()
        assert Rectification.objects.filter(reviews__kind=ReviewKind.APPEAL, reviews__state=ReviewState.PENDING).count()
        closed = Rectification.objects.filter(status=RectificationStatus.CLOSED)
        assert not closed.filter(reply="").exists()
        real_name = closed.filter(rating__anonymous=False)
        assert real_name.exists() and not real_name.exclude(callbacks__reached=True).exists()
        recent = Rectification.objects.filter(rating__created_at__date=TODAY)
        assert not recent.exclude(status=RectificationStatus.VERIFYING).exists()

    def test_follow_up_calls_some_unanswered_one_raising_a_problem(self):
        calls = FollowUp.objects.all()
        assert calls.filter(reached=True).exists() and calls.filter(reached=False).exists()
        assert calls.filter(called_by__role=Role.OUTPUT_CLERK).exists()
        assert ProblemEntry.objects.filter(source=ProblemSource.FOLLOW_UP, follow_up__isnull=False).exists()

    def test_complaints_in_every_step_one_overdue_some_on_the_ledger(self):
        assert set(Complaint.objects.values_list("status", flat=True)) == set(ComplaintStatus.values)
        assert set(Complaint.objects.values_list("channel", flat=True)) == set(ComplaintChannel.values)
        overdue = [c for c in Complaint.objects.select_related("town") if is_overdue(c, TODAY)]
        assert [c.town.code for c in overdue] == [JIAXIANG_STREET]
        assert not Complaint.objects.filter(status=ComplaintStatus.REVIEWED, review_satisfaction__isnull=True).exists()
        assert ProblemEntry.objects.filter(source=ProblemSource.COMPLAINT, complaint__isnull=False).exists()

    def test_the_ledger_has_every_source_and_status(self):
        entries = ProblemEntry.objects.all()
        assert set(entries.values_list("source", flat=True)) == set(ProblemSource.values)
        assert set(entries.values_list("status", flat=True)) == set(ProblemStatus.values)
        assert not entries.filter(status=ProblemStatus.DONE, measures="").exists()
        for code in (JIAXIANG_STREET, ZHIFANG):
            staff = entries.filter(town__code=code, source=ProblemSource.STAFF)
            assert set(staff.values_list("status", flat=True)) == set(ProblemStatus.values), code

    def test_proposals_adopted_evaluating_and_declined_and_the_public_list(self):
        statuses = Counter(Proposal.objects.values_list("status", flat=True))
        assert statuses[ProposalStatus.ADOPTED] >= 3 and statuses[ProposalStatus.DECLINED] == 1
        assert statuses[ProposalStatus.EVALUATING] >= 1 and statuses[ProposalStatus.SUBMITTED] >= 1
        assert Proposal.objects.filter(status=ProposalStatus.ADOPTED).exclude(recognition="").exists()
        page = self.client.get("/innovation/").content.decode()
        for proposal in Proposal.objects.all():
            assert (proposal.title in page) == (proposal.status == ProposalStatus.ADOPTED), proposal.title

    def test_octobers_figures_and_ranking(self):
        showcase = [self.town(JIAXIANG_STREET).pk, self.town(ZHIFANG).pk]
        rows = month_figures(month=OCTOBER, by="town", towns=showcase)
        assert {r.key for r in rows} == set(showcase)
        for row in rows:
            assert 35 <= row.active_rate <= 60, row.as_dict()
            assert row.good_rate > 95 and 0 < row.bad_rate < 4
            assert row.callback_rate > 80 and row.rectification_rate > 50 and row.reply_rate > 50
        start, end = month_bounds(OCTOBER)
        in_month = Rating.objects.filter(town__in=showcase, created_at__gte=start, created_at__lt=end)
        assert sum(r.ratings for r in rows) == in_month.count()
        assert sum(r.bad for r in rows) == in_month.filter(level__in=BAD_LEVELS).count()
        ranking = window_ranking(month=OCTOBER, towns=showcase)
        assert [r.rank for r in ranking[:3]] == [1, 2, 3]

    def test_the_audit_chains_verify_and_nobody_is_texted(self):
        reports = list(verify_chains())
        assert reports and all(report.ok for report in reports), [r.broken for r in reports if not r.ok]
        assert self.texts == []

    def test_directors_see_only_the_last_days_feedback_notices_unread(self):
        unread = Notification.objects.filter(kind="rectification", read_at__isnull=True)
        assert unread.exists() and Notification.objects.filter(kind="rectification", read_at__isnull=False).exists()
        cutoff = working_days_before(TODAY, UNREAD_WORKING_DAYS)
        assert all(timezone.localdate(n.created_at) >= cutoff for n in unread)

    def test_a_second_load_adds_nothing(self):
        before = counts()
        again = load_demo()
        assert again.created == 0
        assert counts() == before
