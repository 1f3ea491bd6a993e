from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from balie.customers.tests.factories import CustomerFactory
from balie.inbox import search
from balie.inbox.inbound import InboundMessage
from balie.inbox.models import (
    Conversation,
    ConversationEvent,
    ConversationStatus,
    Direction,
    EventKind,
    Message,
    SlaPolicy,
    Tag,
)
from balie.tenancy.tests.factories import ShopFactory


class TagFactory(DjangoModelFactory[Tag]):
    class Meta:
        model = Tag

    shop = factory.SubFactory(ShopFactory)
    name = factory.Sequence(lambda n: f"label {n}")


class ConversationFactory(DjangoModelFactory[Conversation]):
    class Meta:
        model = Conversation
        skip_postgeneration_save = True

    shop = factory.SubFactory(ShopFactory)
    customer = factory.SubFactory(CustomerFactory, shop=factory.SelfAttribute("..shop"))
    channel = "email"
    subject = factory.Faker("sentence", nb_words=5, locale="nl_NL")

    @factory.post_generation
    def _search(
        conversation: Conversation,  # noqa: N805  # factory_boy passes the instance
        create: bool,
        extracted: object,
        **kwargs: object,
    ) -> None:
        # As `message_receive` does: a stored conversation has a search document.
        if create:
            search.conversation_indexed(conversation)


class MessageFactory(DjangoModelFactory[Message]):
    class Meta:
        model = Message
        skip_postgeneration_save = True

    conversation = factory.SubFactory(ConversationFactory)
    shop = factory.SelfAttribute("conversation.shop")
    direction = Direction.INBOUND
    channel = "email"
    sender_address = factory.SelfAttribute("conversation.customer.email")
    text = factory.Faker("paragraph", locale="nl_NL")
    external_id = factory.LazyFunction(lambda: f"{uuid.uuid4().hex}@mail.example.nl")

    @factory.post_generation
    def _search(
        message: Message,  # noqa: N805  # factory_boy passes the instance
        create: bool,
        extracted: object,
        **kwargs: object,
    ) -> None:
        if create:
            search.message_indexed(message)


def inbound_email(**fields: Any) -> InboundMessage:
    """An email as the email channel delivers it; every field can be overridden."""
    values: dict[str, Any] = {
        "channel": "email",
        "external_id": f"<{uuid.uuid4().hex}@mail.example.nl>",
        "sender_address": "anouk@example.nl",
        "sender_name": "Anouk de Vries",
        "subject": "Waar blijft mijn bestelling?",
        "text": "Hoi,\n\nIk heb vorige week besteld maar nog niets ontvangen.\n\nGroet, Anouk",
        "sent_at": timezone.now() - dt.timedelta(minutes=1),
    }
    values.update(fields)
    return InboundMessage(**values)


class SlaPolicyFactory(DjangoModelFactory[SlaPolicy]):
    class Meta:
        model = SlaPolicy

    shop = factory.SubFactory(ShopFactory)
    name = factory.Sequence(lambda n: f"SLA {n}")
    first_response_minutes = 60
    resolution_minutes = 240
    warn_before_minutes = 30


def conversation_created_at(created_at: dt.datetime, **fields: Any) -> Conversation:
    """A conversation that started at `created_at` (the column is set on insert otherwise)."""
    conversation = ConversationFactory(**fields)
    Conversation.objects.filter(pk=conversation.pk).update(created_at=created_at)
    conversation.created_at = created_at
    return conversation


def status_changed_at(
    conversation: Conversation, status: str, at: dt.datetime
) -> ConversationEvent:
    """Move the conversation to `status` at the moment `at`, as the status service records
    it (the event's own time is set on insert otherwise)."""
    event = ConversationEvent.objects.create(
        shop_id=conversation.shop_id,
        conversation=conversation,
        kind=EventKind.STATUS_CHANGED,
        data={"old": conversation.status, "new": status},
    )
    ConversationEvent.objects.filter(pk=event.pk).update(created_at=at)
    conversation.status = status
    stopped = status in (ConversationStatus.RESOLVED, ConversationStatus.CLOSED)
    conversation.resolved_at = (conversation.resolved_at or at) if stopped else None
    conversation.save(update_fields=["status", "resolved_at"])
    return event
