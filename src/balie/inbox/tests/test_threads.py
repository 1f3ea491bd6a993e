"""Merging and splitting conversations, and @mentions in notes."""

from __future__ import annotations

import pytest

from balie.inbox import errors, selectors, services
from balie.inbox.mentions import mentioned
from balie.inbox.models import Conversation, EventKind, Message, Notification, NotificationKind
from balie.inbox.tests.factories import (
    ConversationFactory,
    MessageFactory,
    TagFactory,
    inbound_email,
)
from balie.tenancy.models import Membership, Shop
from balie.tenancy.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_merging_moves_the_messages_and_closes_the_source(shop: Shop, agent: Membership) -> None:
    # given
    source = ConversationFactory(shop=shop, subject="Levering")
    target = ConversationFactory(shop=shop, subject="Levering (2)")
    MessageFactory.create_batch(2, conversation=source)
    MessageFactory(conversation=target)
    source.tags.add(TagFactory(shop=shop, name="retour"))

    # when
    merged = services.conversation_merge(shop=shop, source=source, target=target, actor=agent)

    # then
    source.refresh_from_db()
    assert merged == target
    assert Message.objects.filter(conversation=target).count() == 3
    assert source.status == "closed"
    assert source.merged_into == target
    assert [tag.name for tag in target.tags.all()] == ["retour"]
    assert source.events.filter(kind=EventKind.MERGED, data__into=target.pk).exists()
    assert target.events.filter(kind=EventKind.MERGED, data__merged_from=source.pk).exists()


def test_a_reply_to_a_merged_conversation_continues_in_its_target(
    shop: Shop, agent: Membership
) -> None:
    # given
    first = services.message_receive(shop=shop, inbound=inbound_email(external_id="<a@x.nl>"))
    second = services.message_receive(
        shop=shop,
        inbound=inbound_email(
            external_id="<b@x.nl>", sender_address="ander@x.nl", subject="Ook levering"
        ),
    )
    services.conversation_merge(
        shop=shop, source=first.conversation, target=second.conversation, actor=agent
    )

    # when: the customer answers the merged conversation by its reference
    reply = services.message_receive(
        shop=shop,
        inbound=inbound_email(
            subject=f"Re: {first.conversation.subject} [#{first.conversation.reference}]"
        ),
    )

    # then
    assert reply.conversation == second.conversation


def test_merge_refuses_itself_and_conversations_already_merged(
    shop: Shop, agent: Membership
) -> None:
    # given
    one, two, three = ConversationFactory.create_batch(3, shop=shop)
    services.conversation_merge(shop=shop, source=one, target=two, actor=agent)

    # when / then
    with pytest.raises(errors.MergeInvalid):
        services.conversation_merge(shop=shop, source=three, target=three, actor=agent)
    with pytest.raises(errors.MergeInvalid):
        services.conversation_merge(shop=shop, source=three, target=one, actor=agent)


def test_merged_messages_are_found_in_the_target(shop: Shop, agent: Membership) -> None:
    # given
    source = ConversationFactory(shop=shop)
    target = ConversationFactory(shop=shop)
    MessageFactory(conversation=source, text="Garantiebewijs bijgevoegd")

    # when
    services.conversation_merge(shop=shop, source=source, target=target, actor=agent)

    # then
    found = list(selectors.conversation_list(shop=shop, q="garantiebewijs"))
    assert found == [target]


def test_splitting_moves_one_message_into_a_new_conversation_of_its_writer(
    shop: Shop, agent: Membership
) -> None:
    # given: a colleague of the customer asks something else in the same thread
    first = services.message_receive(shop=shop, inbound=inbound_email(external_id="<s1@x.nl>"))
    other = services.message_receive(
        shop=shop,
        inbound=inbound_email(
            in_reply_to="<s1@x.nl>",
            sender_address="collega@x.nl",
            sender_name="Kees Collega",
            subject="Factuur graag",
            text="Kunnen jullie de factuur sturen?",
        ),
    )

    # when
    new = services.conversation_split(
        shop=shop, conversation=first.conversation, message=other.message, actor=agent
    )

    # then
    assert new.pk != first.conversation.pk
    assert new.customer.email == "collega@x.nl"
    assert new.subject == "Factuur graag"
    assert list(new.messages.all()) == [other.message]
    assert first.conversation.messages.count() == 1
    assert new.events.filter(kind=EventKind.SPLIT, data__split_from=first.conversation.pk).exists()
    assert list(selectors.conversation_list(shop=shop, q="factuur")) == [new]


