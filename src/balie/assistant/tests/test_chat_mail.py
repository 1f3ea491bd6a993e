"""Live chat: replies the shopper missed after leaving the page go by email."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from balie.assistant import chat
from balie.assistant.models import Session
from balie.assistant.tests.chat_widget import SEND, Widget, chatting
from balie.channels.email.tests.smtp_server import SmtpServer
from balie.channels.models import Mailbox
from balie.inbox import services as inbox_services
from balie.inbox.inbound import InboundMessage
from balie.inbox.models import (
    DeliveryStatus,
    Message,
)
from balie.tenancy.models import ContactChannel, Membership


@pytest.fixture(autouse=True)
def _counters_forgotten(cache_cleared: None) -> None:
    """The throttle counts in the cache, which outlives a test."""


def _reply_while_away(
    online: Membership, widget: Widget, text: str, *, minutes_ago: int = 10
) -> Message:
    """An agent's reply the shopper's widget never read (the page was closed)."""
    conversation = Session.objects.get(reference=widget.conversation_id).conversation
    assert conversation is not None
    reply = inbox_services.reply_send(
        shop=online.shop, conversation=conversation, author=online, text=text
    )
    Message.objects.filter(pk=reply.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    return reply


def test_reading_the_chat_records_how_far_the_shopper_got(online: Membership) -> None:
    # given
    widget = Widget()
    chatting(widget)
    last = widget.send("Hallo?").json()["id"]
    # when
    widget.read()
    # then
    session = Session.objects.get(reference=widget.conversation_id)
    assert session.chat_read_up_to == last
    assert session.chat_seen_at is not None


def test_replies_the_shopper_missed_are_mailed_once_and_an_answer_comes_back(
    online: Membership,
    smtp_mailbox: Mailbox,
    smtp_server: SmtpServer,
    run_tasks: Callable[[], int],
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given: a shopper who left their address, read nothing after the hand-off and left
    widget = Widget()
    conversation = chatting(widget)
    assert widget.post(
        SEND, {"conversation_id": widget.conversation_id, "email": "Piet@Example.nl"}
    ).json() == {"email": "piet@example.nl"}
    _reply_while_away(online, widget, "Je pan komt morgen.")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        queued = chat.chat_unread_mail()
    run_tasks()
    again = chat.chat_unread_mail()
    # then
    assert (queued, again) == (1, 0)
    copy = Message.objects.get(automated_reason="chat_copy")
    assert copy.conversation == conversation
    assert copy.channel == ContactChannel.EMAIL
    assert copy.delivery_status == DeliveryStatus.SENT
    delivered = [m for m in smtp_server.received if b"Je pan komt morgen." in m.data]
    assert len(delivered) == 1
    assert delivered[0].rcpt_tos == ("piet@example.nl",)
    assert "Sanne: Je pan komt morgen." in delivered[0].message.get_body(("plain",)).get_content()
    # the copy is not shown twice in the chat
    assert [m["text"] for m in widget.read().json()["messages"]] == ["Je pan komt morgen."]

    # when the shopper answers the email
    answer = inbox_services.message_receive(
        shop=online.shop,
        inbound=InboundMessage(
            channel=ContactChannel.EMAIL,
            external_id="<antwoord@example.nl>",
            sender_address="piet@example.nl",
            subject=f"Re: {copy.subject}",
            text="Top, dank je!",
            in_reply_to=copy.external_id,
        ),
    )
    # then it lands in the chat's conversation
    assert answer.conversation == conversation


def test_replies_the_shopper_read_or_that_are_recent_are_not_mailed(
    online: Membership, smtp_mailbox: Mailbox
) -> None:
    # given
    widget = Widget()
    chatting(widget)
    widget.post(SEND, {"conversation_id": widget.conversation_id, "email": "piet@example.nl"})
    _reply_while_away(online, widget, "Gelezen antwoord.")
    widget.read()
    _reply_while_away(online, widget, "Net verstuurd.", minutes_ago=1)
    # when
    queued = chat.chat_unread_mail()
    # then
    assert queued == 0
    assert not Message.objects.filter(automated_reason="chat_copy").exists()


def test_without_an_address_or_a_mailbox_missed_replies_stay_in_the_chat(
    online: Membership,
) -> None:
    # given: one shopper without an address; one with, but the shop has no mailbox
    without, with_address = Widget(), Widget()
    chatting(without)
    chatting(with_address)
    with_address.post(
        SEND, {"conversation_id": with_address.conversation_id, "email": "piet@example.nl"}
    )
    _reply_while_away(online, without, "Antwoord een.")
    _reply_while_away(online, with_address, "Antwoord twee.")
    # when
    queued = chat.chat_unread_mail()
    # then
    assert queued == 0
    assert not Message.objects.filter(automated_reason="chat_copy").exists()
    session = Session.objects.get(reference=with_address.conversation_id)
    assert session.chat_mailed_up_to == 0  # tried again once the shop can send


@pytest.mark.parametrize("email", ["geen-adres", "a@", "<script>@x.nl", "a" * 300])
def test_a_bad_address_in_the_chat_is_refused(online: Membership, email: str) -> None:
    # given
    widget = Widget()
    chatting(widget)
    # when
    response = widget.post(SEND, {"conversation_id": widget.conversation_id, "email": email})
    # then
    assert response.status_code == 422
    assert Session.objects.get(reference=widget.conversation_id).customer_email == ""
