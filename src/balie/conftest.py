"""Fixtures shared by every app's tests: two shops, so tenant isolation is always at hand."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from hypothesis import settings as hypothesis_settings
from pytest_django.fixtures import Settings

from balie.knowledge import index as knowledge_index
from balie.tenancy import services as tenancy_services
from balie.tenancy.models import Membership, Role, Shop
from balie.tenancy.tests.factories import MembershipFactory, ShopFactory

# Hypothesis' per-example deadline is a wall-clock assertion: on a busy 2-core CI machine it
# fails tests that are correct. Balie's tests never assert wall-clock times.
hypothesis_settings.register_profile("balie", deadline=None)
hypothesis_settings.load_profile("balie")


@pytest.fixture(autouse=True)
def _knowledge_indexes_forgotten() -> Iterator[None]:
    """Each process caches search indexes by shop id and version; a rolled-back test's shop id
    may come again (SQLite reuses ids), so no test sees another's index."""
    knowledge_index.cache_clear()
    yield
    knowledge_index.cache_clear()


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    """Each test starts in Balie's own language: a request through the test client leaves the
    language it activated (LocaleMiddleware) on the thread, for whichever test runs next."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def cache_cleared() -> Iterator[None]:
    """An empty cache before and after the test (throttle counters outlive a test)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    """Uploaded files (attachments, raw originals, logos) go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def shop(db: None) -> Shop:
    return ShopFactory(name="Kookwinkel De Pollepel", slug="pollepel")


@pytest.fixture
def other_shop(db: None) -> Shop:
    return ShopFactory(name="Fietsenzaak Trapper", slug="trapper")


@pytest.fixture
def agent(shop: Shop) -> Membership:
    return MembershipFactory(shop=shop, role=Role.AGENT, user__email="sanne@pollepel.nl")


@pytest.fixture
def admin_agent(shop: Shop) -> Membership:
    return MembershipFactory(shop=shop, role=Role.ADMIN, user__email="beheer@pollepel.nl")


@pytest.fixture
def agent_client(agent: Membership) -> Client:
    client = Client()
    client.force_login(agent.user)
    return client


@pytest.fixture
def api_key(shop: Shop) -> str:
    _key, raw = tenancy_services.api_key_create(shop=shop, name="Tests")
    return raw


@pytest.fixture
def api_client(api_key: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_key}"})


@pytest.fixture
def redis_url() -> str:
    """The Redis server for tests marked `redis` (REDIS_URL, else 127.0.0.1:6379).

    Unreachable: the test is skipped with the reason, unless REDIS_TESTS=1 (as in CI), then
    it fails.
    """
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as error:
        reason = f"Redis at {url} is unreachable ({error})"
        if os.environ.get("REDIS_TESTS") == "1":
            pytest.fail(f"{reason}; REDIS_TESTS=1 requires it")
        pytest.skip(reason)
    return url


@pytest.fixture
def run_tasks(db: None) -> Callable[[], int]:
    """Runs every queued background task in this thread, as a worker would; returns how many.

    Claims and runs tasks one by one with django-tasks-db's own `run_task`, without the worker
    loop, whose connection housekeeping would close the test's transaction.
    """

    def run() -> int:
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="tests",
            excluded_queue_names=[],
        )
        count = 0
        while (result := DBTaskResult.objects.ready().first()) is not None:
            result.claim(worker.worker_id)
            worker.run_task(result)
            count += 1
        return count

    return run
