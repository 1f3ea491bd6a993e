"""/api/v1/conversations: the list with its filters, one conversation, changes through the
services, messages with attachments, the trail, notes, and attachment downloads."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from balie.channels.models import Mailbox
from balie.customers.tests.factories import CustomerFactory
from balie.inbox import services as inbox_services
from balie.inbox.models import Attachment, ConversationEvent, Direction, EventKind, SlaState
from balie.inbox.tests.factories import (
    ConversationFactory,
    MessageFactory,
    TagFactory,
    inbound_email,
)
from balie.tenancy.models import Membership, Role, Shop
from balie.tenancy.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def _patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


def _as(shop: Shop, role: Role) -> tuple[Client, Membership]:
    member = MembershipFactory(shop=shop, role=role)
    client = Client()
    client.force_login(member.user)
    return client, member


# --- the list ----------------------------------------------------------------------------


def test_the_list_shows_the_latest_message_first_with_customer_and_tags(
    api_client: Client, shop: Shop, other_shop: Shop
) -> None:
    # given
    now = timezone.now()
    customer = CustomerFactory(shop=shop, first_name="Anouk", email="anouk@example.nl")
    older = ConversationFactory(shop=shop, last_message_at=now - dt.timedelta(hours=1))
    newer = ConversationFactory(shop=shop, customer=customer, last_message_at=now)
    newer.tags.add(TagFactory(shop=shop, name="retour"))
    ConversationFactory(shop=other_shop)

    # when
    response = api_client.get("/api/v1/conversations")

    # then
    assert _ids(response) == [newer.pk, older.pk]
    first = response.json()["items"][0]
    assert first["customer"]["email"] == "anouk@example.nl"
    assert first["tags"] == ["retour"]
    assert (first["status"], first["priority"], first["reference"]) == (
        "open",
        "normal",
        newer.reference,
    )
    assert response.json()["count"] == 2


def test_status_takes_one_or_several_values_repeated_or_comma_separated(
    api_client: Client, shop: Shop
) -> None:
    # given
    open_one = ConversationFactory(shop=shop, status="open")
    pending = ConversationFactory(shop=shop, status="pending")
    ConversationFactory(shop=shop, status="closed")

    # when / then
    assert _ids(api_client.get("/api/v1/conversations?status=pending")) == [pending.pk]
    both = {open_one.pk, pending.pk}
    assert set(_ids(api_client.get("/api/v1/conversations?status=open,pending"))) == both
    assert set(_ids(api_client.get("/api/v1/conversations?status=open&status=pending"))) == both


def test_an_unknown_status_is_a_422_naming_the_parameter(api_client: Client) -> None:
    # when
    response = api_client.get("/api/v1/conversations?status=open,weg")

    # then
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "status.1",
        "in": "query",
        "message": response.json()["errors"][0]["message"],
        "type": "enum",
    }


def test_filters_narrow_the_list(api_client: Client, shop: Shop, agent: Membership) -> None:
    # given
    team = TeamFactory(shop=shop)
    customer = CustomerFactory(shop=shop, email="Fenna@Example.nl")
    target = ConversationFactory(
        shop=shop,
        customer=customer,
        assignee=agent,
        team=team,
        priority="high",
        channel="email",
        subject="Kapotte pollepel",
    )
    target.tags.add(TagFactory(shop=shop, name="Retour"), TagFactory(shop=shop, name="Spoed"))
    other = ConversationFactory(shop=shop, channel="chat")
    other.tags.add(TagFactory(shop=shop, name="Vraag"))
    base = "/api/v1/conversations?"

    # when / then
    for query in (
        "customer_email=fenna@example.nl",
        f"customer_id={customer.pk}",
        f"assignee_id={agent.pk}",
        f"team_id={team.pk}",
        "priority=high,urgent",
        "channel=email",
        "tag=retour",
        "tag=RETOUR&tag=spoed",
        "q=kapotte",
    ):
        assert _ids(api_client.get(base + query)) == [target.pk], query
    assert _ids(api_client.get(base + "tag=retour&tag=vraag")) == []
    assert _ids(api_client.get(base + "assignee=none")) == [other.pk]


def test_assignee_me_is_the_signed_in_agent_and_refused_for_api_keys(
    agent_client: Client, api_client: Client, shop: Shop, agent: Membership
) -> None:
    # given
    mine = ConversationFactory(shop=shop, assignee=agent)
    ConversationFactory(shop=shop)

    # when
    by_agent = agent_client.get("/api/v1/conversations?assignee=me")
    by_key = api_client.get("/api/v1/conversations?assignee=me")

    # then
    assert _ids(by_agent) == [mine.pk]
    assert by_key.status_code == 422
    assert by_key.json()["errors"][0]["field"] == "assignee"


def test_updated_since_and_sla_filters(api_client: Client, shop: Shop) -> None:
    # given
    now = timezone.now()
    warning = ConversationFactory(shop=shop, sla_first_response_state=SlaState.WARNING)
    breached = ConversationFactory(shop=shop, sla_resolution_state=SlaState.BREACHED)
    old = ConversationFactory(shop=shop)
    type(old).objects.filter(pk=old.pk).update(updated_at=now - dt.timedelta(days=3))
    since = (now - dt.timedelta(days=1)).isoformat().replace("+00:00", "Z")

    # when / then
    assert _ids(api_client.get("/api/v1/conversations?sla=breaching")) == [warning.pk]
    assert _ids(api_client.get("/api/v1/conversations?sla=breached")) == [breached.pk]
    assert set(_ids(api_client.get(f"/api/v1/conversations?updated_since={since}"))) == {
        warning.pk,
        breached.pk,
    }
    naive = api_client.get("/api/v1/conversations?updated_since=2026-01-01T00:00:00")
    assert naive.status_code == 422


def test_ordering_by_sla_deadline_puts_conversations_without_one_last(
    api_client: Client, shop: Shop
) -> None:
    # given
    now = timezone.now()
    later = ConversationFactory(shop=shop, sla_due_at=now + dt.timedelta(hours=4))
    none = ConversationFactory(shop=shop)
    soon = ConversationFactory(shop=shop, sla_due_at=now + dt.timedelta(minutes=10))

    # when
    response = api_client.get("/api/v1/conversations?ordering=sla_due_at")

    # then
    assert _ids(response) == [soon.pk, later.pk, none.pk]


def test_another_shops_ids_in_filters_find_nothing(
    api_client: Client, shop: Shop, other_shop: Shop
) -> None:
    # given
    theirs = ConversationFactory(shop=other_shop)

    # when
    response = api_client.get(f"/api/v1/conversations?customer_id={theirs.customer_id}")

    # then
    assert response.json() == {"items": [], "count": 0, "count_exact": True}


# --- one conversation and its changes ------------------------------------------------------


def test_changes_go_through_the_services_one_event_each(
    agent_client: Client, shop: Shop, agent: Membership
) -> None:
    # given
    conversation = ConversationFactory(shop=shop)
    team = TeamFactory(shop=shop)
    colleague = MembershipFactory(shop=shop)

    # when
    response = _patch(
        agent_client,
        f"/api/v1/conversations/{conversation.pk}",
        {
            "status": "pending",
            "priority": "urgent",
            "assignee_id": colleague.pk,
            "team_id": team.pk,
            "add_tags": ["Retour"],
        },
    )

    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["priority"], body["assignee_id"], body["team_id"]) == (
        "pending",
        "urgent",
        colleague.pk,
        team.pk,
    )
    assert body["tags"] == ["Retour"]
    events = ConversationEvent.objects.filter(conversation=conversation)
    assert sorted(events.values_list("kind", flat=True)) == sorted(
        [
            EventKind.ASSIGNED,
            EventKind.TEAM_CHANGED,
            EventKind.PRIORITY_CHANGED,
            EventKind.TAGGED,
            EventKind.STATUS_CHANGED,
        ]
    )
    assert set(events.values_list("actor", flat=True)) == {agent.pk}


def test_null_unassigns_and_removes_the_team_and_tags_can_be_removed(
    api_client: Client, shop: Shop, agent: Membership
) -> None:
    # given
    conversation = ConversationFactory(shop=shop, assignee=agent, team=TeamFactory(shop=shop))
    conversation.tags.add(TagFactory(shop=shop, name="retour"))

    # when
    response = _patch(
        api_client,
        f"/api/v1/conversations/{conversation.pk}",
        {"assignee_id": None, "team_id": None, "remove_tags": ["RETOUR"]},
    )

    # then
    body = response.json()
    assert (body["assignee_id"], body["team_id"], body["tags"]) == (None, None, [])
    assert set(conversation.events.values_list("actor", flat=True)) == {None}


def test_snoozing_needs_a_moment_in_the_future(agent_client: Client, shop: Shop) -> None:
    # given
    conversation = ConversationFactory(shop=shop)
    url = f"/api/v1/conversations/{conversation.pk}"
    until = (timezone.now() + dt.timedelta(days=2)).isoformat()

    # when
    without = _patch(agent_client, url, {"status": "snoozed"})
    only_until = _patch(agent_client, url, {"snoozed_until": until})
    snoozed = _patch(agent_client, url, {"status": "snoozed", "snoozed_until": until})

    # then
    assert (without.status_code, without.json()["errors"][0]["field"]) == (422, "snoozed_until")
    assert (only_until.status_code, only_until.json()["errors"][0]["field"]) == (
        422,
        "snoozed_until",
    )
    assert snoozed.status_code == 200
    assert snoozed.json()["status"] == "snoozed"
    assert snoozed.json()["snoozed_until"] is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": None}, "status"),
        ({"status": "weg"}, "status"),
        ({"priority": "extreem"}, "priority"),
        ({"add_tags": [""]}, "add_tags.0"),
        ({"remove_tags": ["x" * 51]}, "remove_tags.0"),
        ({"assignee": 3}, "assignee"),
    ],
)
def test_invalid_changes_are_a_422_with_the_field(
    agent_client: Client, shop: Shop, body: dict[str, Any], field: str
) -> None:
    # given
    conversation = ConversationFactory(shop=shop)

    # when
    response = _patch(agent_client, f"/api/v1/conversations/{conversation.pk}", body)

    # then
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field


def test_another_shops_agent_or_team_is_a_422_and_changes_nothing(
    api_client: Client, shop: Shop, other_shop: Shop
) -> None:
    # given
    conversation = ConversationFactory(shop=shop)
    stranger = MembershipFactory(shop=other_shop)
    their_team = TeamFactory(shop=other_shop)
    url = f"/api/v1/conversations/{conversation.pk}"

    # when
    by_agent = _patch(api_client, url, {"priority": "high", "assignee_id": stranger.pk})
    by_team = _patch(api_client, url, {"team_id": their_team.pk})
    gone = _patch(
        api_client, url, {"assignee_id": MembershipFactory(shop=shop, is_active=False).pk}
    )

    # then
    assert (by_agent.status_code, by_agent.json()["errors"][0]["field"]) == (422, "assignee_id")
    assert (by_team.status_code, by_team.json()["errors"][0]["field"]) == (422, "team_id")
    assert (gone.status_code, gone.json()["errors"][0]["field"]) == (422, "assignee_id")
    conversation.refresh_from_db()
    assert (conversation.priority, conversation.assignee, conversation.team) == (
        "normal",
        None,
        None,
    )
    assert not conversation.events.exists()


def test_viewers_read_but_do_not_change(shop: Shop) -> None:
    # given
    client, _viewer = _as(shop, Role.VIEWER)
    conversation = ConversationFactory(shop=shop)

    # when
    read = client.get(f"/api/v1/conversations/{conversation.pk}")
    changed = _patch(client, f"/api/v1/conversations/{conversation.pk}", {"priority": "low"})
    note = client.post(
        f"/api/v1/conversations/{conversation.pk}/notes",
        json.dumps({"text": "Hoi"}),
        content_type="application/json",
    )

    # then
    assert read.status_code == 200
    assert (changed.status_code, note.status_code) == (403, 403)


def test_another_shops_conversation_is_not_found_anywhere(
    api_client: Client, other_shop: Shop
) -> None:
    # given
    theirs = ConversationFactory(shop=other_shop)
    base = f"/api/v1/conversations/{theirs.pk}"

    # when
    answers = [
        api_client.get(base).status_code,
        _patch(api_client, base, {"priority": "low"}).status_code,
        api_client.get(f"{base}/messages").status_code,
        api_client.get(f"{base}/events").status_code,
        api_client.post(
            f"{base}/notes", json.dumps({"text": "x"}), content_type="application/json"
        ).status_code,
    ]

    # then
    assert answers == [404] * 5
    theirs.refresh_from_db()
    assert theirs.priority == "normal"


# --- messages, events, notes ---------------------------------------------------------------


def test_messages_come_oldest_first_with_attachments_and_download_urls(
    api_client: Client, shop: Shop, settings: Any
) -> None:
    # given
    settings.BALIE_BASE_URL = "https://balie.example.nl"
    conversation = ConversationFactory(shop=shop)
    first = MessageFactory(conversation=conversation, text="Waar blijft mijn pakket?")
    kept = Attachment(
        shop=shop, message=first, filename="bon.pdf", content_type="application/pdf", size=4
    )
    kept.file.save("attachment", ContentFile(b"%PDF"), save=True)
    refused = Attachment.objects.create(
        shop=shop,
        message=first,
        filename="groot.zip",
        content_type="application/zip",
        size=30_000_000,
        rejected_reason="too large",
    )
    second = MessageFactory(conversation=conversation, direction=Direction.OUTBOUND)

    # when
    response = api_client.get(f"/api/v1/conversations/{conversation.pk}/messages")

    # then
    assert _ids(response) == [first.pk, second.pk]
    attachments = response.json()["items"][0]["attachments"]
    assert attachments[0]["download_url"] == (
        f"https://balie.example.nl/api/v1/attachments/{kept.pk}/download"
    )
    assert (attachments[1]["id"], attachments[1]["download_url"]) == (refused.pk, None)
    assert attachments[1]["rejected_reason"] == "too large"


def test_the_trail_lists_every_change_with_its_actor(
    agent_client: Client, shop: Shop, agent: Membership
) -> None:
    # given
    conversation = ConversationFactory(shop=shop)
    _patch(agent_client, f"/api/v1/conversations/{conversation.pk}", {"priority": "high"})

    # when
    response = agent_client.get(f"/api/v1/conversations/{conversation.pk}/events")

    # then
    (event,) = response.json()["items"]
    assert (event["kind"], event["actor_id"], event["data"]) == (
        "priority_changed",
        agent.pk,
        {"old": "normal", "new": "high"},
    )


def test_an_agent_writes_a_note_as_themselves(
    agent_client: Client, shop: Shop, agent: Membership
) -> None:
    # given
    conversation = ConversationFactory(shop=shop)

    # when
    response = agent_client.post(
        f"/api/v1/conversations/{conversation.pk}/notes",
        json.dumps({"text": "  Klant belt morgen terug.  "}),
        content_type="application/json",
    )

    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["direction"], body["author_id"], body["text"]) == (
        "note",
        agent.pk,
        "Klant belt morgen terug.",
    )
    assert conversation.events.get().kind == EventKind.NOTE_ADDED


def test_an_api_key_names_the_author_of_a_note(
    api_client: Client, shop: Shop, other_shop: Shop, agent: Membership
) -> None:
    # given
    conversation = ConversationFactory(shop=shop)
    url = f"/api/v1/conversations/{conversation.pk}/notes"

    def post(body: dict[str, Any]) -> Any:
        return api_client.post(url, json.dumps(body), content_type="application/json")

    # when
    without = post({"text": "Terugbetaald"})
    stranger = post({"text": "Terugbetaald", "author_id": MembershipFactory(shop=other_shop).pk})
    written = post({"text": "Terugbetaald", "author_id": agent.pk})
    empty = post({"text": "   ", "author_id": agent.pk})

    # then
    assert (without.status_code, without.json()["errors"][0]["field"]) == (422, "author_id")
    assert (stranger.status_code, stranger.json()["errors"][0]["field"]) == (422, "author_id")
    assert (written.status_code, written.json()["author_id"]) == (201, agent.pk)
    assert (empty.status_code, empty.json()["code"]) == (422, "note_empty")
    assert conversation.messages.count() == 1


def test_an_agent_cannot_write_a_note_in_a_colleagues_name(
    agent_client: Client, shop: Shop
) -> None:
    # given
    conversation = ConversationFactory(shop=shop)

    # when
    response = agent_client.post(
        f"/api/v1/conversations/{conversation.pk}/notes",
        json.dumps({"text": "Namens jou", "author_id": MembershipFactory(shop=shop).pk}),
        content_type="application/json",
    )

    # then
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "author_id")


def test_an_integration_replies_to_the_customer_and_resolves(
    api_client: Client, shop: Shop, agent: Membership, smtp_mailbox: Mailbox
) -> None:
    # given
    conversation = inbox_services.message_receive(shop=shop, inbound=inbound_email()).conversation
    url = f"/api/v1/conversations/{conversation.pk}/messages"

    # when
    response = api_client.post(
        url,
        json.dumps({"text": "Je retour is verwerkt.", "author_id": agent.pk, "resolve": True}),
        content_type="application/json",
    )

    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["direction"], body["author_id"], body["text"]) == (
        "out",
        agent.pk,
        "Je retour is verwerkt.",
    )
    conversation.refresh_from_db()
    assert conversation.status == "resolved"
    assert conversation.first_responded_at is not None


def test_a_reply_without_a_sending_mailbox_is_a_clear_conflict(
    agent_client: Client, shop: Shop
) -> None:
    # given: no mailbox with SMTP
    conversation = inbox_services.message_receive(shop=shop, inbound=inbound_email()).conversation

    # when
    response = agent_client.post(
        f"/api/v1/conversations/{conversation.pk}/messages",
        json.dumps({"text": "Hallo", "resolve": True}),
        content_type="application/json",
    )

    # then: nothing stored, nothing resolved
    assert (response.status_code, response.json()["code"]) == (409, "channel_not_configured")
    conversation.refresh_from_db()
    assert conversation.status == "open"
    assert not conversation.messages.filter(direction="out").exists()
