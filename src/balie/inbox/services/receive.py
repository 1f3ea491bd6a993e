"""`message_receive`: the one path by which every channel's messages enter the inbox.

One message at a time, as it arrives; an import of many past messages takes
`history_import.messages_import`, which stores the same rows (`intake`) by the same threading
rules (`thread_rules`) in bulk.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from balie.customers import services as customers_services
from balie.customers.models import Customer
from balie.inbox import search, selectors
from balie.inbox.inbound import InboundMessage
from balie.inbox.models import Attachment, Conversation, ConversationEvent, EventKind, Message
from balie.inbox.services import assignment, auto_reply, intake, sla, thread_rules, trail
from balie.inbox.services.intake import normalize_external_id
from balie.tenancy.models import Shop

logger = logging.getLogger(__name__)

__all__ = ["ReceiveResult", "message_receive", "normalize_external_id"]


@dataclass(frozen=True)
class ReceiveResult:
    message: Message
    conversation: Conversation
    created: bool  # False: this external id was delivered before; nothing changed
    conversation_created: bool = False
    customer_created: bool = False
    reopened: bool = False


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
    arrived = intake.arrival(inbound, now=timezone.now())
    existing = _delivered_before(shop=shop, arrived=arrived)
    if existing is not None:
        return ReceiveResult(message=existing, conversation=existing.conversation, created=False)
    stored: list[str] = []
    try:
        with transaction.atomic():
            result = _receive(shop=shop, arrived=arrived, stored=stored, history=history)
            if not history:
                auto_reply.auto_reply_on_commit(
                    message=result.message, new_conversation=result.conversation_created
                )
            return result
    except IntegrityError:
        intake.files_remove(stored)
        existing = _delivered_before(shop=shop, arrived=arrived)
        if existing is None:
            raise
        return ReceiveResult(message=existing, conversation=existing.conversation, created=False)
    except BaseException:
        intake.files_remove(stored)
        raise


def _delivered_before(*, shop: Shop, arrived: intake.Arrival) -> Message | None:
    # Nearly always nothing: ask for the id alone, load the message only for a repeat.
    found = (
        Message.objects.for_shop(shop)
        .filter(channel=arrived.channel, external_id=arrived.external_id)
        .filter(thread_rules.BY_CHANNEL_ID)
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        return None
    repeat: Message = Message.objects.select_related("conversation").get(pk=found)
    return repeat


def _receive(
    *, shop: Shop, arrived: intake.Arrival, stored: list[str], history: bool
) -> ReceiveResult:
    now = timezone.now()
    inbound = arrived.inbound
    customer, customer_created = customers_services.customer_find_or_create_by_identity(
        shop=shop,
        channel=arrived.customer_channel,
        value=arrived.customer_value,
        name=arrived.customer_name,
    )
    settings = selectors.inbox_settings_get(shop=shop, cached=True)
    thread = thread_rules.thread_find(
        thread_rules.DatabaseThreads(shop=shop, channel=arrived.channel),
        ids=arrived.thread_ids,
        subject=inbound.subject,
        customer=customer,
        sender=arrived.sender,
        at=arrived.at,
        window=dt.timedelta(hours=settings.thread_window_hours),
    )
    events: list[ConversationEvent] = []
    reopened = False
    if thread is None:
        conversation = _conversation_create(shop=shop, customer=customer, arrived=arrived)
        threaded_by = "new"
        events.append(trail.event(conversation, EventKind.CREATED, channel=arrived.channel))
    else:
        conversation, threaded_by = thread
        events, reopened = intake.conversation_continue(conversation, arrived)
        conversation.save(update_fields=intake.CONTINUE_FIELDS)
    message = intake.message_new(
        shop=shop, conversation=conversation, arrived=arrived, stored=stored
    )
    message.save()
    if threaded_by == "new":
        search.conversation_indexed(conversation, text=message.text)  # subject and text at once
    else:
        search.message_indexed(message)
    Attachment.objects.bulk_create(intake.attachments_new(message, arrived, stored))
    events.append(intake.arrival_event(conversation, message, threaded_by))
    ConversationEvent.objects.bulk_create(events)
    result = ReceiveResult(
        message=message,
        conversation=conversation,
        created=True,
        conversation_created=threaded_by == "new",
        customer_created=customer_created,
        reopened=reopened,
    )
    if history:
        # Imported history is past: no live update or webhook per old message, no agent to
        # hand it to, no clock to start (the import tells agents once, when it is done).
        return result
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
    return result


def _conversation_create(
    *, shop: Shop, customer: Customer, arrived: intake.Arrival
) -> Conversation:
    for _attempt in range(5):
        conversation = intake.conversation_new(shop=shop, customer_id=customer.pk, arrived=arrived)
        try:
            with transaction.atomic():
                conversation.save(force_insert=True)
                return conversation
        except IntegrityError:
            # 40 random bits rarely collide within a shop; a new draw settles it.
            logger.warning("conversation_reference_collision", extra={"shop_id": shop.pk})
    raise RuntimeError("no free conversation reference after 5 attempts")
