"""The agent app's websocket: one connection per open tab, joined to its shop's group.

Services publish to `shop.<id>` after commit (`balie.web.realtime`); this consumer forwards
those events to the browser. Only signed-in agents of the shop may connect.

Collision notices ("Bram bekijkt dit gesprek", "… typt een antwoord") travel through a group
per conversation, joined by the tabs that show it: a tab says `viewing` when it opens a
conversation (and every 20 s while it stays open), `typing` while its agent writes, `left`
when it closes. Nothing of it is stored; the browsers let a notice expire when it is not
renewed.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import timezone

from balie.inbox.models import Conversation
from balie.tenancy import presence, selectors
from balie.tenancy.models import Membership, User
from balie.web.realtime import shop_group

COLLISION_STATES = frozenset({"viewing", "typing", "left"})


def conversation_group(shop_id: int, conversation_id: int) -> str:
    return f"conversation.{shop_id}.{conversation_id}"


def _membership_and_name(*, user: User, shop_id: int | None) -> tuple[Membership, str] | None:
    membership = selectors.membership_for(user=user, shop_id=shop_id)
    if membership is None:
        return None
    name = membership.display_name or membership.user.full_name or membership.user.email
    return membership, name


class AgentConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        session = self.scope.get("session") or {}
        found = await database_sync_to_async(_membership_and_name)(
            user=user, shop_id=session.get("balie_shop_id")
        )
        if found is None:
            await self.close(code=4403)
            return
        membership, self.agent_name = found
        self.membership = membership
        await self._seen()
        self.group = shop_group(membership.shop_id)
        self.conversation_group = ""
        self.known_conversations: set[int] = set()
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "shop_id": membership.shop_id})

    async def disconnect(self, code: int) -> None:
        await self._leave()
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "ping":
            await self._seen()
            await self.send_json({"type": "pong"})
        elif kind in COLLISION_STATES:
            conversation_id = content.get("conversation_id")
            if not isinstance(conversation_id, int) or not await self._may_see(conversation_id):
                return
            if kind == "left":
                if self._watching() == conversation_id:
                    await self._leave()
                return
            await self._join(conversation_id)
            await self._collision(kind, conversation_id)

    async def shop_event(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])

    async def conversation_collision(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])

    async def _seen(self) -> None:
        """An open tab proves its agent is there (`tenancy.presence`, at most one write per
        agent per 30 s however many tabs ping)."""
        await database_sync_to_async(presence.membership_seen)(
            membership=self.membership, now=timezone.now()
        )

    def _watching(self) -> int:
        return int(self.conversation_group.rsplit(".", 1)[1]) if self.conversation_group else 0

    async def _may_see(self, conversation_id: int) -> bool:
        """Only the agent's own shop's conversations (checked once per conversation)."""
        if conversation_id not in self.known_conversations:
            exists = await database_sync_to_async(
                Conversation.objects.filter(
                    pk=conversation_id, shop_id=self.membership.shop_id
                ).exists
            )()
            if not exists:
                return False
            self.known_conversations.add(conversation_id)
        return True

    async def _join(self, conversation_id: int) -> None:
        """Watch this conversation (a tab shows one at a time)."""
        group = conversation_group(self.membership.shop_id, conversation_id)
        if self.conversation_group == group:
            return
        await self._leave()
        await self.channel_layer.group_add(group, self.channel_name)
        self.conversation_group = group

    async def _leave(self) -> None:
        """Tell the others this tab no longer shows its conversation, and stop listening."""
        if not getattr(self, "conversation_group", ""):
            return
        await self._collision("left", self._watching())
        await self.channel_layer.group_discard(self.conversation_group, self.channel_name)
        self.conversation_group = ""

    async def _collision(self, state: str, conversation_id: int) -> None:
        await self.channel_layer.group_send(
            conversation_group(self.membership.shop_id, conversation_id),
            {
                "type": "conversation.collision",
                "payload": {
                    "type": "collision",
                    "state": state,
                    "conversation_id": conversation_id,
                    "agent_id": self.membership.pk,
                    "name": self.agent_name,
                },
            },
        )
