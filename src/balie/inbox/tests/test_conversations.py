"""What agents change on a conversation: each change leaves one event, no change none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from balie.inbox import errors, services
from balie.inbox.models import ConversationStatus, Direction, EventKind, Tag
from balie.inbox.tests.factories import ConversationFactory, TagFactory
from balie.tenancy.models import Membership, Shop
from balie.tenancy.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_assigning_records_who_gave_it_to_whom(shop: Shop, agent: Membership) -> None:
    # given
    conversation = ConversationFactory(shop=shop)
    colleague = MembershipFactory(shop=shop)

    # when
    assigned = services.conversation_assign(
        shop=shop, conversation=conversation, assignee=colleague, actor=agent
    )

    # then
    assert assigned.assignee == colleague
    event = conversation.events.get()
    assert (event.kind, event.actor, event.data) == (
        EventKind.ASSIGNED,
        agent,
        {"old": None, "new": colleague.pk},
    )


def test_assigning_to_the_same_agent_again_writes_no_event(shop: Shop, agent: Membership) -> None:
    # given
    conversation = ConversationFactory(shop=shop, assignee=agent)

    # when
    services.conversation_assign(shop=shop, conversation=conversation, assignee=agent, actor=agent)

    # then
    assert not conversation.events.exists()


def test_an_agent_of_another_shop_cannot_be_assigned(
    shop: Shop, other_shop: Shop, agent: Membership
) -> None:
    # given
    conversation = ConversationFactory(shop=shop)
    stranger = MembershipFactory(shop=other_shop)

    # when / then
    with pytest.raises(errors.AssigneeNotInShop):
        services.conversation_assign(
            shop=shop, conversation=conversation, assignee=stranger, actor=agent
        )
    conversation.refresh_from_db()
    assert conversation.assignee is None


def test_an_inactive_agent_cannot_be_assigned(shop: Shop, agent: Membership) -> None:
    # given
    conversation = ConversationFactory(shop=shop)
    gone = MembershipFactory(shop=shop, is_active=False)

    # when / then
    with pytest.raises(errors.AssigneeNotInShop):
        services.conversation_assign(
            shop=shop, conversation=conversation, assignee=gone, actor=agent
        )


def test_another_shops_conversation_is_refused(
    shop: Shop, other_shop: Shop, agent: Membership
) -> None:
    # given
    theirs = ConversationFactory(shop=other_shop)

    # when / then
    with pytest.raises(ValueError, match="another shop"):
        services.conversation_assign(shop=shop, conversation=theirs, assignee=agent, actor=agent)


def test_a_team_of_the_shop_takes_the_conversation(shop: Shop, agent: Membership) -> None:
    # given
    conversation = ConversationFactory(shop=shop)
    team = TeamFactory(shop=shop)

    # when
    changed = services.conversation_set_team(
        shop=shop, conversation=conversation, team=team, actor=agent
    )

    # then
    assert changed.team == team
    assert conversation.events.get().kind == EventKind.TEAM_CHANGED


def test_resolving_records_when(shop: Shop, agent: Membership) -> None:
    # given
    conversation = ConversationFactory(shop=shop)
    now = timezone.now()

    # when
    resolved = services.conversation_set_status(
        shop=shop, conversation=conversation, status="resolved", actor=agent, now=now
    )

    # then
    assert resolved.status == ConversationStatus.RESOLVED
    assert resolved.resolved_at == now
    assert conversation.events.get().data == {
        "old": "open",
        "new": "resolved",
        "snoozed_until": None,
    }


def test_snoozing_needs_a_moment_in_the_future(shop: Shop, agent: Membership) -> None:
    # given
    conversation = ConversationFactory(shop=shop)
    now = timezone.now()

    # when / then
    with pytest.raises(errors.SnoozeUntilRequired):
        services.conversation_set_status(
            shop=shop,
            conversation=conversation,
            status="snoozed",
            actor=agent,
            snoozed_until=now - dt.timedelta(minutes=1),
            now=now,
        )
    snoozed = services.conversation_set_status(
        shop=shop,
        conversation=conversation,
        status="snoozed",
        actor=agent,
        snoozed_until=now + dt.timedelta(days=1),
        now=now,
    )
    assert snoozed.snoozed_until == now + dt.timedelta(days=1)


def test_reopening_clears_snooze_and_resolution(shop: Shop, agent: Membership) -> None:
    # given
    conversation = ConversationFactory(
        shop=shop, status="snoozed", snoozed_until=timezone.now() + dt.timedelta(hours=3)
    )

    # when
    opened = services.conversation_set_status(
        shop=shop, conversation=conversation, status="open", actor=agent
    )

    # then
    assert opened.snoozed_until is None
    assert opened.resolved_at is None


def test_priority_changes_are_recorded(shop: Shop, agent: Membership) -> None:
    # given
    conversation = ConversationFactory(shop=shop)

    # when
    changed = services.conversation_set_priority(
        shop=shop, conversation=conversation, priority="urgent", actor=agent
    )

    # then
    assert changed.priority == "urgent"
    assert conversation.events.get().data == {"old": "normal", "new": "urgent"}


def test_tags_are_added_by_name_and_reused_whatever_the_case(shop: Shop, agent: Membership) -> None:
    # given
    existing = TagFactory(shop=shop, name="Retour")
    conversation = ConversationFactory(shop=shop)

    # when
    services.conversation_tag(
        shop=shop, conversation=conversation, actor=agent, add=["retour", "  Levering   laat "]
    )

    # then
    assert set(conversation.tags.values_list("name", flat=True)) == {"Retour", "Levering laat"}
    assert Tag.objects.for_shop(shop).count() == 2
    assert existing in conversation.tags.all()
    assert conversation.events.get().data == {"added": ["Levering laat", "Retour"], "removed": []}


def test_removing_a_tag_keeps_the_shops_tag(shop: Shop, agent: Membership) -> None:
    # given
    conversation = ConversationFactory(shop=shop)
    tag = TagFactory(shop=shop, name="Factuur")
    conversation.tags.add(tag)

    # when
    services.conversation_tag(shop=shop, conversation=conversation, actor=agent, remove=["factuur"])

    # then
    assert not conversation.tags.exists()
    assert Tag.objects.filter(pk=tag.pk).exists()
    assert conversation.events.get().data == {"added": [], "removed": ["Factuur"]}


def test_another_shops_tag_of_the_same_name_is_not_used(
    shop: Shop, other_shop: Shop, agent: Membership
) -> None:
    # given
    theirs = TagFactory(shop=other_shop, name="Retour")
    conversation = ConversationFactory(shop=shop)

    # when
    services.conversation_tag(shop=shop, conversation=conversation, actor=agent, add=["Retour"])

    # then
    ours = conversation.tags.get()
    assert ours != theirs
    assert ours.shop == shop


def test_an_empty_tag_name_is_refused(shop: Shop, agent: Membership) -> None:
    # given
    conversation = ConversationFactory(shop=shop)

    # when / then
    with pytest.raises(errors.TagNameInvalid):
        services.conversation_tag(shop=shop, conversation=conversation, actor=agent, add=["  "])


def test_a_note_is_an_internal_message_by_the_agent(shop: Shop, agent: Membership) -> None:
    # given
    conversation = ConversationFactory(shop=shop)

    # when
    note = services.note_add(
        shop=shop, conversation=conversation, author=agent, text="  Klant belt morgen terug. "
    )

    # then
    assert note.direction == Direction.NOTE
    assert note.text == "Klant belt morgen terug."
    assert note.author == agent
    assert note.channel == ""
    event = conversation.events.get()
    assert (event.kind, event.actor, event.data) == (
        EventKind.NOTE_ADDED,
        agent,
        {"message_id": note.pk, "mentioned": []},
    )


def test_an_empty_note_is_refused(shop: Shop, agent: Membership) -> None:
    # given
    conversation = ConversationFactory(shop=shop)

    # when / then
    with pytest.raises(errors.NoteEmpty):
        services.note_add(shop=shop, conversation=conversation, author=agent, text=" \n ")


def test_the_thread_window_stays_within_ninety_days(shop: Shop) -> None:
    # when / then
    with pytest.raises(errors.ThreadWindowInvalid):
        services.inbox_settings_update(shop=shop, thread_window_hours=24 * 91)
    assert (
        services.inbox_settings_update(shop=shop, thread_window_hours=24).thread_window_hours == 24
    )


def test_snoozed_conversations_wake_when_their_moment_has_come(shop: Shop) -> None:
    # given
    now = timezone.now()
    due = ConversationFactory(
        shop=shop, status="snoozed", snoozed_until=now - dt.timedelta(minutes=1)
    )
    later = ConversationFactory(
        shop=shop, status="snoozed", snoozed_until=now + dt.timedelta(hours=1)
    )

    # when
    woken = services.snoozed_wake(now=now)
    again = services.snoozed_wake(now=now)

    # then
    due.refresh_from_db()
    later.refresh_from_db()
    assert (woken, again) == (1, 0)
    assert (due.status, due.snoozed_until) == ("open", None)
    assert later.status == "snoozed"
    event = due.events.get(kind=EventKind.STATUS_CHANGED)
    assert event.data == {"old": "snoozed", "new": "open", "reason": "snooze_ended"}
