"""Writes for the inbox, split by idea: `receive` (the one intake path every channel uses)
and `conversations` (what agents change). Import this package, not its modules."""

from __future__ import annotations

from balie.inbox.services.conversations import (
    conversation_assign,
    conversation_set_priority,
    conversation_set_status,
    conversation_set_team,
    conversation_tag,
    inbox_settings_update,
    note_add,
)
from balie.inbox.services.receive import ReceiveResult, message_receive

__all__ = [
    "ReceiveResult",
    "conversation_assign",
    "conversation_set_priority",
    "conversation_set_status",
    "conversation_set_team",
    "conversation_tag",
    "inbox_settings_update",
    "message_receive",
    "note_add",
]
