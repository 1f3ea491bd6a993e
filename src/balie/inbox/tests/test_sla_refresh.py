"""conversation_sla_refresh: the SLA clocks stored on a conversation, and what they raise."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.utils import timezone

from balie.inbox import services
from balie.inbox.models import (
    Conversation,
    ConversationEvent,
    EventKind,
    Notification,
    NotificationKind,
    SlaState,
)
from balie.inbox.services import sla as sla_services
from balie.inbox.tests.factories import (
    SlaPolicyFactory,
    conversation_created_at,
    inbound_email,
    status_changed_at,
)
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.models import Membership, Role, Shop
from balie.tenancy.tests.factories import MembershipFactory, TeamFactory, office_hours
from balie.web.realtime import shop_group

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in November 2026 in Amsterdam: Friday the 20th, Monday 23rd … Friday 27th."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=AMSTERDAM)


@pytest.fixture
def office(shop: Shop) -> Shop:
    """The shop open Monday to Friday 9–17 with a one-hour, four-hour policy."""
    office_hours(shop)
    SlaPolicyFactory(shop=shop, name="Standaard", first_response_minutes=60, resolution_minutes=240)
    return shop


def utc(moment: dt.datetime) -> str:
    """A deadline as events record it."""
    return moment.astimezone(dt.UTC).isoformat()


def refreshed(conversation: Conversation, now: dt.datetime) -> Conversation:
    services.conversation_sla_refresh(conversation=conversation, now=now)
    return Conversation.objects.get(pk=conversation.pk)


def sla_events(conversation: Conversation) -> list[tuple[str, str, str]]:
    return [
        (event.kind, event.data["clock"], event.data["due_at"])
        for event in conversation.events.filter(
            kind__in=[EventKind.SLA_WARNING, EventKind.SLA_BREACHED]
        )
    ]


def test_a_question_on_friday_afternoon_is_due_on_monday_morning(office: Shop) -> None:
    # given a question on Friday at 16:55
    conversation = conversation_created_at(at(11, 20, 16, 55), shop=office)

    # when the clocks are computed a minute later
    stored = refreshed(conversation, at(11, 20, 16, 56))

    # then 5 minutes count on Friday, the rest on Monday
    assert stored.first_response_due_at == at(11, 23, 9, 55)
    assert stored.resolution_due_at == at(11, 23, 12, 55)
    assert stored.sla_first_response_state == SlaState.RUNNING
    assert stored.sla_resolution_state == SlaState.RUNNING
    assert stored.sla_due_at == at(11, 23, 9, 55)
    # and the next look is when the first warning starts (30 working minutes before)
    assert stored.sla_next_check_at == at(11, 23, 9, 25)


def test_without_a_policy_the_clocks_are_cleared(
    shop: Shop, django_assert_num_queries: object
) -> None:
    # given a conversation with clocks of a policy that no longer exists
    office_hours(shop)
    conversation = conversation_created_at(
        at(11, 23, 9),
        shop=shop,
        first_response_due_at=at(11, 23, 10),
        sla_first_response_state=SlaState.RUNNING,
        sla_due_at=at(11, 23, 10),
        sla_next_check_at=at(11, 23, 9, 30),
    )

    # when: one query for the policies, one to clear
    with django_assert_num_queries(2):  # type: ignore[operator]
        result = services.conversation_sla_refresh(conversation=conversation, now=at(11, 23, 9, 5))

    # then
    assert result is None
    stored = Conversation.objects.get(pk=conversation.pk)
    assert stored.first_response_due_at is None
    assert stored.sla_first_response_state == SlaState.NONE
    assert stored.sla_due_at is None
    assert stored.sla_next_check_at is None


def test_a_conversation_without_clocks_and_policy_costs_one_query(
    shop: Shop, django_assert_num_queries: object
) -> None:
    conversation = conversation_created_at(at(11, 23, 9), shop=shop)
    with django_assert_num_queries(1):  # type: ignore[operator]
        services.conversation_sla_refresh(conversation=conversation, now=at(11, 23, 9, 5))


@pytest.mark.parametrize(
    ("priority", "channel", "expected_due"),
    [
        ("urgent", "email", at(11, 23, 9, 15)),  # urgent email
        ("urgent", "chat", at(11, 23, 9, 30)),  # urgent, any channel
        ("normal", "chat", at(11, 23, 9, 45)),  # chat, any priority
        ("normal", "email", at(11, 23, 10)),  # the default
        ("low", "form", at(11, 23, 10)),  # the inactive form policy does not count
    ],
)
def test_the_most_specific_active_policy_applies(
    shop: Shop, priority: str, channel: str, expected_due: dt.datetime
) -> None:
    # given
    office_hours(shop)
    SlaPolicyFactory(shop=shop, first_response_minutes=60, warn_before_minutes=5)
    SlaPolicyFactory(shop=shop, priority="urgent", first_response_minutes=30, warn_before_minutes=5)
    SlaPolicyFactory(shop=shop, channel="chat", first_response_minutes=45, warn_before_minutes=5)
    SlaPolicyFactory(
        shop=shop,
        priority="urgent",
        channel="email",
        first_response_minutes=15,
        warn_before_minutes=5,
    )
    SlaPolicyFactory(
        shop=shop, channel="form", first_response_minutes=5, warn_before_minutes=1, is_active=False
    )
    conversation = conversation_created_at(
        at(11, 23, 9), shop=shop, priority=priority, channel=channel
    )

    # when
    stored = refreshed(conversation, at(11, 23, 9, 1))

    # then
    assert stored.first_response_due_at == expected_due


def test_a_warning_is_recorded_once_and_tells_the_assignee(office: Shop, agent: Membership) -> None:
    # given a question at 9:00, due at 10:00, assigned to Sanne
    conversation = conversation_created_at(at(11, 23, 9), shop=office, assignee=agent)
    refreshed(conversation, at(11, 23, 9, 1))

    # when the clocks are computed in the warning window, twice
    stored = refreshed(conversation, at(11, 23, 9, 31))
    refreshed(stored, at(11, 23, 9, 32))

    # then
    assert stored.sla_first_response_state == SlaState.WARNING
    assert stored.sla_next_check_at == at(11, 23, 10)
    assert sla_events(conversation) == [
        (EventKind.SLA_WARNING, "first_response", utc(at(11, 23, 10)))
    ]
    notification = Notification.objects.get()
    assert (notification.kind, notification.recipient, notification.conversation) == (
        NotificationKind.SLA_WARNING,
        agent,
        conversation,
    )
    assert notification.actor is None


def test_an_unassigned_conversation_warns_the_active_agents_of_its_team(office: Shop) -> None:
    # given a team of two agents, a deactivated one and a viewer
    anouk, bram = MembershipFactory(shop=office), MembershipFactory(shop=office)
    gone = MembershipFactory(shop=office, is_active=False)
    viewer = MembershipFactory(shop=office, role=Role.VIEWER)
    team = TeamFactory(shop=office)
    team.members.set([anouk, bram, gone, viewer])
    conversation = conversation_created_at(at(11, 23, 9), shop=office, team=team)

    # when
    refreshed(conversation, at(11, 23, 9, 40))

    # then
    assert set(Notification.objects.values_list("recipient", flat=True)) == {anouk.pk, bram.pk}


def test_a_deactivated_assignee_is_not_told_but_the_team_is(office: Shop) -> None:
    # given
    gone = MembershipFactory(shop=office, is_active=False)
    colleague = MembershipFactory(shop=office)
    team = TeamFactory(shop=office)
    team.members.set([gone, colleague])
    conversation = conversation_created_at(at(11, 23, 9), shop=office, team=team, assignee=gone)

    # when
    refreshed(conversation, at(11, 23, 9, 40))

    # then
    assert list(Notification.objects.values_list("recipient", flat=True)) == [colleague.pk]


def test_nobody_is_told_of_a_conversation_without_assignee_or_team(office: Shop) -> None:
    conversation = conversation_created_at(at(11, 23, 9), shop=office)
    refreshed(conversation, at(11, 23, 9, 40))
    assert sla_events(conversation) == [
        (EventKind.SLA_WARNING, "first_response", utc(at(11, 23, 10)))
    ]
    assert not Notification.objects.exists()


def test_a_breach_is_recorded_once_and_the_clock_counts_on(office: Shop, agent: Membership) -> None:
    # given a warned question
    conversation = conversation_created_at(at(11, 23, 9), shop=office, assignee=agent)
    refreshed(conversation, at(11, 23, 9, 40))

    # when its due time passes, looked at twice
    stored = refreshed(conversation, at(11, 23, 10))
    refreshed(stored, at(11, 23, 11))

    # then
    assert stored.sla_first_response_state == SlaState.BREACHED
    # overdue but still running: it sorts first in "breaching soon"
    assert stored.sla_due_at == at(11, 23, 10)
    assert stored.sla_next_check_at == at(11, 23, 12, 30)  # the resolution warning
    assert sla_events(conversation) == [
        (EventKind.SLA_WARNING, "first_response", utc(at(11, 23, 10))),
        (EventKind.SLA_BREACHED, "first_response", utc(at(11, 23, 10))),
    ]
    assert list(Notification.objects.order_by("pk").values_list("kind", flat=True)) == [
        NotificationKind.SLA_WARNING,
        NotificationKind.SLA_BREACHED,
    ]


def test_a_reply_in_time_meets_the_target_and_the_resolution_clock_goes_first(
    office: Shop,
) -> None:
    # given
    conversation = conversation_created_at(at(11, 23, 9), shop=office)
    refreshed(conversation, at(11, 23, 9, 1))

    # when an agent replies at 9:20 (`reply_send` sets first_responded_at)
    Conversation.objects.filter(pk=conversation.pk).update(first_responded_at=at(11, 23, 9, 20))
    conversation.first_responded_at = at(11, 23, 9, 20)
    stored = refreshed(conversation, at(11, 23, 9, 20))

    # then
    assert stored.sla_first_response_state == SlaState.MET
    assert stored.first_response_due_at == at(11, 23, 10)
    assert stored.sla_due_at == at(11, 23, 13)
    assert stored.sla_next_check_at == at(11, 23, 12, 30)
    assert sla_events(conversation) == []


def test_a_late_reply_stays_breached_and_tells_nobody_again(
    office: Shop, agent: Membership
) -> None:
    # given a breach that was noticed at 10:00
    conversation = conversation_created_at(at(11, 23, 9), shop=office, assignee=agent)
    refreshed(conversation, at(11, 23, 10))

    # when the reply comes at 10:20
    conversation.first_responded_at = at(11, 23, 10, 20)
    conversation.save(update_fields=["first_responded_at"])
    stored = refreshed(conversation, at(11, 23, 10, 20))

    # then
    assert stored.sla_first_response_state == SlaState.BREACHED
    assert stored.sla_due_at == at(11, 23, 13)
    assert [kind for kind, *_rest in sla_events(conversation)] == [EventKind.SLA_BREACHED]
    assert Notification.objects.count() == 1


def test_a_breach_found_only_after_the_reply_is_recorded_without_a_notification(
    office: Shop, agent: Membership
) -> None:
    # given a question last looked at before its warning
    conversation = conversation_created_at(at(11, 23, 9), shop=office, assignee=agent)
    refreshed(conversation, at(11, 23, 9, 1))

    # when the late reply is the next thing that happens
    conversation.first_responded_at = at(11, 23, 10, 20)
    stored = refreshed(conversation, at(11, 23, 10, 20))

    # then the trail shows the breach; nobody is told of what is already answered
    assert stored.sla_first_response_state == SlaState.BREACHED
    assert sla_events(conversation) == [
        (EventKind.SLA_BREACHED, "first_response", utc(at(11, 23, 10)))
    ]
    assert not Notification.objects.exists()


def test_pending_on_the_customer_pauses_the_resolution_clock(office: Shop) -> None:
    # given a reply at 10:00 that asks the customer for the order number
    conversation = conversation_created_at(
        at(11, 23, 9), shop=office, first_responded_at=at(11, 23, 9, 50)
    )
    status_changed_at(conversation, "pending", at(11, 23, 10))

    # when
    stored = refreshed(conversation, at(11, 23, 15))

    # then nothing runs: no deadline, nothing to check
    assert stored.sla_resolution_state == SlaState.PAUSED
    assert stored.resolution_due_at is None
    assert stored.sla_due_at is None
    assert stored.sla_next_check_at is None


def test_a_resolution_clock_paused_and_resumed_warns_again_for_its_new_deadline(
    office: Shop, agent: Membership
) -> None:
    # given the resolution clock warned on Monday (due 13:00) and the agent set pending
    conversation = conversation_created_at(
        at(11, 23, 9), shop=office, assignee=agent, first_responded_at=at(11, 23, 9, 10)
    )
    refreshed(conversation, at(11, 23, 12, 40))
    status_changed_at(conversation, "pending", at(11, 23, 12, 45))
    refreshed(conversation, at(11, 23, 12, 45))

    # when the customer answers on Tuesday at 9:00 and 15 minutes remain
    status_changed_at(conversation, "open", at(11, 24, 9))
    stored = refreshed(conversation, at(11, 24, 9, 1))

    # then a second warning, for the new deadline
    assert stored.resolution_due_at == at(11, 24, 9, 15)
    assert sla_events(conversation) == [
        (EventKind.SLA_WARNING, "resolution", utc(at(11, 23, 13))),
        (EventKind.SLA_WARNING, "resolution", utc(at(11, 24, 9, 15))),
    ]


def test_resolving_stops_both_clocks(office: Shop) -> None:
    conversation = conversation_created_at(at(11, 23, 9), shop=office)
    status_changed_at(conversation, "resolved", at(11, 23, 9, 30))
    stored = refreshed(conversation, at(11, 23, 9, 30))
    assert (stored.sla_first_response_state, stored.sla_resolution_state) == (
        SlaState.MET,
        SlaState.MET,
    )
    assert stored.sla_due_at is None
    assert stored.sla_next_check_at is None


def test_with_schedule_and_policies_given_a_refresh_costs_two_queries(
    office: Shop, django_assert_num_queries: object
) -> None:
    # given the schedule and policies a sweep loads once per shop
    schedule = tenancy_selectors.schedule_for(shop=office)
    policies = sla_services.policies_by_shop([office.pk])[office.pk]
    conversation = conversation_created_at(at(11, 23, 9), shop=office)

    # when / then: the history, then the update
    with django_assert_num_queries(2):  # type: ignore[operator]
        services.conversation_sla_refresh(
            conversation=conversation, now=at(11, 23, 9, 1), schedule=schedule, policies=policies
        )
    # and: the history only, when nothing changed
    with django_assert_num_queries(1):  # type: ignore[operator]
        services.conversation_sla_refresh(
            conversation=conversation, now=at(11, 23, 9, 2), schedule=schedule, policies=policies
        )


def test_a_warning_costs_a_bounded_number_of_queries(
    office: Shop, agent: Membership, django_assert_num_queries: object
) -> None:
    conversation = conversation_created_at(at(11, 23, 9), shop=office, assignee=agent)
    # policies, business hours, closing days, history, update, event, recipients, notification
    with django_assert_num_queries(8):  # type: ignore[operator]
        services.conversation_sla_refresh(conversation=conversation, now=at(11, 23, 9, 31))


def test_the_agents_hear_of_an_alert_after_commit(
    office: Shop, agent: Membership, django_capture_on_commit_callbacks: object
) -> None:
    # given
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(shop_group(office.pk), channel)
    conversation = conversation_created_at(at(11, 23, 9), shop=office, assignee=agent)

    # when
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.conversation_sla_refresh(conversation=conversation, now=at(11, 23, 9, 31))

    # then
    payloads = [async_to_sync(layer.receive)(channel)["payload"] for _ in range(2)]
    assert payloads == [
        {
            "type": "notification.created",
            "conversation_id": conversation.pk,
            "status": "open",
            "notification_kind": "sla_warning",
            "recipient_ids": [agent.pk],
        },
        {
            "type": "conversation.updated",
            "conversation_id": conversation.pk,
            "status": "open",
            "fields": ["sla"],
        },
    ]


# --- wired into the inbox services ---------------------------------------------------------


def test_a_new_email_gets_its_clocks_on_arrival(office: Shop) -> None:
    # when
    result = services.message_receive(shop=office, inbound=inbound_email())

    # then
    stored = Conversation.objects.get(pk=result.conversation.pk)
    assert stored.first_response_due_at is not None
    assert stored.resolution_due_at is not None
    assert stored.sla_due_at == stored.first_response_due_at
    assert stored.sla_next_check_at is not None
    assert stored.sla_next_check_at < stored.first_response_due_at


def test_setting_pending_pauses_and_the_customers_answer_resumes(office: Shop) -> None:
    # given
    first = services.message_receive(shop=office, inbound=inbound_email(external_id="<p1@x.nl>"))

    # when the agent sets it pending
    pending = services.conversation_set_status(
        shop=office, conversation=first.conversation, status="pending", actor=None
    )

    # then
    assert pending.sla_resolution_state == SlaState.PAUSED
    assert pending.resolution_due_at is None

    # when the customer answers
    services.message_receive(
        shop=office, inbound=inbound_email(external_id="<p2@x.nl>", in_reply_to="<p1@x.nl>")
    )

    # then the resolution clock counts again
    stored = Conversation.objects.get(pk=first.conversation.pk)
    assert stored.status == "open"
    assert stored.sla_resolution_state in {SlaState.RUNNING, SlaState.WARNING, SlaState.BREACHED}
    assert stored.resolution_due_at is not None


def test_raising_the_priority_applies_the_urgent_policy(office: Shop, agent: Membership) -> None:
    # given
    SlaPolicyFactory(
        shop=office,
        priority="urgent",
        first_response_minutes=15,
        resolution_minutes=60,
        warn_before_minutes=5,
    )
    conversation = services.message_receive(shop=office, inbound=inbound_email()).conversation
    before = Conversation.objects.get(pk=conversation.pk).first_response_due_at
    assert before is not None

    # when
    urgent = services.conversation_set_priority(
        shop=office, conversation=conversation, priority="urgent", actor=agent
    )

    # then the first response is due 45 working minutes sooner
    assert urgent.first_response_due_at is not None
    assert urgent.first_response_due_at < before


def test_resolving_through_the_service_stops_the_clocks(office: Shop, agent: Membership) -> None:
    conversation = services.message_receive(shop=office, inbound=inbound_email()).conversation
    resolved = services.conversation_set_status(
        shop=office, conversation=conversation, status="resolved", actor=agent, now=timezone.now()
    )
    assert (resolved.sla_first_response_state, resolved.sla_resolution_state) == (
        SlaState.MET,
        SlaState.MET,
    )
    assert resolved.sla_due_at is None
    assert resolved.sla_next_check_at is None
    assert not ConversationEvent.objects.filter(kind=EventKind.SLA_BREACHED).exists()