def test_the_only_message_cannot_be_split_off(shop: Shop, agent: Membership) -> None:
    # given
    message = MessageFactory(conversation=ConversationFactory(shop=shop))

    # when / then
    with pytest.raises(errors.SplitInvalid):
        services.conversation_split(
            shop=shop, conversation=message.conversation, message=message, actor=agent
        )


def test_a_message_of_another_conversation_cannot_be_split_off(
    shop: Shop, agent: Membership
) -> None:
    # given
    conversation = ConversationFactory(shop=shop)
    MessageFactory.create_batch(2, conversation=conversation)
    elsewhere = MessageFactory(conversation=ConversationFactory(shop=shop))

    # when / then
    with pytest.raises(errors.SplitInvalid):
        services.conversation_split(
            shop=shop, conversation=conversation, message=elsewhere, actor=agent
        )


def test_mentions_match_email_names_first_names_and_display_names(shop: Shop) -> None:
    # given
    sanne = MembershipFactory(
        shop=shop, user__email="sanne@pollepel.nl", user__full_name="Sanne Bos"
    )
    bram = MembershipFactory(
        shop=shop, user__email="b.dejong@pollepel.nl", user__full_name="Bram de Jong"
    )
    kim = MembershipFactory(shop=shop, user__email="kim@pollepel.nl", display_name="Kim Service")
    agents = [sanne, bram, kim]

    # when / then
    assert mentioned("@sanne kun je kijken?", agents) == [sanne]
    assert mentioned("Vraag voor @Bram.", agents) == [bram]
    assert mentioned("@b.dejong en @KimService", agents) == [bram, kim]
    assert mentioned("mail naar sanne@pollepel.nl", agents) == []
    assert mentioned("@niemand", agents) == []


def test_a_note_notifies_the_agents_it_mentions_but_not_its_author(
    shop: Shop, agent: Membership
) -> None:
    # given
    colleague = MembershipFactory(shop=shop, user__email="bram@pollepel.nl")
    conversation = ConversationFactory(shop=shop)

    # when
    note = services.note_add(
        shop=shop,
        conversation=conversation,
        author=agent,
        text="@bram wil jij dit oppakken? cc @sanne",
    )

    # then: the author (sanne) is not told of her own note
    assert list(note.mentions.all()) == [colleague]
    notification = Notification.objects.get()
    assert notification.recipient == colleague
    assert notification.kind == NotificationKind.MENTION
    assert notification.message == note
    event = conversation.events.get(kind=EventKind.NOTE_ADDED)
    assert event.data["mentioned"] == [colleague.pk]


def test_agents_of_another_shop_are_never_mentioned(
    shop: Shop, other_shop: Shop, agent: Membership
) -> None:
    # given
    MembershipFactory(shop=other_shop, user__email="bram@trapper.nl")
    conversation = ConversationFactory(shop=shop)

    # when
    note = services.note_add(shop=shop, conversation=conversation, author=agent, text="@bram")

    # then
    assert not note.mentions.exists()
    assert not Notification.objects.exists()


def test_reading_a_conversation_marks_its_notifications_read(shop: Shop, agent: Membership) -> None:
    # given
    colleague = MembershipFactory(shop=shop, user__email="bram@pollepel.nl")
    one, two = ConversationFactory.create_batch(2, shop=shop)
    for conversation in (one, two):
        services.note_add(shop=shop, conversation=conversation, author=agent, text="@bram")

    # when
    marked = services.notifications_mark_read(shop=shop, recipient=colleague, conversation=one)

    # then
    assert marked == 1
    unread = Notification.objects.filter(recipient=colleague, read_at__isnull=True)
    assert [n.conversation for n in unread] == [two]
    assert Conversation.objects.count() == 2
