"""评议卡录入: a clerk finds the service a paper card rates (case number → its rateable steps, or ticket number +
day) and types the card in; the clerk is recorded as the typist, the rating stays the citizen's."""

import pytest
from django.urls import reverse

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.cases.flow import Action
from onewindow.core.roles import Role
from onewindow.feedback.models import Channel, Rating
from onewindow.feedback.tests.ratings_support import counts, instant_case, serve, step_of

pytestmark = pytest.mark.django_db

URL = reverse("feedback:card-new")


@pytest.fixture
def output_clerk(client, world):
    client.force_login(world.user("a", Role.OUTPUT_CLERK))
    return world.user("a", Role.OUTPUT_CLERK)


def test_a_card_for_a_case_step_is_found_by_case_number_and_typed_in(client, world, clock, instant_item, output_clerk):
    case = instant_case(world, instant_item)
    step = step_of(case)
    html = client.get(URL, {"case": case.number}).content.decode()
    assert "即办办结" in html and f"step={step.pk}" in html
    assert f'step={step_of(case, Action.ACCEPT).pk}"' not in html  # 即办件: the acceptance is not rated apart
    html = client.get(URL, {"case": case.number, "step": step.pk}).content.decode()
    assert "录入评议卡" in html and 'name="level"' in html and "服务效率" in html

    response = client.post(
        URL,
        {
            "case": case.number,
            "step": step.pk,
            "level": "3",
            "reasons": ["等候时间较长"],
            "indicator_efficiency": "3",
            "real_name": "1",
            "rater_name": "王芳",
            "rater_mobile": "13905370002",
        },
        follow=True,
    )
    assert response.redirect_chain == [(URL, 302)] and "已录入评议卡" in response.content.decode()
    rating = Rating.objects.get()
    assert (rating.case_step, rating.channel, rating.entered_by, rating.level) == (step, Channel.CARD, output_clerk, 3)
    assert rating.indicators == {"overall": 3, "efficiency": 3} and rating.rater_name == "王芳"
    assert AuditEvent.objects.get(action=AuditAction.RATING_GIVEN).actor == output_clerk
    assert "已评价" in client.get(URL, {"case": case.number}).content.decode()


def test_a_card_for_a_ticket_is_found_by_number_and_day(client, world, hall, clock, output_clerk):
    ticket = serve(world, hall, clock)
    html = client.get(URL, {"ticket": ticket.number.lower(), "day": "2026-09-01"}).content.decode()
    assert f"ticket_id={ticket.pk}" in html and "1号窗口" in html
    assert (
        f"ticket_id={ticket.pk}" not in client.get(URL, {"ticket": ticket.number, "day": "2026-08-31"}).content.decode()
    )
    response = client.post(URL, {"ticket_id": ticket.pk, "ticket": ticket.number, "day": "2026-09-01", "level": "5"})
    assert response.status_code == 302
    assert Rating.objects.get().ticket == ticket and Rating.objects.get().window == world.a.windows[0]


def test_a_bad_card_without_a_reason_or_a_second_card_saves_nothing(client, world, clock, instant_item, output_clerk):
    step = step_of(instant_case(world, instant_item))
    before = counts()
    response = client.post(URL, {"step": step.pk, "level": "1", "comment": "态度差"})
    html = response.content.decode()
    assert response.status_code == 400 and "差评请至少选择一项原因" in html and "态度差" in html
    assert counts() == before
    assert client.post(URL, {"step": step.pk, "level": "1", "reasons": ["服务态度差"]}).status_code == 302
    before = counts()
    response = client.post(URL, {"step": step.pk, "level": "5"})
    assert response.status_code == 409 and "该服务已评价" in response.content.decode() and counts() == before


def test_only_front_output_and_directors_of_the_town_type_cards(client, world, clock, instant_item):
    step = step_of(instant_case(world, instant_item))
    client.force_login(world.user("a", Role.REVIEWER))
    assert client.get(URL).status_code == 403
    client.force_login(world.user("b", Role.FRONT_CLERK))
    assert "没有找到" in client.get(URL, {"case": step.case.number}).content.decode()
    assert client.post(URL, {"step": step.pk, "level": "5"}).status_code == 404
    client.force_login(world.user("a", Role.CENTER_DIRECTOR))
    assert client.get(URL, {"case": step.case.number}).status_code == 200
    client.logout()
    assert client.get(URL).status_code == 302
    assert not Rating.objects.exists()


def test_a_rating_given_on_a_follow_up_call_is_typed_in_as_such(client, world, clock, instant_item, output_clerk):
    case = instant_case(world, instant_item)
    step = step_of(case)
    html = client.get(URL, {"case": case.number, "step": step.pk, "source": "callback"}).content.decode()
    assert '<option value="callback" selected>' in html
    client.post(URL, {"case": case.number, "step": step.pk, "level": "5", "source": "callback"})
    assert Rating.objects.get().channel == Channel.CALLBACK  # counted as rated, not as 主动评价


def test_only_typed_sources_are_accepted(client, world, clock, instant_item, output_clerk):
    case = instant_case(world, instant_item)
    client.post(URL, {"case": case.number, "step": step_of(case).pk, "level": "5", "source": "evaluator"})
    assert Rating.objects.get().channel == Channel.CARD
