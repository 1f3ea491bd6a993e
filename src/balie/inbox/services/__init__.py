"""Writes for the inbox, split by idea: `receive` (the one intake path every channel uses)
and `conversations` (what agents change); `replies`, `outbound`, `auto_reply` and `csat`
(what goes out to the customer). Import this package, not its modules."""

from __future__ import annotations

from balie.inbox.services.auto_reply import auto_reply_send
from balie.inbox.services.conversations import (
    conversation_assign,
    conversation_set_priority,
    conversation_set_status,
    conversation_set_team,
    conversation_tag,
    inbox_settings_update,
    note_add,
)
from balie.inbox.services.csat import csat_record, csat_request_send
from balie.inbox.services.outbound import deliveries_resume, message_deliver
from balie.inbox.services.receive import ReceiveResult, message_receive, normalize_external_id
from balie.inbox.services.replies import reply_send

__all__ = [
    "ReceiveResult",
    "auto_reply_send",
    "conversation_assign",
    "conversation_set_priority",
    "conversation_set_status",
    "conversation_set_team",
    "conversation_tag",
    "csat_record",
    "csat_request_send",
    "deliveries_resume",
    "inbox_settings_update",
    "message_deliver",
    "message_receive",
    "normalize_external_id",
    "note_add",
    "reply_send",
]
