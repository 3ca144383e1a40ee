"""The window console: one POST per button, each through one calling service; refusals come back in Chinese and
change nothing; 开始受理 opens the intake screen with the ticket, and the case keeps it."""

import pytest
from django.urls import reverse

from onewindow.audit.services import PUBLIC, SYSTEM
from onewindow.cases.models import Case
from onewindow.core.roles import Role
from onewindow.hall.models import Ticket, TicketStatus
from onewindow.hall.services.calling import call_next
from onewindow.hall.services.setup import hall_setup_defaults
from onewindow.hall.services.tickets import ticket_issue
from onewindow.testing.cases import PERSON, offered_item

pytestmark = pytest.mark.django_db


def console(window):
    return reverse("hall:window", args=[window.pk])


def press(client, window, action, ticket=None, **data):
    if ticket is not None:
        data["ticket"] = getattr(ticket, "pk", ticket)  # a Ticket, or whatever a tampered form sends
    response = client.post(reverse("hall:window-act", args=[window.pk, action]), data, follow=True)
    assert response.redirect_chain == [(console(window), 302)]
    return response.content.decode()


def status_of(ticket):
    ticket.refresh_from_db()
    return ticket.status


@pytest.fixture
def clerk(client, world):
    client.force_login(world.user("a", Role.FRONT_CLERK))
    return world.user("a", Role.FRONT_CLERK)


def test_every_button_runs_its_action(client, world, hall, clock, clerk):
    window = world.a.windows[0]  # 1号 医保: calls A
    first = ticket_issue(actor=PUBLIC, category=hall["A"])
    second = ticket_issue(actor=PUBLIC, category=hall["A"])
    page = client.get(console(window)).content.decode()
    assert "1号窗口 · 医保" in page and "等候 <strong>2</strong> 人" in page and "当前没有正在办理的号" in page

    html = press(client, window, "call-next")
    assert "已叫号 A001，请到1号窗口" in html and status_of(first) == TicketStatus.CALLED
    for label in ("重呼", "开始办理", "暂挂", "过号", "办结", "开始受理", "转移"):
        assert label in html
    assert f'href="{reverse("cases:intake")}?ticket={first.pk}"' in html
    assert "已重呼 A001（第1次）" in press(client, window, "recall", first)
    assert "A001 开始办理" in press(client, window, "start", first) and status_of(first) == TicketStatus.SERVING
    assert "A001 已暂挂" in press(client, window, "hold", first, reason="去复印") and status_of(first) == "held"

    html = press(client, window, "call-next")
    assert "已叫号 A002" in html and "暂挂的号" in html and "恢复" in html
    html = press(client, window, "transfer", second, category=hall["C"].pk)
    assert "已转至“综合业务”，新号 C001" in html and status_of(second) == TicketStatus.TRANSFERRED
    moved = Ticket.objects.get(number="C001")
    assert moved.arrived_at == second.arrived_at and moved.transferred_from == second

    assert "A001 已恢复办理" in press(client, window, "resume", first) and status_of(first) == "serving"
    assert "A001 已办结" in press(client, window, "finish", first) and status_of(first) == TicketStatus.DONE
    assert "目前没有等候的号" in press(client, window, "call-next")
    assert "今日已办结 1 人" in client.get(console(window)).content.decode()


def test_no_show_needs_the_recalls_first(client, world, hall, clock, clerk):
    window = world.a.windows[0]
    ticket = ticket_issue(actor=PUBLIC, category=hall["A"])
    press(client, window, "call-next")
    html = press(client, window, "no-show", ticket)
    assert "操作未完成：请先重呼（至少2次）再做过号处理" in html and status_of(ticket) == TicketStatus.CALLED
    press(client, window, "recall", ticket)
    press(client, window, "recall", ticket)
    assert "A001 已做过号处理" in press(client, window, "no-show", ticket)
    assert status_of(ticket) == TicketStatus.NO_SHOW


def test_refusals_are_in_chinese_and_change_nothing(client, world, hall, clock, clerk):
    ticket = ticket_issue(actor=PUBLIC, category=hall["A"])
    tidal = world.a.windows[2]  # closed
    assert "操作未完成：3号窗口（潮汐）已关闭，不能叫号" in press(client, tidal, "call-next")
    assert status_of(ticket) == TicketStatus.WAITING
    call_next(actor=world.user("a", Role.CENTER_DIRECTOR), window=world.a.windows[0])
    other = world.a.windows[1]
    html = press(client, other, "finish", ticket)  # someone else's ticket
    assert "A001不是2号窗口（综合受理）叫的号" in html and status_of(ticket) == TicketStatus.CALLED
    assert "请先叫号" in press(client, other, "finish")
    assert "请选择要转去的业务类别" in press(client, world.a.windows[0], "transfer", ticket)
    assert "未找到" in press(client, other, "finish", "x")
    assert "未找到" in press(client, other, "finish", 999999)
    assert status_of(ticket) == TicketStatus.CALLED
    assert client.post(f"/hall/window/{other.pk}/explode/").status_code == 404
    assert client.get(reverse("hall:window-act", args=[other.pk, "call-next"])).status_code == 405


def test_only_window_staff_of_the_town_reach_the_console(client, world, hall, clock):
    window = world.a.windows[0]
    assert client.get(console(window)).status_code == 302  # to the login page
    client.force_login(world.user("b", Role.FRONT_CLERK))
    assert client.get(console(window)).status_code == 404
    assert client.post(reverse("hall:window-act", args=[window.pk, "call-next"])).status_code == 404
    client.force_login(world.user("a", Role.REVIEWER))
    assert client.get(console(window)).status_code == 403
    client.force_login(world.user("a", Role.OUTPUT_CLERK))
    listing = client.get(reverse("hall:windows")).content.decode()
    assert "1号窗口 · 医保" in listing and "2号窗口 · 综合受理" in listing


def test_start_intake_links_the_case_to_the_ticket(client, world, hall, clock, clerk):
    item = offered_item(world)
    ticket = ticket_issue(actor=PUBLIC, category=hall["C"])
    call_next(actor=clerk, window=world.a.windows[1])
    intake = reverse("cases:intake")
    choose = client.get(intake, {"ticket": ticket.pk}).content.decode()
    assert "排队号 <strong>C001</strong>" in choose and f"?item={item.code}&amp;ticket={ticket.pk}" in choose
    form = client.get(intake, {"item": item.code, "ticket": ticket.pk}).content.decode()
    assert f'name="ticket" value="{ticket.pk}"' in form
    data = {
        "item": item.code,
        "ticket": ticket.pk,
        "applicant_kind": "person",
        "applicant_name": PERSON.name,
        "applicant_id_number": PERSON.id_number,
        "contact_phone": PERSON.phone,
        "channel": "window",
        "material_1": "received",
        "material_2": "received",
        "material_3": "received",
        "decision": "receive",
        "form_token": "hall-1",
    }
    response = client.post(intake + f"?item={item.code}", data)
    assert response.status_code == 302 and Case.objects.get().ticket == ticket


def test_intake_refuses_another_towns_ticket(client, world, hall, clock, clerk):
    hall_setup_defaults(actor=SYSTEM, center=world.b.center)
    foreign = ticket_issue(actor=PUBLIC, category=world.b.center.queue_categories.get(prefix="C"))
    assert client.get(reverse("cases:intake"), {"ticket": foreign.pk}).status_code == 404
    assert client.get(reverse("cases:intake"), {"ticket": "abc"}).status_code == 404
