"""Writes for the inbox, split by idea: `receive` (the one intake path every channel uses),
`conversations` (what agents change), `tags` and `macros`. Import this package, not its
modules."""

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
from balie.inbox.services.macros import (
    macro_apply_actions,
    macro_create,
    macro_delete,
    macro_render,
    macro_update,
)
from balie.inbox.services.receive import ReceiveResult, message_receive
from balie.inbox.services.tags import tag_create, tag_delete, tag_rename

__all__ = [
    "ReceiveResult",
    "conversation_assign",
    "conversation_set_priority",
    "conversation_set_status",
    "conversation_set_team",
    "conversation_tag",
    "inbox_settings_update",
    "macro_apply_actions",
    "macro_create",
    "macro_delete",
    "macro_render",
    "macro_update",
    "message_receive",
    "note_add",
    "tag_create",
    "tag_delete",
    "tag_rename",
]
