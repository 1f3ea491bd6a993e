"""Writes for the inbox, split by idea: `receive` (the one intake path every channel uses)
and `conversations` (what agents change). Import this package, not its modules."""

from __future__ import annotations

from balie.inbox.services.assignment import conversation_route, conversations_assign_waiting
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
from balie.inbox.services.sla import conversation_sla_refresh, sla_sweep
from balie.inbox.services.sla_policies import (
    sla_policy_create,
    sla_policy_delete,
    sla_policy_update,
    sla_recheck,
)

__all__ = [
    "ReceiveResult",
    "conversation_assign",
    "conversation_route",
    "conversation_set_priority",
    "conversation_set_status",
    "conversation_set_team",
    "conversation_sla_refresh",
    "conversation_tag",
    "conversations_assign_waiting",
    "inbox_settings_update",
    "message_receive",
    "note_add",
    "sla_policy_create",
    "sla_policy_delete",
    "sla_policy_update",
    "sla_recheck",
    "sla_sweep",
]
