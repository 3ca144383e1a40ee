"""Bad ratings for the rectification and follow-up tests, given through the services as a citizen would."""

from dataclasses import replace

import pytest

from onewindow.audit.services import PUBLIC
from onewindow.cases.flow import Action
from onewindow.cases.services.acceptance import case_complete_instantly
from onewindow.core.sms import LocmemSmsBackend
from onewindow.feedback.models import Channel, RatingReason
from onewindow.feedback.services.ratings import rating_reason_save, rating_submit, subject_for_step
from onewindow.testing.cases import offered_item, receive

RATER_MOBILE = "13905370001"


@pytest.fixture
def sms(settings):
    settings.ONEWINDOW_SMS_BACKEND = "onewindow.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    return LocmemSmsBackend


@pytest.fixture
def instant_item(world):
    for level, label in ((1, "态度生硬"), (2, "等候时间长")):
        rating_reason_save(actor=world.county_admin, reason=RatingReason(level=level, label=label))
    return offered_item(world, "370829-JB-001", handling_type="instant", promised_limit_days=0, stages=[])


def delivered_case(world, item, **kwargs):
    """A 即办件 accepted, decided and handed over at town A's front desk in one visit."""
    return case_complete_instantly(actor=world.user("a", "front_clerk"), case=receive(world, item, **kwargs))


def bad_rating(case, *, anonymous=False, level=1, department=None, comment="办事窗口态度生硬"):
    step = case.steps.get(action=Action.COMPLETE_INSTANTLY)
    subject = subject_for_step(step)
    if department is not None:  # a step a department served (谁办理、谁负责)
        subject = replace(subject, department=department)
    return rating_submit(
        actor=PUBLIC,
        subject=subject,
        level=level,
        channel=Channel.QR,
        reasons=["态度生硬" if level == 1 else "等候时间长"],
        comment=comment,
        anonymous=anonymous,
        rater_name="" if anonymous else "李明",
        rater_mobile="" if anonymous else RATER_MOBILE,
    )
