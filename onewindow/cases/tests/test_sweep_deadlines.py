"""The deadline sweep: yellow and red reminders once a day, to the right people; overdue 容缺 terminated."""

from datetime import date

import pytest
from django.core.management import call_command

from onewindow.cases.deadlines import DeadlineState, deadline_state
from onewindow.cases.flow import Status
from onewindow.cases.services.acceptance import case_accept, case_accept_with_deficiency
from onewindow.cases.services.deadlines import sweep_deadlines
from onewindow.core.models import Notification
from onewindow.core.sms import LocmemSmsBackend
from onewindow.org.services import save_staff
from onewindow.testing.cases import offered_item, receive

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sms(settings):
    settings.ONEWINDOW_SMS_BACKEND = "onewindow.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    return LocmemSmsBackend


def test_colours(clock):
    assert deadline_state(date(2026, 9, 21), date(2026, 9, 1)) == DeadlineState.GREEN
    assert deadline_state(date(2026, 9, 21), date(2026, 9, 20)) == DeadlineState.YELLOW  # Sunday 9-20 is a workday
    assert deadline_state(date(2026, 9, 21), date(2026, 9, 21)) == DeadlineState.YELLOW
    assert deadline_state(date(2026, 9, 21), date(2026, 9, 22)) == DeadlineState.RED
    assert deadline_state(None, date(2026, 9, 22)) is None


def test_reminders_go_once_a_day_to_the_clerk_the_director_and_the_department(
    world, clock, sms, django_capture_on_commit_callbacks
):
    clerk, director = world.user("a", "front_clerk"), world.user("a", "center_director")
    director.mobile = "13905371111"
    save_staff(actor=world.county_admin, user=director)
    case = case_accept(actor=clerk, case=receive(world, offered_item(world)))
    # the first stage (7 working days) is due 9-10; the case 9-21
    clock.day = date(2026, 9, 9)
    report = sweep_deadlines()
    assert (report.case_reminders, report.task_reminders) == (0, 1)
    reviewer = world.user("a", "reviewer")
    assert Notification.objects.filter(user=reviewer, title__contains="审批环节即将到期").count() == 1
    assert sweep_deadlines().task_reminders == 0  # the same day again: nothing new
    clock.day = date(2026, 9, 22)
    with django_capture_on_commit_callbacks(execute=True):
        report = sweep_deadlines()
    assert report.case_reminders == 1 and report.task_reminders == 1
    for user in (clerk, director):
        assert Notification.objects.filter(user=user, title="超时提醒：办件已超期").exists()
    assert any(case.number in m.text and m.to == "13905371111" for m in sms.outbox)


def test_overdue_deficiency_is_terminated_by_the_sweep(world, clock):
    case = receive(world, offered_item(world), materials={1: "received", 2: "received"})
    case = case_accept_with_deficiency(
        actor=world.user("a", "front_clerk"), case=case, deficient=[3], due=date(2026, 9, 4)
    )
    clock.day = date(2026, 9, 7)
    assert sweep_deadlines().terminated == [case.number]
    case.refresh_from_db()
    assert case.status == Status.TERMINATED


def test_scheduler_enqueues_the_sweep(world, clock):
    case_accept(actor=world.user("a", "front_clerk"), case=receive(world, offered_item(world)))
    clock.day = date(2026, 9, 22)
    call_command("scheduler", "--once")  # the immediate backend runs it inline
    assert Notification.objects.filter(title="超时提醒：办件已超期").exists()
    call_command("sweep_deadlines")


def test_reminders_show_on_the_home_page_until_read(client, world, clock):
    case_accept(actor=world.user("a", "front_clerk"), case=receive(world, offered_item(world)))
    clock.day = date(2026, 9, 22)
    sweep_deadlines()
    client.force_login(world.user("a", "center_director"))
    assert "超时提醒：办件已超期" in client.get("/").content.decode()
    assert "超时提醒：办件已超期" in client.get("/notifications/").content.decode()
    assert "新提醒" not in client.get("/").content.decode()
