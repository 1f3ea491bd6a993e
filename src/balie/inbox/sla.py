"""SLA clocks as a pure calculation on a shop's business hours.

Two clocks run per conversation, both counting only opening time of the shop's `Schedule`
(time zone, weekly periods, Dutch public holidays, closing days):

- **first response** starts when the conversation is created and stops at the first reply by
  an agent. It never pauses. Resolving a conversation without a reply (spam, a thank-you) stops
  it too: the customer is no longer waiting; a later reopen does not restart it.
- **resolution** starts when the conversation is created and stops when it is resolved or
  closed. It pauses while the conversation is `pending` (waiting on the customer) and counts
  again once the customer answers (status back to `open`). `snoozed` does NOT pause it: an
  agent chose to put the question aside, the customer is still waiting. Time spent resolved
  before a reopen is not counted either. Its due time is set only while it counts: paused
  short of the target, it has none until the customer answers.

Per clock the result says how many working minutes have elapsed, when it is due, when it
starts warning, and its state (`ClockState`). A conversation created outside opening hours
starts counting at the next opening. A clock whose target passed stays breached, even when it
is paused or stopped later. "Warning" means at most `warn_before_minutes` working minutes are
left, so a question due 10 minutes after Monday's opening already warns on Friday afternoon.

Nothing here touches the database: callers pass the conversation's status changes, the
schedule (`tenancy.selectors.schedule_for`) and the policy (`targets_for`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from balie.core.business_hours import Schedule

OPEN = "open"
PENDING = "pending"
SNOOZED = "snoozed"
RESOLVED = "resolved"
CLOSED = "closed"
STATUSES = frozenset({OPEN, PENDING, SNOOZED, RESOLVED, CLOSED})
# The resolution clock counts in these statuses; `pending` pauses it, resolved/closed stop it.
_COUNTING = frozenset({OPEN, SNOOZED})
_STOPPED = frozenset({RESOLVED, CLOSED})


class ClockState(enum.StrEnum):
    RUNNING = "running"
    PAUSED = "paused"  # resolution clock while pending on the customer
    WARNING = "warning"  # running, at most warn_before working minutes left
    MET = "met"  # stopped on or before its due time
    BREACHED = "breached"  # due time passed before the clock stopped


@dataclass(frozen=True)
class SlaPolicy:
    """Targets in working minutes; `priority`/`channel` None means "any"."""

    name: str
    first_response_minutes: int
    resolution_minutes: int
    warn_before_minutes: int = 30
    priority: str | None = None
    channel: str | None = None

    def __post_init__(self) -> None:
        if self.first_response_minutes <= 0 or self.resolution_minutes <= 0:
            raise ValueError("SLA targets must be positive minutes")
        if self.warn_before_minutes < 0:
            raise ValueError("warn_before_minutes cannot be negative")


class NoSlaPolicy(LookupError):
    """No policy applies (the shop has no default policy)."""


@dataclass(frozen=True)
class SlaTargets:
    """A shop's policies, at most one per (priority, channel) pair.

    Precedence, most specific first: priority + channel, then priority alone, then channel
    alone, then the default (neither set). Priority beats channel: an urgent email follows
    the "urgent" policy rather than the "email" one.
    """

    policies: tuple[SlaPolicy, ...]

    def __post_init__(self) -> None:
        keys = [(policy.priority, policy.channel) for policy in self.policies]
        if len(keys) != len(set(keys)):
            raise ValueError("two SLA policies for the same priority and channel")

    def policy_for(self, *, priority: str, channel: str) -> SlaPolicy:
        for key in ((priority, channel), (priority, None), (None, channel), (None, None)):
            for policy in self.policies:
                if (policy.priority, policy.channel) == key:
                    return policy
        raise NoSlaPolicy(f"no SLA policy for priority={priority!r} channel={channel!r}")


def targets_for(policies: Iterable[SlaPolicy], *, priority: str, channel: str) -> SlaPolicy:
    """The most specific policy for a conversation (see `SlaTargets` for the precedence)."""
    return SlaTargets(tuple(policies)).policy_for(priority=priority, channel=channel)


class StatusChange(NamedTuple):
    at: dt.datetime
    status: str


@dataclass(frozen=True)
class Clock:
    state: ClockState
    target_minutes: int
    elapsed_minutes: int  # whole working minutes counted so far
    # When the target is (or was) reached. None while paused short of the target, when stopped
    # short of it after a pause, or when the shop never opens.
    due_at: dt.datetime | None
    warns_at: dt.datetime | None  # when at most warn_before working minutes are left
    stopped_at: dt.datetime | None

    @property
    def remaining_minutes(self) -> int:
        """Working minutes left; negative once overdue."""
        return self.target_minutes - self.elapsed_minutes


@dataclass(frozen=True)
class SlaStatus:
    policy: SlaPolicy
    first_response: Clock
    resolution: Clock
    # The next moment a clock changes state without any event (starts warning or breaches);
    # schedule a re-check then. None when neither clock runs.
    next_change_at: dt.datetime | None

    @property
    def first_response_due_at(self) -> dt.datetime | None:
        return self.first_response.due_at

    @property
    def resolution_due_at(self) -> dt.datetime | None:
        return self.resolution.due_at


# A stretch of time the clock counts: (start, end), end None while it is still counting.
_Segment = tuple[dt.datetime, dt.datetime | None]


def sla_status(
    *,
    schedule: Schedule,
    policy: SlaPolicy,
    created_at: dt.datetime,
    timeline: Sequence[tuple[dt.datetime, str]],
    first_responded_at: dt.datetime | None,
    resolved_at: dt.datetime | None,
    now: dt.datetime,
) -> SlaStatus:
    """Both SLA clocks of a conversation as seen at `now`.

    `timeline` lists status changes `(at, status)` in any order; the status before the first
    change is `open`, and changes at or before `created_at` set the initial status. Changes and
    stops after `now` are ignored, so a past moment can be replayed. `resolved_at` stops the
    resolution clock (pass None after a reopen); without it, a current resolved/closed status
    in the timeline stops it at that change.
    """
    changes = sorted((StatusChange(*change) for change in timeline), key=lambda c: c.at)
    unknown = {change.status for change in changes} - STATUSES
    if unknown:
        raise ValueError(f"unknown conversation status: {sorted(unknown)}")
    changes = [change for change in changes if change.at <= now]

    resolution_stop = _resolution_stop(changes, resolved_at=resolved_at, now=now)
    # Stopped by the first reply or the first resolution (a reopen does not restart it).
    response_stops = [change.at for change in changes if change.status in _STOPPED]
    if resolution_stop is not None:
        response_stops.append(resolution_stop)
    if first_responded_at is not None and first_responded_at <= now:
        response_stops.append(first_responded_at)
    response_stop = min(response_stops, default=None)

    first_response = _clock(
        schedule,
        # Never paused: one stretch from creation, its due time fixed from the start.
        segments=[(created_at, None)],
        target=policy.first_response_minutes,
        warn_before=policy.warn_before_minutes,
        stopped_at=response_stop,
        now=now,
    )
    resolution = _clock(
        schedule,
        segments=_counting_segments(created_at, changes, stop=resolution_stop),
        target=policy.resolution_minutes,
        warn_before=policy.warn_before_minutes,
        stopped_at=resolution_stop,
        now=now,
    )
    return SlaStatus(
        policy=policy,
        first_response=first_response,
        resolution=resolution,
        next_change_at=min(
            (
                moment
                for clock in (first_response, resolution)
                if clock.state in {ClockState.RUNNING, ClockState.WARNING}
                for moment in (clock.warns_at, clock.due_at)
                if moment is not None and moment > now
            ),
            default=None,
        ),
    )


def expected_response_at(
    schedule: Schedule, *, now: dt.datetime, response_minutes: int, business_hours_only: bool
) -> dt.datetime | None:
    """The answer time promised to a shopper who asks now, in the shop's time zone.

    None when the promise counts business hours and the shop never opens.
    """
    if not business_hours_only:
        return (now + dt.timedelta(minutes=response_minutes)).astimezone(schedule.time_zone)
    return schedule.add_working_minutes(now, response_minutes)


def _before(moment: dt.datetime | None, now: dt.datetime) -> bool:
    return moment is not None and moment <= now


def _resolution_stop(
    changes: Sequence[StatusChange], *, resolved_at: dt.datetime | None, now: dt.datetime
) -> dt.datetime | None:
    if _before(resolved_at, now):
        return resolved_at
    if changes and changes[-1].status in _STOPPED:
        # Resolved without `resolved_at`: stopped since the last change into resolved/closed.
        stop = changes[-1].at
        for change in reversed(changes):
            if change.status not in _STOPPED:
                break
            stop = change.at
        return stop
    return None


def _counting_segments(
    created_at: dt.datetime, changes: Sequence[StatusChange], *, stop: dt.datetime | None
) -> list[_Segment]:
    """The stretches in which the resolution clock counts, up to `stop`."""
    status = OPEN
    for change in changes:
        if change.at <= created_at:
            status = change.status
    segments: list[_Segment] = []
    counting_since = created_at if status in _COUNTING else None
    for change in changes:
        if change.at <= created_at or (stop is not None and change.at >= stop):
            continue
        if change.status in _COUNTING and counting_since is None:
            counting_since = change.at
        elif change.status not in _COUNTING and counting_since is not None:
            segments.append((counting_since, change.at))
            counting_since = None
    if counting_since is not None:
        # Still counting: at `stop` it ends, but the due time is projected past it (open end).
        segments.append((counting_since, None))
    return segments


def _clock(
    schedule: Schedule,
    *,
    segments: Sequence[_Segment],
    target: int,
    warn_before: int,
    stopped_at: dt.datetime | None,
    now: dt.datetime,
) -> Clock:
    until = stopped_at or now
    elapsed = sum(
        (schedule.working_time_between(start, min(end or until, until)) for start, end in segments),
        dt.timedelta(),
    )
    due_at = _reached_at(schedule, segments, dt.timedelta(minutes=target))
    warns_at = _reached_at(schedule, segments, dt.timedelta(minutes=max(target - warn_before, 0)))
    counting = bool(segments) and segments[-1][1] is None
    if due_at is not None and (due_at < until if stopped_at else due_at <= now):
        # A reply exactly at the due time is on time; a running clock breaches at it.
        state = ClockState.BREACHED
    elif stopped_at is not None:
        state = ClockState.MET
    elif not counting:
        state = ClockState.PAUSED
    elif warns_at is not None and warns_at <= now:
        state = ClockState.WARNING
    else:
        state = ClockState.RUNNING
    return Clock(
        state=state,
        target_minutes=target,
        elapsed_minutes=int(elapsed.total_seconds() // 60),
        due_at=due_at,
        warns_at=warns_at,
        stopped_at=stopped_at,
    )


def _reached_at(
    schedule: Schedule, segments: Sequence[_Segment], amount: dt.timedelta
) -> dt.datetime | None:
    """When `amount` of working time has been counted over `segments` (None: not reached).

    A closed segment must pass the amount strictly before it ends: pausing exactly at the
    due time is acting on time.
    """
    remaining = amount
    for start, end in segments:
        moment = schedule.add_working_time(start, remaining)
        if moment is None:
            return None
        if end is None or moment < end:
            return moment
        remaining -= schedule.working_time_between(start, end)
    return None
