"""Live chat after a hand-off: the shopper goes on writing in the widget, an agent answers
from the inbox, and both read the same conversation.

The assistant hands a widget session to a person in a chat (not by email) when the shop offers
chat (an active contact option on `ContactChannel.CHAT`), the chat is open now (its hours) and
an agent is available (`tenancy.presence.agents_available`). The hand-off message, with the
transcript, starts an inbox conversation on the chat channel (`handoff.handoff_create`); the
shopper's messages after it enter through the inbox's one intake path, answering that first
message, so they always land in the same conversation (a resolved one re-opens). An agent's
reply is an ordinary reply on the chat channel (`channels.chat`).

A chat's customer is the widget conversation (`channels.chat.visitor_id`), a customer of its
own: an email address typed in the widget is not proof of anything, so it never joins the chat
to that address's conversations (whose replies the widget would then show). The transcript
names the address; an agent who knows better merges the conversations.

The widget reads the conversation with `chat_read`: the shopper's own messages and every
message to the shopper (not internal notes, not the transcript), after a message id it
already has, plus the conversation's state and the first name the agent shows shoppers.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db.models import Q

from balie.assistant.models import Session
from balie.channels import chat as chat_channel
from balie.inbox import services as inbox_services
from balie.inbox.inbound import InboundMessage
from balie.inbox.models import Conversation, ConversationStatus, Direction, Message
from balie.tenancy import presence
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.models import ContactChannel, ContactOption, Membership, Shop
from balie.web import response_times

MESSAGE_MAX_CHARS = 5_000
MESSAGES_PER_READ = 100
HANDOFF_ID_PREFIX = "assistant-"


class ChatNotOpen(Exception):
    """The session has no chat (no hand-off yet, or one by email)."""


def chat_offered(*, shop: Shop, session: Session, now: dt.datetime) -> ContactOption | None:
    """The shop's chat option when this session can be handed to a person in a chat now."""
    if session.channel != "widget":
        return None
    option = (
        tenancy_selectors.contact_option_list(shop=shop).filter(channel=ContactChannel.CHAT).first()
    )
    if option is None:
        return None
    schedule = tenancy_selectors.schedule_for(shop=shop)
    promise = response_times.response_promise(option=option, schedule=schedule, now=now)
    if not promise.available_now or not presence.agents_available(shop=shop, now=now):
        return None
    return option


def access_widget_session(*, shop: Shop, reference: str, client_key: str) -> Session | None:
    """The shop's assistant session `reference`, only for the widget that holds it."""
    if not client_key:
        return None
    found: Session | None = (
        Session.objects.for_shop(shop)
        .filter(reference=reference, client_key=client_key, channel="widget")
        .first()
    )
    return found


def handoff_message_id(session: Session, number: int) -> str:
    """The id of the session's `number`th hand-off message (one per hand-off)."""
    return f"<{HANDOFF_ID_PREFIX}{session.reference}-{number}@balie.invalid>"


def chat_message_receive(
    *, shop: Shop, session: Session, text: str, client_id: str = ""
) -> Message:
    """Store a shopper's chat message in the session's conversation. `client_id` (the
    widget's own id for the message) makes a resend store it once; without one each call is a
    new message. Raises `ChatNotOpen` when the session has no chat."""
    conversation = _chat_conversation(shop=shop, session=session)
    first = (
        Message.objects.for_shop(shop)
        .filter(
            conversation=conversation,
            channel=ContactChannel.CHAT,
            external_id__startswith=f"{HANDOFF_ID_PREFIX}{session.reference}-",
        )
        .order_by("pk")
        .values_list("external_id", flat=True)
        .first()
    )
    inbound = InboundMessage(
        channel=ContactChannel.CHAT,
        external_id=f"chat-{session.reference}-{client_id or secrets.token_urlsafe(12)}",
        sender_address=chat_channel.visitor_id(session.reference),
        sender_name=session.customer_name,
        # The conversation's own subject: a message on another topic would not re-open it.
        subject=conversation.subject,
        text=text[:MESSAGE_MAX_CHARS],
        in_reply_to=first or "",
        language=session.locale,
    )
    return inbox_services.message_receive(shop=shop, inbound=inbound).message


@dataclass(frozen=True)
class ChatMessage:
    id: int
    author: str  # "shopper" or "agent"
    name: str  # the agent's name for shoppers; empty for the shopper
    text: str
    at: dt.datetime


@dataclass(frozen=True)
class ChatState:
    status: str  # "waiting" (no agent yet), "agent" (an agent has it) or "resolved"
    agent_name: str
    messages: list[ChatMessage]


def chat_read(*, shop: Shop, session: Session, after: int = 0) -> ChatState:
    """The chat as the shopper sees it: messages after id `after`, oldest first (at most
    `MESSAGES_PER_READ`), and the conversation's state. Raises `ChatNotOpen`."""
    conversation = _chat_conversation(shop=shop, session=session)
    rows = list(
        Message.objects.for_shop(shop)
        .filter(conversation=conversation, pk__gt=after)
        .filter(
            Q(direction=Direction.OUTBOUND)
            | Q(direction=Direction.INBOUND, channel=ContactChannel.CHAT)
        )
        .exclude(direction=Direction.INBOUND, external_id__startswith=HANDOFF_ID_PREFIX)
        .exclude(delivery_status="failed")
        .select_related("author__user")
        .order_by("pk")[:MESSAGES_PER_READ]
    )
    messages = [
        ChatMessage(
            id=row.pk,
            author="agent" if row.direction == Direction.OUTBOUND else "shopper",
            name=agent_name(shop, row.author) if row.direction == Direction.OUTBOUND else "",
            text=row.text,
            at=row.created_at,
        )
        for row in rows
    ]
    return ChatState(
        status=_status(conversation),
        agent_name=agent_name(shop, conversation.assignee) if conversation.assignee else "",
        messages=messages,
    )


def agent_name(shop: Shop, agent: Membership | None) -> str:
    """How shoppers see an agent: their name for customers, else their first name, else the
    shop's name (an automated message has no agent)."""
    if agent is None:
        return shop.name
    return agent.display_name or agent.user.first_name or shop.name


def _status(conversation: Conversation) -> str:
    if conversation.status in (ConversationStatus.RESOLVED, ConversationStatus.CLOSED):
        return "resolved"
    return "agent" if conversation.assignee_id else "waiting"


def _chat_conversation(*, shop: Shop, session: Session) -> Conversation:
    if session.shop_id != shop.pk:
        raise ValueError("session belongs to another shop")
    conversation: Conversation | None = (
        Conversation.objects.for_shop(shop)
        .select_related("assignee__user")
        .filter(pk=session.conversation_id, channel=ContactChannel.CHAT)
        .first()
        if session.conversation_id
        else None
    )
    if conversation is None:
        raise ChatNotOpen
    return conversation
