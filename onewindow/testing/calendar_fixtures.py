"""Calendar fixtures. `calendar_2020_2026` is meant for every context's tests that compute deadlines."""

import pytest

from onewindow.audit.services import SYSTEM
from onewindow.core import calendar
from onewindow.core.services import calendar as calendar_services


@pytest.fixture
def calendar_2020_2026(db):
    """The State Council schedule for 2020–2026, seeded through the sync service as the system would.

    Cheap enough per test (the package rows are computed once per process, then one bulk insert);
    the snapshot is dropped afterwards so the rolled-back calendar cannot leak into the next test.
    """
    calendar_services.calendar_sync_from_package(actor=SYSTEM, years=list(range(2020, 2027)))
    yield
    calendar.invalidate_cache()


@pytest.fixture(autouse=True)
def _fresh_calendar_snapshot():
    # Each test's transaction is rolled back; a snapshot built in an earlier test would outlive it.
    calendar.invalidate_cache()
    yield
    calendar.invalidate_cache()


@pytest.fixture
def package_ends_2026(monkeypatch):
    """Pins the package's coverage to 2004–2026, as documented, so 2027 stays 'unknown' even after
    a chinesecalendar upgrade learns it."""
    monkeypatch.setattr(calendar_services, "package_years", lambda: range(2004, 2027))
