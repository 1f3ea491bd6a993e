"""Writes for the inbox, split by idea: `receive` (the one intake path every channel uses),
`conversations` (what agents change), `threads` (merge and split) and `notifications`.
Import this package, not its modules."""

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
from balie.inbox.services.notifications import notifications_mark_read
from balie.inbox.services.receive import ReceiveResult, message_receive
from balie.inbox.services.snooze import snoozed_wake
from balie.inbox.services.threads import conversation_merge, conversation_split

__all__ = [
    "ReceiveResult",
    "conversation_assign",
    "conversation_merge",
    "conversation_set_priority",
    "conversation_set_status",
    "conversation_set_team",
    "conversation_split",
    "conversation_tag",
    "inbox_settings_update",
    "message_receive",
    "note_add",
    "notifications_mark_read",
    "snoozed_wake",
]
