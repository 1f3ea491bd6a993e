"""The shop's settings pages for opening hours, closing days, contact options, teams and
agents (owners and admins)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from balie.inbox.models import ConversationStatus
from balie.inbox.tests.factories import ConversationFactory
from balie.tenancy.models import (
    AgentWorkingHours,
    AssignmentMode,
    BusinessHours,
    ClosingDay,
    ContactOption,
    Membership,
    Presence,
    Role,
    Shop,
    Team,
)
from balie.tenancy.tests.factories import (
    AgentWorkingHoursFactory,
    ContactOptionFactory,
    MembershipFactory,
    TeamFactory,
    office_hours,
)

pytestmark = pytest.mark.django_db

T = dt.time


@pytest.fixture
def admin_client(admin_agent: Membership) -> Client:
    client = Client()
    client.force_login(admin_agent.user)
    return client


@pytest.fixture
def owner(shop: Shop) -> Membership:
    return MembershipFactory(shop=shop, role=Role.OWNER, user__email="olga@pollepel.nl")


@pytest.fixture
def owner_client(owner: Membership) -> Client:
    client = Client()
    client.force_login(owner.user)
    return client


def hours_form(**overrides: str) -> dict[str, str]:
    data = {f"day_{day}": "9:00-17:00" for day in range(5)}
    data.update(
        day_5="",
        day_6="",
        time_zone="Europe/Amsterdam",
        holiday_country="NL",
        closed_on_public_holidays="on",
    )
    data.update(overrides)
    return data


NAMES = [
    "web:shop_settings:hours",
    "web:shop_settings:contact_options",
    "web:shop_settings:teams",
    "web:shop_settings:agents",
]


@pytest.mark.parametrize("role", [Role.AGENT, Role.VIEWER])
@pytest.mark.parametrize("name", NAMES)
def test_agents_and_viewers_may_not_open_these_pages(shop: Shop, role: Role, name: str) -> None:
    # given
    client = Client()
    client.force_login(MembershipFactory(shop=shop, role=role).user)

    # then
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", NAMES)
def test_each_page_renders_for_an_admin(admin_client: Client, name: str) -> None:
    assert admin_client.get(reverse(name)).status_code == 200


# --- Opening hours ----------------------------------------------------------------------------


def test_the_week_is_shown_as_typed_and_saved_with_several_periods_a_day(
    admin_client: Client, shop: Shop
) -> None:
    # given
    office_hours(shop)
    conversation = ConversationFactory(shop=shop)

    # when
    page = admin_client.get(reverse("web:shop_settings:hours")).content.decode()
    response = admin_client.post(
        reverse("web:shop_settings:hours"),
        hours_form(day_0="9:00-12:30, 13:00-17:00", day_5="10-14", time_zone="Europe/Brussels"),
    )

    # then
    assert 'value="9:00–17:00"' in page
    assert response.status_code == 302
    monday = BusinessHours.objects.for_shop(shop).filter(weekday=0).order_by("opens_at")
    assert [(row.opens_at, row.closes_at) for row in monday] == [
        (T(9), T(12, 30)),
        (T(13), T(17)),
    ]
    assert BusinessHours.objects.for_shop(shop).filter(weekday=5).exists()
    assert Shop.objects.get(pk=shop.pk).time_zone == "Europe/Brussels"
    conversation.refresh_from_db()
    assert conversation.sla_next_check_at is not None  # re-timed


def test_a_day_it_cannot_read_is_said_at_that_day(admin_client: Client, shop: Shop) -> None:
    # given
    office_hours(shop)

    # when
    response = admin_client.post(
        reverse("web:shop_settings:hours"),
        hours_form(day_2="9:00-13:00, 12:00-17:00", day_3="9 uur"),
    )

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_day_2_error"' in page
    assert "Deze tijdvakken overlappen elkaar." in page
    assert "“9 uur” is geen tijdvak." in page
    assert BusinessHours.objects.for_shop(shop).count() == 5


def test_the_page_shows_the_coming_public_holidays(admin_client: Client) -> None:
    # when
    page = admin_client.get(reverse("web:shop_settings:hours")).content.decode()

    # then: Koningsdag comes once a year, whatever today is
    assert "Koningsdag" in page


def test_closing_days_are_added_for_a_range_and_removed(admin_client: Client, shop: Shop) -> None:
    # given
    start = timezone.localdate() + dt.timedelta(days=30)

    # when
    added = admin_client.post(
        reverse("web:shop_settings:closing_days"),
        {
            "first": start.isoformat(),
            "last": (start + dt.timedelta(days=2)).isoformat(),
            "reason": "Verhuizing",
        },
    )
    page = admin_client.get(reverse("web:shop_settings:hours")).content.decode()
    first = ClosingDay.objects.for_shop(shop).order_by("date").first()
    assert first is not None
    removed = admin_client.post(
        reverse("web:shop_settings:closing_day_delete", kwargs={"closing_day_id": first.pk})
    )

    # then
    assert added.status_code == removed.status_code == 302
    assert "Verhuizing" in page
    assert ClosingDay.objects.for_shop(shop).count() == 2


def test_a_closing_range_backwards_is_said_at_the_field(admin_client: Client, shop: Shop) -> None:
    # when
    response = admin_client.post(
        reverse("web:shop_settings:closing_days"),
        {"first": "2030-05-02", "last": "2030-05-01", "reason": ""},
    )

    # then
    assert response.status_code == 200
    assert "De einddatum ligt voor de begindatum." in response.content.decode()
    assert not ClosingDay.objects.for_shop(shop).exists()


def test_another_shops_closing_day_is_not_found(admin_client: Client, other_shop: Shop) -> None:
    # given
    theirs = ClosingDay.objects.create(shop=other_shop, date=dt.date(2030, 1, 2))

    # when
    response = admin_client.post(
        reverse("web:shop_settings:closing_day_delete", kwargs={"closing_day_id": theirs.pk})
    )

    # then
    assert response.status_code == 404
    assert ClosingDay.objects.filter(pk=theirs.pk).exists()


# --- Contact options --------------------------------------------------------------------------


def test_contact_options_show_their_promise_and_are_added_and_changed(
    admin_client: Client, shop: Shop
) -> None:
    # given
    ContactOptionFactory(shop=shop, label="E-mail", response_minutes=240)

    # when
    page = admin_client.get(reverse("web:shop_settings:contact_options")).content.decode()
    added = admin_client.post(
        reverse("web:shop_settings:contact_options"),
        {
            "channel": "phone",
            "label": "Bel ons",
            "value": "020 123 4567",
            "response_minutes_0": "5",
            "response_minutes_1": "minutes",
            "business_hours_only": "on",
            "position": "",
            "is_active": "on",
        },
    )
    option = ContactOption.objects.for_shop(shop).get(label="Bel ons")
    changed = admin_client.post(
        reverse("web:shop_settings:contact_option_detail", kwargs={"contact_option_id": option.pk}),
        {
            "channel": "phone",
            "label": "Bel ons",
            "value": "020 123 4567",
            "response_minutes_0": "2",
            "response_minutes_1": "hours",
            "position": "0",
        },
    )

    # then
    assert "binnen 4 werkuren" in page
    assert added.status_code == changed.status_code == 302
    option.refresh_from_db()
    assert (option.response_minutes, option.business_hours_only, option.is_active) == (
        120,
        False,
        False,
    )


def test_a_contact_option_without_a_promise_is_said_at_the_field(admin_client: Client) -> None:
    # when
    response = admin_client.post(
        reverse("web:shop_settings:contact_options"),
        {
            "channel": "chat",
            "label": "Chat",
            "response_minutes_0": "0",
            "response_minutes_1": "minutes",
        },
    )

    # then
    assert response.status_code == 200
    assert 'id="id_response_minutes_error"' in response.content.decode()


def test_another_shops_contact_option_is_not_found(admin_client: Client, other_shop: Shop) -> None:
    # given
    theirs = ContactOptionFactory(shop=other_shop)

    # then
    url = reverse(
        "web:shop_settings:contact_option_detail", kwargs={"contact_option_id": theirs.pk}
    )
    assert admin_client.get(url).status_code == 404


# --- Teams ------------------------------------------------------------------------------------


def test_a_team_is_made_with_members_and_a_mode(
    admin_client: Client, shop: Shop, agent: Membership
) -> None:
    # when
    page = admin_client.get(reverse("web:shop_settings:teams")).content.decode()
    response = admin_client.post(
        reverse("web:shop_settings:teams"),
        {"name": "Retouren", "assignment": "round_robin", "members": [str(agent.pk)]},
    )

    # then
    assert "de beschikbare medewerker die het langst niets kreeg" in page
    assert response.status_code == 302
    team = Team.objects.for_shop(shop).get()
    assert (team.name, team.assignment) == ("Retouren", AssignmentMode.ROUND_ROBIN)
    assert list(team.members.all()) == [agent]


def test_a_taken_team_name_is_said_at_the_field(admin_client: Client, shop: Shop) -> None:
    # given
    TeamFactory(shop=shop, name="Retouren")

    # when
    response = admin_client.post(
        reverse("web:shop_settings:teams"), {"name": "retouren", "assignment": "manual"}
    )

    # then
    assert response.status_code == 200
    assert 'id="id_name_error"' in response.content.decode()


def test_an_agent_of_another_shop_cannot_join_a_team(
    admin_client: Client, shop: Shop, other_shop: Shop
) -> None:
    # given
    team = TeamFactory(shop=shop)
    stranger = MembershipFactory(shop=other_shop)

    # when
    response = admin_client.post(
        reverse("web:shop_settings:team_detail", kwargs={"team_id": team.pk}),
        {"name": team.name, "assignment": "manual", "members": [str(stranger.pk)]},
    )

    # then
    assert response.status_code == 200
    assert list(team.members.all()) == []


def test_deleting_a_team_moves_its_conversations(admin_client: Client, shop: Shop) -> None:
    # given
    retouren, service = (
        TeamFactory(shop=shop, name="Retouren"),
        TeamFactory(shop=shop, name="Service"),
    )
    conversation = ConversationFactory(shop=shop, team=retouren)

    # when
    page = admin_client.get(
        reverse("web:shop_settings:team_detail", kwargs={"team_id": retouren.pk})
    ).content.decode()
    response = admin_client.post(
        reverse("web:shop_settings:team_delete", kwargs={"team_id": retouren.pk}),
        {"move_to": str(service.pk)},
    )

    # then
    assert "Dit team heeft 1 open gesprek." in page
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.team == service
    assert not Team.objects.filter(pk=retouren.pk).exists()


def test_another_shops_team_is_not_found(admin_client: Client, other_shop: Shop) -> None:
    # given
    theirs = TeamFactory(shop=other_shop)

    # then
    for name in ("web:shop_settings:team_detail", "web:shop_settings:team_delete"):
        assert admin_client.post(reverse(name, kwargs={"team_id": theirs.pk})).status_code == 404
    assert Team.objects.filter(pk=theirs.pk).exists()


# --- Agents -----------------------------------------------------------------------------------


def test_the_agent_list_shows_role_presence_load_and_hours(
    admin_client: Client, shop: Shop, agent: Membership
) -> None:
    # given an agent online now with two open conversations and own hours
    agent.presence, agent.presence_seen_at = Presence.ONLINE, timezone.now()
    agent.max_open_conversations = 5
    agent.save()
    ConversationFactory(shop=shop, assignee=agent)
    ConversationFactory(shop=shop, assignee=agent, status=ConversationStatus.PENDING)
    ConversationFactory(shop=shop, assignee=agent, status=ConversationStatus.RESOLVED)
    AgentWorkingHoursFactory(membership=agent, weekday=0, starts_at=T(9), ends_at=T(13))

    # when
    page = admin_client.get(reverse("web:shop_settings:agents")).content.decode()

    # then
    assert "Beschikbaar" in page
    assert "2 open gesprekken van hoogstens 5" in page
    assert "ma 9:00–13:00" in page
    assert "werkt volgens de openingstijden" in page  # the admin has no hours of their own


def test_the_agent_list_costs_the_same_queries_for_many_agents(
    admin_client: Client, shop: Shop, django_assert_max_num_queries: Any
) -> None:
    # given
    team = TeamFactory(shop=shop)
    for _number in range(6):
        member = MembershipFactory(shop=shop)
        team.members.add(member)
        AgentWorkingHoursFactory(membership=member)

    # then
    with django_assert_max_num_queries(10):
        admin_client.get(reverse("web:shop_settings:agents"))


def test_capacity_and_working_hours_are_saved(
    admin_client: Client, shop: Shop, agent: Membership
) -> None:
    # when
    capacity = admin_client.post(
        reverse("web:shop_settings:agent_capacity", kwargs={"agent_id": agent.pk}),
        {"max_open_conversations": "8"},
    )
    hours = admin_client.post(
        reverse("web:shop_settings:agent_hours", kwargs={"agent_id": agent.pk}),
        {"day_0": "9-13", "day_2": "13:00-17:00, 18-20"},
    )

    # then
    assert capacity.status_code == hours.status_code == 302
    agent.refresh_from_db()
    assert agent.max_open_conversations == 8
    assert list(
        AgentWorkingHours.objects.for_shop(shop)
        .order_by("weekday", "starts_at")
        .values_list("weekday", "starts_at", "ends_at")
    ) == [(0, T(9), T(13)), (2, T(13), T(17)), (2, T(18), T(20))]


def test_a_capacity_out_of_range_is_said_at_the_field(
    admin_client: Client, agent: Membership
) -> None:
    # when
    response = admin_client.post(
        reverse("web:shop_settings:agent_capacity", kwargs={"agent_id": agent.pk}),
        {"max_open_conversations": "1000"},
    )

    # then
    assert response.status_code == 200
    assert 'id="id_max_open_conversations_error"' in response.content.decode()


def test_the_last_owner_cannot_demote_themselves(owner_client: Client, owner: Membership) -> None:
    # when
    response = owner_client.post(
        reverse("web:shop_settings:agent_role", kwargs={"agent_id": owner.pk}), {"role": "agent"}
    )

    # then
    assert response.status_code == 200
    assert "De winkel heeft altijd een eigenaar." in response.content.decode()
    assert Membership.objects.get(pk=owner.pk).role == Role.OWNER


def test_an_admin_is_not_offered_the_owner_role_and_cannot_post_it(
    admin_client: Client, agent: Membership, owner: Membership
) -> None:
    # when
    page = admin_client.get(
        reverse("web:shop_settings:agent_detail", kwargs={"agent_id": agent.pk})
    ).content.decode()
    response = admin_client.post(
        reverse("web:shop_settings:agent_role", kwargs={"agent_id": agent.pk}), {"role": "owner"}
    )
    owner_page = admin_client.get(
        reverse("web:shop_settings:agent_detail", kwargs={"agent_id": owner.pk})
    ).content.decode()

    # then
    assert 'value="owner"' not in page
    assert response.status_code == 200
    assert Membership.objects.get(pk=agent.pk).role == Role.AGENT
    assert "Alleen een eigenaar verandert de rol van een eigenaar." in owner_page


def test_an_admin_who_steps_down_goes_back_to_the_dashboard(
    admin_client: Client, admin_agent: Membership
) -> None:
    # when
    response = admin_client.post(
        reverse("web:shop_settings:agent_role", kwargs={"agent_id": admin_agent.pk}),
        {"role": "agent"},
    )

    # then
    assert response["Location"] == reverse("web:dashboard")
    assert admin_client.get(reverse("web:shop_settings:agents")).status_code == 403


def test_inviting_a_colleague(admin_client: Client, shop: Shop) -> None:
    # when
    response = admin_client.post(
        reverse("web:shop_settings:agents"),
        {"email": "bram@pollepel.nl", "full_name": "Bram Smit", "role": "agent"},
    )

    # then
    assert response.status_code == 302
    assert Membership.objects.for_shop(shop).filter(user__email="bram@pollepel.nl").exists()


def test_inviting_someone_twice_is_said_at_the_field(
    admin_client: Client, agent: Membership
) -> None:
    # when
    response = admin_client.post(
        reverse("web:shop_settings:agents"), {"email": agent.user.email, "role": "agent"}
    )

    # then
    assert response.status_code == 200
    assert "werkt al voor" in response.content.decode()


def test_another_shops_agent_is_not_found(admin_client: Client, other_shop: Shop) -> None:
    # given
    theirs = MembershipFactory(shop=other_shop)

    # then
    for name in (
        "web:shop_settings:agent_detail",
        "web:shop_settings:agent_role",
        "web:shop_settings:agent_capacity",
        "web:shop_settings:agent_hours",
    ):
        assert admin_client.post(reverse(name, kwargs={"agent_id": theirs.pk})).status_code == 404
