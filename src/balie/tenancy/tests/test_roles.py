"""Roles, inviting colleagues and making teams from the settings pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from balie.tenancy import errors, services
from balie.tenancy.models import AssignmentMode, Membership, Role, Shop, User
from balie.tenancy.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(shop: Shop) -> Membership:
    return MembershipFactory(shop=shop, role=Role.OWNER, user__full_name="Olga Eigenaar")


def test_an_owner_makes_someone_owner_and_may_then_step_down(
    shop: Shop, owner: Membership, agent: Membership
) -> None:
    # when
    services.membership_role_set(shop=shop, membership=agent, role=Role.OWNER, actor=owner)
    services.membership_role_set(shop=shop, membership=owner, role=Role.ADMIN, actor=owner)

    # then
    assert Membership.objects.get(pk=agent.pk).role == Role.OWNER
    assert Membership.objects.get(pk=owner.pk).role == Role.ADMIN


def test_the_last_owner_cannot_step_down(shop: Shop, owner: Membership) -> None:
    # given an owner who left (inactive) does not count
    MembershipFactory(shop=shop, role=Role.OWNER, is_active=False)

    # when
    with pytest.raises(errors.LastOwner) as raised:
        services.membership_role_set(shop=shop, membership=owner, role=Role.AGENT, actor=owner)

    # then
    assert raised.value.code == "last_owner"
    assert Membership.objects.get(pk=owner.pk).role == Role.OWNER


@pytest.mark.parametrize(
    ("target_role", "new_role"),
    [(Role.AGENT, Role.OWNER), (Role.OWNER, Role.AGENT)],
    ids=["make an owner", "demote an owner"],
)
def test_an_admin_neither_gives_nor_takes_the_owner_role(
    shop: Shop, owner: Membership, admin_agent: Membership, target_role: Role, new_role: Role
) -> None:
    # given
    target = owner if target_role == Role.OWNER else MembershipFactory(shop=shop, role=target_role)

    # when
    with pytest.raises(errors.RoleChangeForbidden):
        services.membership_role_set(shop=shop, membership=target, role=new_role, actor=admin_agent)

    # then
    assert Membership.objects.get(pk=target.pk).role == target_role


def test_an_admin_makes_an_agent_admin_and_an_agent_may_change_nothing(
    shop: Shop, admin_agent: Membership, agent: Membership
) -> None:
    # when
    services.membership_role_set(shop=shop, membership=agent, role="viewer", actor=admin_agent)
    with pytest.raises(errors.RoleChangeForbidden):
        services.membership_role_set(shop=shop, membership=admin_agent, role="viewer", actor=agent)
    with pytest.raises(errors.RoleInvalid):
        services.membership_role_set(shop=shop, membership=agent, role="baas", actor=admin_agent)

    # then
    assert Membership.objects.get(pk=agent.pk).role == Role.VIEWER
    assert Membership.objects.get(pk=admin_agent.pk).role == Role.ADMIN


def test_an_invited_colleague_gets_a_link_to_choose_a_password(
    shop: Shop,
    owner: Membership,
    run_tasks: Callable[[], int],
    django_capture_on_commit_callbacks: Any,
) -> None:
    # when
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.agent_invite(
            shop=shop,
            email=" Bram@Pollepel.nl ",
            full_name="Bram  Smit",
            role="agent",
            invited_by=owner,
        )
    run_tasks()

    # then
    user = User.objects.get(email="bram@pollepel.nl")
    assert (invited.user, invited.role, user.full_name) == (user, Role.AGENT, "Bram Smit")
    assert not user.has_usable_password()
    [sent] = mail.outbox
    assert sent.to == ["bram@pollepel.nl"]
    assert sent.subject == "Je bent uitgenodigd voor Kookwinkel De Pollepel in Balie"
    assert (
        "Olga Eigenaar heeft je toegevoegd als medewerker van Kookwinkel De Pollepel" in sent.body
    )
    assert "/app/password/reset/" in sent.body


def test_someone_who_already_uses_balie_is_told_to_sign_in(
    shop: Shop,
    other_shop: Shop,
    owner: Membership,
    run_tasks: Callable[[], int],
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given someone with a password who works for another shop
    elsewhere = MembershipFactory(shop=other_shop, user__email="lisa@trapper.nl")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.agent_invite(shop=shop, email="lisa@trapper.nl", role="viewer", invited_by=owner)
    run_tasks()

    # then
    [sent] = mail.outbox
    assert "Log in met je e-mailadres en je wachtwoord:" in sent.body
    assert "/app/password/reset/" not in sent.body
    assert elsewhere.user.memberships.count() == 2


def test_inviting_twice_or_an_owner_as_admin_is_refused(
    shop: Shop, admin_agent: Membership, agent: Membership
) -> None:
    with pytest.raises(errors.AlreadyMember):
        services.agent_invite(
            shop=shop, email=agent.user.email, role="agent", invited_by=admin_agent
        )
    with pytest.raises(errors.RoleChangeForbidden):
        services.agent_invite(shop=shop, email="nieuw@x.nl", role="owner", invited_by=admin_agent)
    assert not User.objects.filter(email="nieuw@x.nl").exists()


def test_a_new_team_gets_its_assignment_mode_and_a_clean_name(
    shop: Shop, agent: Membership
) -> None:
    # when
    team = services.team_create(
        shop=shop, name="  Retouren  ", members=[agent], assignment=AssignmentMode.LEAST_OPEN
    )

    # then
    assert (team.name, team.assignment) == ("Retouren", AssignmentMode.LEAST_OPEN)
    assert list(team.members.all()) == [agent]


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"name": "  "}, errors.TeamNameInvalid),
        ({"name": "x" * 81}, errors.TeamNameInvalid),
        ({"name": "RETOUREN"}, errors.TeamNameTaken),
        ({"name": "Nieuw", "assignment": "loting"}, errors.AssignmentModeInvalid),
    ],
)
def test_a_team_that_cannot_be_is_refused(
    shop: Shop, fields: dict[str, Any], error: type[Exception]
) -> None:
    # given
    services.team_create(shop=shop, name="Retouren")

    # then
    with pytest.raises(error):
        services.team_create(shop=shop, **fields)
