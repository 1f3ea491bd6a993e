"""What an inbound message becomes: the rows both intake paths write, built in one place.

`receive.message_receive` (live mail, one message) and `history_import.messages_import`
(an import, many at a time) differ only in how they look things up and write; the rows they
write, and how a message changes the conversation it continues, are built here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from balie.customers.models import IdentityChannel
from balie.inbox import search, subjects
from balie.inbox.inbound import InboundAttachment, InboundMessage
from balie.inbox.models import (
    Attachment,
    Conversation,
    ConversationEvent,
    ConversationStatus,
    DeliveryStatus,
    Direction,
    EventKind,
    Message,
    reference_token_new,
)
from balie.inbox.models.messages import attachment_upload_to, raw_upload_to
from balie.inbox.sanitize import html_to_text, sanitize_html
from balie.inbox.services import trail
from balie.tenancy.models import ContactChannel, Shop

logger = logging.getLogger(__name__)

# A defensive ceiling behind the channels' own limits: bigger files are kept as a refusal.
ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
# Only the most recent ids of a long References header are looked up (the thread is there).
MAX_REFERENCES = 50
MAX_RECIPIENTS = 100
# Channels whose sender address is an identity of its own; the rest are known by email/phone.
IDENTITY_OF_CHANNEL = {
    ContactChannel.EMAIL: IdentityChannel.EMAIL,
    ContactChannel.CHAT: IdentityChannel.CHAT,
    ContactChannel.PHONE: IdentityChannel.PHONE,
    ContactChannel.CALLBACK: IdentityChannel.PHONE,
    ContactChannel.WHATSAPP: IdentityChannel.WHATSAPP,
    ContactChannel.MESSENGER: IdentityChannel.MESSENGER,
    ContactChannel.INSTAGRAM: IdentityChannel.INSTAGRAM,
}
UNKNOWN_SENDER = "(onbekend)"


@dataclass(frozen=True)
class Arrival:
    """One inbound message, read once for both paths: what it is called, when it happened,
    who it is about and which ids it answers."""

    inbound: InboundMessage
    channel: ContactChannel
    external_id: str
    at: dt.datetime  # when it happened, never in the future
    sent_at: dt.datetime | None
    customer_channel: IdentityChannel
    customer_value: str  # the identity of the customer it is about
    customer_name: str
    in_reply_to: str
    references: list[str]

    @property
    def thread_ids(self) -> list[str]:
        """The ids it answers, most specific first: In-Reply-To, then References newest back."""
        return [self.in_reply_to, *reversed(self.references)]

    @property
    def sender(self) -> str:
        return clean(self.inbound.sender_address).strip()


def arrival(inbound: InboundMessage, *, now: dt.datetime) -> Arrival:
    """Read `inbound`; ValueError when it has no channel message id."""
    channel = ContactChannel(inbound.channel)
    external_id = normalize_external_id(inbound.external_id)
    if not external_id:
        raise ValueError("an inbound message needs the channel's message id (external_id)")
    sent_at = _aware(inbound.sent_at)
    # The shop's own message is about the customer it was sent to.
    about = (
        (inbound.recipients[0] if inbound.recipients else "")
        if inbound.from_shop
        else inbound.sender_address
    )
    return Arrival(
        inbound=inbound,
        channel=channel,
        external_id=external_id,
        # A sender's clock may run ahead; the inbox never shows messages from the future.
        at=min(sent_at, now) if sent_at else now,
        sent_at=sent_at,
        customer_channel=IDENTITY_OF_CHANNEL.get(channel, IdentityChannel.EMAIL),
        customer_value=clean(about).strip() or UNKNOWN_SENDER,
        customer_name="" if inbound.from_shop else clean(inbound.sender_name),
        in_reply_to=normalize_external_id(inbound.in_reply_to),
        references=[normalize_external_id(ref) for ref in inbound.references[-MAX_REFERENCES:]],
    )


@dataclass(frozen=True)
class Prepared:
    """What a message's row holds that depends on the message alone: its HTML sanitised, its
    text, and (on first use) the words its conversation's search document gets. Made by
    `prepare` from one inbound message, for that message only; an import's parse workers
    make it ahead, beside the process that stores."""

    html: str
    text: str

    @functools.cached_property
    def document(self) -> str:
        return search.document_text(self.text)


def prepare(inbound: InboundMessage) -> Prepared:
    html = sanitize_html(clean(inbound.html))
    return Prepared(html=html, text=clean(inbound.text) or html_to_text(html))


def normalize_external_id(value: str) -> str:
    """A channel's message id as stored and compared: no surrounding whitespace or angle
    brackets; ids longer than the column are stored as their SHA-256 (same on lookup)."""
    value = clean(value).strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1].strip()
    if len(value) > 255:
        value = "sha256:" + hashlib.sha256(value.encode()).hexdigest()
    return value


def conversation_new(*, shop: Shop, customer_id: int, arrived: Arrival) -> Conversation:
    """An unsaved conversation that `arrived` starts, with a fresh reference."""
    inbound = arrived.inbound
    subject = subjects.REPLY_PREFIX.sub(
        "", subjects.REFERENCE_TOKEN.sub("", clean(inbound.subject))
    ).strip()
    return Conversation(
        shop=shop,
        customer_id=customer_id,
        channel=arrived.channel,
        channel_account=clean(inbound.account).strip()[:254],
        first_responded_at=arrived.at if _answers(inbound) else None,
        subject=" ".join(subject.split())[:255],
        language=clean(inbound.language)[:8],
        reference=reference_token_new(),
        last_message_at=arrived.at,
    )


def conversation_continue(
    conversation: Conversation, arrived: Arrival
) -> tuple[list[ConversationEvent], bool]:
    """Change `conversation` (unsaved) for a message that continues it: a customer's own
    message re-opens it, the shop's first answer is its first response. Returns the events
    (a status change) and whether it was re-opened."""
    inbound = arrived.inbound
    events = []
    reopened = False
    reopens = not inbound.is_automated and not inbound.from_shop
    if reopens and conversation.status != ConversationStatus.OPEN:
        events.append(
            trail.event(
                conversation,
                EventKind.STATUS_CHANGED,
                old=conversation.status,
                new=ConversationStatus.OPEN,
                reason="customer_replied",
            )
        )
        conversation.status = ConversationStatus.OPEN
        conversation.snoozed_until = None
        conversation.resolved_at = None
        reopened = True
    conversation.last_message_at = max(conversation.last_message_at, arrived.at)
    if _answers(inbound):
        first = conversation.first_responded_at
        conversation.first_responded_at = min(first, arrived.at) if first else arrived.at
    return events, reopened


CONTINUE_FIELDS = [
    "status", "snoozed_until", "resolved_at", "last_message_at", "first_responded_at",
    "updated_at",
]  # fmt: skip


def message_new(
    *,
    shop: Shop,
    conversation: Conversation,
    arrived: Arrival,
    stored: list[str],
    prepared: Prepared | None = None,
) -> Message:
    """The unsaved message, HTML sanitised (`prepared`: by `prepare(arrived.inbound)`
    already); the raw original goes to storage now (its name appended to `stored`, so a
    caller whose transaction fails can remove it)."""
    inbound = arrived.inbound
    prepared = prepared or prepare(inbound)
    message = Message(
        shop=shop,
        conversation=conversation,
        direction=Direction.OUTBOUND if inbound.from_shop else Direction.INBOUND,
        delivery_status=DeliveryStatus.SENT if inbound.from_shop else DeliveryStatus.NONE,
        channel=arrived.channel,
        sender_address=arrived.sender[:254],
        sender_name=clean(inbound.sender_name).strip()[:200],
        subject=clean(inbound.subject).strip()[:255],
        text=prepared.text,
        html=prepared.html,
        external_id=arrived.external_id,
        in_reply_to=arrived.in_reply_to,
        references=" ".join(arrived.references),
        recipients=[clean(r)[:254] for r in inbound.recipients[:MAX_RECIPIENTS]],
        is_automated=inbound.is_automated,
        automated_reason=clean(inbound.automated_reason)[:120],
        language=clean(inbound.language)[:8],
        parse_warnings=_warnings(inbound),
        sent_at=arrived.sent_at or (arrived.at if inbound.from_shop else None),
    )
    if inbound.raw_stored_as:
        message.raw.name = inbound.raw_stored_as
    elif inbound.raw:
        message.raw.save("raw", ContentFile(inbound.raw), save=False)
        stored.append(str(message.raw.name))
    return message


def attachments_new(message: Message, arrived: Arrival, stored: list[str]) -> list[Attachment]:
    """The message's unsaved attachments, files in storage (names appended to `stored`);
    refused ones are rows with the reason and no file."""
    return [_attachment(message, attachment, stored) for attachment in arrived.inbound.attachments]


def arrival_event(
    conversation: Conversation, message: Message, threaded_by: str
) -> ConversationEvent:
    return trail.event(
        conversation,
        EventKind.MESSAGE_SENT
        if message.direction == Direction.OUTBOUND
        else EventKind.MESSAGE_RECEIVED,
        message_id=message.pk,
        channel=message.channel,
        threaded_by=threaded_by,
    )


def files_remove(names: list[str]) -> None:
    """Remove files written for rows that were never stored."""
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("inbox_orphan_file", extra={"file_name": name})


def clean(value: str) -> str:
    """Text every database takes: no NUL (PostgreSQL refuses it), no lone surrogates."""
    if not value:
        return ""
    return value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")


def _answers(inbound: InboundMessage) -> bool:
    """The shop's own, written answer (not an automatic one) counts as a response."""
    return inbound.from_shop and not inbound.is_automated


