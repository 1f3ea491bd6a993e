"""Publishing events to agents' browsers, always after the transaction commits."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import BaseChannelLayer, get_channel_layer
from django.db import transaction

# A channel layer that takes longer than this (seconds) to accept an event loses the event.
PUBLISH_TIMEOUT = 2.0


def shop_group(shop_id: int) -> str:
    return f"shop.{shop_id}"


def publish_on_commit(*, shop_id: int, payload: dict[str, Any]) -> None:
    """Send `payload` to every agent tab of the shop once the current transaction commits.

    Nothing is sent when the transaction rolls back. A channel layer that fails or hangs is
    logged, not raised: the data is committed by then, and live updates are a convenience
    (the agent's next page load shows the same).
    """
    transaction.on_commit(partial(_publish, shop_id, payload), robust=True)


def _publish(shop_id: int, payload: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(_group_send)(
            layer, shop_group(shop_id), {"type": "shop.event", "payload": payload}
        )


async def _group_send(layer: BaseChannelLayer, group: str, message: dict[str, Any]) -> None:
    await asyncio.wait_for(layer.group_send(group, message), PUBLISH_TIMEOUT)
