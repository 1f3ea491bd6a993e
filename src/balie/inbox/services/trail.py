"""The audit trail and live updates every inbox service writes, in one place."""

from __future__ import annotations

from functools import partial
from typing import Any

from balie.inbox import payloads
from balie.inbox.models import Conversation, ConversationEvent, Direction, EventKind
from balie.tenancy.models import Membership
from balie.web import realtime
from balie.webhooks import events as webhook_events


def event(
    conversation: Conversation,
    kind: EventKind,
    *,
    actor: Membership | None = None,
    **data: Any,
) -> ConversationEvent:
    """An unsaved event; callers save one or bulk-create several."""
    return ConversationEvent(
        shop_id=conversation.shop_id, conversation=conversation, kind=kind, actor=actor, data=data
    )


def publish(conversation: Conversation, kind: str, **data: Any) -> None:
    """Tell the shop's agents' browsers once the transaction commits (never before)."""
    realtime.publish_on_commit(
        shop_id=conversation.shop_id,
        payload={
            "type": kind,
            "conversation_id": conversation.pk,
            "status": conversation.status,
            **data,
        },
    )
    _webhooks_on_commit(conversation, kind, data)


def _webhooks_on_commit(conversation: Conversation, kind: str, data: dict[str, Any]) -> None:
    """The outgoing webhooks of the same moment, sent after the commit to the endpoints
    subscribed (see `webhooks.events`). A message in an existing conversation also updates
    the conversation (its last message, perhaps its status)."""
    shop_id, key = conversation.shop_id, f"conversation:{conversation.pk}"
    conversation_json = partial(
        payloads.conversation, shop_id=shop_id, conversation_id=conversation.pk
    )
    message_id = data.get("message_id")
    if kind == "message.created" and data.get("conversation_created"):
        webhook_events.emit_on_commit(
            shop_id=shop_id,
            event=webhook_events.CONVERSATION_CREATED,
            object_key=key,
            build=conversation_json,
        )
    elif kind == "conversation.updated" or (
        kind == "message.created" and data.get("direction") != Direction.NOTE
    ):
        webhook_events.emit_on_commit(
            shop_id=shop_id,
            event=webhook_events.CONVERSATION_UPDATED,
            object_key=key,
            build=conversation_json,
        )
    if kind == "message.created" and isinstance(message_id, int):
        webhook_events.emit_on_commit(
            shop_id=shop_id,
            event=webhook_events.MESSAGE_CREATED,
            object_key=f"message:{message_id}",
            build=partial(payloads.message, shop_id=shop_id, message_id=message_id),
        )
