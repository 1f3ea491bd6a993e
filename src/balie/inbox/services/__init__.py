"""Writes for the inbox, split by idea: `receive` (the one intake path every channel uses)
and `history_import` (the same in bulk, for imports), `conversations` (what agents change),
`threads` (merge and split), `tags`, `macros`, `notifications`, `snooze`, `teams` (removing
one); `replies`, `outbound`, `auto_reply` and `csat` (what goes out to the customer). Import
this package, not its modules."""

from __future__ import annotations

from balie.inbox.services.assignment import conversation_route, conversations_assign_waiting
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
from balie.inbox.services.history_import import messages_import
from balie.inbox.services.intake import (
    Prepared,
    files_remove,
    files_store_ahead,
    files_stored_ahead,
    prepare,
)
from balie.inbox.services.macros import (
    macro_apply_actions,
    macro_create,
    macro_delete,
    macro_render,
    macro_update,
)
from balie.inbox.services.notify import notifications_mark_read
from balie.inbox.services.outbound import (
    deliveries_resume,
    message_deliver,
    outbound_message_new,
)
from balie.inbox.services.receive import ReceiveResult, message_receive, normalize_external_id
from balie.inbox.services.replies import reply_send
from balie.inbox.services.sla import conversation_sla_refresh, sla_sweep
from balie.inbox.services.sla_policies import (
    sla_policy_create,
    sla_policy_delete,
    sla_policy_update,
    sla_recheck,
)
from balie.inbox.services.snooze import snoozed_wake
from balie.inbox.services.tags import tag_create, tag_delete, tag_rename
from balie.inbox.services.teams import team_delete
from balie.inbox.services.threads import conversation_merge, conversation_split

__all__ = [
    "Prepared",
    "ReceiveResult",
    "auto_reply_send",
    "conversation_assign",
    "conversation_merge",
    "conversation_route",
    "conversation_set_priority",
    "conversation_set_status",
    "conversation_set_team",
    "conversation_sla_refresh",
    "conversation_split",
    "conversation_tag",
    "conversations_assign_waiting",
    "csat_record",
    "csat_request_send",
    "deliveries_resume",
    "files_remove",
    "files_store_ahead",
    "files_stored_ahead",
    "inbox_settings_update",
    "macro_apply_actions",
    "macro_create",
    "macro_delete",
    "macro_render",
    "macro_update",
    "message_deliver",
    "message_receive",
    "messages_import",
    "normalize_external_id",
    "note_add",
    "notifications_mark_read",
    "outbound_message_new",
    "prepare",
    "reply_send",
    "sla_policy_create",
    "sla_policy_delete",
    "sla_policy_update",
    "sla_recheck",
    "sla_sweep",
    "snoozed_wake",
    "tag_create",
    "tag_delete",
    "tag_rename",
    "team_delete",
]
