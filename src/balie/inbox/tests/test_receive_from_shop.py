"""Messages the shop wrote itself (another mail program, a mailbox's sent history), and the
address a conversation was received at."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from balie.channels import selectors
from balie.channels.email.parser import parse_email
from balie.channels.email.services import as_received
from balie.channels.email.tests.raw_mail import raw_mail
from balie.channels.models import Mailbox
from balie.inbox import services
from balie.inbox.models import (
    ConversationStatus,
    DeliveryStatus,
    Direction,
    EventKind,
)
from balie.inbox.tests.factories import inbound_email
from balie.tenancy.models import Shop

pytestmark = pytest.mark.django_db

SHOP_ADDRESS = "service@pollepel.nl"


def from_shop(**fields: object) -> object:
    values: dict[str, object] = {
        "sender_address": SHOP_ADDRESS,
        "sender_name": "Sanne van De Pollepel",
        "recipients": ("anouk@example.nl",),
        "from_shop": True,
        "account": SHOP_ADDRESS,
        "subject": "Re: Waar blijft mijn bestelling?",
        "text": "Hoi Anouk, je pakket is onderweg.",
    }
    values.update(fields)
    return inbound_email(**values)


def test_the_shops_own_reply_is_stored_as_sent_in_the_customers_thread(shop: Shop) -> None:
    # given the customer's question
    question = services.message_receive(
        shop=shop, inbound=inbound_email(external_id="<vraag@example.nl>")
    )
    answered_at = timezone.now() - dt.timedelta(seconds=10)

    # when the shop's answer from another mail program arrives
    result = services.message_receive(
        shop=shop,
        inbound=from_shop(in_reply_to="<vraag@example.nl>", sent_at=answered_at),  # type: ignore[arg-type]
    )

    # then
    message = result.message
    assert result.conversation == question.conversation
    assert (message.direction, message.delivery_status) == (Direction.OUTBOUND, DeliveryStatus.SENT)
    assert message.sent_at == answered_at
    assert message.sender_address == SHOP_ADDRESS
    assert result.conversation.customer == question.conversation.customer
    assert result.conversation.first_responded_at == answered_at
    assert result.conversation.events.filter(kind=EventKind.MESSAGE_SENT).count() == 1


def test_the_shops_own_message_never_reopens_a_conversation(shop: Shop) -> None:
    # given a resolved conversation
    question = services.message_receive(
        shop=shop, inbound=inbound_email(external_id="<vraag@example.nl>")
    )
    conversation = question.conversation
    conversation.status = ConversationStatus.RESOLVED
    conversation.save()

    # when
    result = services.message_receive(
        shop=shop,
        inbound=from_shop(in_reply_to="<vraag@example.nl>"),  # type: ignore[arg-type]
    )

    # then
    assert not result.reopened
    assert result.conversation.status == ConversationStatus.RESOLVED


def test_an_earlier_own_message_moves_the_first_response_time_back(shop: Shop) -> None:
    # given a conversation whose first response is recorded at noon
    question = services.message_receive(
        shop=shop, inbound=inbound_email(external_id="<vraag@example.nl>")
    )
    noon = timezone.now() - dt.timedelta(hours=1)
    conversation = question.conversation
    conversation.first_responded_at = noon
    conversation.save()

    # when an import brings an answer sent before it
    earlier = noon - dt.timedelta(minutes=30)
    result = services.message_receive(
        shop=shop,
        inbound=from_shop(in_reply_to="<vraag@example.nl>", sent_at=earlier),  # type: ignore[arg-type]
        history=True,
    )

    # then
    assert result.conversation.first_responded_at == earlier


def test_a_conversation_the_shop_starts_belongs_to_its_first_recipient(shop: Shop) -> None:
    # when
    result = services.message_receive(
        shop=shop,
        inbound=from_shop(subject="Je retour is binnen"),  # type: ignore[arg-type]
    )

    # then
    assert result.conversation_created
    assert result.conversation.customer.email == "anouk@example.nl"
    assert result.conversation.channel_account == SHOP_ADDRESS
    assert result.message.direction == Direction.OUTBOUND


def test_a_new_conversation_remembers_the_address_it_was_received_at(shop: Shop) -> None:
    # when
    result = services.message_receive(
        shop=shop, inbound=inbound_email(account="verkoop@pollepel.nl")
    )

    # then
    assert result.conversation.channel_account == "verkoop@pollepel.nl"


def test_mail_from_one_of_the_shops_addresses_is_read_as_written_by_the_shop(shop: Shop) -> None:
    # given the shop's published address and a mailbox
    shop.support_email = "Hallo@Pollepel.nl"
    shop.save()
    Mailbox.objects.create(
        shop=shop, name="Service", email_address=SHOP_ADDRESS, imap_host="x", imap_username="x"
    )
    own = selectors.shop_addresses(shop=shop)
    raw = raw_mail(
        "From: De Pollepel <hallo@pollepel.nl>",
        "To: Anouk <anouk@example.nl>",
        "Subject: Je bestelling",
        "Message-ID: <eigen-1@pollepel.nl>",
    )

    # when
    inbound = as_received(parse_email(raw), account=SHOP_ADDRESS, own_addresses=own)
    customer = as_received(parse_email(raw_mail()), account=SHOP_ADDRESS, own_addresses=own)

    # then
    assert own == {"hallo@pollepel.nl", SHOP_ADDRESS}
    assert inbound.from_shop
    assert inbound.account == SHOP_ADDRESS
    assert not customer.from_shop
