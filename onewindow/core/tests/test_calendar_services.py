"""Maintaining the calendar: package sync, the county admin's day edits and years the package lacks."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.audit.services import SYSTEM
from onewindow.core.calendar import CalendarNotCovered, add_working_days, is_workday, working_days_between
from onewindow.core.errors import Forbidden, ValidationFailed
from onewindow.core.models import CalendarDay, CalendarVersion, CalendarYear
from onewindow.core.roles import Role
from onewindow.core.services.calendar import (
    calendar_add_year,
    calendar_set_day,
    calendar_sync_from_package,
)

pytestmark = pytest.mark.django_db

# 2027 as a county admin would enter it (illustrative dates, not a published schedule).
HOLIDAYS_2027 = [
    date(2027, 1, 1),
    *(date(2027, 2, d) for d in range(5, 12)),
    *(date(2027, 10, d) for d in range(1, 8)),
]
MAKEUP_2027 = [date(2027, 2, 14), date(2027, 10, 9)]  # Sunday, Saturday
FRIDAY, SATURDAY = date(2027, 10, 8), date(2027, 10, 9)


def _events(action):
    return AuditEvent.objects.filter(action=action)


def _stamp():
    return CalendarVersion.objects.values_list("stamp", flat=True).first()


# --- sync from the chinese-calendar package ---


def test_sync_writes_every_day_and_is_idempotent(calendar_2020_2026):
    assert CalendarDay.objects.count() == (date(2027, 1, 1) - date(2020, 1, 1)).days
    assert list(CalendarYear.objects.values_list("year", flat=True)) == list(range(2020, 2027))
    stamp = _stamp()

    again = calendar_sync_from_package(actor=SYSTEM, years=list(range(2020, 2027)))

    assert (again.created, again.updated, again.kept_manual) == (0, 0, 0)
    assert not again.changed
    assert _stamp() == stamp  # nothing changed, nobody's snapshot is thrown away
    assert _events(AuditAction.CALENDAR_SYNCED).count() == 2


def test_sync_reports_a_year_the_package_does_not_know(db, package_ends_2026):
    result = calendar_sync_from_package(actor=SYSTEM, years=[2026, 2027])

    assert result.synced_years == [2026]
    assert result.unknown_years == [2027]
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()
    event = _events(AuditAction.CALENDAR_SYNCED).get()
    assert event.after["unknown_years"] == [2027]
    assert "2027年" in event.summary


def test_sync_without_years_covers_everything_the_package_knows(db, package_ends_2026):
    result = calendar_sync_from_package(actor=SYSTEM)
    assert result.synced_years == list(range(2004, 2027))
    assert result.unknown_years == []
    assert is_workday(date(2004, 1, 2))


def test_makeup_days_carry_the_holiday_name(calendar_2020_2026):
    day = CalendarDay.objects.get(date=date(2020, 9, 27))
    assert (day.is_workday, day.kind, day.name, day.source) == (True, "makeup_workday", "国庆节", "package")


# --- the county admin corrects single days ---


def test_manual_edit_wins_over_a_later_sync(calendar_2020_2026):
    calendar_set_day(actor=SYSTEM, day=date(2020, 10, 9), is_workday=False, name="临时停止对外办公")

    result = calendar_sync_from_package(actor=SYSTEM, years=[2020])

    assert result.kept_manual == 1
    day = CalendarDay.objects.get(date=date(2020, 10, 9))
    assert (day.is_workday, day.kind, day.source) == (False, "holiday", "manual")


def test_the_next_calculation_sees_an_edit(calendar_2020_2026, world):
    assert add_working_days(date(2020, 10, 9), 1) == date(2020, 10, 10)  # snapshot now cached

    calendar_set_day(actor=world.county_admin, day=date(2020, 10, 10), is_workday=False)

    assert add_working_days(date(2020, 10, 9), 1) == date(2020, 10, 12)
    assert CalendarDay.objects.get(date=date(2020, 10, 10)).kind == "weekend"


def test_set_day_records_before_and_after(calendar_2020_2026, world):
    stamp = _stamp()
    day = calendar_set_day(actor=world.county_admin, day=date(2024, 2, 9), is_workday=False, name="除夕")

    assert (day.kind, day.source) == ("holiday", "manual")
    assert _stamp() != stamp
    event = _events(AuditAction.CALENDAR_DAY_SET).get()
    assert event.actor == world.county_admin
    assert event.target_type == "core.calendarday"
    assert event.target_id == "2024-02-09"
    assert event.before["is_workday"] is True
    assert event.after == {
        "date": "2024-02-09",
        "is_workday": False,
        "kind": "holiday",
        "name": "除夕",
        "source": "manual",
    }


def test_setting_a_day_to_what_it_already_is_changes_nothing(calendar_2020_2026):
    calendar_set_day(actor=SYSTEM, day=date(2020, 10, 9), is_workday=True)
    stamp = _stamp()
    calendar_set_day(actor=SYSTEM, day=date(2020, 10, 9), is_workday=True)
    assert _stamp() == stamp
    assert _events(AuditAction.CALENDAR_DAY_SET).count() == 1


def test_a_day_of_an_uncovered_year_cannot_be_set_alone(calendar_2020_2026):
    with pytest.raises(ValidationFailed) as raised:
        calendar_set_day(actor=SYSTEM, day=date(2027, 1, 1), is_workday=False, name="元旦")
    assert raised.value.code == "calendar.year_not_covered"


# --- years the package does not know ---


def test_a_year_entered_by_the_admin_answers_deadlines(calendar_2020_2026, world, package_ends_2026):
    with pytest.raises(CalendarNotCovered):
        add_working_days(date(2026, 12, 30), 5)

    year = calendar_add_year(
        actor=world.county_admin,
        year=2027,
        holidays=HOLIDAYS_2027,
        makeup_workdays=MAKEUP_2027,
        names={date(2027, 1, 1): "元旦", date(2027, 10, 9): "国庆节"},
    )

    assert (year.source, year.complete) == ("manual", True)
    assert CalendarDay.objects.filter(date__year=2027).count() == 365
    # Thu 2026-12-31, then 2027-01-01 元旦 and the weekend off, then Mon 4th … Thu 7th.
    assert add_working_days(date(2026, 12, 30), 5) == date(2027, 1, 7)
    assert is_workday(date(2027, 2, 14)) and is_workday(date(2027, 10, 9))
    assert not is_workday(date(2027, 10, 4))
    assert CalendarDay.objects.get(date=date(2027, 10, 9)).name == "国庆节"
    assert working_days_between(date(2027, 9, 30), date(2027, 10, 11)) == 3  # Fri 8th, Sat 9th, Mon 11th
    event = _events(AuditAction.CALENDAR_DAY_SET).get()
    assert event.target_type == "core.calendaryear"
    assert event.before is None
    assert event.after["makeup_workdays"] == ["2027-02-14", "2027-10-09"]
    # The next year is still unknown, and says so.
    with pytest.raises(CalendarNotCovered) as raised:
        add_working_days(date(2027, 12, 20), 30)
    assert raised.value.year == 2028


def test_a_year_entered_again_replaces_the_first_entry(calendar_2020_2026, package_ends_2026):
    calendar_add_year(actor=SYSTEM, year=2027, holidays=HOLIDAYS_2027, makeup_workdays=MAKEUP_2027)
    calendar_add_year(actor=SYSTEM, year=2027, holidays=[date(2027, 1, 1)], makeup_workdays=[])

    assert is_workday(date(2027, 10, 4))
    assert not is_workday(date(2027, 10, 9))
    assert _events(AuditAction.CALENDAR_DAY_SET).order_by("-id").first().before["holidays"][0] == "2027-01-01"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"year": 2026, "holidays": [], "makeup_workdays": []}, "year"),  # the package knows it
        ({"year": 2027, "holidays": [date(2028, 1, 1)], "makeup_workdays": []}, "dates"),
        ({"year": 2027, "holidays": [], "makeup_workdays": [FRIDAY]}, "makeup_workdays"),
        ({"year": 2027, "holidays": [SATURDAY], "makeup_workdays": [SATURDAY]}, "makeup_workdays"),
        ({"year": 2027, "holidays": [], "makeup_workdays": [], "names": {date(2027, 3, 1): "x"}}, "names"),
    ],
)
def test_add_year_rejects_inconsistent_input(calendar_2020_2026, package_ends_2026, kwargs, field):
    with pytest.raises(ValidationFailed) as raised:
        calendar_add_year(actor=SYSTEM, **kwargs)
    assert field in raised.value.fields
    assert not CalendarYear.objects.filter(year=2027).exists()


# --- who may change the calendar ---


@pytest.mark.parametrize("role", [Role.CENTER_DIRECTOR, Role.FRONT_CLERK, Role.SUPERVISOR])
def test_only_the_county_admin_maintains_the_calendar(calendar_2020_2026, world, package_ends_2026, role):
    actor = world.user("a", role)
    before = AuditEvent.objects.count()
    with pytest.raises(Forbidden):
        calendar_sync_from_package(actor=actor, years=[2020])
    with pytest.raises(Forbidden):
        calendar_set_day(actor=actor, day=date(2020, 10, 9), is_workday=False)
    with pytest.raises(Forbidden):
        calendar_add_year(actor=actor, year=2027, holidays=[], makeup_workdays=[])
    assert AuditEvent.objects.count() == before
    assert CalendarDay.objects.get(date=date(2020, 10, 9)).source == "package"


def test_county_admin_may_sync(db, world):
    result = calendar_sync_from_package(actor=world.county_admin, years=[2024])
    assert result.created == 366
    assert _events(AuditAction.CALENDAR_SYNCED).get().actor == world.county_admin


# --- command line ---


def test_calendar_sync_command_prints_a_chinese_summary(db):
    out = StringIO()
    call_command("calendar_sync", "--years", "2020", "2021", "1999", stdout=out)
    text = out.getvalue()
    assert "2020—2021年" in text
    assert "新增731天" in text
    assert "1999年" in text and "补录" in text
    assert _events(AuditAction.CALENDAR_SYNCED).get().role == "system"


# --- admin screens go through the services ---


def test_admin_day_edit_is_a_service_call(calendar_2020_2026, world, client):
    client.force_login(world.county_admin)
    listing = client.get("/admin/core/calendarday/", {"year": "2020", "kind": "holiday", "q": "国庆"})
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 8
    url = "/admin/core/calendarday/2020-10-09/change/"
    assert client.get(url).status_code == 200

    response = client.post(url, {"name": "临时停止对外办公"})  # unticked box: a day off

    assert response.status_code == 302
    day = CalendarDay.objects.get(date=date(2020, 10, 9))
    assert (day.is_workday, day.kind, day.source) == (False, "holiday", "manual")
    assert _events(AuditAction.CALENDAR_DAY_SET).get().actor == world.county_admin
    assert client.post("/admin/core/calendarday/2020-10-09/delete/").status_code == 403


def test_admin_enters_a_year(calendar_2020_2026, world, client, package_ends_2026):
    client.force_login(world.county_admin)
    response = client.post(
        "/admin/core/calendaryear/add/",
        {
            "year": 2027,
            "holidays": "2027-01-01 元旦\n2027-10-01 至 2027-10-07 国庆节",
            "makeup_workdays": "2027-10-09 国庆节调休",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert add_working_days(date(2027, 9, 30), 1) == date(2027, 10, 8)
    assert CalendarDay.objects.get(date=date(2027, 10, 3)).name == "国庆节"


def test_admin_year_form_shows_service_errors(calendar_2020_2026, world, client, package_ends_2026):
    client.force_login(world.county_admin)
    response = client.post("/admin/core/calendaryear/add/", {"year": 2027, "holidays": "2027-10-08 至 2027-10-01"})
    assert response.status_code == 200
    assert "格式不正确" in response.content.decode()
    response = client.post(
        "/admin/core/calendaryear/add/", {"year": 2027, "holidays": "2027-10-01", "makeup_workdays": "2027-10-08"}
    )
    assert "调休上班日应为周六或周日" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_directors_may_look_but_not_change(calendar_2020_2026, world, client):
    client.force_login(world.user("a", Role.CENTER_DIRECTOR))
    assert client.get("/admin/core/calendarday/").status_code == 200
    assert client.post("/admin/core/calendarday/2020-10-09/change/", {"name": "x"}).status_code == 403
    client.force_login(world.user("a", Role.FRONT_CLERK))
    assert client.get("/admin/core/calendarday/").status_code == 302  # not admin-site staff: to login
