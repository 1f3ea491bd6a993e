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
Each read records how far the shopper got. Replies the shopper has not read after
`UNREAD_MAIL_AFTER` (they closed the page) go to them by email when they left an address
(`chat_unread_mail`, every minute); an answer to that email lands in the same conversation.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from balie.assistant.models import Session
from balie.channels import chat as chat_channel
from balie.channels import errors as channel_errors
from balie.inbox import outbound as inbox_outbound
from balie.inbox import services as inbox_services
from balie.inbox import subjects
from balie.inbox.inbound import InboundMessage
from balie.inbox.models import (
    Conversation,
    ConversationStatus,
    DeliveryStatus,
    Direction,
    Message,
)
from balie.tenancy import presence
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.models import ContactChannel, ContactOption, Shop
from balie.web import response_times

logger = logging.getLogger(__name__)

MESSAGE_MAX_CHARS = 5_000
MESSAGES_PER_READ = 100
HANDOFF_ID_PREFIX = "assistant-"
# A read is recorded at most this often while nothing new arrives (the widget polls often).
SEEN_RESOLUTION = dt.timedelta(seconds=15)
UNREAD_MAIL_AFTER = dt.timedelta(minutes=5)
# Older unread replies are not mailed any more (a conversation the shop has long answered).
UNREAD_MAIL_WITHIN = dt.timedelta(days=1)


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


def chat_read(
    *, shop: Shop, session: Session, after: int = 0, now: dt.datetime | None = None
) -> ChatState:
    """The chat as the shopper sees it: messages after id `after`, oldest first (at most
    `MESSAGES_PER_READ`), and the conversation's state; records the read. Raises
    `ChatNotOpen`."""
    now = now or timezone.now()
    if session.shop_id != shop.pk:
        raise ValueError("session belongs to another shop")
    # Read as values: the widget polls every few seconds, and rows would be built for nothing.
    conversation = (
        Conversation.objects.for_shop(shop)
        .filter(pk=session.conversation_id or 0, channel=ContactChannel.CHAT)
        .values("pk", "status", "assignee_id", *_name_fields("assignee"))
        .first()
    )
    if conversation is None:
        raise ChatNotOpen
    rows = list(
        _shown(shop=shop, conversation_id=conversation["pk"])
        .filter(pk__gt=after)
        .order_by("pk")
        .values("pk", "direction", "text", "created_at", *_name_fields("author"))[
            :MESSAGES_PER_READ
        ]
    )
    read_up_to = max([after, *(row["pk"] for row in rows)])
    seen = session.chat_seen_at
    if read_up_to > session.chat_read_up_to or seen is None or seen < now - SEEN_RESOLUTION:
        Session.objects.filter(pk=session.pk).update(
            chat_seen_at=now, chat_read_up_to=Greatest("chat_read_up_to", Value(read_up_to))
        )
    messages = [
        ChatMessage(
            id=row["pk"],
            author="agent" if row["direction"] == Direction.OUTBOUND else "shopper",
            name=_name(shop, row, "author") if row["direction"] == Direction.OUTBOUND else "",
            text=row["text"],
            at=row["created_at"],
        )
        for row in rows
    ]
    if conversation["status"] in (ConversationStatus.RESOLVED, ConversationStatus.CLOSED):
        status = "resolved"
    else:
        status = "agent" if conversation["assignee_id"] else "waiting"
    return ChatState(
        status=status,
        agent_name=_name(shop, conversation, "assignee") if conversation["assignee_id"] else "",
        messages=messages,
    )


def chat_contact_set(*, shop: Shop, session: Session, email: str) -> None:
    """The address a chatting shopper leaves for replies they miss (not checked: the chat's
    customer stays the widget conversation, see above). Raises ValidationError."""
    email = email.strip().lower()
    validate_email(email)
    _chat_conversation(shop=shop, session=session)
    Session.objects.filter(pk=session.pk).update(customer_email=email, updated_at=timezone.now())


