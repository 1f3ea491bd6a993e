from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import SyncToAsync
from django.test import AsyncClient

# Django's own request signals and response handling cross a few times whatever we do; the
# middleware chain itself should cross once (10 in all today; 17 without SyncChainMiddleware).
THREAD_HOPS_PER_REQUEST = 12


async def test_under_asgi_a_request_crosses_to_a_thread_only_a_few_times(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a counter on every event-loop-to-thread crossing
    client = AsyncClient()
    await client.get("/healthz")
    hops = 0
    original = SyncToAsync.__call__

    async def counting(self: SyncToAsync[Any, Any], *args: Any, **kwargs: Any) -> Any:
        nonlocal hops
        hops += 1
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counting)

    # when
    response = await client.get("/healthz")

    # then
    assert response.status_code == 200
    assert hops <= THREAD_HOPS_PER_REQUEST


async def test_requests_still_pass_every_middleware_under_asgi(db: None) -> None:
    # when
    response = await AsyncClient().get("/healthz")

    # then the security and clickjacking middleware still set their headers
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
