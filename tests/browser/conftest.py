"""Browser journeys: pytest-playwright drives the system's Chromium against pytest-django's live_server.

One browser for the session, a fresh context (cookies, storage) per test. Playwright's bundled
browsers cannot be downloaded on county intranets, so Debian's /usr/bin/chromium is used; the CJK
font comes from the OS (fonts-wqy-microhei), as on the staff PCs' thin clients.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop running in the main thread from the first browser test to the
# end of the session, so Django refuses every ORM call made there afterwards ("You cannot call this from an
# async context") — ours, pytest-django's flushes, and those of any test that happens to run later in the same
# process. Nothing here is async, so the check is switched off for the whole process, at import.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = HERE / "screenshots"
IN_CI = os.environ.get("CI", "").lower() == "true"
MISSING_CHROMIUM = f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium fonts-wqy-microhei)"


def pytest_collection_modifyitems(config, items):
    # A conftest's collection hook sees every collected item, so only this folder's are touched.
    for item in items:
        if not item.path.is_relative_to(HERE):
            continue
        item.add_marker(pytest.mark.browser)
        if not CHROMIUM.exists() and not IN_CI:
            item.add_marker(pytest.mark.skip(reason=MISSING_CHROMIUM))


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not CHROMIUM.exists():
        # Only reached in CI (elsewhere the tests are skipped): a CI image without the browser is a broken image.
        pytest.fail(f"CI=true but {MISSING_CHROMIUM}", pytrace=False)
    return {
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--lang=zh-CN",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """page.goto("/windows/") resolves against the live server."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, base_url):
    # Staff PCs run a Chinese browser: Accept-Language zh-CN, Beijing time, a common office screen.
    return {
        **browser_context_args,
        "base_url": base_url,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1280, "height": 800},
    }


@pytest.fixture
def world(transactional_db, live_server):
    """The two-town world of onewindow/testing/world.py, committed so the live server's thread sees it.

    Overrides the root `world` (which uses `db`: a transaction the server thread could not see).
    transactional_db flushes every table after the test; the audit app's flush lifts the append-only
    triggers for that on a test database.
    """
    from django.core.cache import cache

    from onewindow.testing.world import build_world

    cache.clear()
    yield build_world()
    cache.clear()


@pytest.fixture
def screenshot(page):
    """screenshot("name") saves a full-page PNG under tests/browser/screenshots/ and returns its path."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(page):
    """Signs in through the staff login form (mouse and keyboard as a person would; no cookie tricks)."""
    from onewindow.testing.world import PASSWORD

    def sign_in(user, password: str = PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        return page

    return sign_in


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def new_page(browser, base_url):
    """Another person's browser (a phone, a tablet, the board, a clerk's PC): its own cookies; closed with the
    test, so no keep-alive connection reaches the live server after the test's database is gone."""
    contexts = []

    def open_page(viewport, **extra):
        context = browser.new_context(
            base_url=base_url, viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai", **extra
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def phone(new_page):
    """A citizen's phone: 390×844, touch, a mobile browser's layout."""
    return new_page(PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
