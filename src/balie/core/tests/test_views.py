from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from balie.core import readiness, services

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
    }
}


@pytest.fixture
def heartbeat() -> None:
    now = timezone.now()
    services.worker_heartbeat_beat(
        worker_id="worker-1", hostname="web-1", pid=4321, started_at=now, now=now
    )


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never answers: a black-holed Redis."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def test_healthz_answers_without_touching_anything(client: Client) -> None:
    # when
    response = client.get("/healthz")

    # then
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ready_when_a_worker_heartbeats(client: Client, heartbeat: None) -> None:
    # when
    response = client.get("/readyz")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "channel_layer": True,
        "worker": True,
    }


def test_readyz_names_the_missing_worker(client: Client) -> None:
    # when
    response = client.get("/readyz")

    # then
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert [name for name, check in checks.items() if not check["ok"]] == ["worker"]
    assert "no task worker heartbeat" in checks["worker"]["detail"]


def test_readyz_names_an_unreachable_channel_layer(
    client: Client, heartbeat: None, settings: Settings
) -> None:
    # given
    settings.CHANNEL_LAYERS = UNREACHABLE_REDIS

    # when
    response = client.get("/readyz")

    # then
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert [name for name, check in checks.items() if not check["ok"]] == ["channel_layer"]
    assert "ConnectionError" in checks["channel_layer"]["detail"]


def test_a_channel_layer_that_never_answers_counts_as_down_after_the_timeout(
    settings: Settings, silent_server: int
) -> None:
    # given
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{silent_server}/0"]},
        }
    }

    # when
    check = readiness.check_channel_layer(timeout=0.5)

    # then
    assert check == {"ok": False, "detail": "channel layer did not answer within 0.5s"}
