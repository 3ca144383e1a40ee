"""Appointments: the director opens slots with a quota, a citizen books (code by SMS) and cancels, and checks in
at the kiosk to get a ticket. No overbooking, even with phones booking the last place at the same moment."""

from datetime import date, time, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.audit.services import PUBLIC
from onewindow.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from onewindow.core.roles import Role
from onewindow.core.sms import LocmemSmsBackend
from onewindow.hall.models import Appointment, AppointmentSlot, AppointmentStatus, Ticket, TicketSource
from onewindow.hall.services.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    slots_create,
)

pytestmark = pytest.mark.django_db

WEDNESDAY = date(2026, 9, 2)
PHONE = "13805371234"


@pytest.fixture
def sms(settings):
    settings.ONEWINDOW_SMS_BACKEND = "onewindow.core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    return LocmemSmsBackend


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def director(world):
    return world.user("a", Role.CENTER_DIRECTOR)


def open_slots(world, category, days, quota=2, length=30):
    return slots_create(actor=director(world), category=category, days=days, length_minutes=length, quota=quota)


def slot_at(category, day, hour, minute=0):
    return AppointmentSlot.objects.get(category=category, day=day, start=time(hour, minute))


def test_the_director_opens_slots_over_the_opening_sessions_on_working_days(world, hall, clock):
    made = open_slots(world, hall["A"], [WEDNESDAY + timedelta(days=n) for n in range(5)])  # Wed … Sun
    assert {s.day for s in made} == {date(2026, 9, 2), date(2026, 9, 3), date(2026, 9, 4)}
    assert len(made) == 3 * (7 + 8)  # 08:30–12:00 and 13:30–17:30 in half hours
    first = slot_at(hall["A"], WEDNESDAY, 8, 30)
    assert (first.end, first.quota, first.booked) == (time(9, 0), 2, 0)
    assert AuditEvent.objects.filter(action=AuditAction.APPOINTMENT_SLOTS_SET).count() == 1
    open_slots(world, hall["A"], [WEDNESDAY], quota=4)  # again: the quota changes, no duplicates
    assert (
        AppointmentSlot.objects.filter(day=WEDNESDAY).count() == 15 and slot_at(hall["A"], WEDNESDAY, 8, 30).quota == 4
    )


def test_slot_rules_in_chinese(world, hall, clock):
    with pytest.raises(Forbidden):
        slots_create(actor=world.user("a", Role.FRONT_CLERK), category=hall["A"], days=[WEDNESDAY])
    with pytest.raises(Forbidden):
        slots_create(actor=world.user("b", Role.CENTER_DIRECTOR), category=hall["A"], days=[WEDNESDAY])
    with pytest.raises(ValidationFailed) as caught:
        open_slots(world, hall["A"], [date(2026, 8, 31)], quota=0, length=25)
    assert set(caught.value.fields) == {"days", "quota", "length_minutes"} and "过去" in caught.value.fields["days"]
    with pytest.raises(ValidationFailed) as caught:
        open_slots(world, hall["A"], [clock.day + timedelta(days=61)])
    assert "最多提前 60 天" in caught.value.fields["days"]
    assert not AppointmentSlot.objects.exists()


def test_lowering_a_quota_below_the_bookings_is_refused_and_nothing_changes(world, hall, clock):
    open_slots(world, hall["A"], [WEDNESDAY], quota=2)
    slot = slot_at(hall["A"], WEDNESDAY, 9)
    appointment_book(actor=PUBLIC, slot=slot, name="张桂英", phone=PHONE)
    appointment_book(actor=PUBLIC, slot=slot, name="李建国", phone="13905371111")
    with pytest.raises(ValidationFailed) as caught:
        open_slots(world, hall["A"], [WEDNESDAY], quota=1)
    assert "已有 2 人预约" in caught.value.fields["quota"]
    assert set(AppointmentSlot.objects.values_list("quota", flat=True)) == {2}