def files_store_ahead(inbound: InboundMessage, *, shop_id: int) -> InboundMessage:
    """`inbound` with its original and the attachments the inbox will keep written to
    storage now, named instead of carried (`raw_stored_as`, `stored_as`).

    For an import's parse workers: the files are written beside the process that stores the
    rows, and the bytes need not travel to it. The files are the caller's until a stored
    message names them: for a message that is not stored (a repeat, a refusal) the caller
    removes them (`files_stored_ahead`)."""
    raw_name = ""
    if inbound.raw:
        raw_name = default_storage.save(
            raw_upload_to(Message(shop_id=shop_id), "raw"), ContentFile(inbound.raw)
        )
    kept = []
    for attachment in inbound.attachments:
        if _refusal(attachment) or attachment.stored_as:
            kept.append(attachment)
            continue
        name = default_storage.save(
            attachment_upload_to(Attachment(shop_id=shop_id), "attachment"),
            ContentFile(attachment.content),
        )
        kept.append(
            dataclasses.replace(
                attachment, content=b"", stored_as=name, stored_size=len(attachment.content)
            )
        )
    return dataclasses.replace(
        inbound,
        raw=None if raw_name else inbound.raw,
        raw_stored_as=raw_name or inbound.raw_stored_as,
        attachments=tuple(kept),
    )


