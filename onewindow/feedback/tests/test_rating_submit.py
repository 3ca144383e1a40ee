"""好差评 rules (国办发〔2019〕51号, GB/T 39734): five levels, reasons (a 差评 needs one), indicators per mode,
real-name or anonymous, one rating per service (一次一评), within the working-day window — and never a rating
nobody gave."""

from dataclasses import replace
from datetime import date

import pytest
from django.db import connection

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.audit.services import PUBLIC
from onewindow.cases.flow import Action
from onewindow.cases.services.acceptance import case_accept, case_reject
from onewindow.core.crypto import blind_index
from onewindow.core.errors import Conflict, Forbidden, ValidationFailed
from onewindow.core.roles import Role
from onewindow.feedback.models import Channel, Mode, Rating, RatingReason, Rectification
from onewindow.feedback.services import ratings
from onewindow.feedback.services.ratings import (
    NotRateable,
    rating_reason_save,
    rating_submit,
    subject_for_step,
    subject_for_ticket,
)
from onewindow.feedback.tests.ratings_support import RATER_MOBILE, counts, delivered_case, instant_case, serve, step_of
from onewindow.hall.models import Ticket
from onewindow.hall.services.tickets import ticket_issue
from onewindow.testing.cases import offered_item, receive

pytestmark = pytest.mark.django_db


def give(subject, *, actor=PUBLIC, channel=Channel.QR, level=5, **kwargs):
    return rating_submit(actor=actor, subject=subject, level=level, channel=channel, **kwargs)


def test_a_rating_at_the_window_counts_for_the_ticket_its_window_and_its_clerk(world, hall, clock):
    ticket = serve(world, hall, clock)
    device = world.user("a", Role.DEVICE)
    rating = give(subject_for_ticket(ticket), actor=device, channel=Channel.EVALUATOR, reasons=["办事快", "态度好"])
    rating.refresh_from_db()
    assert (rating.ticket, rating.window, rating.staff, rating.town) == (
        ticket,
        world.a.windows[0],
        world.user("a", Role.FRONT_CLERK),
        world.a.region,
    )
    assert rating.served_at == ticket.finished_at and rating.mode == Mode.OFFLINE
    assert rating.indicators == {"overall": 5} and rating.reasons == ["办事快", "态度好"]
    assert rating.anonymous and rating.rater_name == "" and rating.rater_mobile == ""
    assert not Rectification.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.RATING_GIVEN)
    assert event.actor == device and event.target_id == str(rating.pk) and event.after["channel"] == "evaluator"


def test_a_real_name_bad_rating_keeps_the_mobile_encrypted_and_opens_its_rectification(world, clock, instant_item):
    case = instant_case(world, instant_item)
    rating = give(
        subject_for_step(step_of(case)),
        level=1,
        reasons=["服务态度差", "多次跑动"],
        comment="来了三次",
        anonymous=False,
        rater_name="李明",
        rater_mobile="139 0537 0001",
    )
    rating.refresh_from_db()
    assert rating.rater_mobile == RATER_MOBILE and rating.rater_name == "李明"
    assert rating.rater_mobile_index == blind_index(RATER_MOBILE, purpose="mobile")
    with connection.cursor() as cursor:
        cursor.execute("SELECT rater_mobile FROM feedback_rating WHERE id = %s", [rating.pk])
        assert RATER_MOBILE not in cursor.fetchone()[0]  # SM4 at rest
    assert rating.case == case and rating.item == case.item and rating.staff == world.user("a", Role.FRONT_CLERK)
    rectification = Rectification.objects.get(rating=rating)
    assert rectification.town == world.a.region and rectification.responsible_staff == rating.staff
    assert AuditEvent.objects.filter(action=AuditAction.RATING_GIVEN, actor=None, role="public").count() == 1
    assert RATER_MOBILE not in str(AuditEvent.objects.get(action=AuditAction.RATING_GIVEN).after)