def chat_unread_mail(*, now: dt.datetime | None = None) -> int:
    """Mail each chatting shopper who left an address the replies they have not read for
    `UNREAD_MAIL_AFTER`, at most once each, in one email per session; returns how many
    emails were queued. A shop that cannot send email skips (and tries again next time)."""
    now = now or timezone.now()
    waiting = (
        Message.objects.filter(
            channel=ContactChannel.CHAT,
            direction=Direction.OUTBOUND,
            created_at__lte=now - UNREAD_MAIL_AFTER,
            created_at__gte=now - UNREAD_MAIL_WITHIN,
        )
        .exclude(delivery_status=DeliveryStatus.FAILED)
        .values_list("conversation_id", flat=True)
        .distinct()
    )
    sessions = (
        Session.objects.filter(conversation_id__in=list(waiting[:1000]), channel="widget")
        .exclude(customer_email="")
        .select_related("shop")
    )
    queued = 0
    for session in sessions:
        try:
            with transaction.atomic():
                queued += _unread_mail(session=session, now=now)
        except (channel_errors.ChannelNotConfigured, channel_errors.RecipientMissing) as error:
            logger.info("Chat replies not mailed", extra={"session": session.pk, "why": error.code})
    return queued


def _unread_mail(*, session: Session, now: dt.datetime) -> int:
    shop = session.shop
    locked = Session.objects.for_shop(shop).select_for_update().get(pk=session.pk)
    conversation = Conversation.objects.for_shop(shop).get(pk=locked.conversation_id)
    unread = list(
        _shown(shop=shop, conversation_id=conversation.pk)
        .filter(
            direction=Direction.OUTBOUND,
            pk__gt=max(locked.chat_read_up_to, locked.chat_mailed_up_to),
            created_at__lte=now - UNREAD_MAIL_AFTER,
        )
        .order_by("pk")
        .values("pk", "text", *_name_fields("author"))
    )
    if not unread:
        return 0
    language = locked.locale if locked.locale in {"nl", "en"} else shop.default_locale
    with translation.override(language):
        lines = [
            _("Hoi,"),
            "",
            _("Je kreeg antwoord in de chat van %(shop)s, maar je was er niet meer. Dit "
              "schreven we:") % {"shop": shop.name},
            "",
        ]  # fmt: skip
        for message in unread:
            lines += [f"{_name(shop, message, 'author')}: {message['text']}", ""]
        lines.append(_("Je kunt gewoon op deze e-mail antwoorden."))
        inbox_services.outbound_message_new(
            shop=shop,
            conversation=conversation,
            text="\n".join(lines),
            subject=subjects.reply_subject(conversation.subject, reference=conversation.reference),
            automated_reason=inbox_outbound.CHAT_COPY,
            now=now,
            by_email_to=locked.customer_email,
        )
    locked.chat_mailed_up_to = unread[-1]["pk"]
    locked.save(update_fields=["chat_mailed_up_to", "updated_at"])
    return 1


def _shown(*, shop: Shop, conversation_id: int) -> QuerySet[Message]:
    """The conversation's messages a shopper sees in the chat: their own chat messages (not
    the hand-off's transcript) and the replies to them (not notes, copies or failures)."""
    return (
        Message.objects.for_shop(shop)
        .filter(conversation_id=conversation_id)
        .filter(
            Q(direction=Direction.OUTBOUND)
            | Q(direction=Direction.INBOUND, channel=ContactChannel.CHAT)
        )
        .exclude(direction=Direction.INBOUND, external_id__startswith=HANDOFF_ID_PREFIX)
        .exclude(automated_reason=inbox_outbound.CHAT_COPY)
        .exclude(delivery_status=DeliveryStatus.FAILED)
    )


def _name_fields(via: str) -> tuple[str, str]:
    """The fields `_name` reads from a values() row, through the agent relation `via`."""
    return f"{via}__display_name", f"{via}__user__full_name"


def _name(shop: Shop, row: dict[str, Any], via: str) -> str:
    """How shoppers see the agent of `row`: their name for customers, else their first name,
    else the shop's name (an automated message has no agent)."""
    first_name = (row[f"{via}__user__full_name"] or "").split(maxsplit=1)[:1]
    return row[f"{via}__display_name"] or (first_name[0] if first_name else "") or shop.name


def _chat_conversation(*, shop: Shop, session: Session) -> Conversation:
    if session.shop_id != shop.pk:
        raise ValueError("session belongs to another shop")
    conversation: Conversation | None = (
        Conversation.objects.for_shop(shop)
        .filter(pk=session.conversation_id or 0, channel=ContactChannel.CHAT)
        .first()
    )
    if conversation is None:
        raise ChatNotOpen
    return conversation
