"""SLA clocks on conversations, kept up to date.

The calculation is `inbox.sla` (pure); this module feeds it a conversation's history and
stores the result on the conversation: both due times and states, `sla_due_at` (the next
deadline of a clock that still runs, overdue ones included, for sorting and "breaching
soon") and `sla_next_check_at` (when a clock will change state by itself).

- The services that change what a clock depends on (new conversation, reopen, status,
  priority, first reply) call `conversation_sla_refresh` on the row they hold locked.
- `sla_sweep` (a periodic task, every minute) recomputes every conversation whose
  `sla_next_check_at` has come, so warnings and breaches happen without anyone acting.

A clock that starts warning or breaches writes one SLA_WARNING / SLA_BREACHED event (never
twice for the same clock and deadline, however often it is recomputed) and notifies the
assignee, or the team's agents while nobody is assigned. A breach found only after the
clock stopped (a late reply between two sweeps) is recorded but notifies nobody: there is
nothing left to act on.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from balie.core.business_hours import Schedule
from balie.inbox import sla
from balie.inbox.models import (
    Conversation,
    ConversationEvent,
    EventKind,
    NotificationKind,
    SlaPolicy,
    SlaState,
)
from balie.inbox.services import notify, trail
from balie.tenancy import presence
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.models import Membership

logger = logging.getLogger(__name__)

SLA_FIELDS = (
    "first_response_due_at",
    "resolution_due_at",
    "sla_first_response_state",
    "sla_resolution_state",
    "sla_due_at",
    "sla_next_check_at",
)
CLEARED: dict[str, object] = dict.fromkeys(SLA_FIELDS, None) | {
    "sla_first_response_state": SlaState.NONE,
    "sla_resolution_state": SlaState.NONE,
}
SWEEP_BATCH = 200
# A sweep stops after this many batches and leaves the rest to the next minute's run.
SWEEP_BATCHES_MAX = 500
_HISTORY_KINDS = (EventKind.STATUS_CHANGED, EventKind.SLA_WARNING, EventKind.SLA_BREACHED)
_ALERTS = {
    sla.ClockState.WARNING: (EventKind.SLA_WARNING, NotificationKind.SLA_WARNING),
    sla.ClockState.BREACHED: (EventKind.SLA_BREACHED, NotificationKind.SLA_BREACHED),
}


def policy_pure(policy: SlaPolicy) -> sla.SlaPolicy:
    """A stored policy as the calculation takes it (blank priority/channel: any)."""
    return sla.SlaPolicy(
        name=policy.name,
        first_response_minutes=policy.first_response_minutes,
        resolution_minutes=policy.resolution_minutes,
        warn_before_minutes=policy.warn_before_minutes,
        priority=policy.priority or None,
        channel=policy.channel or None,
    )


def policies_by_shop(shop_ids: Iterable[int]) -> dict[int, list[sla.SlaPolicy]]:
    """The active policies of these shops, as pure policies (one query)."""
    found: dict[int, list[sla.SlaPolicy]] = {shop_id: [] for shop_id in shop_ids}
    for policy in SlaPolicy.objects.filter(shop_id__in=found, is_active=True):
        found[policy.shop_id].append(policy_pure(policy))
    return found


def targets_for(policies: Sequence[sla.SlaPolicy]) -> sla.SlaTargets:
    return sla.SlaTargets(tuple(policies))


def conversation_sla_refresh(
    *,
    conversation: Conversation,
    now: dt.datetime | None = None,
    schedule: Schedule | None = None,
    policies: Sequence[sla.SlaPolicy] | None = None,
) -> sla.SlaStatus | None:
    """Recompute and store the conversation's SLA clocks as of `now`; None when no policy
    applies (then the SLA fields are cleared).

    Call it with the conversation row locked (the inbox services do), after the change is
    saved. Pass `schedule` (`tenancy.selectors.schedule_for`) and `policies`
    (`policies_by_shop`) when refreshing many. Costs one query without a policy (none if
    `policies` is given and nothing changes); with one, at most 4 more (history, update, and
    an alert's event and notifications), plus the schedule's 2–3 when not given.
    """
    now = now or timezone.now()
    if policies is None:
        policies = policies_by_shop([conversation.shop_id])[conversation.shop_id]
    policy = _policy_for(conversation, targets_for(policies))
    history = _History()
    if policy is not None:
        schedule = schedule or tenancy_selectors.schedule_for(shop=conversation.shop)
        history = _histories([conversation.pk]).get(conversation.pk, history)
    refresh = _compute(conversation, policy=policy, schedule=schedule, history=history, now=now)
    with transaction.atomic(savepoint=False):
        _save([refresh])
    return refresh.status


def sla_sweep(*, now: dt.datetime | None = None, batch_size: int = SWEEP_BATCH) -> int:
    """Recompute every conversation whose `sla_next_check_at` has come; returns how many.

    Batch by batch (each its own transaction), oldest check first; each batch costs a fixed
    number of queries plus two per shop not seen before in this sweep (its schedule).
    Idempotent, and safe with several workers: rows are claimed with `FOR UPDATE SKIP
    LOCKED` on PostgreSQL (SQLite's write lock serialises the sweeps), and a recomputed
    conversation is no longer due.
    """
    now = now or timezone.now()
    schedules: dict[int, Schedule] = {}
    total = 0
    for _batch in range(SWEEP_BATCHES_MAX):
        with transaction.atomic():
            done = _sweep_batch(now=now, batch_size=batch_size, schedules=schedules)
        total += done
        if done < batch_size:
            break
    if total:
        logger.info("SLA sweep", extra={"conversations": total, "at": now.isoformat()})
    return total


def _sweep_batch(*, now: dt.datetime, batch_size: int, schedules: dict[int, Schedule]) -> int:
    due = list(
        Conversation.objects.filter(sla_next_check_at__lte=now, shop__is_active=True)
        .select_related("shop")
        .order_by("sla_next_check_at", "pk")
        .select_for_update(skip_locked=True, of=("self",))[:batch_size]
    )
    if not due:
        return 0
    shop_ids = {conversation.shop_id for conversation in due}
    policies = {
        shop_id: targets_for(found) for shop_id, found in policies_by_shop(shop_ids).items()
    }
    histories = _histories([conversation.pk for conversation in due])
    refreshes = []
    for conversation in due:
        policy = _policy_for(conversation, policies[conversation.shop_id])
        schedule = None
        if policy is not None:
            if conversation.shop_id not in schedules:
                schedules[conversation.shop_id] = tenancy_selectors.schedule_for(
                    shop=conversation.shop
                )
            schedule = schedules[conversation.shop_id]
        refreshes.append(
            _compute(
                conversation,
                policy=policy,
                schedule=schedule,
                history=histories.get(conversation.pk, _History()),
                now=now,
            )
        )
    _save(refreshes)
    return len(due)


@dataclass
class _History:
    timeline: list[tuple[dt.datetime, str]] = field(default_factory=list)
    # (event kind, clock, deadline) of the warnings and breaches already recorded
    alerted: set[tuple[str, str, str]] = field(default_factory=set)


@dataclass
class _Alert:
    event: EventKind
    notification: NotificationKind
    clock: str
    due_at: str  # the deadline in UTC, ISO 8601; "" without one
    running: bool


@dataclass
class _Refresh:
    conversation: Conversation
    status: sla.SlaStatus | None
    changed: list[str]
    alerts: list[_Alert]


def _policy_for(conversation: Conversation, targets: sla.SlaTargets) -> sla.SlaPolicy | None:
    try:
        return targets.policy_for(priority=conversation.priority, channel=conversation.channel)
    except sla.NoSlaPolicy:
        return None


def _histories(conversation_ids: Sequence[int]) -> dict[int, _History]:
    """Status changes and recorded alerts of these conversations (one query)."""
    histories: dict[int, _History] = {}
    rows = ConversationEvent.objects.filter(
        conversation_id__in=conversation_ids, kind__in=_HISTORY_KINDS
    ).values_list("conversation_id", "kind", "created_at", "data")
    for conversation_id, kind, created_at, data in rows:
        history = histories.setdefault(conversation_id, _History())
        if not isinstance(data, dict):
            continue
        if kind == EventKind.STATUS_CHANGED:
            if data.get("new") in sla.STATUSES:
                history.timeline.append((created_at, data["new"]))
        else:
            history.alerted.add((kind, str(data.get("clock")), str(data.get("due_at") or "")))
    return histories


def _compute(
    conversation: Conversation,
    *,
    policy: sla.SlaPolicy | None,
    schedule: Schedule | None,
    history: _History,
    now: dt.datetime,
) -> _Refresh:
    """The new SLA fields (set on `conversation`) and the alerts they raise; nothing saved."""
    if policy is None or schedule is None:
        values = CLEARED
        status = None
    else:
        # A change recorded a moment after the caller's `now` (the event's own clock) has
        # happened all the same: count it as of now rather than ignore it.
        status = sla.sla_status(
            schedule=schedule,
            policy=policy,
            created_at=conversation.created_at,
            timeline=[(min(at, now), new) for at, new in history.timeline],
            first_responded_at=_not_after(conversation.first_responded_at, now),
            resolved_at=_not_after(conversation.resolved_at, now),
            now=now,
        )
        clocks = (status.first_response, status.resolution)
        values = {
            "first_response_due_at": status.first_response_due_at,
            "resolution_due_at": status.resolution_due_at,
            "sla_first_response_state": SlaState(status.first_response.state),
            "sla_resolution_state": SlaState(status.resolution.state),
            "sla_due_at": min(
                (clock.due_at for clock in clocks if _running(clock) and clock.due_at),
                default=None,
            ),
            "sla_next_check_at": status.next_change_at,
        }
    changed = [name for name, value in values.items() if getattr(conversation, name) != value]
    for name in changed:
        setattr(conversation, name, values[name])
    alerts = []
    if status is not None:
        for clock_name, clock in (
            ("first_response", status.first_response),
            ("resolution", status.resolution),
        ):
            if clock.state not in _ALERTS:
                continue
            event, notification = _ALERTS[clock.state]
            due_at = clock.due_at.astimezone(dt.UTC).isoformat() if clock.due_at else ""
            if (str(event), clock_name, due_at) in history.alerted:
                continue
            history.alerted.add((str(event), clock_name, due_at))
            alerts.append(_Alert(event, notification, clock_name, due_at, _running(clock)))
    return _Refresh(conversation=conversation, status=status, changed=changed, alerts=alerts)


def _running(clock: sla.Clock) -> bool:
    return clock.stopped_at is None and clock.state != sla.ClockState.PAUSED


def _not_after(moment: dt.datetime | None, now: dt.datetime) -> dt.datetime | None:
    return min(moment, now) if moment is not None else None


def _save(refreshes: list[_Refresh]) -> None:
    """Store the new fields, the alert events and their notifications; publish after commit."""
    changed = [refresh.conversation for refresh in refreshes if refresh.changed]
    if len(changed) == 1:
        conversation = changed[0]
        Conversation.objects.filter(pk=conversation.pk).update(
            **{name: getattr(conversation, name) for name in SLA_FIELDS}
        )
    elif changed:
        Conversation.objects.bulk_update(changed, SLA_FIELDS)
    alerting = [refresh for refresh in refreshes if refresh.alerts]
    ConversationEvent.objects.bulk_create(
        trail.event(
            refresh.conversation,
            alert.event,
            clock=alert.clock,
            due_at=alert.due_at or None,
            policy=refresh.status.policy.name if refresh.status else None,
        )
        for refresh in alerting
        for alert in refresh.alerts
    )
    to_notify = [refresh for refresh in alerting if any(alert.running for alert in refresh.alerts)]
    recipients = _recipients([refresh.conversation for refresh in to_notify])
    notifications = []
    for refresh in to_notify:
        conversation = refresh.conversation
        for alert in refresh.alerts:
            if alert.running:
                notifications += notify.notifications_build(
                    conversation=conversation,
                    kind=alert.notification,
                    recipient_ids=recipients.get(conversation.pk, []),
                )
    notify.notifications_save(notifications)
    for refresh in refreshes:
        if {"sla_first_response_state", "sla_resolution_state", "sla_due_at"} & set(
            refresh.changed
        ):
            trail.publish(refresh.conversation, "conversation.updated", fields=["sla"])


def _recipients(conversations: Sequence[Conversation]) -> dict[int, list[int]]:
    """Who hears of a conversation's SLA alert, by conversation id: its assignee while they
    are an active agent, else the active agents of its team (one query)."""
    assignee_ids = {c.assignee_id for c in conversations if c.assignee_id is not None}
    team_ids = {c.team_id for c in conversations if c.team_id is not None}
    if not assignee_ids and not team_ids:
        return {}
    rows = (
        Membership.objects.filter(
            shop_id__in={c.shop_id for c in conversations},
            is_active=True,
            user__is_active=True,
            role__in=presence.ANSWERING_ROLES,
        )
        .filter(Q(pk__in=assignee_ids) | Q(teams__in=team_ids))
        .values_list("pk", "teams")
        .order_by("pk")
    )
    active_assignees: set[int] = set()
    team_members: dict[int, list[int]] = {}
    for membership_id, team_id in rows:
        if membership_id in assignee_ids:
            active_assignees.add(membership_id)
        if team_id in team_ids:
            team_members.setdefault(team_id, []).append(membership_id)
    found = {}
    for conversation in conversations:
        if conversation.assignee_id in active_assignees:
            found[conversation.pk] = [conversation.assignee_id]
        elif conversation.team_id is not None:
            found[conversation.pk] = team_members.get(conversation.team_id, [])
    return found