def test_anonymous_keeps_neither_name_nor_mobile_whatever_was_typed(world, clock, instant_item):
    rating = give(
        subject_for_step(step_of(instant_case(world, instant_item))),
        level=2,
        reasons=["办理超时"],
        anonymous=True,
        rater_name="李明",
        rater_mobile=RATER_MOBILE,
    )
    assert (rating.rater_name, rating.rater_mobile, rating.rater_mobile_index) == ("", "", "")
    assert Rectification.objects.filter(rating=rating).exists()  # anonymous 差评 are rectified too


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"level": 0}, "level"),
        ({"level": 6}, "level"),
        ({"level": "很好"}, "level"),
        ({"level": True}, "level"),
        ({"level": 1}, "reasons"),  # 差评 without a reason
        ({"level": 2, "reasons": ["  "]}, "reasons"),
        ({"level": 1, "reasons": ["办事快"]}, "reasons"),  # a good reason for a bad level
        ({"level": 5, "reasons": ["没有这个原因"]}, "reasons"),
        ({"indicators": {"attitude": 6}}, "indicators.attitude"),
        ({"indicators": {"usability": 4}}, "indicators.usability"),  # an online indicator for a window service
        ({"indicators": {"efficiency": "快"}}, "indicators.efficiency"),
        ({"indicators": ["overall"]}, "indicators"),
        ({"comment": "很" * 501}, "comment"),
        ({"anonymous": False, "rater_name": "李明"}, "rater_mobile"),
        ({"anonymous": False, "rater_name": "李明", "rater_mobile": "1390537000"}, "rater_mobile"),
        ({"anonymous": False, "rater_mobile": RATER_MOBILE}, "rater_name"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(world, clock, instant_item, kwargs, field):
    subject = subject_for_step(step_of(instant_case(world, instant_item)))
    before = counts()
    with pytest.raises(ValidationFailed) as caught:
        give(subject, **kwargs)
    assert field in caught.value.fields, caught.value.fields
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.fields[field])
    assert counts() == before


def test_indicators_follow_the_mode_and_overall_defaults_to_the_level(world, clock, instant_item):
    subject = replace(subject_for_step(step_of(instant_case(world, instant_item))), mode=Mode.ONLINE)
    rating = give(subject, level=4, indicators={"usability": 3, "guide_accuracy": "5", "efficiency": ""})
    assert rating.indicators == {"overall": 4, "guide_accuracy": 5, "usability": 3}
    with pytest.raises(ValidationFailed):
        give(replace(subject, case_step=None, ticket=None), indicators={"attitude": 5})


def test_a_second_rating_of_the_same_service_is_refused(world, hall, clock, instant_item):
    subject = subject_for_step(step_of(instant_case(world, instant_item)))
    give(subject, level=5)
    before = counts()
    with pytest.raises(Conflict) as caught:
        give(subject, level=1, reasons=["服务态度差"], channel=Channel.SMS)
    assert caught.value.code == "rating.already_rated" and "已评价" in caught.value.message
    ticket_subject = subject_for_ticket(serve(world, hall, clock))
    give(ticket_subject, actor=world.user("a", Role.DEVICE), channel=Channel.EVALUATOR)
    with pytest.raises(Conflict):
        give(ticket_subject, actor=world.user("a", Role.FRONT_CLERK), channel=Channel.EVALUATOR)
    assert counts()[0] == before[0] + 1


def test_two_ratings_at_the_same_moment_meet_the_database_constraint(world, clock, instant_item, monkeypatch):
    subject = subject_for_step(step_of(instant_case(world, instant_item)))
    give(subject)
    before = counts()
    monkeypatch.setattr(ratings, "is_rated", lambda subject: False)  # the other request had not committed yet
    with pytest.raises(Conflict) as caught:
        give(subject, level=1, reasons=["服务态度差"])
    assert caught.value.code == "rating.already_rated" and counts() == before


def test_a_rating_is_accepted_within_the_working_day_window_and_refused_after(world, clock, instant_item):
    first = subject_for_step(step_of(instant_case(world, instant_item)))  # Tuesday 2026-09-01
    second = subject_for_step(step_of(instant_case(world, instant_item)))
    clock.day = date(2026, 9, 8)  # the 5th working day after
    give(first)
    clock.day = date(2026, 9, 9)
    before = counts()
    with pytest.raises(Conflict) as caught:
        give(second)
    assert caught.value.code == "rating.window_closed" and "5个工作日" in caught.value.message
    assert counts() == before


def test_the_window_counts_working_days_not_calendar_days(world, clock, instant_item, settings):
    settings.ONEWINDOW_RATING_WINDOW_WORKING_DAYS = 2
    clock.day = date(2026, 9, 30)  # Wednesday before the National Day holiday (10-01 … 10-07 off)
    subject = subject_for_step(step_of(instant_case(world, instant_item)))
    assert subject.deadline > date(2026, 10, 7)  # two calendar days would end on 10-02, inside the holiday
    clock.day = date(2026, 10, 8)
    give(subject)


