"""Automatic assignment: the right team, and in it the agent whose turn it is.

A new conversation goes to the team its channel names (a mailbox's team), else to the
shop's default team. When that team assigns automatically (round robin or least open, see
`inbox.assignment`), an agent gets it at once: active, answering, online and seen recently,
within their working hours and under their `max_open_conversations`. When nobody is, the
conversation waits unassigned in the team's queue; `conversations_assign_waiting` (every
minute) hands out waiting conversations oldest first once agents are available.

Concurrency: every automatic pick locks the team's candidate membership rows in primary-key
order (`SELECT … FOR UPDATE`) and counts their conversations after taking the locks, so two
routings at the same moment neither pick the same "next" agent nor exceed a capacity; the
second one waits for the first to commit. Conversation rows are always locked before
membership rows. On SQLite the database's single write lock serialises them anyway.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from balie.inbox import assignment
from balie.inbox.models import (
    ACTIVE_STATUSES,
    Conversation,
    ConversationEvent,
    ConversationStatus,
    EventKind,
    InboxSettings,
    NotificationKind,
)
from balie.inbox.services import notify, trail
from balie.tenancy import presence
from balie.tenancy.models import Membership, Shop, Team

logger = logging.getLogger(__name__)

# The assignment sweep hands out at most this many conversations per team and run.
WAITING_BATCH = 200


def assignment_recorded(
    *,
    conversation: Conversation,
    assignee: Membership,
    actor: Membership | None,
    now: dt.datetime,
) -> None:
    """What every assignment does besides setting the field: it counts as the agent's turn
    (`last_assigned_at`) and tells them, unless they took the conversation themselves."""
    Membership.objects.filter(pk=assignee.pk).update(last_assigned_at=now)
    assignee.last_assigned_at = now
    notify.notifications_save(
        notify.notifications_build(
            conversation=conversation,
            kind=NotificationKind.ASSIGNED,
            recipient_ids=[assignee.pk],
            actor=actor,
        )
    )


@transaction.atomic(savepoint=False)
def conversation_route(
    *,
    shop: Shop,
    conversation: Conversation,
    now: dt.datetime | None = None,
    team_id: int | None = None,
) -> Conversation:
    """Give a new or re-opened conversation its team and, when the team assigns
    automatically, an available agent. Call it with the conversation row locked.

    `team_id` is the team the channel names; another shop's id or a deleted team falls back
    to the shop's default team. A conversation that has a team keeps it. An assignee who was
    deactivated meanwhile is taken off first (recorded), so the conversation finds someone
    who is there. A conversation with an active assignee is left as it is.
    """
    if conversation.shop_id != shop.pk:
        raise ValueError("conversation belongs to another shop")
    now = now or timezone.now()
    events: list[ConversationEvent] = []
    fields: list[str] = []
    if conversation.assignee_id is not None:
        if _is_active_agent(conversation.assignee_id):
            return conversation
        events.append(
            trail.event(
                conversation,
                EventKind.ASSIGNED,
                old=conversation.assignee_id,
                new=None,
                reason="assignee_deactivated",
            )
        )
        conversation.assignee = None
        fields.append("assignee")
    team = _team_of(shop=shop, conversation=conversation, team_id=team_id)
    if team is not None and conversation.team_id != team.pk:
        events.append(
            trail.event(
                conversation, EventKind.TEAM_CHANGED, old=None, new=team.pk, reason="routing"
            )
        )
        conversation.team = team
        fields.append("team")
    agent = None
    if (
        team is not None
        and team.assignment in assignment.AUTOMATIC
        and conversation.status == ConversationStatus.OPEN
    ):
        candidates = _candidates(shop=shop, team=team, now=now)
        chosen = assignment.choose(candidates.values(), mode=team.assignment)
        if chosen is not None:
            agent = candidates.member(chosen)
            events.append(
                trail.event(
                    conversation, EventKind.ASSIGNED, old=None, new=agent.pk, reason=team.assignment
                )
            )
            conversation.assignee = agent
            if "assignee" not in fields:
                fields.append("assignee")
    if not fields:
        return conversation
    conversation.save(update_fields=[*fields, "updated_at"])
    ConversationEvent.objects.bulk_create(events)
    trail.publish(conversation, "conversation.updated", fields=fields)
    if agent is not None:
        assignment_recorded(conversation=conversation, assignee=agent, actor=None, now=now)
    return conversation


def conversations_assign_waiting(*, now: dt.datetime | None = None) -> int:
    """Hand out conversations waiting unassigned in automatically assigning teams to the
    agents available now, oldest first; returns how many. Every team in its own short
    transaction; idempotent and safe with several workers (waiting conversations are
    claimed with SKIP LOCKED, candidates locked as in routing)."""
    now = now or timezone.now()
    waiting = Conversation.objects.filter(
        shop=OuterRef("shop"),  # so the (shop, team, status) index serves it
        team=OuterRef("pk"),
        status=ConversationStatus.OPEN,
        assignee__isnull=True,
    )
    teams = list(
        Team.objects.filter(assignment__in=assignment.AUTOMATIC, shop__is_active=True)
        .filter(Exists(waiting))
        .select_related("shop")
        .order_by("pk")
    )
    total = 0
    for team in teams:
        total += team_assign_waiting(shop=team.shop, team=team, now=now)
    if total:
        logger.info("Assigned waiting conversations", extra={"conversations": total})
    return total


@transaction.atomic
def team_assign_waiting(
    *, shop: Shop, team: Team, now: dt.datetime, limit: int = WAITING_BATCH
) -> int:
    """Assign the team's waiting conversations, oldest first, while agents have room."""
    if team.shop_id != shop.pk:
        raise ValueError("team belongs to another shop")
    if team.assignment not in assignment.AUTOMATIC:
        return 0
    waiting = list(
        Conversation.objects.for_shop(shop)
        .filter(team=team, status=ConversationStatus.OPEN, assignee__isnull=True)
        .order_by("created_at", "pk")
        .select_for_update(skip_locked=True)[:limit]
    )
    if not waiting:
        return 0
    candidates = _candidates(shop=shop, team=team, now=now)
    assigned: list[tuple[Conversation, Membership]] = []
    for turn, conversation in enumerate(waiting, start=1):
        chosen = assignment.choose(candidates.values(), mode=team.assignment)
        if chosen is None:
            break
        chosen.took_one(at=now, turn=turn)
        agent = candidates.member(chosen)
        conversation.assignee = agent
        conversation.updated_at = now
        assigned.append((conversation, agent))
    if not assigned:
        return 0
    Conversation.objects.bulk_update([c for c, _agent in assigned], ["assignee", "updated_at"])
    ConversationEvent.objects.bulk_create(
        trail.event(c, EventKind.ASSIGNED, old=None, new=agent.pk, reason=team.assignment)
        for c, agent in assigned
    )
    agents = {agent.pk: agent for _c, agent in assigned}
    for agent in agents.values():
        agent.last_assigned_at = now
    Membership.objects.bulk_update(agents.values(), ["last_assigned_at"])
    notify.notifications_save(
        [
            notification
            for c, agent in assigned
            for notification in notify.notifications_build(
                conversation=c, kind=NotificationKind.ASSIGNED, recipient_ids=[agent.pk]
            )
        ]
    )
    for c, _agent in assigned:
        trail.publish(c, "conversation.updated", fields=["assignee"])
    return len(assigned)


