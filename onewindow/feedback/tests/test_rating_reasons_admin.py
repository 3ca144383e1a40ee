"""评价原因选项 in 配置管理: the county adds and switches off labels through the service (validated, audited);
directors may look; nobody deletes a label or edits a rating."""

import pytest

from onewindow.audit.actions import AuditAction
from onewindow.audit.models import AuditEvent
from onewindow.core.roles import Role
from onewindow.feedback.models import RatingReason

pytestmark = pytest.mark.django_db

REASONS = "/admin/feedback/ratingreason/"


def test_the_county_adds_a_label_and_a_duplicate_is_refused_on_the_form(client, world):
    client.force_login(world.county_admin)
    assert client.get(REASONS).status_code == 200 and client.get("/admin/feedback/rating/").status_code == 200
    response = client.post(f"{REASONS}add/", {"level": 2, "label": "服务态度差", "position": 1, "is_active": "on"})
    assert response.status_code == 200 and "该评价等级已有相同的原因" in response.content.decode()
    response = client.post(f"{REASONS}add/", {"level": 2, "label": "材料反复提交", "position": 9, "is_active": "on"})
    assert response.status_code == 302
    reason = RatingReason.objects.get(label="材料反复提交")
    assert AuditEvent.objects.filter(action=AuditAction.RATING_REASON_SAVED, target_id=str(reason.pk)).exists()
    assert client.post(f"{REASONS}{reason.pk}/delete/").status_code == 403


def test_directors_look_and_others_are_kept_out(client, world):
    client.force_login(world.user("a", Role.CENTER_DIRECTOR))
    assert client.get(REASONS).status_code == 200
    assert client.get(f"{REASONS}add/").status_code == 403
    client.force_login(world.user("a", Role.FRONT_CLERK))
    assert client.get(REASONS).status_code in (302, 403)