def test_only_services_to_a_person_can_be_rated(world, hall, clock, instant_item):
    case = instant_case(world, instant_item)
    submitted = step_of(case, Action.SUBMIT)
    with pytest.raises(NotRateable) as caught:
        subject_for_step(submitted)
    assert "不能评价" in caught.value.message
    with pytest.raises(NotRateable) as caught:  # 即办件: accepted and completed in one visit, rated once
        subject_for_step(step_of(case, Action.ACCEPT))
    assert "即办办结" in caught.value.message
    waiting = ticket_issue(actor=PUBLIC, category=hall["A"])
    with pytest.raises(NotRateable):
        subject_for_ticket(waiting)
    clerk = world.user("a", Role.FRONT_CLERK)
    accepted = case_accept(actor=clerk, case=receive(world, offered_item(world)))
    assert subject_for_step(step_of(accepted, Action.ACCEPT)).staff == clerk
    rejected = case_reject(actor=clerk, case=receive(world, offered_item(world, "370829-DB-002")), reason="不符合条件")
    assert subject_for_step(step_of(rejected, Action.REJECT)).case == rejected


@pytest.mark.parametrize(
    "who, channel, typed",
    [
        ("public", Channel.EVALUATOR, False),  # the public rates through the web, a phone or a QR code
        ("device_b", Channel.EVALUATOR, False),  # another town's tablet
        ("device", Channel.SMS, False),
        ("front_clerk", Channel.CARD, False),  # a card needs its typist
        ("front_clerk", Channel.QR, False),  # staff never rate through the citizens' channels
        ("reviewer", Channel.CARD, True),
        ("supervisor", Channel.EVALUATOR, False),
    ],
)
def test_who_may_submit_through_which_channel(world, clock, instant_item, who, channel, typed):
    subject = subject_for_step(step_of(instant_case(world, instant_item)))
    actor = {"public": PUBLIC, "device_b": world.user("b", Role.DEVICE)}.get(who) or world.user("a", who)
    before = counts()
    with pytest.raises(Forbidden):
        give(subject, actor=actor, channel=channel, entered_by=actor if typed else None)
    assert counts() == before


def test_a_card_is_typed_in_by_the_clerk_who_is_recorded(world, clock, instant_item):
    output = world.user("a", Role.OUTPUT_CLERK)
    rating = give(
        subject_for_step(step_of(instant_case(world, instant_item))),
        actor=output,
        channel=Channel.CARD,
        entered_by=output,
        level=3,
    )
    assert rating.entered_by == output and rating.channel == Channel.CARD
    assert AuditEvent.objects.get(action=AuditAction.RATING_GIVEN).actor == output


def test_no_rating_is_ever_created_on_anyones_behalf(world, hall, clock, instant_item):
    """Finishing tickets, completing 即办件 and delivering results leave no rating: no automatic 5 stars."""
    for _ in range(3):
        serve(world, hall, clock)
    instant_case(world, instant_item)
    delivered = delivered_case(world, clock)
    assert delivered.status == "delivered" and Ticket.objects.filter(status="done").count() == 3
    clock.advance(10)  # long past every rating window
    assert not Rating.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.RATING_GIVEN).exists()


def test_the_county_sets_the_reason_labels_and_a_director_cannot(world):
    reason = rating_reason_save(actor=world.county_admin, reason=RatingReason(level=2, label=" 材料 反复 提交 "))
    assert reason.label == "材料 反复 提交"
    assert AuditEvent.objects.filter(action=AuditAction.RATING_REASON_SAVED, target_id=str(reason.pk)).exists()
    with pytest.raises(ValidationFailed) as caught:
        rating_reason_save(actor=world.county_admin, reason=RatingReason(level=2, label="材料 反复 提交"))
    assert "相同" in caught.value.fields["label"]
    with pytest.raises(Forbidden):
        rating_reason_save(actor=world.user("a", Role.CENTER_DIRECTOR), reason=RatingReason(level=5, label="好"))
    reason.is_active = False
    rating_reason_save(actor=world.county_admin, reason=reason)
    assert "材料 反复 提交" not in RatingReason.objects.filter(is_active=True).values_list("label", flat=True)


def test_the_default_reasons_cover_every_level(db):
    for level in range(1, 6):
        assert RatingReason.objects.filter(level=level, is_active=True).exists(), level
    assert {"办事指南不准确", "多次跑动", "办理超时", "服务态度差"} <= set(
        RatingReason.objects.filter(level=1).values_list("label", flat=True)
    )
