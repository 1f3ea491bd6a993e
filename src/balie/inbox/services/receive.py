"""`message_receive`: the one path by which every channel's messages enter the inbox."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from balie.customers import services as customers_services
from balie.customers.models import Customer, IdentityChannel
from balie.inbox import search, selectors, subjects
from balie.inbox.inbound import InboundAttachment, InboundMessage
from balie.inbox.models import (
    ACTIVE_STATUSES,
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
from balie.inbox.sanitize import html_to_text, sanitize_html
from balie.inbox.services import assignment, auto_reply, sla, trail
from balie.tenancy.models import ContactChannel, Shop

logger = logging.getLogger(__name__)

# A defensive ceiling behind the channels' own limits: bigger files are kept as a refusal.
ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
# Only the most recent ids of a long References header are looked up (the thread is there).
MAX_REFERENCES = 50
MAX_RECIPIENTS = 100
# The condition of the unique index on (shop, channel, external_id), repeated in lookups:
# SQLite uses a partial index only when the query states its condition (a full scan
# otherwise: 2 ms per lookup at 5,000 messages, growing with the inbox).
_BY_CHANNEL_ID = ~Q(external_id="")
# Merges form chains only when a merged conversation's target is merged in turn.
_MERGE_HOPS = 5
_REFERENCE_TOKEN = subjects.REFERENCE_TOKEN
_REPLY_PREFIX = subjects.REPLY_PREFIX
# Channels whose sender address is an identity of its own; the rest are known by email/phone.
_IDENTITY_OF_CHANNEL = {
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
class ReceiveResult:
    message: Message
    conversation: Conversation
    created: bool  # False: this external id was delivered before; nothing changed
    conversation_created: bool = False
    customer_created: bool = False
    reopened: bool = False


def normalize_external_id(value: str) -> str:
    """A channel's message id as stored and compared: no surrounding whitespace or angle
    brackets; ids longer than the column are stored as their SHA-256 (same on lookup)."""
    value = _clean(value).strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1].strip()
    if len(value) > 255:
        value = "sha256:" + hashlib.sha256(value.encode()).hexdigest()
    return value


def message_receive(*, shop: Shop, inbound: InboundMessage, history: bool = False) -> ReceiveResult:
    """Store one inbound message of `shop`, in the right conversation; idempotent.

    - The same (channel, external id) delivered again returns the stored message with
      `created=False` and changes nothing (also when two deliveries race: the database's
      unique constraint decides, the loser answers like a repeat).
    - Threads, in this order: (a) In-Reply-To/References naming a stored message of this shop
      on this channel; (b) a "[#REFERENCE]" in the subject of one of this shop's conversations
      (other shops' references mean nothing here); (c) the customer's open, pending or snoozed
      conversation whose last message is within the shop's thread window; (d) a new one.
    - A customer's (not automated) message re-opens a pending, snoozed, resolved or closed
      conversation. The sender becomes (or is found as) a customer by identity.
    - HTML is sanitised; attachments and the raw original go to storage under random names,
      refused attachments are kept as rows with the reason and no file.
    - One transaction; the live update to agents is sent only after it commits. Files written
      for a delivery that fails are removed again.
    - `history=True` (an import of past mail): stored and threaded the same way, but nothing
      is sent (acknowledgement), published (live update, webhook), routed or timed (SLA).
    """
    channel = ContactChannel(inbound.channel)
    external_id = normalize_external_id(inbound.external_id)
    if not external_id:
        raise ValueError("an inbound message needs the channel's message id (external_id)")
    existing = _delivered_before(shop=shop, channel=channel, external_id=external_id)
    if existing is not None:
        return ReceiveResult(message=existing, conversation=existing.conversation, created=False)
    stored: list[str] = []
    try:
        with transaction.atomic():
            result = _receive(
                shop=shop,
                inbound=inbound,
                channel=channel,
                external_id=external_id,
                stored=stored,
                history=history,
            )
            if not history:
                auto_reply.auto_reply_on_commit(
                    message=result.message, new_conversation=result.conversation_created
                )
            return result
    except IntegrityError:
        _remove_files(stored)
        existing = _delivered_before(shop=shop, channel=channel, external_id=external_id)
        if existing is None:
            raise
        return ReceiveResult(message=existing, conversation=existing.conversation, created=False)
    except BaseException:
        _remove_files(stored)
        raise


def _delivered_before(*, shop: Shop, channel: str, external_id: str) -> Message | None:
    # Nearly always nothing: ask for the id alone, load the message only for a repeat.
    found = (
        Message.objects.for_shop(shop)
        .filter(channel=channel, external_id=external_id)
        .filter(_BY_CHANNEL_ID)
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        return None
    repeat: Message = Message.objects.select_related("conversation").get(pk=found)
    return repeat


def _receive(
    *,
    shop: Shop,
    inbound: InboundMessage,
    channel: ContactChannel,
    external_id: str,
    stored: list[str],
    history: bool,
) -> ReceiveResult:
    now = timezone.now()
    sent_at = _aware(inbound.sent_at)
    # A sender's clock may run ahead; the inbox never shows messages from the future.
    at = min(sent_at, now) if sent_at else now
    # The shop's own message is about the customer it was sent to.
    customer_address = (
        (inbound.recipients[0] if inbound.recipients else "")
        if inbound.from_shop
        else inbound.sender_address
    )
    customer, customer_created = customers_services.customer_find_or_create_by_identity(
        shop=shop,
        channel=_IDENTITY_OF_CHANNEL.get(channel, IdentityChannel.EMAIL),
        value=_clean(customer_address).strip() or UNKNOWN_SENDER,
        name="" if inbound.from_shop else _clean(inbound.sender_name),
    )
    references = [normalize_external_id(ref) for ref in inbound.references[-MAX_REFERENCES:]]
    in_reply_to = normalize_external_id(inbound.in_reply_to)
    thread = _find_thread(
        shop=shop,
        channel=channel,
        ids=[in_reply_to, *reversed(references)],
        subject=inbound.subject,
        customer=customer,
        sender=_clean(inbound.sender_address).strip(),
        at=at,
    )
    events = []
    reopened = False
    if thread is None:
        conversation = _conversation_create(
            shop=shop, customer=customer, channel=channel, inbound=inbound, at=at
        )
        threaded_by = "new"
        events.append(trail.event(conversation, EventKind.CREATED, channel=channel))
    else:
        conversation, threaded_by = thread
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
        conversation.last_message_at = max(conversation.last_message_at, at)
        if inbound.from_shop and not inbound.is_automated:
            first = conversation.first_responded_at
            conversation.first_responded_at = min(first, at) if first else at
        conversation.save(
            update_fields=[
                "status", "snoozed_until", "resolved_at", "last_message_at",
                "first_responded_at", "updated_at",
            ]
        )  # fmt: skip

    html = sanitize_html(_clean(inbound.html))
    message = Message(
        shop=shop,
        conversation=conversation,
        direction=Direction.OUTBOUND if inbound.from_shop else Direction.INBOUND,
        delivery_status=DeliveryStatus.SENT if inbound.from_shop else DeliveryStatus.NONE,
        channel=channel,
        sender_address=_clean(inbound.sender_address).strip()[:254],
        sender_name=_clean(inbound.sender_name).strip()[:200],
        subject=_clean(inbound.subject).strip()[:255],
        text=_clean(inbound.text) or html_to_text(html),
        html=html,
        external_id=external_id,
        in_reply_to=in_reply_to,
        references=" ".join(references),
        recipients=[_clean(r)[:254] for r in inbound.recipients[:MAX_RECIPIENTS]],
        is_automated=inbound.is_automated,
        automated_reason=_clean(inbound.automated_reason)[:120],
        language=_clean(inbound.language)[:8],
        parse_warnings=_warnings(inbound),
        sent_at=sent_at or (at if inbound.from_shop else None),
    )
    if inbound.raw:
        message.raw.save("raw", ContentFile(inbound.raw), save=False)
        stored.append(str(message.raw.name))
    message.save()
    if threaded_by == "new":
        search.conversation_indexed(conversation, text=message.text)  # subject and text at once
    else:
        search.message_indexed(message)
    Attachment.objects.bulk_create(
        _attachment(message, attachment, stored) for attachment in inbound.attachments
    )
    events.append(
        trail.event(
            conversation,
            EventKind.MESSAGE_SENT if inbound.from_shop else EventKind.MESSAGE_RECEIVED,
            message_id=message.pk,
            channel=channel,
            threaded_by=threaded_by,
        )
    )
    ConversationEvent.objects.bulk_create(events)
    if history:
        # Imported history is past: no live update or webhook per old message, no agent to
        # hand it to, no clock to start (the import tells agents once, when it is done).
        return ReceiveResult(
            message=message,
            conversation=conversation,
            created=True,
            conversation_created=threaded_by == "new",
            customer_created=customer_created,
            reopened=reopened,
        )
    trail.publish(
        conversation,
        "message.created",
        message_id=message.pk,
        direction=message.direction,
        conversation_created=threaded_by == "new",
    )
    if threaded_by == "new" or reopened:
        # A reply to an open conversation changes no clock: only status changes do.
        assignment.conversation_route(
            shop=shop, conversation=conversation, now=now, team_id=inbound.team_id
        )
        sla.conversation_sla_refresh(conversation=conversation, now=now)
    return ReceiveResult(
        message=message,
        conversation=conversation,
        created=True,
        conversation_created=threaded_by == "new",
        customer_created=customer_created,
        reopened=reopened,
    )


def _find_thread(
    *,
    shop: Shop,
    channel: str,
    ids: list[str],
    subject: str,
    customer: Customer,
    sender: str,
    at: dt.datetime,
) -> tuple[Conversation, str] | None:
    """The conversation this message continues (locked for the update), and how it was
    found; None for a new conversation.

    Two guards keep unrelated mail apart (Zammad#5064, Chatwoot#15869): a "[#REF]" in the
    subject counts only for the conversation's customer or someone already in it (sender or
    recipient of one of its messages), so a stranger quoting a reference gets a conversation
    of their own; and a message with a new subject does not continue a resolved or closed
    conversation, whichever way it was found.
    """
    wanted = [external_id for external_id in dict.fromkeys(ids) if external_id]
    conversation_id: int | None = None
    threaded_by = ""
    if wanted:
        # Most specific first: In-Reply-To, then References from the newest back.
        known = dict(
            Message.objects.for_shop(shop)
            .filter(channel=channel, external_id__in=wanted)
            .filter(_BY_CHANNEL_ID)
            .values_list("external_id", "conversation_id")
        )
        conversation_id = next((known[i] for i in wanted if i in known), None)
        threaded_by = "message_id"
    token = _REFERENCE_TOKEN.search(subject)
    if conversation_id is None and token:
        conversation_id = (
            Conversation.objects.for_shop(shop)
            .filter(reference=token[1].upper())
            .values_list("pk", flat=True)
            .first()
        )
        threaded_by = "reference"
        if conversation_id is not None and not _is_participant(
            conversation_id=conversation_id, customer=customer, sender=sender
        ):
            conversation_id = None
    if conversation_id is None:
        settings = selectors.inbox_settings_get(shop=shop, cached=True)
        window = dt.timedelta(hours=settings.thread_window_hours)
        conversation_id = (
            Conversation.objects.for_shop(shop)
            .filter(customer=customer, status__in=ACTIVE_STATUSES, last_message_at__gte=at - window)
            .order_by("-last_message_at", "-pk")
            .values_list("pk", flat=True)
            .first()
        )
        threaded_by = "window"
    if conversation_id is None:
        return None
    locked = Conversation.objects.for_shop(shop).select_for_update().get(pk=conversation_id)
    for _hop in range(_MERGE_HOPS):
        # A merged conversation lives on in the one it was merged into.
        if locked.merged_into_id is None:
            break
        locked = (
            Conversation.objects.for_shop(shop).select_for_update().get(pk=locked.merged_into_id)
        )
    if not locked.is_active and not _same_topic(locked.subject, subject):
        return None
    return locked, threaded_by


def _is_participant(*, conversation_id: int, customer: Customer, sender: str) -> bool:
    """The sender is the conversation's customer, or wrote or received one of its recent
    messages."""
    conversation = Conversation.objects.filter(pk=conversation_id).values("customer_id").first()
    if conversation is None or conversation["customer_id"] == customer.pk:
        return conversation is not None
    address = sender.casefold()
    recent = Message.objects.filter(conversation_id=conversation_id).order_by("-id")[:50]
    for written_by, recipients in recent.values_list("sender_address", "recipients"):
        if written_by.casefold() == address:
            return True
        if isinstance(recipients, list) and address in (str(r).casefold() for r in recipients):
            return True
    return False


def _topic(subject: str) -> str:
    # Compared on a length every stored subject still has in full.
    words = _REPLY_PREFIX.sub("", _REFERENCE_TOKEN.sub("", _clean(subject))).casefold().split()
    return " ".join(words)[:200]


def _same_topic(conversation_subject: str, subject: str) -> bool:
    """Whether a message's subject continues the conversation's (a blank one does)."""
    topic = _topic(subject)
    return not topic or topic == _topic(conversation_subject)


def _conversation_create(
    *,
    shop: Shop,
    customer: Customer,
    channel: str,
    inbound: InboundMessage,
    at: dt.datetime,
) -> Conversation:
    subject = _REPLY_PREFIX.sub("", _REFERENCE_TOKEN.sub("", _clean(inbound.subject))).strip()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                conversation = Conversation.objects.create(
                    shop=shop,
                    customer=customer,
                    channel=channel,
                    channel_account=_clean(inbound.account).strip()[:254],
                    first_responded_at=at
                    if inbound.from_shop and not inbound.is_automated
                    else None,
                    subject=" ".join(subject.split())[:255],
                    language=_clean(inbound.language)[:8],
                    reference=reference_token_new(),
                    last_message_at=at,
                )
                return conversation
        except IntegrityError:
            # 40 random bits rarely collide within a shop; a new draw settles it.
            logger.warning("conversation_reference_collision", extra={"shop_id": shop.pk})
    raise RuntimeError("no free conversation reference after 5 attempts")


def _attachment(message: Message, inbound: InboundAttachment, stored: list[str]) -> Attachment:
    reason = _clean(inbound.rejected_reason)
    if not reason and inbound.size > ATTACHMENT_MAX_BYTES:
        reason = f"too large: {inbound.size} bytes, the limit is {ATTACHMENT_MAX_BYTES}"
    attachment = Attachment(
        shop_id=message.shop_id,
        message=message,
        filename=_safe_filename(inbound.filename),
        content_type=_clean(inbound.content_type).strip()[:127] or "application/octet-stream",
        size=inbound.size,
        content_id=normalize_external_id(inbound.content_id),
        rejected_reason=reason[:255],
    )
    if not reason:
        attachment.file.save("attachment", ContentFile(inbound.content), save=False)
        stored.append(str(attachment.file.name))
    return attachment


def _safe_filename(name: str) -> str:
    """The sender's filename for display and download: no path, no control characters."""
    name = _clean(name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable()).strip().lstrip(".")
    return name[-255:] or "bijlage"


def _warnings(inbound: InboundMessage) -> list[str]:
    warnings = [_clean(warning)[:500] for warning in inbound.parse_warnings[:50]]
    if len(inbound.recipients) > MAX_RECIPIENTS:
        warnings.append(f"{len(inbound.recipients)} recipients; kept the first {MAX_RECIPIENTS}")
    if len(inbound.references) > MAX_REFERENCES:
        warnings.append(f"{len(inbound.references)} references; kept the last {MAX_REFERENCES}")
    return warnings


def _clean(value: str) -> str:
    """Text every database takes: no NUL (PostgreSQL refuses it), no lone surrogates."""
    if not value:
        return ""
    return value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, dt.UTC)


def _remove_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("inbox_orphan_file", extra={"file_name": name})
