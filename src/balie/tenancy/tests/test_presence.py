"""Presence (chosen, and proven by a connected tab) and working hours of agents."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from balie.tenancy import errors, presence
from balie.tenancy.models import AgentWorkingHours, ClosingDay, Membership, Presence, Role, Shop
from balie.tenancy.tests.factories import (
    AgentWorkingHoursFactory,
    MembershipFactory,
    TeamFactory,
    office_hours,
)
from balie.web.realtime import shop_group

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
# Monday 23 November 2026, 10:00 in Amsterdam.
NOW = dt.datetime(2026, 11, 23, 10, tzinfo=AMSTERDAM)
SECOND = dt.timedelta(seconds=1)


def listen(shop: Shop) -> str:
    layer = get_channel_layer()
    channel: str = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(shop_group(shop.pk), channel)
    return channel


def heard(channel: str) -> dict[str, object]:
    payload: dict[str, object] = async_to_sync(get_channel_layer().receive)(channel)["payload"]
    return payload


# --- presence ------------------------------------------------------------------------------


def test_an_agent_counts_as_online_only_while_a_tab_is_seen(agent: Membership) -> None:
    # given
    presence.membership_presence_set(membership=agent, presence="online", now=NOW)

    # then
    assert presence.presence_effective(membership=agent, now=NOW + 90 * SECOND) == Presence.ONLINE
    assert presence.presence_effective(membership=agent, now=NOW + 91 * SECOND) == (
        Presence.OFFLINE
    )


def test_away_shows_as_away_while_seen_and_offline_after(agent: Membership) -> None:
    presence.membership_presence_set(membership=agent, presence="online", now=NOW)
    presence.membership_presence_set(membership=agent, presence="away", now=NOW + SECOND)
    assert presence.presence_effective(membership=agent, now=NOW + 2 * SECOND) == Presence.AWAY
    assert presence.presence_effective(membership=agent, now=NOW + 95 * SECOND) == (
        Presence.OFFLINE
    )


def test_an_agent_never_seen_is_offline_whatever_they_chose(agent: Membership) -> None:
    Membership.objects.filter(pk=agent.pk).update(presence=Presence.ONLINE)
    agent.refresh_from_db()
    assert presence.presence_effective(membership=agent, now=NOW) == Presence.OFFLINE


def test_an_unknown_presence_is_refused(agent: Membership) -> None:
    with pytest.raises(errors.PresenceInvalid) as raised:
        presence.membership_presence_set(membership=agent, presence="busy", now=NOW)
    assert raised.value.field == "presence"
    agent.refresh_from_db()
    assert agent.presence == Presence.OFFLINE


def test_colleagues_hear_a_presence_change_after_commit(
    shop: Shop, agent: Membership, django_capture_on_commit_callbacks: object
) -> None:
    # given
    channel = listen(shop)

    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # type: ignore[operator]
        presence.membership_presence_set(membership=agent, presence="online", now=NOW)
        presence.membership_presence_set(membership=agent, presence="online", now=NOW + SECOND)

    # then once: choosing the same again tells nobody
    assert len(callbacks) == 1
    assert heard(channel) == {
        "type": "presence.changed",
        "membership_id": agent.pk,
        "presence": "online",
    }
    agent.refresh_from_db()
    assert (agent.presence, agent.presence_seen_at) == (Presence.ONLINE, NOW + SECOND)


def test_a_ping_renews_the_seen_moment_at_most_every_thirty_seconds(
    agent: Membership, django_assert_num_queries: object
) -> None:
    # given
    presence.membership_presence_set(membership=agent, presence="online", now=NOW)

    # when tabs ping every ten seconds for a minute: one query each
    written = []
    for seconds in range(10, 70, 10):
        with django_assert_num_queries(1):  # type: ignore[operator]
            written.append(presence.membership_seen(membership=agent, now=NOW + seconds * SECOND))

    # then the row was written once: at 40 s, the first ping more than 30 s after the last write
    assert written == [False, False, False, True, False, False]
    agent.refresh_from_db()
    assert agent.presence_seen_at == NOW + 40 * SECOND


def test_many_tabs_of_one_agent_write_once(agent: Membership) -> None:
    # given three tabs, each with its own copy of the membership
    tabs = [Membership.objects.get(pk=agent.pk) for _ in range(3)]
    first = NOW

    # when all ping at once
    written = [presence.membership_seen(membership=tab, now=first) for tab in tabs]

    # then
    assert written == [True, False, False]


def test_an_online_agent_coming_back_is_announced(
    shop: Shop, agent: Membership, django_capture_on_commit_callbacks: object
) -> None:
    # given an online agent whose laptop slept for five minutes
    presence.membership_presence_set(membership=agent, presence="online", now=NOW)
    channel = listen(shop)

    # when the tab pings again
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        presence.membership_seen(membership=agent, now=NOW + 300 * SECOND)

    # then
    assert heard(channel)["presence"] == "online"


def test_a_deactivated_agent_is_not_renewed(agent: Membership) -> None:
    Membership.objects.filter(pk=agent.pk).update(is_active=False)
    assert not presence.membership_seen(membership=agent, now=NOW)


# --- availability --------------------------------------------------------------------------


def online(shop: Shop, **fields: object) -> Membership:
    values: dict[str, object] = {"presence": Presence.ONLINE, "presence_seen_at": NOW - SECOND}
    values.update(fields)
    return MembershipFactory(shop=shop, **values)


def test_available_agents_are_online_answering_and_at_work(shop: Shop, other_shop: Shop) -> None:
    # given
    office_hours(shop)
    anouk = online(shop)
    bram = online(shop, role=Role.ADMIN)
    online(shop, role=Role.VIEWER)
    online(shop, presence=Presence.AWAY)
    online(shop, presence_seen_at=NOW - 120 * SECOND)
    online(shop, is_active=False)
    online(other_shop)
    afternoon = online(shop)
    AgentWorkingHoursFactory(membership=afternoon, weekday=0, starts_at=dt.time(13))

    # when / then
    assert presence.agents_available(shop=shop, now=NOW) == [anouk, bram]


def test_available_agents_of_a_team(shop: Shop) -> None:
    office_hours(shop)
    team = TeamFactory(shop=shop)
    member = online(shop)
    online(shop)
    team.members.add(member)
    assert presence.agents_available(shop=shop, team=team, now=NOW) == [member]


def test_nobody_is_available_on_a_closing_day(shop: Shop) -> None:
    office_hours(shop)
    ClosingDay.objects.create(shop=shop, date=NOW.date(), reason="Personeelsuitje")
    online(shop)
    own_hours = online(shop)
    AgentWorkingHoursFactory(membership=own_hours, weekday=0)
    assert presence.agents_available(shop=shop, now=NOW) == []


def test_an_agent_working_the_weekend_is_available_when_the_shop_is_closed(shop: Shop) -> None:
    # given Saturday 28 November, 11:00
    office_hours(shop)
    saturday = dt.datetime(2026, 11, 28, 11, tzinfo=AMSTERDAM)
    weekend = online(shop, presence_seen_at=saturday)
    online(shop, presence_seen_at=saturday)
    AgentWorkingHoursFactory(membership=weekend, weekday=5, starts_at=dt.time(10))
    assert presence.agents_available(shop=shop, now=saturday) == [weekend]


def test_availability_costs_four_queries(shop: Shop, django_assert_num_queries: object) -> None:
    office_hours(shop)
    for _ in range(5):
        online(shop)
    # agents, their working hours, the shop's hours and closing days
    with django_assert_num_queries(4):  # type: ignore[operator]
        assert len(presence.agents_available(shop=shop, now=NOW)) == 5


# --- working hours -------------------------------------------------------------------------


def test_working_hours_are_replaced_as_a_set(shop: Shop, agent: Membership) -> None:
    # given
    AgentWorkingHoursFactory(membership=agent, weekday=4)

    # when
    presence.agent_working_hours_set(
        shop=shop,
        membership=agent,
        periods=[
            (1, dt.time(13), dt.time(17)),
            (0, dt.time(12, 30), dt.time(17)),
            (0, dt.time(8), dt.time(12, 30)),
        ],
    )

    # then
    assert list(
        presence.agent_working_hours_list(shop=shop, membership=agent).values_list(
            "weekday", "starts_at", "ends_at"
        )
    ) == [
        (0, dt.time(8), dt.time(12, 30)),
        (0, dt.time(12, 30), dt.time(17)),
        (1, dt.time(13), dt.time(17)),
    ]


def test_no_working_hours_means_the_shops_hours(shop: Shop, agent: Membership) -> None:
    AgentWorkingHoursFactory(membership=agent)
    presence.agent_working_hours_set(shop=shop, membership=agent, periods=[])
    assert not AgentWorkingHours.objects.exists()


@pytest.mark.parametrize(
    "periods",
    [
        [(0, dt.time(17), dt.time(9))],  # ends before it starts
        [(0, dt.time(9), dt.time(9))],  # empty
        [(0, dt.time(9), dt.time(13)), (0, dt.time(12), dt.time(17))],  # overlap
        [(0, dt.time(9), dt.time(17)), (0, dt.time(10), dt.time(11))],  # inside another
        [(7, dt.time(9), dt.time(17))],  # no such day
        [(-1, dt.time(9), dt.time(17))],
        [(0, "09:00", dt.time(17))],
        [(0, dt.time(9), dt.time(17, tzinfo=dt.UTC))],
        [(day % 7, dt.time(h), dt.time(h, 30)) for day in range(7) for h in range(7)],
    ],
    ids=["reversed", "empty", "overlap", "inside", "day-7", "day-minus", "text", "aware", "many"],
)
def test_invalid_working_hours_are_refused_and_nothing_changes(
    shop: Shop, agent: Membership, periods: list[presence.Period]
) -> None:
    # given
    AgentWorkingHoursFactory(membership=agent)

    # when / then
    with pytest.raises(errors.WorkingHoursInvalid) as raised:
        presence.agent_working_hours_set(shop=shop, membership=agent, periods=periods)
    assert raised.value.field == "periods"
    assert AgentWorkingHours.objects.count() == 1


def test_another_shops_agent_is_refused(shop: Shop, other_shop: Shop) -> None:
    stranger = MembershipFactory(shop=other_shop)
    with pytest.raises(ValueError, match="another shop"):
        presence.agent_working_hours_set(shop=shop, membership=stranger, periods=[])
