"""The live-chat channel: the shopper writes in the shop's widget, an agent in the inbox.

A chat starts when the assistant hands a widget conversation to a person while agents are
available (`assistant.chat`). Its messages are ordinary inbox messages on
`ContactChannel.CHAT`; the customer is known on the channel by the widget conversation
(`visitor_id`), and by email address too once the shopper gave one.

The way out is the shortest of all channels: the shopper's widget reads the conversation, so
an agent's reply is there for the shopper the moment it is stored (its delivery only marks
it sent). Nothing leaves the machine.
"""

from __future__ import annotations

import secrets

VISITOR_PREFIX = "widget-"


def visitor_id(session_reference: str) -> str:
    """The chat identity of the shopper in one widget conversation."""
    return f"{VISITOR_PREFIX}{session_reference}"


def message_id_new() -> str:
    """The id an agent's chat message carries (chat ids never look like email ids)."""
    return f"chat-{secrets.token_urlsafe(18)}"
