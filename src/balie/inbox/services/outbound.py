"""Outbound messages: creating them (replies, acknowledgements, surveys) and their delivery.

`outbound_message_new` builds the row every outbound message starts as: from the shop's
address on the conversation's channel (`channels.delivery.sender_for`), to the customer,
threaded on the conversation's last message, `delivery_status=queued`; the delivery task is
queued once the transaction commits.

`message_deliver` (run by `inbox.tasks.message_deliver`) sends it: exactly once, also when
the task runs twice or two workers race, because each attempt is claimed by a conditional
UPDATE on (queued, attempt number) that only one caller can win. Temporary failures retry
after `RETRY_DELAYS`; after the last one, or on a permanent failure, the message is `failed`
with the reason, a DELIVERY_FAILED event, and the agents are told live.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.channels import delivery
from balie.channels import errors as channel_errors
from balie.inbox import tasks
from balie.inbox.models import (
    Conversation,
    ConversationEvent,
    DeliveryStatus,
    Direction,
    EventKind,
    Message,
)
from balie.inbox.services import trail
from balie.tenancy.models import ContactChannel, Membership, Shop

logger = logging.getLogger(__name__)

# After a temporary failure (server down, 4xx), the next attempt waits this long.
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A queued message untouched this long lost its task (a worker died mid-send, the enqueue
# after commit failed): `deliveries_resume` queues it again. Longer than the longest delay.
STALLED_AFTER = RETRY_DELAYS[-1] + dt.timedelta(hours=1)
DELIVERY_ERROR_MAX_CHARS = 500


def outbound_message_new(
    *,
    shop: Shop,
    conversation: Conversation,
    text: str,
    subject: str,
    author: Membership | None = None,
    html: str = "",
    automated_reason: str = "",
    now: dt.datetime,
    by_email_to: str = "",
) -> Message:
    """Create (in the caller's transaction) a queued outbound message to the customer.

    `by_email_to`: send it by email to this address, whatever the conversation's channel (a
    copy of chat replies the customer did not read; see `assistant.chat`).
    Raises `ChannelNotConfigured` when the shop cannot send on the conversation's channel,
    `RecipientMissing` when the customer has no address there; nothing is stored then.
    """
    channel = ContactChannel.EMAIL if by_email_to else conversation.channel
    sender = delivery.sender_for(shop=shop, conversation=conversation, channel=channel)
    parent = _thread_parent(shop=shop, conversation=conversation, channel=channel)
    message = Message.objects.create(
        shop=shop,
        conversation=conversation,
        direction=Direction.OUTBOUND,
        channel=channel,
        author=author,
        sender_address=sender.address,
        sender_name=sender.name[:200],
        subject=subject[:255],
        text=text,
        html=html,
        external_id=sender.external_id,
        in_reply_to=parent.external_id if parent else "",
        references=_references(parent),
        recipients=[by_email_to or _recipient(shop=shop, conversation=conversation)],
        is_automated=bool(automated_reason),
        automated_reason=automated_reason,
        language=shop.default_locale[:8],
        delivery_status=DeliveryStatus.QUEUED,
    )
    transaction.on_commit(
        partial(tasks.message_deliver.enqueue, shop_id=shop.pk, message_id=message.pk, attempt=0)
    )
    return message


def _thread_parent(*, shop: Shop, conversation: Conversation, channel: str) -> Message | None:
    """The message a new one answers: the customer's last on `channel`, else the last one
    there with an id."""
    with_id = (
        Message.objects.for_shop(shop)
        .filter(conversation=conversation, channel=channel)
        .exclude(external_id="")
        .exclude(external_id__endswith="@balie.invalid")
        .order_by("-created_at", "-pk")
    )
    parent: Message | None = with_id.filter(direction=Direction.INBOUND).first()
    return parent or with_id.filter(direction=Direction.OUTBOUND).first()


def _references(parent: Message | None) -> str:
    if parent is None:
        return ""
    ids = [*parent.references.split(), parent.external_id]
    return " ".join(list(dict.fromkeys(ids))[-50:])


def _recipient(*, shop: Shop, conversation: Conversation) -> str:
    """The address the customer last wrote from, else the customer's email address (on
    chat: the widget conversation the customer last wrote in)."""
    chat = conversation.channel == ContactChannel.CHAT
    written = Message.objects.for_shop(shop).filter(
        conversation=conversation, direction=Direction.INBOUND, is_automated=False
    )
    last: str | None = (
        (written.filter(channel=ContactChannel.CHAT) if chat else written)
        .exclude(sender_address="")
        .order_by("-created_at", "-pk")
        .values_list("sender_address", flat=True)
        .first()
    )
    if chat:
        if last:
            return last
        raise channel_errors.RecipientMissing(
            _("Deze klant heeft in deze chat nog niets geschreven."), field="text"
        )
    address = last if last and "@" in last else conversation.customer.email
    if not address:
        raise channel_errors.RecipientMissing(
            _("Deze klant heeft geen e-mailadres, dus Balie kan geen e-mail sturen."),
            field="text",
        )
    return address


def message_deliver(
    *, shop: Shop, message_id: int, attempt: int, now: dt.datetime | None = None
) -> str:
    """Try to send one queued message (attempt number `attempt`, from 0); returns what
    happened: "sent", "retry", "failed" or "skipped" (not queued, or another run claimed this
    attempt). Idempotent: a message that was sent is never sent again."""
    now = now or timezone.now()
    claimed = (
        Message.objects.for_shop(shop)
        .filter(
            pk=message_id,
            direction=Direction.OUTBOUND,
            delivery_status=DeliveryStatus.QUEUED,
            delivery_attempts=attempt,
        )
        .update(delivery_attempts=attempt + 1, updated_at=now)
    )
    if not claimed:
        return "skipped"
    message = (
        Message.objects.for_shop(shop)
        .select_related("conversation__customer", "shop")
        .prefetch_related("attachments")
        .get(pk=message_id)
    )
    try:
        result = delivery.deliver(message=message)
    except Exception as error:  # a bug must not lose the message: it is retried, then failed
        logger.exception("Delivery crashed", extra={"message_id": message_id})
        result = delivery.DeliveryResult(delivery.Outcome.RETRY, f"{type(error).__name__}: {error}")
    with transaction.atomic():
        return _record(message=message, result=result, attempt=attempt, now=now)


def _record(
    *, message: Message, result: delivery.DeliveryResult, attempt: int, now: dt.datetime
) -> str:
    outcome = result.outcome
    reason = result.reason
    if outcome == delivery.Outcome.RETRY and attempt + 1 >= MAX_ATTEMPTS:
        outcome = delivery.Outcome.FAILED
        reason = f"not sent after {MAX_ATTEMPTS} attempts; last error: {reason}"
    mine = Message.objects.for_shop(message.shop).filter(
        pk=message.pk, delivery_status=DeliveryStatus.QUEUED, delivery_attempts=attempt + 1
    )
    reason = reason[:DELIVERY_ERROR_MAX_CHARS]
    conversation = message.conversation
    if outcome == delivery.Outcome.SENT:
        mine.update(delivery_status=DeliveryStatus.SENT, sent_at=now, delivery_error="")
        trail.publish(
            conversation, "message.updated", message_id=message.pk, delivery_status="sent"
        )
    elif outcome == delivery.Outcome.RETRY:
        mine.update(delivery_error=reason)
        run_after = now + RETRY_DELAYS[attempt]
        transaction.on_commit(
            partial(
                tasks.message_deliver.using(run_after=run_after).enqueue,
                shop_id=message.shop_id,
                message_id=message.pk,
                attempt=attempt + 1,
            )
        )
        trail.publish(
            conversation,
            "message.updated",
            message_id=message.pk,
            delivery_status="queued",
            delivery_error=reason,
            retry_at=run_after.isoformat(),
        )
    else:
        mine.update(delivery_status=DeliveryStatus.FAILED, delivery_error=reason)
        ConversationEvent.objects.bulk_create(
            [
                trail.event(
                    conversation, EventKind.DELIVERY_FAILED, message_id=message.pk, reason=reason
                )
            ]
        )
        trail.publish(
            conversation,
            "message.delivery_failed",
            message_id=message.pk,
            delivery_status="failed",
            delivery_error=reason,
        )
    logger.info(
        "Delivery attempt",
        extra={"message_id": message.pk, "attempt": attempt + 1, "outcome": str(outcome)},
    )
    return str(outcome)


def deliveries_resume(*, now: dt.datetime | None = None) -> int:
    """Queue again every queued message whose task was lost; returns how many."""
    now = now or timezone.now()
    stalled = list(
        Message.objects.filter(
            delivery_status=DeliveryStatus.QUEUED, updated_at__lt=now - STALLED_AFTER
        ).values_list("pk", "shop_id", "delivery_attempts")[:1000]
    )
    for message_id, shop_id, attempts in stalled:
        if attempts >= MAX_ATTEMPTS:
            attempts = MAX_ATTEMPTS - 1  # its last attempt died mid-way: one more try
            Message.objects.filter(pk=message_id).update(delivery_attempts=attempts)
        Message.objects.filter(pk=message_id).update(updated_at=now)
        tasks.message_deliver.enqueue(shop_id=shop_id, message_id=message_id, attempt=attempts)
    return len(stalled)
