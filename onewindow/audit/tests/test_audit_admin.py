"""Who reads the audit log: superusers and the county everywhere, a center director their own town."""

import pytest
from django.urls import reverse

from onewindow.audit.actions import AuditAction
from onewindow.audit.selectors import events_visible_to
from onewindow.audit.services import SYSTEM, record

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:audit_auditevent_changelist")


@pytest.fixture
def events(clerk, town, other_town, other_director):
    return {
        "town": record(actor=clerk, action=AuditAction.WINDOW_OPENED, town=town, target=town,
                       summary="嘉祥街道开窗"),
        "other": record(actor=other_director, action=AuditAction.WINDOW_OPENED, town=other_town,
                        target=other_town, summary="纸坊镇开窗"),
        "county": record(actor=SYSTEM, action=AuditAction.CALENDAR_SYNCED, summary="县级同步"),
    }


def _ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_selector_scopes_by_role(events, superuser, county_admin, director, clerk):
    every = {e.pk for e in events.values()}
    assert _ids(events_visible_to(superuser)) == every
    assert _ids(events_visible_to(county_admin)) == every
    assert _ids(events_visible_to(director)) == {events["town"].pk}
    assert _ids(events_visible_to(clerk)) == set()
    assert _ids(events_visible_to(None)) == set()


def test_inactive_director_sees_nothing(events, director):
    director.is_active = False
    assert _ids(events_visible_to(director)) == set()


def test_director_lists_only_own_town(client, events, director):
    client.force_login(director)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert "嘉祥街道开窗" in response.text
    assert "纸坊镇开窗" not in response.text
    assert "县级同步" not in response.text


def test_director_cannot_open_another_towns_event(client, events, director):
    client.force_login(director)
    response = client.get(reverse("admin:audit_auditevent_change", args=[events["other"].pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect: nothing is revealed


def test_county_admin_filters_by_chain_action_and_role(client, events, county_admin, other_town):
    client.force_login(county_admin)
    response = client.get(CHANGELIST, {"chain": other_town.code, "action": AuditAction.WINDOW_OPENED,
                                       "role": "center_director"})
    assert response.status_code == 200
    assert "纸坊镇开窗" in response.text
    assert "嘉祥街道开窗" not in response.text


def test_search_by_actor_name(client, events, superuser):
    client.force_login(superuser)
    response = client.get(CHANGELIST, {"q": "张受理"})
    assert "嘉祥街道开窗" in response.text
    assert "县级同步" not in response.text


def test_detail_page_is_read_only(client, events, superuser):
    client.force_login(superuser)
    url = reverse("admin:audit_auditevent_change", args=[events["town"].pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.text
    assert client.post(url, {"summary": "改"}).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[events["town"].pk]),
                       {"post": "yes"}).status_code == 403


def test_clerk_has_no_audit_page(client, events, clerk):
    clerk.is_staff = True  # even with the admin site open to them
    clerk.save()
    client.force_login(clerk)
    assert client.get(CHANGELIST).status_code == 403
