"""Publishing events to agents' browsers, always after the transaction commits."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def shop_group(shop_id: int) -> str:
    return f"shop.{shop_id}"


def publish_on_commit(*, shop_id: int, payload: dict[str, Any]) -> None:
    """Send `payload` to every agent tab of the shop once the current transaction commits."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(
                shop_group(shop_id), {"type": "shop.event", "payload": payload}
            )

    transaction.on_commit(send)
