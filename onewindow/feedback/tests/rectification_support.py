"""Bad ratings for the rectification and follow-up tests, given through the services as a citizen would."""

from dataclasses import replace

import pytest

from onewindow.audit.services import PUBLIC
from onewindow.cases.flow import Action
from onewindow.feedback.models import Channel, RatingReason
from onewindow.feedback.services.ratings import rating_reason_save, rating_submit, subject_for_step
from onewindow.feedback.tests.ratings_support import instant_case as delivered_case  # noqa: F401  (re-export)

RATER_MOBILE = "13905370001"


@pytest.fixture
def reasoned_item(world, instant_item):
    """The 即办件 with the two 差评 reasons these tests pick."""
    for level, label in ((1, "态度生硬"), (2, "等候时间长")):
        rating_reason_save(actor=world.county_admin, reason=RatingReason(level=level, label=label))
    return instant_item


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
