"""Fixtures shared by every context's tests: a small two-town world built through the services."""

import pytest

from onewindow.testing.world import build_world


@pytest.fixture
def world(db):
    """Two towns (A, B) of one county, each fully staffed: see onewindow/testing/world.py."""
    return build_world()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production keeps PBKDF2; tests create dozens of accounts and need not pay for it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
