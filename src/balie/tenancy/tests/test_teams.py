"""Changing a team (name, assignment mode, members) and an agent's capacity."""

from __future__ import annotations

import pytest

from balie.tenancy import errors, services
from balie.tenancy.models import AssignmentMode, Membership, Shop, Team
from balie.tenancy.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_a_team_is_renamed_set_to_round_robin_and_given_members(shop: Shop) -> None:
    # given
    team = TeamFactory(shop=shop, name="Service")
    anouk, bram = MembershipFactory(shop=shop), MembershipFactory(shop=shop)

    # when
    services.team_update(
        shop=shop,
        team=team,
        name="  Retouren  en   ruilen ",
        assignment="round_robin",
        members=[anouk, bram],
    )

    # then
    stored = Team.objects.get(pk=team.pk)
    assert stored.name == "Retouren en ruilen"
    assert stored.assignment == AssignmentMode.ROUND_ROBIN
    assert set(stored.members.all()) == {anouk, bram}


def test_fields_left_out_stay_as_they_are(shop: Shop, agent: Membership) -> None:
    team = TeamFactory(shop=shop, name="Service", assignment="least_open")
    team.members.add(agent)
    services.team_update(shop=shop, team=team, name="Klantenservice")
    stored = Team.objects.get(pk=team.pk)
    assert (stored.name, stored.assignment, list(stored.members.all())) == (
        "Klantenservice",
        "least_open",
        [agent],
    )


def test_an_empty_member_list_empties_the_team(shop: Shop, agent: Membership) -> None:
    team = TeamFactory(shop=shop)
    team.members.add(agent)
    services.team_update(shop=shop, team=team, members=[])
    assert not team.members.exists()


def test_a_team_name_is_unique_in_the_shop_whatever_the_case(shop: Shop, other_shop: Shop) -> None:
    # given
    TeamFactory(shop=shop, name="Retouren")
    TeamFactory(shop=other_shop, name="Service")
    team = TeamFactory(shop=shop, name="Service")

    # when / then
    with pytest.raises(errors.TeamNameTaken) as raised:
        services.team_update(shop=shop, team=team, name="RETOUREN")
    assert raised.value.field == "name"
    # renaming to its own name in another case is fine
    services.team_update(shop=shop, team=team, name="SERVICE")
    assert Team.objects.get(pk=team.pk).name == "SERVICE"


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"name": "   "}, errors.TeamNameInvalid, "name"),
        ({"name": "x" * 81}, errors.TeamNameInvalid, "name"),
        ({"assignment": "random"}, errors.AssignmentModeInvalid, "assignment"),
    ],
)
def test_invalid_changes_are_refused_and_nothing_changes(
    shop: Shop, fields: dict[str, object], error: type[Exception], field: str
) -> None:
    team = TeamFactory(shop=shop, name="Service")
    with pytest.raises(error) as raised:
        services.team_update(shop=shop, team=team, **fields)  # type: ignore[arg-type]
    assert raised.value.field == field  # type: ignore[attr-defined]
    stored = Team.objects.get(pk=team.pk)
    assert (stored.name, stored.assignment) == ("Service", "manual")


def test_members_of_another_shop_are_refused(shop: Shop, other_shop: Shop) -> None:
    # given
    team = TeamFactory(shop=shop)
    ours, theirs = MembershipFactory(shop=shop), MembershipFactory(shop=other_shop)

    # when / then
    with pytest.raises(errors.TeamMemberNotInShop) as raised:
        services.team_update(
            shop=shop, team=team, name="Nieuw", assignment="least_open", members=[ours, theirs]
        )
    assert raised.value.field == "members"
    stored = Team.objects.get(pk=team.pk)
    assert stored.assignment == "manual"
    assert stored.name != "Nieuw"
    assert not stored.members.exists()


def test_another_shops_team_is_refused(shop: Shop, other_shop: Shop) -> None:
    with pytest.raises(ValueError, match="another shop"):
        services.team_update(shop=shop, team=TeamFactory(shop=other_shop), name="Van mij")


@pytest.mark.parametrize("maximum", [None, 0, 1, 12, 999])
def test_an_agents_maximum_of_open_conversations_is_set(
    shop: Shop, agent: Membership, maximum: int | None
) -> None:
    services.membership_update(shop=shop, membership=agent, max_open_conversations=maximum)
    assert Membership.objects.get(pk=agent.pk).max_open_conversations == maximum


@pytest.mark.parametrize("maximum", [-1, 1000, True, 2.5])
def test_an_invalid_maximum_is_refused(shop: Shop, agent: Membership, maximum: object) -> None:
    with pytest.raises(errors.CapacityInvalid) as raised:
        services.membership_update(
            shop=shop,
            membership=agent,
            max_open_conversations=maximum,  # type: ignore[arg-type]
        )
    assert raised.value.field == "max_open_conversations"
    assert Membership.objects.get(pk=agent.pk).max_open_conversations is None


def test_another_shops_agent_is_refused(shop: Shop, other_shop: Shop) -> None:
    with pytest.raises(ValueError, match="another shop"):
        services.membership_update(
            shop=shop, membership=MembershipFactory(shop=other_shop), max_open_conversations=3
        )
