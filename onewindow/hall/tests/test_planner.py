"""Staffing planner: a weekday × hour profile from the last 8 weeks, a seasonal factor, Erlang C per hour, and
the high-frequency windows (4–6) to staff per half-day."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from onewindow.core.calendar import is_workday
from onewindow.hall.planner import forecast, session_minutes
from onewindow.hall.tests.synthetic import History, at

pytestmark = pytest.mark.django_db

HOURS = (8, 9, 10, 11, 13, 14, 15, 16, 17)


def workdays(first: date, last: date):
    day = first
    while day <= last:
        if is_workday(day):
            yield day
        day += timedelta(days=1)


def monday_peak_history(world, hall):
    """Eight weeks before Tuesday 2026-09-01: A has 4 arrivals an hour, 40 at 9 and 10 o'clock on Mondays;
    B has 1 an hour. Everyone waits 5 minutes and is served in 6."""
    history = History(world.a.center)
    for day in workdays(date(2026, 7, 7), date(2026, 8, 31)):
        for hour in HOURS:
            busy = day.weekday() == 0 and hour in (9, 10)
            for i in range(40 if busy else 4):
                history.add(hall["A"], at(day, hour, (i * 60 // (40 if busy else 4)) % 60))
            history.add(hall["B"], at(day, hour, 30))
    history.save()


def test_session_minutes_counts_partial_hours():
    expected = {8: 30, 9: 60, 10: 60, 11: 60, 13: 30, 14: 60, 15: 60, 16: 60, 17: 30}
    assert session_minutes([["08:30", "12:00"], ["13:30", "17:30"]]) == expected


def test_a_monday_morning_peak_shows_up_and_needs_more_windows(world, hall, clock):
    monday_peak_history(world, hall)

    result = forecast(world.a.center, weeks=2)

    days = {d.day: d for d in result.days}
    assert min(days) == date(2026, 9, 2) and max(days) == date(2026, 9, 15)
    monday, tuesday = days[date(2026, 9, 7)], days[date(2026, 9, 8)]
    nine = result.hours.index(9)
    # Less than a year of history: the configured 医保 season makes September 1.3 × July–August.
    assert result.seasonal_source == "configured"
    assert monday.arrivals["A"][nine] == pytest.approx(40 * 1.3)
    assert tuesday.arrivals["A"][nine] == pytest.approx(4 * 1.3)
    assert monday.arrivals["B"][nine] == pytest.approx(1.0)  # 民政优抚 has no configured season
    assert result.service_seconds["A"] == pytest.approx(360)
    assert monday.windows["A"][nine] > tuesday.windows["A"][nine] >= 1
    morning, afternoon = monday.halves
    assert (morning.label, afternoon.label) == ("上午", "下午")
    assert morning.high_frequency_needed > afternoon.high_frequency_needed
    assert morning.high_frequency_needed > tuesday.halves[0].high_frequency_needed
    # The policy's 4–6 high-frequency windows; the rest of the Monday peak goes to tidal windows.
    assert morning.recommended == 6 and morning.tidal == morning.high_frequency_needed - 6 > 0
    assert tuesday.halves[0].recommended == 4 and tuesday.halves[0].tidal == 0


def test_a_year_of_history_gives_the_seasonal_factor(world, hall, clock):
    """Sept–Dec 2025 had twice the arrivals of the other months; levels per open day are 8 and 4, the
    year's mean 16/3, so S(September) = 1.5 and S(July, August) = 0.75: the factor is 2."""
    history = History(world.a.center)
    for day in workdays(date(2025, 8, 1), date(2026, 8, 31)):
        season = date(2025, 9, 1) <= day <= date(2025, 12, 31)
        for hour in (9, 10):
            for minute in (0, 20, 40, 50)[: 4 if season else 2]:
                history.add(hall["A"], at(day, hour, minute))
    history.save()

    result = forecast(world.a.center, weeks=1)

    assert result.seasonal_source == "history"
    assert result.factors["A"][9] == pytest.approx(1.5)
    assert result.factors["A"][7] == pytest.approx(0.75)
    wednesday = result.days[0]
    assert wednesday.day == date(2026, 9, 2)
    assert wednesday.arrivals["A"][result.hours.index(9)] == pytest.approx(2 * 2)


def test_planner_page(client, world, hall, clock):
    monday_peak_history(world, hall)
    url = reverse("hall-planner", args=[world.a.center.pk])
    client.force_login(world.user("a", "center_director"))
    page = client.get(url, {"weeks": 3})
    assert page.status_code == 200
    text = page.content.decode()
    assert "排班预测：未来3周" in text and "09-07 周一" in text and "09-21 周一" in text
    assert client.get(url, {"weeks": 9}).status_code == 400
    client.force_login(world.user("b", "center_director"))
    assert client.get(url).status_code == 404
