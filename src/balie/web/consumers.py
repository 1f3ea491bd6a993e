"""The agent app's websocket: one connection per open tab, joined to its shop's group.

Services publish to `shop.<id>` after commit (`balie.web.realtime`); this consumer forwards
those events to the browser. Only signed-in agents of the shop may connect.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from balie.tenancy import selectors
from balie.web.realtime import shop_group


class AgentConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        session = self.scope.get("session") or {}
        membership = await database_sync_to_async(selectors.membership_for)(
            user=user, shop_id=session.get("balie_shop_id")
        )
        if membership is None:
            await self.close(code=4403)
            return
        self.group = shop_group(membership.shop_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "shop_id": membership.shop_id})

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def shop_event(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])
