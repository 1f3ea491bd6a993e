"""/api/v1/macros: shared macros for the shop, personal ones for their owner only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from balie.customers.tests.factories import CustomerFactory
from balie.inbox import services
from balie.inbox.models import Macro
from balie.inbox.tests.factories import ConversationFactory
from balie.tenancy.models import Membership, Role, Shop
from balie.tenancy.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _send(client: Client, method: str, url: str, body: object) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def _client(member: Membership) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def test_personal_macros_are_seen_by_their_owner_only(
    shop: Shop, agent: Membership, agent_client: Client, api_client: Client
) -> None:
    # given
    shared = services.macro_create(shop=shop, name="Bedankt")
    mine = services.macro_create(shop=shop, name="Mijn groet", owner=agent)
    colleague = MembershipFactory(shop=shop, role=Role.ADMIN)
    theirs = services.macro_create(shop=shop, name="Zijn groet", owner=colleague)

    # when
    as_agent = agent_client.get("/api/v1/macros").json()
    as_key = api_client.get("/api/v1/macros").json()
    as_colleague = _client(colleague).get(f"/api/v1/macros/{mine.pk}")

    # then
    assert [item["id"] for item in as_agent["items"]] == [shared.pk, mine.pk]
    assert [item["id"] for item in as_key["items"]] == [shared.pk]
    assert as_colleague.status_code == 404
    assert agent_client.get(f"/api/v1/macros/{theirs.pk}").status_code == 404
    assert as_agent["items"][1]["personal"] is True


def test_an_agent_makes_personal_macros_and_admins_shared_ones(
    shop: Shop, agent: Membership, agent_client: Client, api_client: Client
) -> None:
    # when
    personal = _send(agent_client, "post", "/api/v1/macros", {"name": "Mijn", "personal": True})
    shared_by_agent = _send(agent_client, "post", "/api/v1/macros", {"name": "Voor iedereen"})
    shared_by_key = _send(api_client, "post", "/api/v1/macros", {"name": "Voor iedereen"})
    personal_by_key = _send(api_client, "post", "/api/v1/macros", {"name": "x", "personal": True})

    # then
    assert personal.status_code == 201
    assert (personal.json()["owner_id"], personal.json()["personal"]) == (agent.pk, True)
    assert shared_by_agent.status_code == 403
    assert (shared_by_key.status_code, shared_by_key.json()["owner_id"]) == (201, None)
    assert (personal_by_key.status_code, personal_by_key.json()["errors"][0]["field"]) == (
        422,
        "personal",
    )


def test_a_macro_with_all_its_actions(api_client: Client, shop: Shop) -> None:
    # given
    team = TeamFactory(shop=shop)

    # when
    response = _send(
        api_client,
        "post",
        "/api/v1/macros",
        {
            "name": "Retour ontvangen",
            "body": 'Hoi {{ customer.first_name|default:"daar" }}, je retour is binnen.',
            "set_status": "resolved",
            "set_priority": "low",
            "add_tags": ["retour"],
            "set_team_id": team.pk,
        },
    )

    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["set_status"], body["set_priority"], body["add_tags"], body["set_team_id"]) == (
        "resolved",
        "low",
        ["retour"],
        team.pk,
    )
    assert (body["usage_count"], body["last_used_at"], body["is_active"]) == (0, None, True)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": "x", "body": "Hoi {{ klant.naam }}"}, 422, "body"),
        ({"name": "x", "set_status": "snoozed"}, 422, "set_status"),
        ({"name": "x", "set_priority": "extreem"}, 422, "set_priority"),
        ({"name": "x", "add_tags": [""]}, 422, "add_tags.0"),
        ({"name": ""}, 422, "name"),
        ({"name": "x", "owner_id": 1}, 422, "owner_id"),
    ],
)
def test_invalid_macros_are_a_422_with_the_field(
    api_client: Client, body: dict[str, Any], status: int, field: str
) -> None:
    # when
    response = _send(api_client, "post", "/api/v1/macros", body)

    # then
    assert response.status_code == status
    assert response.json()["errors"][0]["field"] == field
    assert not Macro.objects.exists()


def test_an_unknown_placeholder_is_named_in_the_error(api_client: Client) -> None:
    # when
    response = _send(
        api_client, "post", "/api/v1/macros", {"name": "x", "body": "Hoi {{ klant.naam }}"}
    )

    # then
    assert "klant.naam" in response.json()["detail"]
    assert response.json()["code"] == "macro_invalid"


def test_a_name_taken_is_a_409(api_client: Client, shop: Shop) -> None:
    # given
    services.macro_create(shop=shop, name="Bedankt")

    # when
    response = _send(api_client, "post", "/api/v1/macros", {"name": "BEDANKT"})

    # then
    assert (response.status_code, response.json()["code"]) == (409, "macro_name_taken")


def test_another_shops_team_is_a_422(api_client: Client, shop: Shop, other_shop: Shop) -> None:
    # given
    macro = services.macro_create(shop=shop, name="Bedankt")
    their_team = TeamFactory(shop=other_shop)

    # when
    created = _send(
        api_client, "post", "/api/v1/macros", {"name": "Nieuw", "set_team_id": their_team.pk}
    )
    updated = _send(
        api_client, "patch", f"/api/v1/macros/{macro.pk}", {"set_team_id": their_team.pk}
    )

    # then
    assert (created.status_code, created.json()["errors"][0]["field"]) == (422, "set_team_id")
    assert (updated.status_code, updated.json()["errors"][0]["field"]) == (422, "set_team_id")


def test_updating_and_deleting_follow_ownership(
    shop: Shop, agent: Membership, agent_client: Client
) -> None:
    # given
    mine = services.macro_create(shop=shop, name="Mijn", owner=agent)
    shared = services.macro_create(shop=shop, name="Gedeeld")

    # when
    renamed = _send(agent_client, "patch", f"/api/v1/macros/{mine.pk}", {"name": "Mijn groet"})
    shared_change = _send(agent_client, "patch", f"/api/v1/macros/{shared.pk}", {"name": "x"})
    shared_delete = agent_client.delete(f"/api/v1/macros/{shared.pk}")
    null = _send(agent_client, "patch", f"/api/v1/macros/{mine.pk}", {"body": None})
    deleted = agent_client.delete(f"/api/v1/macros/{mine.pk}")

    # then
    assert renamed.json()["name"] == "Mijn groet"
    assert (shared_change.status_code, shared_delete.status_code) == (403, 403)
    assert (null.status_code, null.json()["errors"][0]["field"]) == (422, "body")
    assert deleted.status_code == 204
    assert list(Macro.objects.values_list("name", flat=True)) == ["Gedeeld"]


def test_rendering_fills_in_the_conversation_for_the_signed_in_agent(
    shop: Shop, agent: Membership, agent_client: Client
) -> None:
    # given
    agent.user.full_name = "Sanne de Boer"
    agent.user.save()
    customer = CustomerFactory(shop=shop, first_name="")
    conversation = ConversationFactory(shop=shop, customer=customer)
    macro = services.macro_create(
        shop=shop,
        name="Groet",
        body='Hoi {{ customer.first_name|default:"daar" }}, groet van {{ agent.first_name }}',
    )

    # when
    response = _send(
        agent_client,
        "post",
        f"/api/v1/macros/{macro.pk}/render",
        {"conversation_id": conversation.pk},
    )

    # then
    assert response.status_code == 200
    assert response.json() == {"text": "Hoi daar, groet van Sanne"}


def test_an_api_key_renders_for_the_assignee(api_client: Client, shop: Shop) -> None:
    # given
    assignee = MembershipFactory(shop=shop, display_name="Bram")
    conversation = ConversationFactory(shop=shop, assignee=assignee)
    macro = services.macro_create(shop=shop, name="Groet", body="Groet, {{ agent.name }}")

    # when
    response = _send(
        api_client,
        "post",
        f"/api/v1/macros/{macro.pk}/render",
        {"conversation_id": conversation.pk},
    )

    # then
    assert response.json() == {"text": "Groet, Bram"}


def test_rendering_for_another_shops_conversation_is_a_422(
    api_client: Client, shop: Shop, other_shop: Shop
) -> None:
    # given
    macro = services.macro_create(shop=shop, name="Groet", body="{{ customer.email }}")
    theirs = ConversationFactory(shop=other_shop)

    # when
    response = _send(
        api_client, "post", f"/api/v1/macros/{macro.pk}/render", {"conversation_id": theirs.pk}
    )

    # then
    assert (response.status_code, response.json()["errors"][0]["field"]) == (
        422,
        "conversation_id",
    )
    assert theirs.customer.email not in response.content.decode()


def test_another_shops_macro_is_not_found(api_client: Client, other_shop: Shop) -> None:
    # given
    theirs = services.macro_create(shop=other_shop, name="Van hen")

    # when
    answers = [
        api_client.get(f"/api/v1/macros/{theirs.pk}").status_code,
        _send(api_client, "patch", f"/api/v1/macros/{theirs.pk}", {"name": "x"}).status_code,
        api_client.delete(f"/api/v1/macros/{theirs.pk}").status_code,
        _send(
            api_client, "post", f"/api/v1/macros/{theirs.pk}/render", {"conversation_id": 1}
        ).status_code,
    ]

    # then
    assert answers == [404] * 4
    assert Macro.objects.get().name == "Van hen"
