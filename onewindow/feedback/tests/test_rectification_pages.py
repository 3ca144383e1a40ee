"""The rectification pages: who sees which (town, department, county), filters and counts, the detail page with
the actions allowed now, actions posted over HTTP, and the audited reveal of the rater's number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.feedback.models import Callback, RectificationStatus
from onewindow.feedback.selectors_rectification import rectification_list
from onewindow.feedback.services.rectification import rectification_callback, rectification_verify
from onewindow.feedback.services.rectification_work import rectification_choose_outcome
from onewindow.feedback.tests.rectification_support import RATER_MOBILE, bad_rating, delivered_case

pytestmark = pytest.mark.django_db
# fixtures shared with the other rectification tests


def pks(rows):
    return {r.pk for r in rows}


def test_each_role_sees_its_own(world, clock, reasoned_item):
    social = world.a.departments[0]
    centre = bad_rating(delivered_case(world, reasoned_item)).rectification
    departmental = bad_rating(delivered_case(world, reasoned_item), department=social).rectification

    assert pks(rectification_list(world.user("a", "center_director")).rows) == {centre.pk, departmental.pk}
    assert pks(rectification_list(world.user("a", "reviewer")).rows) == {departmental.pk}  # 社会事务办's reviewer
    assert pks(rectification_list(world.user("b", "center_director")).rows) == set()
    assert pks(rectification_list(world.county_admin).rows) == {centre.pk, departmental.pk}
    assert pks(rectification_list(world.user("a", "front_clerk")).rows) == set()
    assert pks(rectification_list(world.user("a", "device")).rows) == set()


def test_filters_and_counts(world, clock, reasoned_item):
    director = world.user("a", "center_director")
    first = bad_rating(delivered_case(world, reasoned_item)).rectification
    second = bad_rating(delivered_case(world, reasoned_item)).rectification
    rectification_verify(actor=director, rectification=first, valid=True, summary="属实")

    page = rectification_list(director)
    assert page.counts == {"verifying": 1, "rectifying": 1, "all": 2, "overdue": 0}
    assert pks(rectification_list(director, status="rectifying").rows) == {first.pk}
    assert pks(rectification_list(director, month="2026-09").rows) == {first.pk, second.pk}
    assert pks(rectification_list(director, month="2026-08").rows) == set()
    assert pks(rectification_list(director, month="2026-13", status="nonsense").rows) == {first.pk, second.pk}


def test_the_list_costs_the_same_queries_for_one_or_many(world, clock, reasoned_item, django_assert_num_queries):
    director = world.user("a", "center_director")
    bad_rating(delivered_case(world, reasoned_item))
    with django_assert_num_queries(4):
        rectification_list(director)
    for _ in range(4):
        bad_rating(delivered_case(world, reasoned_item))
    with django_assert_num_queries(4):
        assert len(rectification_list(director).rows) == 5


def test_the_list_page_and_the_review_queue(client, world, clock, reasoned_item):
    director = world.user("a", "center_director")
    r = bad_rating(delivered_case(world, reasoned_item)).rectification
    rectification_callback(actor=director, rectification=r, reached=True, valid=False, summary="误评")
    client.force_login(director)
    client.post(f"/feedback/rectifications/{r.pk}/act/appeal/", {"reason": "评价人确认误按"})

    client.force_login(world.county_admin)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/feedback/rectifications/")
    assert page.status_code == 200
    assert "待县局审核（1）" in page.text and f"差评整改 #{r.pk}" in page.text
    assert len(queries) < 20
    client.force_login(world.user("b", "center_director"))
    assert client.get(f"/feedback/rectifications/{r.pk}/").status_code == 404


def test_the_detail_page_offers_what_the_viewer_may_do(client, world, clock, reasoned_item):
    r = bad_rating(delivered_case(world, reasoned_item)).rectification
    client.force_login(world.user("a", "center_director"))
    page = client.get(f"/feedback/rectifications/{r.pk}/").text
    assert "李*" in page and "139****0001" in page and RATER_MOBILE not in page
    assert 'id="act-callback"' in page and 'id="act-verify"' in page and 'id="act-reply"' not in page
    client.force_login(world.user("a", "output_clerk"))
    page = client.get(f"/feedback/rectifications/{r.pk}/").text
    assert 'id="act-callback"' in page and 'id="act-verify"' not in page
    client.force_login(world.user("a", "supervisor"))
    page = client.get(f"/feedback/rectifications/{r.pk}/").text
    assert "待核实（回访）" in page and 'id="act-' not in page


def test_actions_over_http_and_a_bad_post_changes_nothing(client, world, clock, reasoned_item):
    r = bad_rating(delivered_case(world, reasoned_item)).rectification
    client.force_login(world.user("a", "center_director"))
    url = f"/feedback/rectifications/{r.pk}/act/callback/"
    response = client.post(url, {"reached": "yes", "summary": "联系上了"}, follow=True)
    assert "联系上评价人后，请选择差评是否属实" in response.text
    assert not Callback.objects.exists()

    client.post(url, {"reached": "yes", "valid": "yes", "summary": "属实"})
    client.post(
        f"/feedback/rectifications/{r.pk}/act/choose_outcome/", {"outcome": "fixed_now", "measures": "当场致歉"}
    )
    r.refresh_from_db()
    assert r.status == RectificationStatus.REPLYING
    assert client.post(f"/feedback/rectifications/{r.pk}/act/nonsense/").status_code == 404
    client.force_login(world.user("b", "center_director"))
    assert client.post(url, {"reached": "no", "summary": "x"}).status_code == 404


def test_revealing_the_number_for_a_callback_is_audited(client, world, clock, reasoned_item):
    r = bad_rating(delivered_case(world, reasoned_item)).rectification
    client.force_login(world.user("a", "output_clerk"))
    response = client.post(f"/feedback/rectifications/{r.pk}/reveal/")
    assert RATER_MOBILE in response.text
    assert "no-store" in response.headers["Cache-Control"]
    event = AuditEvent.objects.get(action=AuditAction.RATER_PHONE_REVEALED)
    assert event.actor == world.user("a", "output_clerk") and RATER_MOBILE not in str(event.after)

    client.force_login(world.user("a", "supervisor"))  # reads, never calls
    assert RATER_MOBILE not in client.post(f"/feedback/rectifications/{r.pk}/reveal/", follow=True).text
    assert AuditEvent.objects.filter(action=AuditAction.RATER_PHONE_REVEALED).count() == 1


def test_the_home_page_shows_the_tiles(client, world, clock, reasoned_item):
    r = bad_rating(delivered_case(world, reasoned_item)).rectification
    client.force_login(world.user("a", "center_director"))
    home = client.get("/").text
    assert "差评整改（1件未办结）" in home and "满意度回访" in home
    rectification_verify(actor=world.user("a", "center_director"), rectification=r, valid=True, summary="属实")
    rectification_choose_outcome(
        actor=world.user("a", "center_director"), rectification=r, outcome="explained", measures="政策规定"
    )
    client.force_login(world.user("a", "output_clerk"))
    home = client.get("/").text
    assert "满意度回访" in home and "差评整改" not in home
