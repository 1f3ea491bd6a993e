"""Automatic assignment: team routing, round robin and least open, presence, working hours,
capacity, the waiting queue and its sweep, notifications, and two routings at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import zoneinfo
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from balie.channels import selectors as channel_selectors
from balie.channels.email import imap
from balie.channels.email import services as email_services
from balie.channels.models import Mailbox
from balie.core import scheduler
from balie.inbox import assignment, services
from balie.inbox.models import (
    Conversation,
    EventKind,
    InboxSettings,
    Notification,
    NotificationKind,
)
from balie.inbox.tests.factories import ConversationFactory, SlaPolicyFactory, inbound_email
from balie.tenancy.models import Membership, Presence, Role, Shop, Team
from balie.tenancy.tests.factories import (
    AgentWorkingHoursFactory,
    MembershipFactory,
    ShopFactory,
    TeamFactory,
    every_day_hours,
    office_hours,
)

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
# Monday 23 November 2026, 10:00 in Amsterdam: the shop is open.
NOW = dt.datetime(2026, 11, 23, 10, tzinfo=AMSTERDAM)


def online(
    shop: Shop, team: Team | None = None, *, now: dt.datetime = NOW, **fields: object
) -> Membership:
    """An agent with a tab open (seen 10 s ago), in `team`."""
    values: dict[str, object] = {
        "presence": Presence.ONLINE,
        "presence_seen_at": now - dt.timedelta(seconds=10),
    }
    values.update(fields)
    agent = MembershipFactory(shop=shop, **values)
    if team is not None:
        team.members.add(agent)
    return agent


def team_of(shop: Shop, mode: str = "round_robin") -> Team:
    return TeamFactory(shop=shop, assignment=mode)


def route(shop: Shop, conversation: Conversation | None = None, **kwargs: object) -> Conversation:
    conversation = conversation or ConversationFactory(shop=shop)
    services.conversation_route(shop=shop, conversation=conversation, now=NOW, **kwargs)  # type: ignore[arg-type]
    return Conversation.objects.get(pk=conversation.pk)


@pytest.fixture
def office(shop: Shop) -> Shop:
    office_hours(shop)
    return shop


# --- the team ------------------------------------------------------------------------------


def test_a_new_conversation_goes_to_the_team_its_channel_names(office: Shop) -> None:
    # given
    returns = TeamFactory(shop=office, name="Retouren")
    InboxSettings.objects.create(shop=office, default_team=TeamFactory(shop=office))

    # when
    routed = route(office, team_id=returns.pk)

    # then
    assert routed.team == returns
    assert routed.assignee is None
    event = routed.events.get()
    assert (event.kind, event.data) == (
        EventKind.TEAM_CHANGED,
        {"old": None, "new": returns.pk, "reason": "routing"},
    )


def test_without_a_channel_team_the_shops_default_team_takes_it(office: Shop) -> None:
    default = TeamFactory(shop=office)
    InboxSettings.objects.create(shop=office, default_team=default)
    assert route(office).team == default


def test_another_shops_team_is_ignored_for_the_default(office: Shop, other_shop: Shop) -> None:
    default = TeamFactory(shop=office)
    InboxSettings.objects.create(shop=office, default_team=default)
    assert route(office, team_id=TeamFactory(shop=other_shop).pk).team == default


def test_without_any_team_nothing_changes(office: Shop) -> None:
    routed = route(office)
    assert (routed.team, routed.assignee) == (None, None)
    assert not routed.events.exists()


def test_a_manual_team_leaves_the_conversation_for_its_agents_to_take(office: Shop) -> None:
    team = team_of(office, "manual")
    online(office, team)
    routed = route(office, team_id=team.pk)
    assert (routed.team, routed.assignee) == (team, None)


def test_a_conversation_keeps_the_team_it_has(office: Shop) -> None:
    team = team_of(office, "manual")
    conversation = ConversationFactory(shop=office, team=team)
    assert route(office, conversation, team_id=TeamFactory(shop=office).pk).team == team


# --- who gets it ---------------------------------------------------------------------------


def test_round_robin_gives_it_to_who_waited_longest_never_assigned_first(office: Shop) -> None:
    # given
    team = team_of(office, "round_robin")
    recent = online(office, team, last_assigned_at=NOW - dt.timedelta(minutes=5))
    never = online(office, team, last_assigned_at=None)
    earlier = online(office, team, last_assigned_at=NOW - dt.timedelta(hours=1))

    # when four conversations arrive, a minute apart
    assignees = []
    for minute in range(4):
        moment = NOW + dt.timedelta(minutes=minute)
        Membership.objects.filter(teams=team).update(presence_seen_at=moment)  # their tabs ping
        conversation = ConversationFactory(shop=office)
        services.conversation_route(
            shop=office, conversation=conversation, now=moment, team_id=team.pk
        )
        assignees.append(Conversation.objects.get(pk=conversation.pk).assignee)

    # then each in turn, and the first again
    assert assignees == [never, earlier, recent, never]


def test_round_robin_breaks_ties_by_id(office: Shop) -> None:
    team = team_of(office, "round_robin")
    first, _second = online(office, team), online(office, team)
    assert route(office, team_id=team.pk).assignee == first


def test_least_open_gives_it_to_the_least_busy_agent(office: Shop) -> None:
    # given Anouk has two active conversations, Bram one and three resolved ones
    team = team_of(office, "least_open")
    anouk = online(office, team, last_assigned_at=None)
    bram = online(office, team, last_assigned_at=NOW - dt.timedelta(minutes=1))
    ConversationFactory.create_batch(2, shop=office, assignee=anouk, status="open")
    ConversationFactory(shop=office, assignee=bram, status="snoozed")
    ConversationFactory.create_batch(3, shop=office, assignee=bram, status="resolved")

    # when
    assert route(office, team_id=team.pk).assignee == bram


def test_least_open_breaks_ties_by_who_waited_longest(office: Shop) -> None:
    team = team_of(office, "least_open")
    online(office, team, last_assigned_at=NOW - dt.timedelta(minutes=1))
    waited = online(office, team, last_assigned_at=NOW - dt.timedelta(hours=2))
    assert route(office, team_id=team.pk).assignee == waited


@pytest.mark.parametrize(
    "fields",
    [
        {"presence": Presence.AWAY},
        {"presence": Presence.OFFLINE},
        {"presence_seen_at": NOW - dt.timedelta(seconds=91)},  # the tab is gone
        {"presence_seen_at": None},
        {"is_active": False},
        {"role": Role.VIEWER},
        {"user__is_active": False},
        {"max_open_conversations": 0},
    ],
    ids=["away", "offline", "not-seen", "never-seen", "deactivated", "viewer", "user-off", "max-0"],
)
def test_only_available_agents_get_conversations(office: Shop, fields: dict[str, object]) -> None:
    # given the only agent of the team cannot take one
    team = team_of(office)
    online(office, team, **fields)

    # when
    routed = route(office, team_id=team.pk)

    # then it waits unassigned in the team's queue
    assert (routed.team, routed.assignee) == (team, None)


def test_an_agent_outside_the_team_gets_nothing(office: Shop) -> None:
    team = team_of(office)
    online(office)
    assert route(office, team_id=team.pk).assignee is None


def test_an_agent_at_their_maximum_is_passed_over(office: Shop) -> None:
    # given Anouk at her maximum of two (open and pending count, resolved does not)
    team = team_of(office, "round_robin")
    anouk = online(office, team, max_open_conversations=2, last_assigned_at=None)
    bram = online(office, team, last_assigned_at=NOW)
    ConversationFactory(shop=office, assignee=anouk, status="open")
    ConversationFactory(shop=office, assignee=anouk, status="pending")
    ConversationFactory(shop=office, assignee=anouk, status="closed")

    # when / then
    assert route(office, team_id=team.pk).assignee == bram


def test_agents_get_conversations_within_their_own_working_hours(office: Shop) -> None:
    # given Anouk works Monday afternoons only; Bram follows the shop's hours
    team = team_of(office, "round_robin")
    anouk = online(office, team, last_assigned_at=None)
    AgentWorkingHoursFactory(
        membership=anouk, weekday=0, starts_at=dt.time(13), ends_at=dt.time(17)
    )
    bram = online(office, team, last_assigned_at=NOW)

    # when / then: at 10:00 Bram, at 14:00 Anouk
    assert route(office, team_id=team.pk).assignee == bram
    later = NOW.replace(hour=14)
    for agent in (anouk, bram):
        Membership.objects.filter(pk=agent.pk).update(presence_seen_at=later)
    conversation = ConversationFactory(shop=office)
    services.conversation_route(shop=office, conversation=conversation, now=later, team_id=team.pk)
    assert Conversation.objects.get(pk=conversation.pk).assignee == anouk


def test_nobody_works_on_koningsdag_whatever_their_own_hours(office: Shop) -> None:
    # given Monday 27 April 2026, 10:00, and an agent who works Mondays
    koningsdag = dt.datetime(2026, 4, 27, 10, tzinfo=AMSTERDAM)
    team = team_of(office)
    agent = online(office, team, now=koningsdag)
    AgentWorkingHoursFactory(membership=agent, weekday=0)

    # when
    conversation = ConversationFactory(shop=office)
    services.conversation_route(
        shop=office, conversation=conversation, now=koningsdag, team_id=team.pk
    )

    # then
    assert Conversation.objects.get(pk=conversation.pk).assignee is None


def test_automatic_assignment_is_recorded_and_tells_the_agent(office: Shop) -> None:
    # given
    team = team_of(office)
    agent = online(office, team)

    # when
    routed = route(office, team_id=team.pk)

    # then
    assert routed.assignee == agent
    assigned = routed.events.get(kind=EventKind.ASSIGNED)
    assert (assigned.actor, assigned.data) == (
        None,
        {"old": None, "new": agent.pk, "reason": "round_robin"},
    )
    notification = Notification.objects.get()
    assert (notification.kind, notification.recipient, notification.actor) == (
        NotificationKind.ASSIGNED,
        agent,
        None,
    )
    agent.refresh_from_db()
    assert agent.last_assigned_at == NOW


def test_routing_costs_a_bounded_number_of_queries(
    office: Shop, django_assert_num_queries: object
) -> None:
    # given
    team = team_of(office)
    online(office, team)
    online(office, team)
    conversation = ConversationFactory(shop=office)

    # when / then: team, locked candidates, their working hours, business hours, closing
    # days, their conversations, the update, events, last_assigned_at, notification
    with django_assert_num_queries(10):  # type: ignore[operator]
        services.conversation_route(
            shop=office, conversation=conversation, now=NOW, team_id=team.pk
        )


# --- the waiting queue ---------------------------------------------------------------------


def test_waiting_conversations_go_out_oldest_first_when_an_agent_comes_online(
    office: Shop,
) -> None:
    # given two conversations waiting because nobody is online
    team = team_of(office)
    older = route(office, team_id=team.pk)
    newer = route(office, team_id=team.pk)
    Conversation.objects.filter(pk=older.pk).update(created_at=NOW - dt.timedelta(hours=1))
    assert older.assignee is None

    # when an agent with room for one comes online and the sweep runs
    agent = online(office, team, max_open_conversations=1)
    assigned = services.conversations_assign_waiting(now=NOW)

    # then the older one is theirs; the newer one waits on
    assert assigned == 1
    assert Conversation.objects.get(pk=older.pk).assignee == agent
    assert Conversation.objects.get(pk=newer.pk).assignee is None
    assert Notification.objects.get().recipient == agent


def test_the_sweep_takes_turns_between_agents(office: Shop) -> None:
    # given four waiting conversations
    team = team_of(office, "round_robin")
    waiting = [route(office, team_id=team.pk) for _ in range(4)]
    anouk, bram = online(office, team), online(office, team)

    # when
    services.conversations_assign_waiting(now=NOW)

    # then
    assignees = [Conversation.objects.get(pk=c.pk).assignee for c in waiting]
    assert assignees == [anouk, bram, anouk, bram]
    assert {a.last_assigned_at for a in Membership.objects.filter(pk__in=[anouk.pk, bram.pk])} == {
        NOW
    }


def test_the_sweep_leaves_manual_teams_pending_and_assigned_conversations_alone(
    office: Shop,
) -> None:
    # given
    manual = team_of(office, "manual")
    automatic = team_of(office, "least_open")
    agent = online(office, automatic)
    online(office, manual)
    colleague = MembershipFactory(shop=office)
    untouched = [
        ConversationFactory(shop=office, team=manual),
        ConversationFactory(shop=office, team=automatic, status="pending"),
        ConversationFactory(shop=office, team=automatic, status="resolved"),
        ConversationFactory(shop=office, team=automatic, assignee=colleague),
    ]
    waiting = ConversationFactory(shop=office, team=automatic)

    # when
    assert services.conversations_assign_waiting(now=NOW) == 1

    # then
    assert Conversation.objects.get(pk=waiting.pk).assignee == agent
    assert [Conversation.objects.get(pk=c.pk).assignee for c in untouched] == [
        None,
        None,
        None,
        colleague,
    ]


def test_the_assignment_sweep_is_a_periodic_task(
    office: Shop, run_tasks: Callable[[], int]
) -> None:
    jobs = {job.name: job for job in scheduler.registered_jobs()}
    job = jobs["balie.inbox.tasks.conversations_assign_waiting"]
    assert job.every == dt.timedelta(minutes=1)
    assert job.task.queue_name == "scheduled"
    scheduler.enqueue_due_jobs(jobs=[job], now=NOW)
    assert run_tasks() == 1


# --- manual assignment ---------------------------------------------------------------------


def test_manual_assignment_tells_the_new_assignee_and_counts_as_their_turn(
    office: Shop, agent: Membership
) -> None:
    # given
    colleague = MembershipFactory(shop=office)
    conversation = ConversationFactory(shop=office)

    # when
    services.conversation_assign(
        shop=office, conversation=conversation, assignee=colleague, actor=agent
    )

    # then
    notification = Notification.objects.get()
    assert (notification.kind, notification.recipient, notification.actor) == (
        NotificationKind.ASSIGNED,
        colleague,
        agent,
    )
    colleague.refresh_from_db()
    assert colleague.last_assigned_at is not None


def test_taking_a_conversation_yourself_tells_nobody(office: Shop, agent: Membership) -> None:
    conversation = ConversationFactory(shop=office)
    services.conversation_assign(
        shop=office, conversation=conversation, assignee=agent, actor=agent
    )
    assert not Notification.objects.exists()
    agent.refresh_from_db()
    assert agent.last_assigned_at is not None


def test_unassigning_tells_nobody(office: Shop, agent: Membership) -> None:
    conversation = ConversationFactory(shop=office, assignee=MembershipFactory(shop=office))
    services.conversation_assign(shop=office, conversation=conversation, assignee=None, actor=agent)
    assert not Notification.objects.exists()


# --- wired into the intake and the status service --------------------------------------------


@pytest.fixture
def always_open(shop: Shop) -> Shop:
    """Open around the clock, so tests that run at the wall-clock time find agents working."""
    every_day_hours(shop, opens=dt.time(0), closes=dt.time(23, 59, 59, 999999))
    return shop


def test_a_new_email_is_routed_on_arrival(always_open: Shop) -> None:
    # given
    team = team_of(always_open)
    InboxSettings.objects.create(shop=always_open, default_team=team)
    agent = online(always_open, team, now=timezone.now())

    # when
    result = services.message_receive(shop=always_open, inbound=inbound_email())

    # then
    stored = Conversation.objects.get(pk=result.conversation.pk)
    assert (stored.team, stored.assignee) == (team, agent)
    assert [e.kind for e in stored.events.all()] == [
        EventKind.CREATED,
        EventKind.MESSAGE_RECEIVED,
        EventKind.TEAM_CHANGED,
        EventKind.ASSIGNED,
    ]


def test_an_email_to_a_mailbox_with_a_team_lands_in_that_team(always_open: Shop) -> None:
    # given a mailbox whose conversations go to the returns team
    returns = team_of(always_open, "manual")
    mailbox = Mailbox.objects.create(
        shop=always_open,
        name="Retouren",
        email_address="retour@pollepel.nl",
        imap_host="127.0.0.1",
        imap_username="retour",
        imap_password="geheim",
        team=returns,
    )
    raw = (
        b"From: Jan <jan@example.nl>\r\nTo: retour@pollepel.nl\r\nSubject: Retour\r\n"
        b"Message-ID: <retour-1@example.nl>\r\n\r\nIk wil dit terugsturen.\r\n"
    )

    # when the poller stores it
    result = email_services.PollResult()
    email_services._store(
        mailbox,
        imap.FetchedMessage(uid=1, raw=raw),
        result,
        own_addresses=channel_selectors.shop_addresses(shop=always_open),
    )

    # then
    assert result.received == 1
    assert Conversation.objects.get().team == returns


def test_a_customers_reply_to_a_deactivated_agents_conversation_routes_it_again(
    always_open: Shop,
) -> None:
    # given a resolved conversation of an agent who left
    team = team_of(always_open)
    InboxSettings.objects.create(shop=always_open, default_team=team)
    leaver = online(always_open, team, now=timezone.now())
    first = services.message_receive(
        shop=always_open, inbound=inbound_email(external_id="<v1@x.nl>")
    )
    services.conversation_set_status(
        shop=always_open, conversation=first.conversation, status="resolved", actor=None
    )
    Membership.objects.filter(pk=leaver.pk).update(is_active=False)
    successor = online(always_open, team, now=timezone.now())

    # when the customer writes again
    services.message_receive(
        shop=always_open, inbound=inbound_email(external_id="<v2@x.nl>", in_reply_to="<v1@x.nl>")
    )

    # then
    stored = Conversation.objects.get(pk=first.conversation.pk)
    assert stored.assignee == successor
    assert list(stored.events.filter(kind=EventKind.ASSIGNED).values_list("data", flat=True)) == [
        {"old": None, "new": leaver.pk, "reason": "round_robin"},
        {"old": leaver.pk, "new": None, "reason": "assignee_deactivated"},
        {"old": None, "new": successor.pk, "reason": "round_robin"},
    ]


def test_reopening_keeps_an_active_assignee(always_open: Shop, agent: Membership) -> None:
    team = team_of(always_open)
    online(always_open, team, now=timezone.now())
    conversation = ConversationFactory(
        shop=always_open, team=team, assignee=agent, status="resolved"
    )
    services.conversation_set_status(
        shop=always_open, conversation=conversation, status="open", actor=agent
    )
    assert Conversation.objects.get(pk=conversation.pk).assignee == agent


def test_an_agent_reopening_a_deactivated_agents_conversation_routes_it_again(
    always_open: Shop, agent: Membership
) -> None:
    team = team_of(always_open, "manual")
    leaver = MembershipFactory(shop=always_open, is_active=False)
    conversation = ConversationFactory(
        shop=always_open, team=team, assignee=leaver, status="closed"
    )
    reopened = services.conversation_set_status(
        shop=always_open, conversation=conversation, status="open", actor=agent
    )
    assert reopened.assignee is None
    assert Conversation.objects.get(pk=conversation.pk).assignee is None


# --- the pure choice -----------------------------------------------------------------------


def test_the_choice_refuses_a_manual_mode() -> None:
    with pytest.raises(ValueError, match="manual"):
        assignment.choose([], mode="manual")


def test_nobody_with_room_is_no_choice() -> None:
    full = assignment.Candidate(
        membership_id=1, last_assigned_at=None, active_conversations=3, max_open_conversations=3
    )
    assert assignment.choose([full], mode="least_open") is None
    assert assignment.choose(
        [dataclasses.replace(full, max_open_conversations=None)], mode="least_open"
    )


# --- two routings at once (PostgreSQL row locks) -------------------------------------------

only_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="row locks are PostgreSQL's; SQLite has one write lock, which a transaction that "
    "routes already holds (IMMEDIATE transactions), so routings cannot interleave there",
)


def _blocked_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def _route_concurrently(shop: Shop, team: Team) -> tuple[Conversation, Conversation]:
    """Route two conversations: the first holds its transaction open until the second is
    seen waiting for a lock (or has finished without waiting, as it would without locks)."""
    first, second = ConversationFactory(shop=shop), ConversationFactory(shop=shop)
    routed_first, release_first = threading.Event(), threading.Event()

    def route_first() -> None:
        try:
            with transaction.atomic():
                locked = Conversation.objects.select_for_update().get(pk=first.pk)
                services.conversation_route(
                    shop=shop, conversation=locked, now=NOW, team_id=team.pk
                )
                routed_first.set()
                release_first.wait(timeout=30)
        finally:
            connection.close()

    def route_second() -> None:
        try:
            routed_first.wait(timeout=30)
            with transaction.atomic():
                locked = Conversation.objects.select_for_update().get(pk=second.pk)
                services.conversation_route(
                    shop=shop, conversation=locked, now=NOW, team_id=team.pk
                )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        done_first = pool.submit(route_first)
        done_second = pool.submit(route_second)
        routed_first.wait(timeout=30)
        deadline = threading.Event()
        for _attempt in range(600):
            if done_second.done() or _blocked_on_a_lock():
                break
            deadline.wait(0.05)
        release_first.set()
        done_first.result(timeout=30)
        done_second.result(timeout=30)
    return Conversation.objects.get(pk=first.pk), Conversation.objects.get(pk=second.pk)


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_two_routings_at_once_do_not_pick_the_same_next_agent() -> None:
    # given Anouk's turn is next, then Bram's
    shop = ShopFactory()
    office_hours(shop)
    team = team_of(shop, "round_robin")
    anouk = online(shop, team, last_assigned_at=NOW - dt.timedelta(hours=2))
    bram = online(shop, team, last_assigned_at=NOW - dt.timedelta(hours=1))

    # when two conversations are routed at the same moment
    first, second = _route_concurrently(shop, team)

    # then the second waited for the first and took the next turn
    assert (first.assignee_id, second.assignee_id) == (anouk.pk, bram.pk)


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_two_routings_at_once_do_not_exceed_an_agents_maximum() -> None:
    # given one agent with room for one more conversation
    shop = ShopFactory()
    office_hours(shop)
    team = team_of(shop, "least_open")
    anouk = online(shop, team, max_open_conversations=2)
    ConversationFactory(shop=shop, assignee=anouk)

    # when two conversations are routed at the same moment
    first, second = _route_concurrently(shop, team)

    # then one is hers and the other waits in the queue
    assert (first.assignee_id, second.assignee_id) == (anouk.pk, None)
    assert Conversation.objects.filter(assignee=anouk, status="open").count() == 2


def test_a_new_email_with_routing_and_sla_costs_a_bounded_number_of_queries(
    always_open: Shop, django_assert_max_num_queries: object
) -> None:
    # given a shop with an SLA policy and a round-robin default team with two agents online
    SlaPolicyFactory(shop=always_open)
    team = team_of(always_open)
    InboxSettings.objects.create(shop=always_open, default_team=team)
    online(always_open, team, now=timezone.now())
    online(always_open, team, now=timezone.now())

    # when / then: the intake of a new customer's email (16), its search document (2), routing
    # (10: see above) and the SLA clocks (5: policies, business hours, closing days, history,
    # update)
    with django_assert_max_num_queries(33):  # type: ignore[operator]
        result = services.message_receive(shop=always_open, inbound=inbound_email())
    assert result.conversation.assignee is not None
    assert result.conversation.sla_due_at is not None