def test_booking_gives_a_code_by_sms_and_refuses_full_past_and_repeated_bookings(
    world, hall, clock, sms, django_capture_on_commit_callbacks
):
    open_slots(world, hall["B"], [WEDNESDAY], quota=1)
    slot = slot_at(hall["B"], WEDNESDAY, 9)
    with django_capture_on_commit_callbacks(execute=True):
        booked = appointment_book(actor=PUBLIC, slot=slot, name="张桂英", phone="138-0537-1234")
    assert len(booked.code) == 8 and booked.code.isdigit() and booked.phone == PHONE
    slot.refresh_from_db()
    assert slot.booked == 1
    assert sms.outbox[-1].to == PHONE and booked.code in sms.outbox[-1].text and "09:00-09:30" in sms.outbox[-1].text
    with pytest.raises(Conflict) as caught:
        appointment_book(actor=PUBLIC, slot=slot, name="李建国", phone="13905371111")
    assert caught.value.code == "hall.slot_full" and "约满" in caught.value.message
    with pytest.raises(Conflict) as caught:
        appointment_book(actor=PUBLIC, slot=slot_at(hall["B"], WEDNESDAY, 10), name="张桂英", phone=PHONE)
    assert caught.value.code == "hall.already_booked"
    with pytest.raises(ValidationFailed) as caught:
        appointment_book(actor=PUBLIC, slot=slot_at(hall["B"], WEDNESDAY, 10), name="张", phone="12345")
    assert set(caught.value.fields) == {"name", "phone"}
    clock.advance(1)
    clock.at = time(9, 5)
    with pytest.raises(Conflict) as caught:
        appointment_book(actor=PUBLIC, slot=slot_at(hall["B"], WEDNESDAY, 9), name="王秀兰", phone="13705371111")
    assert caught.value.code == "hall.slot_past"
    assert Appointment.objects.count() == 1 and AppointmentSlot.objects.get(pk=slot.pk).booked == 1


def test_cancel_needs_the_code_and_the_phone_and_frees_the_place(world, hall, clock):
    open_slots(world, hall["A"], [WEDNESDAY], quota=1)
    slot = slot_at(hall["A"], WEDNESDAY, 9)
    booked = appointment_book(actor=PUBLIC, slot=slot, name="张桂英", phone=PHONE)
    with pytest.raises(NotFound):
        appointment_cancel(actor=PUBLIC, code=booked.code, phone="13905371111")
    with pytest.raises(NotFound):
        appointment_cancel(actor=PUBLIC, code="00000000", phone=PHONE)
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED
    appointment_cancel(actor=PUBLIC, code=booked.code, phone=PHONE)
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED
    assert AppointmentSlot.objects.get(pk=slot.pk).booked == 0
    with pytest.raises(Conflict):
        appointment_cancel(actor=PUBLIC, code=booked.code, phone=PHONE)
    again = appointment_book(actor=PUBLIC, slot=slot, name="张桂英", phone=PHONE)  # the place is free again
    assert again.code != booked.code


def test_check_in_on_the_day_turns_the_appointment_into_a_ticket(world, hall, clock):
    open_slots(world, hall["A"], [clock.day], quota=2)  # today, Tuesday; it is 09:30
    kiosk, center = world.user("a", Role.DEVICE), world.a.center
    at_ten = appointment_book(actor=PUBLIC, slot=slot_at(hall["A"], clock.day, 10), name="张桂英", phone=PHONE)
    later = appointment_book(actor=PUBLIC, slot=slot_at(hall["A"], clock.day, 14), name="李建国", phone="13905371111")
    with pytest.raises(Conflict) as caught:
        appointment_check_in(actor=kiosk, center=center, code=later.code)
    assert caught.value.code == "hall.too_early" and "14:00" in caught.value.message
    with pytest.raises(NotFound):
        appointment_check_in(actor=kiosk, center=world.b.center, code=at_ten.code)  # another center's kiosk
    ticket = appointment_check_in(actor=kiosk, center=center, code=at_ten.code)
    assert ticket.source == TicketSource.APPOINTMENT and ticket.appointment == at_ten and ticket.number == "A001"
    assert Appointment.objects.get(pk=at_ten.pk).status == AppointmentStatus.CHECKED_IN
    with pytest.raises(Conflict) as caught:
        appointment_check_in(actor=kiosk, center=center, code=at_ten.code)
    assert "已签到取号（A001）" in caught.value.message
    clock.at = time(14, 30)
    with pytest.raises(Conflict) as caught:
        appointment_check_in(actor=kiosk, center=center, code=later.code)
    assert caught.value.code == "hall.too_late"
    assert Ticket.objects.count() == 1


def test_check_in_on_another_day_is_refused(world, hall, clock):
    open_slots(world, hall["A"], [WEDNESDAY])
    booked = appointment_book(actor=PUBLIC, slot=slot_at(hall["A"], WEDNESDAY, 9), name="张桂英", phone=PHONE)
    with pytest.raises(Conflict) as caught:
        appointment_check_in(actor=world.user("a", Role.DEVICE), center=world.a.center, code=booked.code)
    assert caught.value.code == "hall.wrong_day" and "9月2日" in caught.value.message


