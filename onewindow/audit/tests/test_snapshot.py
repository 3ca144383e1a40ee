import pytest

from onewindow.audit.services import snapshot


@pytest.mark.django_db
def test_snapshot_turns_fields_into_json(village, town):
    assert snapshot(village, ["code", "name", "level", "parent", "is_active"]) == {
        "code": "370829100201", "name": "城关村", "level": "village", "parent": town.pk, "is_active": True,
    }


@pytest.mark.django_db
def test_snapshot_of_user_dates_and_foreign_keys(director, town):
    data = snapshot(director, ["username", "town", "date_joined", "last_login"])
    assert data["town"] == town.pk
    assert data["date_joined"] == director.date_joined.isoformat()
    assert data["last_login"] is None
