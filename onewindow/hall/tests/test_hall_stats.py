"""Hall statistics: exact figures on a synthetic day, the month view, the Excel export, bounded queries."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from onewindow.hall.models import TicketStatus
from onewindow.hall.stats import hall_stats, percentile
from onewindow.hall.tests.synthetic import History, at

pytestmark = pytest.mark.django_db
DAY = date(2026, 9, 1)  # a Tuesday


def synthetic_day(world, hall):
    """A at window 1 (clerk): waits 2, 4, 12 minutes, served 5 and 7, the third a no-show; the tickets had
    promised 3, 4 and 6 minutes. C at window 2 (director): waits 10 and 20, served 10 each. One B still waiting.
    Plus one C on 09-02 and one A in August, for the month view."""
    clerk, director = world.user("a", "front_clerk"), world.user("a", "center_director")
    medical, comprehensive = world.a.windows[0], world.a.windows[1]
    history = History(world.a.center)
    for minute, wait, service, estimated, status in (
        (0, 2, 5, 3, TicketStatus.DONE),
        (10, 4, 7, 4, TicketStatus.DONE),
        (20, 12, None, 6, TicketStatus.NO_SHOW),
    ):
        history.add(
            hall["A"],
            at(DAY, 9, minute),
            wait=wait,
            service=service,
            status=status,
            window=medical,
            staff=clerk,
            estimated_minutes=estimated,
        )
    history.add(hall["C"], at(DAY, 10, 0), wait=10, service=10, window=comprehensive, staff=director)
    history.add(hall["C"], at(DAY, 14, 5), wait=20, service=10, window=comprehensive, staff=director)
    history.add(hall["B"], at(DAY, 14, 30), status=TicketStatus.WAITING)
    history.add(hall["C"], at(date(2026, 9, 2), 9, 0), wait=1, service=1, window=comprehensive, staff=director)
    history.add(hall["A"], at(date(2026, 8, 31), 9, 0), wait=1, service=1, window=medical, staff=clerk)
    history.save()


def test_percentile_interpolates_like_percentile_cont():
    assert percentile([120, 240, 720], 0.9) == pytest.approx(624)  # rank 1.8: 240 + 0.8 × 480
    assert percentile([5], 0.9) == 5
    assert percentile([], 0.9) is None


def test_the_figures_of_a_day_are_exact(world, hall, clock):
    synthetic_day(world, hall)

    result = hall_stats(world.a.center, day=DAY)

    a, b, c = result.by_category[:3]
    assert (a.label, a.tickets, a.called, a.done, a.no_show) == ("A 医保社保", 3, 3, 2, 1)
    assert a.wait_mean == pytest.approx(6 * 60)
    assert a.wait_p90 == pytest.approx(624)  # waits 120, 240, 720 s
    assert a.service_mean == pytest.approx(6 * 60)  # 5 and 7 minutes; the no-show has none
    assert a.no_show_rate == pytest.approx(1 / 3)
    # estimate − actual: +1, 0, −6 minutes
    assert a.estimate_count == 3
    assert a.estimate_mae == pytest.approx(140)
    assert a.estimate_bias == pytest.approx(-100)
    assert (b.tickets, b.called, b.wait_mean, b.no_show_rate) == (1, 0, None, None)
    assert (c.tickets, c.wait_mean, c.service_mean, c.estimate_count) == (2, 15 * 60, 10 * 60, 0)
    assert [f.label for f in result.by_category[3:]] == ["D 咨询", "E 取件"]
    assert result.total.tickets == 6 and result.total.called == 5 and result.total.no_show == 1
    assert [(f.label, f.tickets, f.done) for f in result.by_window] == [("1号 医保", 3, 2), ("2号 综合受理", 2, 2)]
    staff = [(f.label, f.called) for f in result.by_staff]
    assert staff == [("嘉祥街道为民服务中心主任", 2), ("嘉祥街道前台受理员", 3)]
    assert result.hours == [9, 10, 11, 12, 13, 14]
    assert ("周二", [3, 1, 0, 0, 0, 2]) in result.heat


def test_the_month_view(world, hall, clock):
    synthetic_day(world, hall)
    result = hall_stats(world.a.center, period="month", day=date(2026, 9, 17))
    assert (result.start, result.end) == (date(2026, 9, 1), date(2026, 9, 30))
    assert result.total.tickets == 7  # the August ticket is not in September
    assert [(f.label, f.tickets) for f in result.by_day] == [("09-01 周二", 6), ("09-02 周三", 1)]


def test_query_count_does_not_grow_with_the_tickets(world, hall, clock, django_assert_num_queries):
    synthetic_day(world, hall)
    history = History(world.a.center)
    for i in range(300):
        history.add(hall["A"], at(date(2026, 9, 3 + i % 20), 9 + i % 8, i % 60), window=world.a.windows[0])
    history.save()
    with django_assert_num_queries(5):  # tickets, heat map, categories, windows, staff
        result = hall_stats(world.a.center, period="month", day=DAY)
    assert result.total.tickets == 307


def test_excel_export_has_the_sheets_and_keeps_text_as_text(client, world, hall, clock):
    synthetic_day(world, hall)
    director = world.user("a", "center_director")
    director.name = '=HYPERLINK("http://x")'
    director.save(update_fields=["name"])
    client.force_login(director)

    response = client.get(reverse("hall-stats-xlsx", args=[world.a.center.pk]), {"period": "day", "date": "2026-09-01"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["按类别", "按窗口", "按人员", "高峰热力", "预计与实际"]
    rows = list(book["按类别"].iter_rows(values_only=True))
    assert rows[1][:6] == ("A 医保社保", 3, 3, 2, 1, 33.3)
    assert rows[1][6:9] == (6.0, 10.4, 6.0)
    assert rows[-1][0] == "合计"
    staff = book["按人员"]
    assert staff["A2"].value == '=HYPERLINK("http://x")' and staff["A2"].data_type == "s"
    assert [c.value for c in book["高峰热力"][1][:3]] == ["星期", "9时", "10时"]
    assert list(book["预计与实际"].iter_rows(values_only=True))[1] == ("A 医保社保", 3, 2.3, -1.7)


def test_stats_page_and_access(client, world, hall, clock):
    synthetic_day(world, hall)
    url = reverse("hall-stats", args=[world.a.center.pk])
    client.force_login(world.user("a", "center_director"))
    page = client.get(url, {"period": "day", "date": "2026-09-01"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "大厅统计：2026年9月1日" in text and "A 医保社保" in text and "10.4" in text
    month = client.get(url, {"period": "month", "date": "2026-09"})
    assert "09-02 周三" in month.content.decode()
    bad = client.get(url, {"date": "9月1日"})
    assert bad.status_code == 400 and "日期格式" in bad.content.decode()
    client.force_login(world.user("b", "center_director"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("hall-stats-xlsx", args=[world.a.center.pk])).status_code == 404
    client.force_login(world.county_admin)
    assert client.get(url).status_code == 200
