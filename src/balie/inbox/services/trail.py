"""The audit trail and live updates every inbox service writes, in one place."""

from __future__ import annotations

from typing import Any

from balie.inbox.models import Conversation, ConversationEvent, EventKind
from balie.tenancy.models import Membership
from balie.web import realtime


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