# --- pages ---------------------------------------------------------------------------------------


def test_booking_and_cancelling_pages(client, world, hall, clock):
    open_slots(world, hall["C"], [WEDNESDAY], quota=1)
    book = reverse("hall:book", args=[world.a.center.pk])
    choose = client.get(book, {"category": hall["C"].pk, "day": WEDNESDAY.isoformat()}).content.decode()
    assert "09:00–09:30" in choose and "余 1 个名额" in choose
    slot = slot_at(hall["C"], WEDNESDAY, 9)
    bad = client.post(book + f"?category={hall['C'].pk}", {"slot": slot.pk, "name": "张桂英", "phone": "123"})
    assert bad.status_code == 400 and "手机号码格式不对" in bad.content.decode()
    done = client.post(book, {"slot": slot.pk, "name": "张桂英", "phone": PHONE})
    appointment = Appointment.objects.get()
    assert (
        done.status_code == 200 and appointment.code in done.content.decode() and "138****1234" in done.content.decode()
    )
    full = client.get(book, {"category": hall["C"].pk, "day": WEDNESDAY.isoformat()}).content.decode()
    assert "已约满" in full
    cancel = reverse("hall:cancel", args=[world.a.center.pk])
    wrong = client.post(cancel, {"code": appointment.code, "phone": "13905371111"})
    assert wrong.status_code == 404 and "预约码或手机号码不正确" in wrong.content.decode()
    ok = client.post(cancel, {"code": appointment.code, "phone": PHONE})
    assert ok.status_code == 200 and "已取消" in ok.content.decode()
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED


def test_kiosk_check_in_page_prints_the_ticket(client, world, hall, clock):
    open_slots(world, hall["A"], [clock.day])
    booked = appointment_book(actor=PUBLIC, slot=slot_at(hall["A"], clock.day, 10), name="张桂英", phone=PHONE)
    client.force_login(world.user("a", Role.DEVICE))
    url = reverse("hall:kiosk-check-in", args=[world.a.center.pk])
    page = client.get(url).content.decode()
    assert "请输入预约短信中的8位预约码" in page and 'data-key="0"' in page  # the on-screen number pad
    wrong = client.post(url, {"code": "12345678"})
    assert wrong.status_code == 404 and "预约码不正确" in wrong.content.decode()
    response = client.post(url, {"code": booked.code})
    ticket = Ticket.objects.get()
    assert response["Location"].startswith(reverse("hall:kiosk-ticket", args=[world.a.center.pk, ticket.follow_token]))
    assert "A001" in client.get(response["Location"]).content.decode()


def test_director_slot_page(client, world, hall, clock):
    url = reverse("hall:slots", args=[world.a.center.pk])
    client.force_login(world.user("a", Role.FRONT_CLERK))
    assert client.get(url).status_code == 403
    client.force_login(world.user("b", Role.CENTER_DIRECTOR))
    assert client.get(url).status_code == 404
    client.force_login(director(world))
    assert "预约时段设置" in client.get(url).content.decode()
    form = {"category": hall["A"].pk, "start": WEDNESDAY.isoformat(), "days": 2, "length": 60, "quota": 3}
    response = client.post(url, form)
    assert response.status_code == 302
    assert AppointmentSlot.objects.filter(category=hall["A"]).count() == 2 * (3 + 4)
    listed = client.get(url).content.decode()
    assert "已设置 2 个工作日" in listed and "0 / 3" in listed
    bad = client.post(url, {**form, "start": "2026-08-01"})
    assert bad.status_code == 400 and "过去" in bad.content.decode()
    assert AppointmentSlot.objects.count() == 14


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_phones_booking_the_last_places_at_once_never_overbook(world, hall, clock):
    import threading

    from django.db import connection

    open_slots(world, hall["A"], [WEDNESDAY], quota=3)
    slot = slot_at(hall["A"], WEDNESDAY, 9)
    start, booked, refused, errors = threading.Barrier(8), [], [], []

    def book(n):
        try:
            start.wait()
            booked.append(appointment_book(actor=PUBLIC, slot=slot, name=f"群众{n}", phone=f"1390537{n:04d}"))
        except Conflict as exc:
            refused.append(exc.code)
        except Exception as exc:  # the main thread reports it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(booked) == 3 and refused == ["hall.slot_full"] * 5
    slot.refresh_from_db()
    assert slot.booked == 3 == Appointment.objects.filter(slot=slot).count()
