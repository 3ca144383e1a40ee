"""Fixtures for the audit tests: a county with two towns, a few staff, trigger removal for tampering."""

import pytest
from django.db import connection

from onewindow.core.roles import Role
from onewindow.org.models import Region, User


def _region(code, name, level, parent=None):
    region = Region.objects.create(code=code, name=name, level=level, parent=parent)
    if level == Region.Level.TOWN:
        region.town = region
        region.save(update_fields=["town"])
    elif level == Region.Level.VILLAGE:
        region.town = parent
        region.save(update_fields=["town"])
    return region


@pytest.fixture
def county(db):
    return _region("370829000000", "嘉祥县", Region.Level.COUNTY)


@pytest.fixture
def town(county):
    return _region("370829100000", "嘉祥街道", Region.Level.TOWN, county)


@pytest.fixture
def other_town(county):
    return _region("370829101000", "纸坊镇", Region.Level.TOWN, county)


@pytest.fixture
def village(town):
    return _region("370829100201", "城关村", Region.Level.VILLAGE, town)


def _user(username, name, role, town=None, **extra):
    return User.objects.create_user(username=username, password=None, name=name, role=role, town=town, **extra)


@pytest.fixture
def county_admin(county):
    return _user("county_admin", "王局长", Role.COUNTY_ADMIN, is_staff=True)


@pytest.fixture
def director(town):
    return _user("director", "李主任", Role.CENTER_DIRECTOR, town, is_staff=True)


@pytest.fixture
def other_director(other_town):
    return _user("other_director", "赵主任", Role.CENTER_DIRECTOR, other_town, is_staff=True)


@pytest.fixture
def clerk(town):
    return _user("clerk", "张受理", Role.FRONT_CLERK, town)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(username="root", password=None)


def drop_append_only_triggers() -> None:
    """Raw SQL, as an intruder with table rights would; the test transaction restores them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_event_no_update_delete ON audit_auditevent")
            cursor.execute("DROP TRIGGER audit_event_no_truncate ON audit_auditevent")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
