"""Playwright on Debian's Chromium against pytest-django's live server.

The browser starts once per session (headless, no sandbox: CI runs as root in a container)
and each test gets a fresh context and page. Without /usr/bin/chromium the tests skip, unless
BALIE_REQUIRE_BROWSER=1 asks for them to fail instead (CI sets it). Playwright never downloads
a browser here.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from django.conf import settings
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.db import connections
from django.test import Client
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.fixtures import Settings

from balie.tenancy.models import User

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


@dataclass(frozen=True)
class AsgiServer:
    url: str
    host: str


@pytest.fixture
def asgi_server(transactional_db: None, redis_url: str, settings: Settings) -> Iterator[AsgiServer]:
    """Balie's ASGI application (HTTP and websockets) served by uvicorn in a thread.

    pytest-django's `live_server` speaks WSGI only; the workspace's live updates need the
    agent websocket. The channel layer is Redis (with a prefix of the test's own), so events
    published from the test's thread reach the consumers in the server's thread.
    """
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": f"balie-browser-{uuid.uuid4().hex}"},
        }
    }
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    from balie.asgi import application

    # Static files from the apps' folders, as `live_server` serves them (no collectstatic).
    served = ASGIStaticFilesHandler(application)
    server = uvicorn.Server(
        uvicorn.Config(served, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start for the browser test")
        time.sleep(0.05)
    yield AsgiServer(url=f"http://127.0.0.1:{port}", host=f"127.0.0.1:{port}")
    server.should_exit = True
    thread.join(timeout=10)


def beside_the_browser[T](work: Callable[[], T]) -> T:
    """Run `work` (a service call) in a thread of its own and return its result.

    Playwright's sync API keeps an event loop in the test's thread, and publishing to agents'
    websockets after commit (`async_to_sync`) refuses to run in a thread with a loop.
    """
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(work())
        except BaseException as error:  # handed to the test's thread below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    if errors:
        raise errors[0]
    return results[0]


def sign_in(page: Page, server_url: str, user: User) -> None:
    """Give the browser a signed-in session of `user` (the sign-in form has its own test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": server_url}])


@pytest.fixture
def second_page(browser: Browser) -> Iterator[Page]:
    """Another agent's browser, next to `page`."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 768})
    other = context.new_page()
    other.set_default_timeout(10_000)
    yield other
    context.close()


@pytest.fixture
def results_dir() -> Path:
    """Screenshots for a human to look at (git-ignored)."""
    path = Path(settings.PROJECT_DIR) / "test-results"
    path.mkdir(exist_ok=True)
    return path
