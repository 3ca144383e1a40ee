"""Fixtures shared by every context's tests: a small two-town world built through the services."""

import unittest

import pytest

from onewindow.testing.world import build_world

# The calendar fixtures (calendar_2020_2026, package_ends_2026) are shared by every context's tests.
pytest_plugins = ["onewindow.testing.calendar_fixtures"]


def pytest_collection_modifyitems(config, items):
    # Row locks and concurrent writers only mean something on PostgreSQL; skip before any fixture runs.
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL"))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file, not shared memory. Under live_server an in-memory database is one
    connection shared by the test thread and the server's threads, so a browser test writing while a screen polls
    meets "database table is locked" (no busy timeout applies to it) or waits on the other thread's statement.
    With a file every thread has its own connection, and WAL plus the busy timeout (settings) serialise writers."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test_onewindow.sqlite3")


@pytest.fixture
def world(db):
    """Two towns (A, B) of one county, each fully staffed: see onewindow/testing/world.py."""
    return build_world()


@pytest.fixture(autouse=True)
def _files_in_tmp(request, settings, tmp_path_factory):
    # Demo loads and uploads write files; keep them out of the working tree's var/. Django TestCase classes
    # that build files in setUpTestData choose their own folder (override_settings) and keep it.
    if request.node.cls is not None and issubclass(request.node.cls, unittest.TestCase):
        return
    root = tmp_path_factory.mktemp("files")
    settings.MEDIA_ROOT = root / "media"
    settings.ONEWINDOW_PRIVATE_DIR = root / "private"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production keeps PBKDF2; tests create dozens of accounts and need not pay for it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