def files_stored_ahead(inbound: InboundMessage) -> list[str]:
    """The files `files_store_ahead` wrote for `inbound`."""
    names = [attachment.stored_as for attachment in inbound.attachments if attachment.stored_as]
    return [inbound.raw_stored_as, *names] if inbound.raw_stored_as else names


def _refusal(inbound: InboundAttachment) -> str:
    """Why the inbox keeps this attachment without its file ("" when it keeps the file)."""
    reason = clean(inbound.rejected_reason)
    if not reason and inbound.size > ATTACHMENT_MAX_BYTES:
        reason = f"too large: {inbound.size} bytes, the limit is {ATTACHMENT_MAX_BYTES}"
    return reason


def _attachment(message: Message, inbound: InboundAttachment, stored: list[str]) -> Attachment:
    reason = _refusal(inbound)
    attachment = Attachment(
        shop_id=message.shop_id,
        message=message,
        filename=_safe_filename(inbound.filename),
        content_type=clean(inbound.content_type).strip()[:127] or "application/octet-stream",
        size=inbound.size,
        content_id=normalize_external_id(inbound.content_id),
        rejected_reason=reason[:255],
    )
    if reason:
        return attachment
    if inbound.stored_as:
        attachment.file.name = inbound.stored_as
    else:
        attachment.file.save("attachment", ContentFile(inbound.content), save=False)
        stored.append(str(attachment.file.name))
    return attachment


def _safe_filename(name: str) -> str:
    """The sender's filename for display and download: no path, no control characters."""
    name = clean(name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable()).strip().lstrip(".")
    return name[-255:] or "bijlage"


def _warnings(inbound: InboundMessage) -> list[str]:
    warnings = [clean(warning)[:500] for warning in inbound.parse_warnings[:50]]
    if len(inbound.recipients) > MAX_RECIPIENTS:
        warnings.append(f"{len(inbound.recipients)} recipients; kept the first {MAX_RECIPIENTS}")
    if len(inbound.references) > MAX_REFERENCES:
        warnings.append(f"{len(inbound.references)} references; kept the last {MAX_REFERENCES}")
    return warnings


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, dt.UTC)
