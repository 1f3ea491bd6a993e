"""Conversations and messages as JSON, exactly as the API answers them.

Outgoing webhooks carry these as their `data`, so an integrator parses one shape whether it
reads the API or receives a webhook. Loaded fresh from the database (after the commit that
changed them), so the payload is the state the change left.
"""

from __future__ import annotations

import json
from typing import Any

from ninja import Schema
from ninja.responses import NinjaJSONEncoder

from balie.inbox.models import Conversation, Message
from balie.inbox.schemas import ConversationOut, MessageOut


def as_api_json(schema: type[Schema], instance: object) -> dict[str, Any]:
    """What ninja sends for `instance` as `schema`: the same dump, the same JSON encoder."""
    dumped = schema.model_validate(instance).model_dump()
    data: dict[str, Any] = json.loads(json.dumps(dumped, cls=NinjaJSONEncoder))
    return data


def conversation(*, shop_id: int, conversation_id: int) -> dict[str, Any] | None:
    """The conversation's API JSON; None when it is gone."""
    found = (
        Conversation.objects.filter(shop_id=shop_id, pk=conversation_id)
        .select_related("customer")
        .prefetch_related("tags")
        .first()
    )
    return as_api_json(ConversationOut, found) if found is not None else None


def message(*, shop_id: int, message_id: int) -> dict[str, Any] | None:
    """The message's API JSON (with its attachments); None when it is gone."""
    found = (
        Message.objects.filter(shop_id=shop_id, pk=message_id)
        .prefetch_related("attachments")
        .first()
    )
    return as_api_json(MessageOut, found) if found is not None else None