class _Candidates(dict[int, assignment.Candidate]):
    """The team's available agents as candidates, by membership id, with their rows."""

    def __init__(self, members: list[Membership], counts: dict[int, int]) -> None:
        super().__init__(
            (
                member.pk,
                assignment.Candidate(
                    membership_id=member.pk,
                    last_assigned_at=member.last_assigned_at,
                    active_conversations=counts.get(member.pk, 0),
                    max_open_conversations=member.max_open_conversations,
                ),
            )
            for member in members
        )
        self.members = {member.pk: member for member in members}

    def member(self, candidate: assignment.Candidate) -> Membership:
        return self.members[candidate.membership_id]


def _candidates(*, shop: Shop, team: Team, now: dt.datetime) -> _Candidates:
    """Lock the team's online agents in primary-key order, keep those within their working
    hours, and count their active conversations (after the locks: a concurrent routing's
    assignment is committed by then)."""
    online = list(
        Membership.objects.for_shop(shop)
        .filter(presence.online_q(now=now), teams=team)
        .order_by("pk")
        .select_for_update(of=("self",))
    )
    available = presence.within_working_hours(shop=shop, memberships=online, now=now)
    counts: dict[int, int] = {}
    if available:
        counts = dict(
            Conversation.objects.for_shop(shop)
            .filter(assignee__in=available, status__in=ACTIVE_STATUSES)
            .order_by()
            .values("assignee")
            .annotate(count=Count("pk"))
            .values_list("assignee", "count")
        )
    return _Candidates(available, counts)


def _is_active_agent(membership_id: int) -> bool:
    return Membership.objects.filter(
        pk=membership_id, is_active=True, user__is_active=True
    ).exists()


def _team_of(*, shop: Shop, conversation: Conversation, team_id: int | None) -> Team | None:
    """The conversation's team, else the channel's (when it is the shop's), else the shop's
    default team; one query each step taken."""
    teams = Team.objects.for_shop(shop)
    if conversation.team_id is not None:
        return teams.filter(pk=conversation.team_id).first()
    if team_id is not None:
        team: Team | None = teams.filter(pk=team_id).first()
        if team is not None:
            return team
    default_team = InboxSettings.objects.for_shop(shop).values("default_team")
    return teams.filter(pk__in=default_team).first()
