"""`messages_import`: a batch of history stored as `message_receive(history=True)` would store
it message by message, in a handful of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from balie.channels.email import services as email_services
from balie.channels.email.parser import parse_email
from balie.customers.models import Customer
from balie.inbox import search, services
from balie.inbox.inbound import InboundMessage
from balie.inbox.models import (
    Attachment,
    Conversation,
    ConversationEvent,
    ConversationStatus,
    Message,
)
from balie.tenancy.models import Shop

pytestmark = pytest.mark.django_db

OWN = frozenset({"service@pollepel.nl"})
START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def mail(
    message_id: str,
    *,
    hours: float,
    sender: str = "Jan de Boer <jan@example.nl>",
    to: str = "service@pollepel.nl",
    subject: str = "Waar is mijn pakket?",
    in_reply_to: str = "",
    text: str = "Hoi, waar blijft bestelling NL100123?\n\nGroet",
    attachment: bytes = b"",
) -> InboundMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{message_id}>"
    message["Date"] = (START + dt.timedelta(hours=hours)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    if in_reply_to:
        message["In-Reply-To"] = f"<{in_reply_to}>"
        message["References"] = f"<{in_reply_to}>"
    message.set_content(text)
    if attachment:
        message.add_attachment(
            attachment, maintype="application", subtype="pdf", filename="bon.pdf"
        )
    return email_services.as_received(
        parse_email(message.as_bytes()), account="service@pollepel.nl", own_addresses=OWN
    )


def history_before(shop: Shop) -> dict[str, Conversation]:
    """What the inbox holds before the batch: a resolved question, an open one, and two
    conversations of one customer that an agent merged."""
    stored = {
        name: services.message_receive(shop=shop, inbound=inbound, history=True).conversation
        for name, inbound in [
            ("resolved", mail("oud-1@example.nl", hours=0, subject="Retour van de pan")),
            ("open", mail("oud-2@example.nl", hours=1, sender="Els <els@example.nl>")),
            ("source", mail("oud-3@example.nl", hours=2, sender="Kees <kees@example.nl>")),
            ("target", mail("oud-4@example.nl", hours=300, sender="Kees <kees@example.nl>")),
        ]
    }
    services.conversation_set_status(
        shop=shop, conversation=stored["resolved"], status=ConversationStatus.RESOLVED, actor=None
    )
    services.conversation_merge(
        shop=shop, source=stored["source"], target=stored["target"], actor=None
    )
    return stored


def batch(stored: dict[str, Conversation]) -> list[InboundMessage]:
    """Every way a message finds its thread, in one batch (hours after START)."""
    resolved, open_ = stored["resolved"].reference, stored["open"].reference
    return [
        # a new question, the shop's answer, the customer's reply to that answer
        mail("q1@example.nl", hours=400, sender="Piet <piet@example.nl>"),
        mail(
            "a1@pollepel.nl",
            hours=401,
            sender="service@pollepel.nl",
            to="piet@example.nl",
            subject="Re: Waar is mijn pakket?",
            in_reply_to="q1@example.nl",
        ),
        mail(
            "r1@example.nl",
            hours=402,
            sender="Piet <piet@example.nl>",
            subject="Re: Waar is mijn pakket?",
            in_reply_to="a1@pollepel.nl",
        ),
        # the same customer again within the thread window, no headers: the same conversation
        mail("r2@example.nl", hours=403, sender="piet@EXAMPLE.nl", subject="Nog iets"),
        # a reply to a stored message of the open conversation
        mail(
            "e1@example.nl",
            hours=404,
            sender="Els <els@example.nl>",
            subject="Re: Waar is mijn pakket?",
            in_reply_to="oud-2@example.nl",
        ),
        # the resolved conversation's reference from its customer, same subject: re-opened
        mail("j1@example.nl", hours=405, subject=f"Re: Retour van de pan [#{resolved}]"),
        # the open conversation's reference quoted by a stranger: a conversation of its own
        mail(
            "x1@example.nl",
            hours=406,
            sender="Vreemde <vreemd@example.nl>",
            subject=f"Vraag [#{open_}]",
        ),
        # a reply to a message of the merged conversation: continues where it was merged into
        mail(
            "k1@example.nl",
            hours=407,
            sender="Kees <kees@example.nl>",
            subject="Re: Waar is mijn pakket?",
            in_reply_to="oud-3@example.nl",
        ),
        # a repeat of a stored message, and of one earlier in the batch
        mail("oud-2@example.nl", hours=1, sender="Els <els@example.nl>"),
        mail("q1@example.nl", hours=400, sender="Piet <piet@example.nl>"),
        # a new customer with a file, then one whose address is no address at all
        mail(
            "f1@example.nl",
            hours=408,
            sender="Fien <fien@example.nl>",
            subject="Factuur",
            attachment=b"%PDF-1.4 factuur",
        ),
        mail("u1@example.nl", hours=409, sender="geen adres", subject="Hallo"),
    ]


def picture(shop: Shop, created: list[bool]) -> dict[str, object]:
    """Everything the inbox holds, without ids, references or times of storing."""
    messages = list(Message.objects.for_shop(shop).order_by("id"))
    conversations = {c.pk: c for c in Conversation.objects.for_shop(shop)}
    number: dict[int, int] = {}
    for message in messages:
        number.setdefault(message.conversation_id, len(number))
    events = ConversationEvent.objects.for_shop(shop).order_by("id")
    return {
        "created": created,
        "messages": [
            (m.external_id, number[m.conversation_id], m.direction, m.text, m.sender_address)
            for m in messages
        ],
        "conversations": sorted(
            (
                number[pk],
                c.status,
                c.subject,
                c.customer.email,
                c.last_message_at,
                c.first_responded_at,
                c.channel_account,
                number.get(c.merged_into_id or 0),
            )
            for pk, c in conversations.items()
            if pk in number
        ),
        "events": [
            (number.get(e.conversation_id), e.kind, e.data.get("threaded_by"))
            for e in events
            if e.conversation_id in number
        ],
        "customers": sorted(
            Customer.objects.for_shop(shop).values_list("email", "first_name", "last_name")
        ),
        "attachments": sorted(
            (a.message.external_id, a.filename, a.size, a.file.read())
            for a in Attachment.objects.for_shop(shop).select_related("message")
        ),
        "found": {
            word: sorted(
                number.get(pk, -1)  # -1: a merged conversation, its messages moved
                for pk in Conversation.objects.for_shop(shop)
                .filter(search.matching(shop=shop, query=word))
                .values_list("pk", flat=True)
            )
            for word in ("pakket", "iets", "factuur", "bestelling")
        },
    }


@pytest.mark.parametrize("ahead", [False, True], ids=["prepared here", "prepared ahead"])
def test_a_batch_becomes_what_the_messages_one_by_one_become(
    shop: Shop, other_shop: Shop, ahead: bool
) -> None:

    # given the same history in two shops
    one_by_one, in_bulk = history_before(shop), history_before(other_shop)

    # when the same batch goes through the live path in one and the batch path in the other
    received = [
        services.message_receive(shop=shop, inbound=inbound, history=True).created
        for inbound in batch(one_by_one)
    ]
    inbounds = batch(in_bulk)
    prepared = [services.prepare(inbound) for inbound in inbounds] if ahead else None
    imported = services.messages_import(shop=other_shop, inbounds=inbounds, prepared=prepared)

    # then both inboxes hold the same
    assert imported == [True] * 8 + [False, False, True, True]
    assert picture(other_shop, imported) == picture(shop, received)


def test_a_batch_costs_the_same_queries_whatever_its_size(shop: Shop) -> None:
    # given
    def queries(prefix: str, count: int) -> int:
        inbounds = [
            mail(f"{prefix}-{n}@example.nl", hours=n, sender=f"{prefix}-{n % 3}@example.nl")
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            services.messages_import(shop=shop, inbounds=inbounds)
        return len(captured.captured_queries)

    queries("warm", 1)  # the shop's inbox settings are read once, then cached

    # when / then: 40 messages cost what 5 cost
    assert queries("b", 40) == queries("a", 5)


def test_a_failing_batch_stores_nothing_and_removes_its_files(
    shop: Shop, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a batch whose last write the database refuses
    inbounds = [
        mail("p1@example.nl", hours=1, attachment=b"%PDF-1.4 x"),
        mail("p2@example.nl", hours=2),
    ]

    def refused(*args: object, **kwargs: object) -> None:
        raise RuntimeError("refused by the database")

    monkeypatch.setattr(search, "documents_extend", refused)

    # when
    with pytest.raises(RuntimeError):
        services.messages_import(shop=shop, inbounds=inbounds)

    # then
    assert not Message.objects.for_shop(shop).exists()
    assert not Conversation.objects.for_shop(shop).exists()
    assert [path for path in media_root.rglob("*") if path.is_file()] == []


def test_files_written_ahead_are_named_not_written_again(shop: Shop, media_root: Path) -> None:
    # given a message whose original and attachment a parse worker stored already
    ahead = services.files_store_ahead(
        mail("w1@example.nl", hours=1, attachment=b"%PDF-1.4 vooruit"), shop_id=shop.pk
    )
    written = sorted(path for path in media_root.rglob("*") if path.is_file())

    # when
    services.messages_import(shop=shop, inbounds=[ahead])

    # then the rows name those files, and no other file was written
    message = Message.objects.for_shop(shop).get()
    assert ahead.raw is None
    assert ahead.attachments[0].content == b""
    assert message.raw.name == ahead.raw_stored_as
    assert message.raw.read().startswith(b"From: Jan de Boer")
    (attachment,) = message.attachments.all()
    assert (attachment.size, attachment.file.read()) == (16, b"%PDF-1.4 vooruit")
    assert sorted(path for path in media_root.rglob("*") if path.is_file()) == written
    assert len(written) == 2


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(
            lambda inbounds: [*inbounds, InboundMessage("email", "", "a@b.nl")], id="no id"
        ),
        pytest.param(
            lambda inbounds: [*inbounds, InboundMessage("chat", "c1", "a@b.nl")], id="two channels"
        ),
    ],
)
def test_a_batch_it_cannot_take_is_refused_whole(
    shop: Shop, broken: Callable[[list[InboundMessage]], list[InboundMessage]]
) -> None:
    # when / then
    with pytest.raises(ValueError, match=r"id|channel"):
        services.messages_import(shop=shop, inbounds=broken([mail("v1@example.nl", hours=1)]))
    assert not Message.objects.for_shop(shop).exists()
