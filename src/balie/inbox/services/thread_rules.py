"""Which conversation an inbound message continues: the threading rules, in one place.

Both intake paths ask the same function, `thread_find`: live mail (`receive`) one message
at a time against the database (`DatabaseThreads`), an import of history (`history_import`)
many messages at a time against what it looked up for the whole batch and what the batch
stored so far. Each supplies the lookups (`Threads`); the order of the rules and the guards
live here.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.db.models import Q

from balie.customers.models import Customer
from balie.inbox import subjects
from balie.inbox.models import ACTIVE_STATUSES, Conversation, Message
from balie.tenancy.models import Shop

# The condition of the unique index on (shop, channel, external_id), repeated in lookups:
# SQLite uses a partial index only when the query states its condition (a full scan
# otherwise: 2 ms per lookup at 5,000 messages, growing with the inbox).
BY_CHANNEL_ID = ~Q(external_id="")
# Merges form chains only when a merged conversation's target is merged in turn.
MERGE_HOPS = 5
# Who took part in a conversation is read from its most recent messages.
PARTICIPANT_MESSAGES = 50


class Threads(Protocol):
    """The lookups the rules need. A key names a conversation: its primary key for stored
    ones; a source may hand out other keys for conversations it has not stored yet."""

    def by_message_ids(self, ids: list[str]) -> int | None:
        """The conversation of the first of `ids` (most specific first) that is known."""

    def by_reference(self, reference: str) -> int | None:
        """The conversation with this "[#REFERENCE]" (upper case)."""

    def is_participant(self, key: int, *, customer: Customer, sender: str) -> bool:
        """Whether `sender` is the conversation's customer, or wrote or received one of its
        recent messages."""

    def active_of_customer(self, customer: Customer, *, since: dt.datetime) -> int | None:
        """The customer's open, pending or snoozed conversation with the latest message at
        or after `since` (the newest on a tie)."""

    def conversation(self, key: int) -> Conversation:
        """The conversation itself, locked for the update that follows."""


def thread_find(
    threads: Threads,
    *,
    ids: list[str],
    subject: str,
    customer: Customer,
    sender: str,
    at: dt.datetime,
    window: dt.timedelta,
) -> tuple[Conversation, str] | None:
    """The conversation this message continues, and how it was found ("message_id",
    "reference", "window"); None for a new conversation.

    In this order: (a) In-Reply-To/References (`ids`, most specific first) naming a stored
    message; (b) a "[#REF]" in the subject; (c) the customer's active conversation whose last
    message is within `window` of `at`. Two guards keep unrelated mail apart (Zammad#5064,
    Chatwoot#15869): a reference counts only for the conversation's customer or someone
    already in it, so a stranger quoting one gets a conversation of their own; and a message
    with a new subject does not continue a resolved or closed conversation, whichever way it
    was found. A merged conversation lives on in the one it was merged into.
    """
    wanted = [external_id for external_id in dict.fromkeys(ids) if external_id]
    key: int | None = None
    threaded_by = ""
    if wanted:
        key = threads.by_message_ids(wanted)
        threaded_by = "message_id"
    token = subjects.REFERENCE_TOKEN.search(subject)
    if key is None and token:
        key = threads.by_reference(token[1].upper())
        threaded_by = "reference"
        if key is not None and not threads.is_participant(key, customer=customer, sender=sender):
            key = None
    if key is None:
        key = threads.active_of_customer(customer, since=at - window)
        threaded_by = "window"
    if key is None:
        return None
    conversation = threads.conversation(key)
    for _hop in range(MERGE_HOPS):
        if conversation.merged_into_id is None:
            break
        conversation = threads.conversation(conversation.merged_into_id)
    if not conversation.is_active and not same_topic(conversation.subject, subject):
        return None
    return conversation, threaded_by


def topic(subject: str) -> str:
    # Compared on a length every stored subject still has in full.
    words = (
        subjects.REPLY_PREFIX.sub("", subjects.REFERENCE_TOKEN.sub("", subject)).casefold().split()
    )
    return " ".join(words)[:200]


def same_topic(conversation_subject: str, subject: str) -> bool:
    """Whether a message's subject continues the conversation's (a blank one does)."""
    new = topic(subject)
    return not new or new == topic(conversation_subject)


def address_in(address: str, written_by: str, recipients: object) -> bool:
    """Whether `address` (case-folded) wrote a message or is among its recipients."""
    if written_by.casefold() == address:
        return True
    return isinstance(recipients, list) and address in (str(r).casefold() for r in recipients)


def recent_writers(*, shop: Shop, conversation_id: int, limit: int) -> list[tuple[str, object]]:
    """(sender address, recipients) of the conversation's `limit` most recent stored messages."""
    return list(
        Message.objects.for_shop(shop)
        .filter(conversation_id=conversation_id)
        .order_by("-id")
        .values_list("sender_address", "recipients")[:limit]
    )


class DatabaseThreads:
    """The lookups for one live message: a query each, the conversation row locked."""

    def __init__(self, *, shop: Shop, channel: str) -> None:
        self.shop = shop
        self.channel = channel

    def by_message_ids(self, ids: list[str]) -> int | None:
        known = dict(
            Message.objects.for_shop(self.shop)
            .filter(channel=self.channel, external_id__in=ids)
            .filter(BY_CHANNEL_ID)
            .values_list("external_id", "conversation_id")
        )
        return next((known[i] for i in ids if i in known), None)

    def by_reference(self, reference: str) -> int | None:
        found: int | None = (
            Conversation.objects.for_shop(self.shop)
            .filter(reference=reference)
            .values_list("pk", flat=True)
            .first()
        )
        return found

    def is_participant(self, key: int, *, customer: Customer, sender: str) -> bool:
        conversation = (
            Conversation.objects.for_shop(self.shop).filter(pk=key).values("customer_id").first()
        )
        if conversation is None or conversation["customer_id"] == customer.pk:
            return conversation is not None
        address = sender.casefold()
        return any(
            address_in(address, written_by, recipients)
            for written_by, recipients in recent_writers(
                shop=self.shop, conversation_id=key, limit=PARTICIPANT_MESSAGES
            )
        )

    def active_of_customer(self, customer: Customer, *, since: dt.datetime) -> int | None:
        found: int | None = (
            Conversation.objects.for_shop(self.shop)
            .filter(
                customer=customer,
                status__in=ACTIVE_STATUSES,
                last_message_at__gte=since,
            )
            .order_by("-last_message_at", "-pk")
            .values_list("pk", flat=True)
            .first()
        )
        return found

    def conversation(self, key: int) -> Conversation:
        locked: Conversation = (
            Conversation.objects.for_shop(self.shop).select_for_update().get(pk=key)
        )
        return locked
