"""Who of a team's available agents gets the next conversation: a pure choice.

- **round robin** (Zendesk's definition): the agent who waited longest since their last
  assignment; an agent never assigned goes first; ties by membership id.
- **least open**: the agent with the fewest active (open, pending, snoozed) conversations;
  ties by who waited longest, then by id.

Agents at their `max_open_conversations` are passed over. Availability (presence, working
hours) is decided before (`tenancy.presence`); the database side, with its locks, is
`inbox.services.assignment`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

ROUND_ROBIN = "round_robin"
LEAST_OPEN = "least_open"
AUTOMATIC = frozenset({ROUND_ROBIN, LEAST_OPEN})

_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


@dataclass
class Candidate:
    membership_id: int
    last_assigned_at: dt.datetime | None
    active_conversations: int
    max_open_conversations: int | None
    # Picks earlier in the same run (a sweep assigns many at one `now`): a later pick goes
    # after an earlier one when both were assigned at the same moment.
    turn: int = 0

    @property
    def has_room(self) -> bool:
        return (
            self.max_open_conversations is None
            or self.active_conversations < self.max_open_conversations
        )

    def took_one(self, *, at: dt.datetime, turn: int) -> None:
        self.last_assigned_at = at
        self.active_conversations += 1
        self.turn = turn


def _waited(candidate: Candidate) -> tuple[dt.datetime, int, int]:
    return (candidate.last_assigned_at or _NEVER, candidate.turn, candidate.membership_id)


def choose(candidates: Iterable[Candidate], *, mode: str) -> Candidate | None:
    """The candidate who gets the next conversation under `mode`; None when nobody has room."""
    if mode not in AUTOMATIC:
        raise ValueError(f"not an automatic assignment mode: {mode!r}")
    with_room = [candidate for candidate in candidates if candidate.has_room]
    if not with_room:
        return None
    if mode == ROUND_ROBIN:
        return min(with_room, key=_waited)
    return min(
        with_room, key=lambda candidate: (candidate.active_conversations, _waited(candidate))
    )
