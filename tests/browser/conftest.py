"""Real-browser tests: Playwright's Python package driving the system's Chromium.

Without Chromium the browser tests are skipped, with a line in the terminal summary saying so;
on CI (CI=true) a missing Chromium fails the run instead, so a green CI always means the
browser tests ran.
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from core import places
from groups.models import Group
from tests.factories import EventFactory, GroupFactory

BROWSER_DIR = Path(__file__).parent
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING = f"no Chromium found at {CHROMIUM}"
_skipped_key = pytest.StashKey[bool]()
_call_failed_key = pytest.StashKey[bool]()
FAILURES_DIR = BROWSER_DIR.parent.parent / "var" / "browser-failures"


def chromium_missing() -> bool:
    return not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK))


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _is_browser_test(item: pytest.Item) -> bool:
    return BROWSER_DIR in Path(item.fspath).parents


def pytest_collection_modifyitems(config, items):
    browser_items = [
        item
        for item in items
        if _is_browser_test(item) and "browser" in getattr(item, "fixturenames", ())
    ]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if not browser_items or not chromium_missing():
        return
    config.stash[_skipped_key] = True
    if on_ci():
        # The `browser` fixture fails each test, so the run cannot pass without Chromium.
        return
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=f"browser tests need Chromium: {MISSING}"))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if config.stash.get(_skipped_key, False):
        verb = "FAILED" if on_ci() else "SKIPPED"
        terminalreporter.write_line(f"browser tests {verb}: {MISSING}", yellow=True, bold=True)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module."""
    if chromium_missing():
        pytest.fail(f"CI=true and {MISSING}: install it (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between browser steps are still plain synchronous code.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_call_failed_key] = report.failed
    return report


@pytest.fixture
def page(request, browser, live_server):
    """A fresh browser context (no cookies) pointed at the live server. When the test fails, a
    screenshot and the page's HTML are left in var/browser-failures/ to show what it saw."""
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    if request.node.stash.get(_call_failed_key, False):
        FAILURES_DIR.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        page.screenshot(path=FAILURES_DIR / f"{name}.png", full_page=True)
        (FAILURES_DIR / f"{name}.html").write_text(page.content())
    context.close()


@pytest.fixture
def log_in(page, live_server):
    """Log `user` in to the browser page with a session cookie (for tests about what comes
    after logging in; the newcomer journey logs in through the form)."""
    from django.conf import settings
    from django.test import Client

    def log_in(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )

    return log_in


@pytest.fixture
def lantern_walk():
    """A walk in Leeds, in an open group, and one in London that a search for Leeds leaves out."""
    places.gazetteer()  # loaded once per process: not inside the browser's wait
    group = GroupFactory(
        name="Canal Lantern Walkers",
        slug="canal-lantern-walkers",
        description="Evening walks along the canal with paper lanterns.",
        city="Leeds",
    )
    assert group.visibility == Group.Visibility.PUBLIC
    assert group.join_policy == Group.JoinPolicy.OPEN
    EventFactory(
        group=GroupFactory(name="Camden Cooks", city="London"),
        title="Soup night in London",
        latitude=51.51,
        longitude=-0.13,
    )
    return EventFactory(
        group=group,
        title="Lantern walk along the canal",
        slug="lantern-walk-along-the-canal",
        starts_at=(timezone.now() + dt.timedelta(days=5)).replace(second=0, microsecond=0),
        capacity=20,
        city="Leeds",
        latitude=53.80,
        longitude=-1.55,
    )
