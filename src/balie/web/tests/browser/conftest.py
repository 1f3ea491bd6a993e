"""Playwright on Debian's Chromium against pytest-django's live server.

The browser starts once per session (headless, no sandbox: CI runs as root in a container)
and each test gets a fresh context and page. Without /usr/bin/chromium the tests skip, unless
BALIE_REQUIRE_BROWSER=1 asks for them to fail instead (CI sets it). Playwright never downloads
a browser here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Browser tests run last: while the session's browser is open, Playwright's event loop
    # runs in the main thread (see `browser`), and no other test should run beside it.
    items.sort(key=lambda item: "browser" in item.keywords)
    if CHROMIUM.exists() or os.environ.get("BALIE_REQUIRE_BROWSER") == "1":
        return  # with the browser required, the `browser` fixture fails loudly instead
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"BALIE_REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium)")
    # Playwright's sync API keeps an event loop running in this thread, so Django takes the
    # test body for async code and refuses ORM calls (test data, flushing the live server's
    # database). The ORM work here is plain synchronous set-up, so lift that guard, only
    # while the browser is open (browser tests run last, see above).
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def results_dir() -> Path:
    """Screenshots for a human to look at (git-ignored)."""
    path = Path(settings.PROJECT_DIR) / "test-results"
    path.mkdir(exist_ok=True)
    return path
