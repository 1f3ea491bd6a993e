from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from balie.webhooks.models import DeliveryStatus, WebhookDelivery
from balie.webhooks.tests import receiver as receiver_module
from balie.webhooks.tests.receiver import Receiver

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture(autouse=True)
def private_addresses_allowed(settings: Settings) -> None:
    """The receiver listens on 127.0.0.1 over plain http, which only this setting allows."""
    settings.BALIE_WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server_receiver = Receiver()
    server = receiver_module.start(server_receiver)
    yield server_receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def deliver(
    run_tasks: Callable[[], int], django_capture_on_commit_callbacks: CaptureCallbacks
) -> Callable[[], int]:
    """Run every due task, and the tasks their commits enqueue, until none is due; returns
    how many ran. Retries wait for `time_passes`."""

    def run() -> int:
        total = 0
        while True:
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                ran = run_tasks()
            total += ran
            if not ran and not callbacks:
                return total

    return run


@pytest.fixture
def time_passes() -> Callable[[], None]:
    """The moment of every waiting retry has come (instead of waiting minutes or hours)."""

    def advance() -> None:
        now = timezone.now()
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).update(next_attempt_at=now)
        DBTaskResult.objects.filter(status="READY").update(run_after=now)

    return advance
