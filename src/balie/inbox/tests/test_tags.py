"""The shop's tags: list with counts, create, rename and delete (also from macros)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from balie.inbox import services
from balie.inbox.models import EventKind, Macro, Tag
from balie.inbox.tests.factories import ConversationFactory, TagFactory
from balie.tenancy.models import Membership, Shop

pytestmark = pytest.mark.django_db


def _send(client: Client, method: str, url: str, body: object) -> object:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_the_list_counts_conversations_per_tag(
    api_client: Client, shop: Shop, other_shop: Shop
) -> None:
    # given
    retour = TagFactory(shop=shop, name="retour")
    TagFactory(shop=shop, name="Bezorging")
    TagFactory(shop=other_shop, name="van hen")
    for conversation in ConversationFactory.create_batch(2, shop=shop):
        conversation.tags.add(retour)

    # when
    response = api_client.get("/api/v1/tags")

    # then
    assert [(tag["name"], tag["conversation_count"]) for tag in response.json()["items"]] == [
        ("Bezorging", 0),
        ("retour", 2),
    ]


def test_a_tag_is_created_once_in_any_case(agent_client: Client, shop: Shop) -> None:
    # when
    created = _send(agent_client, "post", "/api/v1/tags", {"name": "  Retour  "})
    again = _send(agent_client, "post", "/api/v1/tags", {"name": "RETOUR"})
    empty = _send(agent_client, "post", "/api/v1/tags", {"name": "   "})

    # then
    assert created.status_code == 201  # type: ignore[attr-defined]
    assert created.json()["name"] == "Retour"  # type: ignore[attr-defined]
    assert (again.status_code, again.json()["code"]) == (409, "tag_name_taken")  # type: ignore[attr-defined]
    assert empty.status_code == 422  # type: ignore[attr-defined]
    assert Tag.objects.count() == 1


def test_renaming_follows_into_macros(api_client: Client, shop: Shop) -> None:
    # given
    tag = TagFactory(shop=shop, name="retour")
    TagFactory(shop=shop, name="spoed")
    macro = services.macro_create(shop=shop, name="Retour", add_tags=["Retour", "klaar"])

    # when
    renamed = _send(api_client, "patch", f"/api/v1/tags/{tag.pk}", {"name": "Retouren"})
    clash = _send(api_client, "patch", f"/api/v1/tags/{tag.pk}", {"name": "SPOED"})
    case_only = _send(api_client, "patch", f"/api/v1/tags/{tag.pk}", {"name": "retouren"})

    # then
    assert renamed.json()["name"] == "Retouren"  # type: ignore[attr-defined]
    assert clash.status_code == 409  # type: ignore[attr-defined]
    assert case_only.json()["name"] == "retouren"  # type: ignore[attr-defined]
    macro.refresh_from_db()
    assert macro.add_tags == ["klaar", "retouren"]


def test_deleting_removes_it_from_conversations_with_an_event_and_from_macros(
    shop: Shop, admin_agent: Membership
) -> None:
    # given
    client = Client()
    client.force_login(admin_agent.user)
    tag = TagFactory(shop=shop, name="retour")
    conversation = ConversationFactory(shop=shop)
    conversation.tags.add(tag, TagFactory(shop=shop, name="blijft"))
    macro = services.macro_create(shop=shop, name="Retour", add_tags=["retour"])

    # when
    response = client.delete(f"/api/v1/tags/{tag.pk}")

    # then
    assert response.status_code == 204
    assert [t.name for t in conversation.tags.all()] == ["blijft"]
    event = conversation.events.get()
    assert (event.kind, event.actor, event.data["removed"]) == (
        EventKind.TAGGED,
        admin_agent,
        ["retour"],
    )
    assert Macro.objects.get(pk=macro.pk).add_tags == []


def test_agents_create_tags_but_only_admins_rename_or_delete(
    agent_client: Client, shop: Shop
) -> None:
    # given
    tag = TagFactory(shop=shop, name="retour")

    # when
    renamed = _send(agent_client, "patch", f"/api/v1/tags/{tag.pk}", {"name": "x"})
    deleted = agent_client.delete(f"/api/v1/tags/{tag.pk}")

    # then
    assert (renamed.status_code, deleted.status_code) == (403, 403)  # type: ignore[attr-defined]
    assert Tag.objects.get().name == "retour"


def test_another_shops_tag_is_not_found(api_client: Client, other_shop: Shop) -> None:
    # given
    theirs = TagFactory(shop=other_shop, name="van hen")

    # when
    renamed = _send(api_client, "patch", f"/api/v1/tags/{theirs.pk}", {"name": "overgenomen"})
    deleted = api_client.delete(f"/api/v1/tags/{theirs.pk}")

    # then
    assert (renamed.status_code, deleted.status_code) == (404, 404)  # type: ignore[attr-defined]
    assert Tag.objects.get().name == "van hen"
