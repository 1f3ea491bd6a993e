"""/api/v1/shop, /agents and /teams."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from balie.tenancy.models import Membership, Shop, Team
from balie.tenancy.tests.factories import (
    ContactOptionFactory,
    MembershipFactory,
    TeamFactory,
    office_hours,
)


def _session(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def test_the_shop_is_the_api_keys_shop_with_its_contact_options(
    api_client: Client, shop: Shop
) -> None:
    # given: no opening hours at all
    ContactOptionFactory(shop=shop, channel="phone", label="Bel ons", response_minutes=5)

    # when
    body = api_client.get("/api/v1/shop").json()

    # then
    assert body["slug"] == "pollepel"
    assert body["time_zone"] == "Europe/Amsterdam"
    assert body["is_open_now"] is False
    assert body["next_opening_at"] is None
    assert [option["label"] for option in body["contact_options"]] == ["Bel ons"]


def test_a_shop_with_opening_hours_says_when_it_opens_next(api_client: Client, shop: Shop) -> None:
    # given
    office_hours(shop)

    # when
    body = api_client.get("/api/v1/shop").json()

    # then: open now, or a next opening on a weekday at 9:00 Amsterdam time
    if body["is_open_now"] is False:
        opening = dt.datetime.fromisoformat(body["next_opening_at"]).astimezone(shop.tz)
        assert (opening.weekday(), opening.hour) in {(day, 9) for day in range(5)}


def test_agents_are_listed_with_email_name_and_role(api_client: Client, agent: Membership) -> None:
    # when
    body = api_client.get("/api/v1/agents").json()

    # then
    assert body["count"] == 1
    assert body["items"][0] == {
        "id": agent.pk,
        "email": "sanne@pollepel.nl",
        "full_name": agent.user.full_name,
        "role": "agent",
        "is_active": True,
    }


def test_one_agent_by_id(api_client: Client, agent: Membership) -> None:
    # when
    response = api_client.get(f"/api/v1/agents/{agent.pk}")

    # then
    assert response.status_code == 200
    assert response.json()["email"] == "sanne@pollepel.nl"


def test_lists_page_with_limit_and_offset(api_client: Client, shop: Shop) -> None:
    # given
    TeamFactory.create_batch(5, shop=shop)

    # when
    body = api_client.get("/api/v1/teams", {"limit": 2, "offset": 4}).json()

    # then
    assert body["count"] == 5
    assert len(body["items"]) == 1


def test_an_admin_creates_a_team_of_the_shops_agents(
    admin_agent: Membership, agent: Membership
) -> None:
    # when
    response = _session(admin_agent).post(
        "/api/v1/teams",
        json.dumps({"name": "  Retouren  ", "member_ids": [agent.pk, agent.pk]}),
        content_type="application/json",
    )

    # then
    assert response.status_code == 201
    assert response.json()["name"] == "Retouren"
    assert response.json()["member_ids"] == [agent.pk]
    team = Team.objects.get(pk=response.json()["id"])
    assert team.shop_id == admin_agent.shop_id


def test_an_agent_may_not_create_teams(agent: Membership) -> None:
    # when
    response = _session(agent).post(
        "/api/v1/teams", {"name": "Retouren"}, content_type="application/json"
    )

    # then
    assert response.status_code == 403
    assert response.json()["detail"] == "Only admins can create teams."


def test_a_team_name_is_unique_in_the_shop_whatever_the_case(
    api_client: Client, shop: Shop
) -> None:
    # given
    TeamFactory(shop=shop, name="Retouren")

    # when
    response = api_client.post(
        "/api/v1/teams", {"name": "RETOUREN"}, content_type="application/json"
    )

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "team_name_taken"


def test_another_shop_may_use_the_same_team_name(api_client: Client, other_shop: Shop) -> None:
    # given
    TeamFactory(shop=other_shop, name="Retouren")

    # when
    response = api_client.post(
        "/api/v1/teams", {"name": "Retouren"}, content_type="application/json"
    )

    # then
    assert response.status_code == 201


def test_a_blank_team_name_is_422(api_client: Client) -> None:
    # when
    response = api_client.post("/api/v1/teams", {"name": "   "}, content_type="application/json")

    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_a_session_without_its_second_factor_does_not_open_the_api(agent: Membership) -> None:
    # given: two-factor sign-in is on, but this session only gave the password
    TOTPDevice.objects.create(user=agent.user, name="telefoon", confirmed=True)

    # when
    response = _session(agent).get("/api/v1/shop")

    # then
    assert response.status_code == 401


def test_an_inactive_agents_session_does_not_open_the_api(shop: Shop) -> None:
    # given
    former = MembershipFactory(shop=shop, is_active=False)

    # when
    response = _session(former).get("/api/v1/shop")

    # then
    assert response.status_code == 401
