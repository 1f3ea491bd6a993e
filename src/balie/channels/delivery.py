"""The way out: how the inbox sends an outbound message on its conversation's channel.

The inbox decides *what* to send and keeps the books (`inbox.services.outbound`: the message
row, its delivery status, retries, events); this module decides *how*, per channel, and
writes no inbox rows. Two calls, for email and chat (`chat.py`):

- `sender_for(shop, conversation)` when a message is created: which of the shop's
  addresses it leaves from and the id it will carry on the channel (an email's Message-ID,
  stored as `external_id` before sending, so a reply threads even while it is queued).
  Raises `ChannelNotConfigured` when the shop cannot send on that channel.
- `deliver(message)` in the worker: sends it and says `SENT`, `RETRY` (worth trying again
  later) or `FAILED` (never will work), with the reason.

Why a module the inbox calls, not a hook the channels register: the channels already import
the inbox (parsers deliver `InboundMessage`s into `inbox.services.message_receive`), so the
inbox reaches the channels only through this one module, which imports the inbox's models and
never its services or tasks. The import graph stays acyclic at module level: inbox.services ->
channels.delivery -> channels.email.{outbound,smtp} -> inbox.models. A new channel (chat,
WhatsApp) adds a branch here and a module of its own beside `email/`.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _

from balie.channels import chat, errors, selectors
from balie.channels.email import outbound, smtp
from balie.channels.models import Mailbox
from balie.inbox import outbound as inbox_outbound
from balie.inbox.models import Attachment, Conversation, Direction, Message
from balie.tenancy.models import ContactChannel, Shop

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sender:
    address: str  # the shop's address on the channel the message leaves from
    name: str  # how the customer sees the sender
    external_id: str  # the id the message will carry on the channel


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True)
class DeliveryResult:
    outcome: Outcome
    reason: str = ""


def sender_for(*, shop: Shop, conversation: Conversation, channel: str = "") -> Sender:
    """Where a new message to the conversation's customer leaves from, on `channel` (by
    default the conversation's own)."""
    channel = channel or conversation.channel
    if channel == ContactChannel.CHAT:
        return Sender(address="", name=shop.name, external_id=chat.message_id_new())
    if channel != ContactChannel.EMAIL:
        raise errors.ChannelNotConfigured(
            _("Antwoorden via %(channel)s kan Balie nog niet versturen.")
            % {"channel": conversation.get_channel_display()}
        )
    mailbox = _mailbox(shop=shop, address=conversation.channel_account)
    return Sender(
        address=mailbox.email_address,
        name=mailbox.sender_name or shop.name,
        external_id=outbound.message_id_new(mailbox.email_address),
    )


def _mailbox(*, shop: Shop, address: str) -> Mailbox:
    mailbox = selectors.sending_mailbox(shop=shop, address=address)
    if mailbox is None:
        raise errors.ChannelNotConfigured(
            _(
                "Er is nog geen mailbox waarmee Balie e-mail kan versturen. Vul bij de "
                "instellingen van een mailbox een SMTP-server in; daarna kun je antwoorden."
            )
        )
    return mailbox


def deliver(*, message: Message) -> DeliveryResult:
    """Send `message` (outbound, with its conversation, customer and shop loaded) once."""
    if message.channel == ContactChannel.CHAT:
        # Stored is delivered: the shopper's widget reads the conversation.
        return DeliveryResult(Outcome.SENT)
    if message.channel != ContactChannel.EMAIL:
        return DeliveryResult(Outcome.FAILED, f"no delivery on channel {message.channel!r}")
    try:
        mailbox = _mailbox(shop=message.shop, address=message.sender_address)
    except errors.ChannelNotConfigured as error:
        # A mailbox may come back (re-activated, SMTP filled in): worth the retries.
        return DeliveryResult(Outcome.RETRY, error.message)
    try:
        email = outbound.build(_outgoing(message))
    except outbound.AddressNotSendable as error:
        return DeliveryResult(Outcome.FAILED, f"address cannot be sent to over SMTP: {error}")
    except (OSError, ValueError) as error:  # an attachment gone from storage, a bad header
        return DeliveryResult(Outcome.FAILED, f"message could not be built: {error}")
    recipients = [str(email["To"].addresses[0].addr_spec)]
    try:
        if mailbox.smtp_host:
            smtp.send(
                smtp.config_for(mailbox),
                envelope_from=mailbox.email_address,
                recipients=recipients,
                data=email.as_bytes(),
            )
        else:  # allowed by sending_mailbox only where the installation permits it
            smtp.send_via_installation(
                email, envelope_from=mailbox.email_address, recipients=recipients
            )
    except smtp.SmtpError as error:
        logger.warning(
            "SMTP delivery failed",
            extra={"message_id": message.pk, "temporary": error.temporary, "code": error.code},
        )
        return DeliveryResult(Outcome.RETRY if error.temporary else Outcome.FAILED, error.reason)
    return DeliveryResult(Outcome.SENT)


def _outgoing(message: Message) -> outbound.Outgoing:
    conversation = message.conversation
    shop = message.shop
    recipient = message.recipients[0] if message.recipients else conversation.customer.email
    auto_submitted = ""
    if message.is_automated:
        auto_submitted = (
            outbound.AUTO_REPLIED
            if message.automated_reason == inbox_outbound.AUTO_REPLY
            else outbound.AUTO_GENERATED
        )
    return outbound.Outgoing(
        message_id=message.external_id,
        from_name=message.sender_name,
        from_address=message.sender_address,
        to_address=recipient,
        to_name=conversation.customer.full_name,
        subject=message.subject,
        text=message.text,
        html=message.html,
        date=message.created_at,
        language=message.language or shop.default_locale,
        time_zone=shop.time_zone,
        in_reply_to=message.in_reply_to,
        references=message.references.split(),
        auto_submitted=auto_submitted,
        quote=None if message.is_automated else _quote(message),
        attachments=[_attachment(row) for row in message.attachments.all() if not row.is_rejected],
    )


def _quote(message: Message) -> outbound.Quote | None:
    if not message.in_reply_to:
        return None
    parent = (
        Message.objects.for_shop(message.shop)
        .filter(
            conversation_id=message.conversation_id,
            direction=Direction.INBOUND,
            channel=message.channel,
            external_id=message.in_reply_to,
        )
        .first()
    )
    if parent is None or not parent.text.strip():
        return None
    new_text, _folded = parent.text_parts  # their own words, not the history below them
    return outbound.Quote(
        sender_name=parent.sender_name,
        sender_address=parent.sender_address,
        sent_at=parent.sent_at or parent.created_at,
        text=new_text or parent.text,
    )


def _attachment(row: Attachment) -> outbound.OutgoingAttachment:
    with row.file.open("rb") as file:
        content = file.read()
    return outbound.OutgoingAttachment(
        filename=row.filename, content_type=row.content_type, content=content
    )
