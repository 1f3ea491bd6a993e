"""Live chat after a hand-off: the shopper in the widget, an agent in the inbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from balie.assistant import chat, handoff, services
from balie.assistant.models import Outcome, Session
from balie.assistant.tests.chat_widget import FOR_A_PERSON, MESSAGES, SEND, Widget, chatting
from balie.inbox import errors as inbox_errors
from balie.inbox import services as inbox_services
from balie.inbox.inbound import InboundMessage
from balie.inbox.models import (
    Conversation,
    ConversationStatus,
    DeliveryStatus,
    Direction,
    Message,
)
from balie.tenancy.models import ContactChannel, Membership, Presence, Shop
from balie.tenancy.tests.factories import ContactOptionFactory, every_day_hours


@pytest.fixture(autouse=True)
def _counters_forgotten(cache_cleared: None) -> None:
    """The throttle counts in the cache, which outlives a test."""


# --- the hand-off --------------------------------------------------------------------------


def test_with_an_agent_available_the_widget_hands_off_into_a_chat_without_an_address(
    online: Membership,
) -> None:
    # given
    widget = Widget()
    # when
    answer = widget.ask(FOR_A_PERSON)
    # then
    assert answer["outcome"] == "handoff"
    assert answer["handoff"] is True
    assert answer["answer"].startswith("Ik verbind je met een collega.")
    action = answer["action"]
    assert action["channel"] == "chat"
    assert action["agents_available"] is True
    # the chat's promise (2 minutes: "binnen 2 minuten", or just before midnight "morgen vóór
    # 00:00"), not the email's (4 hours)
    now = timezone.now()
    chat_promise = handoff.expected_response(shop=online.shop, now=now, channel="chat")[0]
    email_promise = handoff.expected_response(shop=online.shop, now=now, channel="email")[0]
    assert action["expected_response"] == chat_promise != email_promise
    conversation = Conversation.objects.get()
    assert conversation.channel == ContactChannel.CHAT
    first = Message.objects.get(conversation=conversation)
    assert first.direction == Direction.INBOUND
    assert "Klant: ik wil een medewerker spreken" in first.text


def test_a_chat_gets_a_customer_of_its_own_even_with_a_known_address(
    online: Membership,
) -> None:
    # given: someone else's open email conversation under the address the shopper types
    inbox_services.message_receive(
        shop=online.shop,
        inbound=InboundMessage(
            channel=ContactChannel.EMAIL,
            external_id="<eerder@example.nl>",
            sender_address="piet@example.nl",
            subject="Mijn bestelling",
            text="Waar blijft mijn pakket?",
        ),
    )
    widget = Widget()
    # when
    answer = widget.ask(FOR_A_PERSON, email="piet@example.nl")
    # then: a new chat, with the unchecked address named for the agent
    assert answer["action"]["channel"] == "chat"
    chat_conversation = Conversation.objects.get(channel=ContactChannel.CHAT)
    assert chat_conversation.customer.email == ""
    assert Conversation.objects.count() == 2
    first = Message.objects.get(conversation=chat_conversation)
    assert "Opgegeven e-mailadres (niet gecontroleerd): piet@example.nl" in first.text


def test_without_an_available_agent_the_hand_off_asks_for_an_address(
    chat_desk: Shop, agent: Membership
) -> None:
    # given: the agent is online but their tab has not been seen for ten minutes
    agent.presence = Presence.ONLINE
    agent.presence_seen_at = timezone.now() - dt.timedelta(minutes=10)
    agent.save(update_fields=["presence", "presence_seen_at"])
    widget = Widget()
    # when
    first = widget.ask(FOR_A_PERSON)
    second = widget.ask("sanne@example.nl", email="sanne@example.nl")
    # then
    assert first["outcome"] == "contact_needed"
    assert second["outcome"] == "handoff"
    assert second["action"]["channel"] == "email"
    assert second["action"]["agents_available"] is False
    assert Conversation.objects.get().channel == ContactChannel.EMAIL


def test_a_shop_without_a_chat_option_hands_off_by_email(
    knowledge: Shop, agent: Membership
) -> None:
    # given
    every_day_hours(knowledge, opens=dt.time(0), closes=dt.time.max)
    agent.presence = Presence.ONLINE
    agent.presence_seen_at = timezone.now()
    agent.save(update_fields=["presence", "presence_seen_at"])
    widget = Widget()
    # when
    answer = widget.ask(FOR_A_PERSON, email="sanne@example.nl")
    # then
    assert answer["action"]["channel"] == "email"


def test_outside_the_chats_hours_the_hand_off_is_by_email(
    knowledge: Shop, agent: Membership
) -> None:
    # given: chat only within opening hours, and the shop has none
    ContactOptionFactory(shop=knowledge, channel=ContactChannel.CHAT, response_minutes=2)
    agent.presence = Presence.ONLINE
    agent.presence_seen_at = timezone.now()
    agent.save(update_fields=["presence", "presence_seen_at"])
    # when
    answer = Widget().ask(FOR_A_PERSON, email="sanne@example.nl")
    # then
    assert answer["action"]["channel"] == "email"


def test_the_api_hands_off_by_email_even_with_agents_available(online: Membership) -> None:
    # when: a shop's own integration, not the widget, has no chat to show
    answer = services.assistant_answer(shop=online.shop, question=FOR_A_PERSON, channel="api")
    # then
    assert answer.reply.outcome == Outcome.CONTACT_NEEDED


# --- chatting --------------------------------------------------------------------------------


def test_the_shoppers_messages_and_the_agents_replies_meet_in_one_conversation(
    online: Membership, run_tasks: Callable[[], int], django_capture_on_commit_callbacks: Any
) -> None:
    # given
    widget = Widget()
    conversation = chatting(widget)
    # when
    sent = widget.send("Mijn pakket is beschadigd aangekomen.")
    inbox_services.note_add(
        shop=online.shop, conversation=conversation, author=online, text="Intern: check foto"
    )
    with django_capture_on_commit_callbacks(execute=True):
        reply = inbox_services.reply_send(
            shop=online.shop,
            conversation=conversation,
            author=online,
            text="Wat vervelend! Stuur je een foto?",
        )
    assert run_tasks() == 1
    # then
    assert sent.status_code == 201
    assert sent.json()["text"] == "Mijn pakket is beschadigd aangekomen."
    shopper = Message.objects.get(pk=sent.json()["id"])
    assert shopper.conversation == conversation
    assert shopper.channel == ContactChannel.CHAT
    reply.refresh_from_db()
    assert reply.channel == ContactChannel.CHAT
    assert reply.delivery_status == DeliveryStatus.SENT
    body = widget.read().json()
    assert [(m["author"], m["name"], m["text"]) for m in body["messages"]] == [
        ("shopper", "", "Mijn pakket is beschadigd aangekomen."),
        ("agent", "Sanne", "Wat vervelend! Stuur je een foto?"),
    ]
    assert body["poll_seconds"] > 0


def test_reading_after_a_message_returns_only_newer_ones(online: Membership) -> None:
    # given
    widget = Widget()
    chatting(widget)
    first = widget.send("Een").json()["id"]
    widget.send("Twee")
    # when
    body = widget.read(after=first).json()
    # then
    assert [message["text"] for message in body["messages"]] == ["Twee"]


def test_the_state_says_waiting_then_the_agent_then_resolved(online: Membership) -> None:
    # given
    widget = Widget()
    conversation = chatting(widget)
    Conversation.objects.filter(pk=conversation.pk).update(assignee=None)
    # when
    waiting = widget.read().json()
    Conversation.objects.filter(pk=conversation.pk).update(assignee=online)
    with_agent = widget.read().json()
    Conversation.objects.filter(pk=conversation.pk).update(status=ConversationStatus.RESOLVED)
    resolved = widget.read().json()
    # then
    assert (waiting["status"], waiting["agent_name"]) == ("waiting", "")
    assert (with_agent["status"], with_agent["agent_name"]) == ("agent", "Sanne")
    assert resolved["status"] == "resolved"


def test_a_message_to_a_resolved_chat_reopens_it(online: Membership) -> None:
    # given
    widget = Widget()
    conversation = chatting(widget)
    Conversation.objects.filter(pk=conversation.pk).update(status=ConversationStatus.RESOLVED)
    # when
    sent = widget.send("Toch nog een vraag.")
    # then
    assert Message.objects.get(pk=sent.json()["id"]).conversation_id == conversation.pk
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.OPEN


def test_a_resend_with_the_same_client_id_is_stored_once(online: Membership) -> None:
    # given
    widget = Widget()
    conversation = chatting(widget)
    # when
    first = widget.send("Hallo?", client_id="m-1")
    again = widget.send("Hallo?", client_id="m-1")
    # then
    assert first.json()["id"] == again.json()["id"]
    assert Message.objects.filter(conversation=conversation, text="Hallo?").count() == 1


def test_script_in_a_chat_message_is_kept_as_text(online: Membership) -> None:
    # given
    widget = Widget()
    chatting(widget)
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    # when
    widget.send(payload)
    # then: stored and returned as the text it is; the widget shows it as text
    stored = Message.objects.get(text=payload)
    assert stored.html == ""
    assert widget.read().json()["messages"][-1]["text"] == payload


def test_an_agent_cannot_attach_files_in_a_chat(online: Membership) -> None:
    # given
    conversation = chatting(Widget())
    upload = SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff\xe0 jpeg", content_type="image/jpeg")
    # when / then
    with pytest.raises(inbox_errors.AttachmentRefused):
        inbox_services.reply_send(
            shop=online.shop,
            conversation=conversation,
            author=online,
            text="Zie bijlage",
            attachments=[upload],
        )
    assert not Message.objects.filter(direction=Direction.OUTBOUND).exists()


# --- who may read and write ----------------------------------------------------------------


def test_another_widget_cannot_read_or_write_the_chat(online: Membership) -> None:
    # given
    shopper, stranger = Widget(), Widget()
    chatting(shopper)
    # when
    read = stranger.read(conversation_id=shopper.conversation_id)
    written = stranger.post(SEND, {"conversation_id": shopper.conversation_id, "text": "Hoi"})
    continued = stranger.ask("hoe kan ik retourneren", conversation_id=shopper.conversation_id)
    # then
    assert read.status_code == 404
    assert written.status_code == 404
    assert continued["conversation_id"] != shopper.conversation_id
    assert Session.objects.count() == 2


def test_without_a_valid_token_the_chat_is_refused(online: Membership) -> None:
    # given
    widget = Widget()
    chatting(widget)
    widget.token = "made-up"
    # when / then
    assert widget.read().status_code == 401
    assert widget.send("Hoi").status_code == 401


def test_another_shops_widget_gets_nothing(online: Membership, other_shop: Shop) -> None:
    # given
    widget = Widget()
    chatting(widget)
    # when
    response = widget.client.get(
        f"/s/{other_shop.slug}/widget/gesprek/",
        {"conversation_id": widget.conversation_id},
        headers={"X-Balie-Widget": widget.token},
    )
    # then: the token was issued for the other shop
    assert response.status_code == 401


def test_a_conversation_handed_off_by_email_has_no_chat(chat_desk: Shop) -> None:
    # given: no agent is available
    widget = Widget()
    widget.ask(FOR_A_PERSON, email="sanne@example.nl")
    # when
    read = widget.read()
    written = widget.send("Hallo?")
    # then
    assert read.status_code == 409
    assert read.json()["error"] == "no_chat"
    assert written.status_code == 409


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"text": "zonder gesprek"}, 422),
        ({"conversation_id": "x", "text": ""}, 422),
        ({"conversation_id": "x", "text": "   \x00 "}, 422),
        ({"conversation_id": "x", "text": "a" * 5001}, 422),
        ({"conversation_id": "x", "text": "hoi", "client_id": "../../etc"}, 422),
        ({"conversation_id": "x", "text": "hoi", "extra": 1}, 422),
        ({"conversation_id": "x", "text": "a" * 70_000}, 413),
        ({"conversation_id": "onbekend", "text": "hoi"}, 404),
    ],
)
def test_bad_chat_messages_get_a_clear_error(
    online: Membership, body: dict[str, object], status: int
) -> None:
    # given
    widget = Widget()
    chatting(widget)
    # when
    response = widget.post(SEND, body)
    # then
    assert response.status_code == status
    assert response.json()["error"]


@pytest.mark.parametrize("after", ["-1", "abc", "1" * 30, "٣"])
def test_a_bad_after_is_refused(online: Membership, after: str) -> None:
    # given
    widget = Widget()
    chatting(widget)
    # when
    response = widget.client.get(
        MESSAGES,
        {"conversation_id": widget.conversation_id, "after": after},
        headers={"X-Balie-Widget": widget.token},
    )
    # then
    assert response.status_code == 422


def test_sending_is_throttled(online: Membership) -> None:
    # given
    widget = Widget()
    chatting(widget)
    # when
    statuses = [widget.send(f"Bericht {number}").status_code for number in range(31)]
    # then
    assert statuses[:30] == [201] * 30
    assert statuses[30] == 429


def test_the_chat_state_reads_in_a_fixed_number_of_queries(
    online: Membership, django_assert_max_num_queries: Any
) -> None:
    # given
    widget = Widget()
    conversation = chatting(widget)
    for number in range(5):
        widget.send(f"Bericht {number}")
        inbox_services.reply_send(
            shop=online.shop, conversation=conversation, author=online, text=f"Antwoord {number}"
        )
    session = Session.objects.get(reference=widget.conversation_id)
    # when / then
    with django_assert_max_num_queries(4):  # and the read recorded
        state = chat.chat_read(shop=online.shop, session=session)
    assert len(state.messages) == 10


def test_an_agent_answers_a_chat_from_the_inbox_without_any_mailbox(
    online: Membership, agent_client: Client
) -> None:
    # given: the shop has no mailbox at all
    widget = Widget()
    conversation = chatting(widget)
    widget.send("Is de pan vaatwasserbestendig?")
    # when
    response = agent_client.post(
        f"/app/inbox/{conversation.pk}/reply/", {"text": "Ja, dat is hij."}, follow=True
    )
    # then
    assert response.status_code == 200
    assert widget.read().json()["messages"][-1]["text"] == "Ja, dat is hij."


def test_without_a_name_for_customers_the_chat_shows_the_agents_first_name(
    online: Membership,
) -> None:
    # given
    online.display_name = ""
    online.save(update_fields=["display_name"])
    online.user.full_name = "Anouk de Vries"
    online.user.save(update_fields=["full_name"])
    widget = Widget()
    conversation = chatting(widget)
    Conversation.objects.filter(pk=conversation.pk).update(assignee=online)
    inbox_services.reply_send(
        shop=online.shop, conversation=conversation, author=online, text="Hoi!"
    )
    # when
    body = widget.read().json()
    # then
    assert body["agent_name"] == "Anouk"
    assert body["messages"][-1]["name"] == "Anouk"
