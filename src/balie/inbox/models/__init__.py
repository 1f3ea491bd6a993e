"""The inbox's tables, split by idea; import from here, not from the modules.

- `conversations`: Conversation, its tags and the trail of every change (ConversationEvent)
- `messages`: Message (in, out, internal note) and Attachment
- `configuration`: a shop's InboxSettings, SLA policies and macros
- `notifications`: what an agent is told (mentions, assignments, SLA warnings)

Every channel delivers into these tables through `inbox.services.message_receive`; agents
change them through the other services there. Raw originals and attachment bytes live in
Django storage (not the database), under per-shop paths with random names.
"""

from __future__ import annotations

from balie.inbox.models.configuration import InboxSettings, Macro, SlaPolicy
from balie.inbox.models.conversations import (
    ACTIVE_STATUSES,
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    Conversation,
    ConversationEvent,
    ConversationStatus,
    EventKind,
    Priority,
    SlaState,
    Tag,
    reference_token_new,
)
from balie.inbox.models.messages import (
    Attachment,
    DeliveryStatus,
    Direction,
    Message,
    attachment_upload_to,
    raw_upload_to,
)
from balie.inbox.models.notifications import Notification, NotificationKind

__all__ = [
    "ACTIVE_STATUSES",
    "REFERENCE_ALPHABET",
    "REFERENCE_LENGTH",
    "Attachment",
    "Conversation",
    "ConversationEvent",
    "ConversationStatus",
    "DeliveryStatus",
    "Direction",
    "EventKind",
    "InboxSettings",
    "Macro",
    "Message",
    "Notification",
    "NotificationKind",
    "Priority",
    "SlaPolicy",
    "SlaState",
    "Tag",
    "attachment_upload_to",
    "raw_upload_to",
    "reference_token_new",
]
