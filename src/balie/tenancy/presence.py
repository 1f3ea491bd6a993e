"""When an agent can take conversations: presence (online/away/offline) and working hours.

An agent chooses their presence; it counts as `online` only while one of their tabs is
connected, which the agent websocket proves by calling `membership_seen` on every ping. An
agent who closed the last tab (or whose laptop went to sleep) is `offline` after
`PRESENCE_TIMEOUT`, whatever they chose, so automatic assignment never waits on a ghost.

Working hours are an agent's own weekly periods (`AgentWorkingHours`) when they have any,
else the shop's business hours; both in the shop's time zone, and both closed on the shop's
public holidays and closing days.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import replace

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.core.business_hours import Schedule
from balie.tenancy import errors, selectors
from balie.tenancy.models import AgentWorkingHours, Membership, Presence, Role, Shop, Team, User
from balie.web import realtime

# Tabs ping every ~20 s; three missed pings and the agent counts as gone.
PRESENCE_TIMEOUT = dt.timedelta(seconds=90)
# `presence_seen_at` is written at most this often per agent, however many tabs ping.
SEEN_RESOLUTION = dt.timedelta(seconds=30)
# Roles that answer customers (and so may be given conversations).
ANSWERING_ROLES = (Role.AGENT, Role.ADMIN, Role.OWNER)
PERIODS_PER_WEEK_MAX = 7 * 6

Period = tuple[int, dt.time, dt.time]  # weekday (0 = Monday), starts_at, ends_at


def is_seen(membership: Membership, *, now: dt.datetime) -> bool:
    seen = membership.presence_seen_at
    return seen is not None and seen >= now - PRESENCE_TIMEOUT


def presence_effective(*, membership: Membership, now: dt.datetime) -> Presence:
    """What colleagues see: the chosen presence while a tab is connected, else offline."""
    if not is_seen(membership, now=now):
        return Presence.OFFLINE
    return Presence(membership.presence)


def online_q(*, now: dt.datetime) -> Q:
    """Active answering agents who are online and were seen within the timeout."""
    return Q(
        is_active=True,
        user__is_active=True,
        role__in=ANSWERING_ROLES,
        presence=Presence.ONLINE,
        presence_seen_at__gte=now - PRESENCE_TIMEOUT,
    )


def membership_presence_set(
    *, membership: Membership, presence: Presence | str, now: dt.datetime | None = None
) -> Membership:
    """Set the presence an agent chose; colleagues' tabs hear `presence.changed` after commit.

    Choosing also counts as being seen: the choice comes from the agent's open tab.
    Choosing the current presence again tells nobody.
    """
    try:
        chosen = Presence(presence)
    except ValueError:
        raise errors.PresenceInvalid(
            _("Kies beschikbaar, afwezig of offline."), field="presence"
        ) from None
    now = now or timezone.now()
    before = (membership.presence, presence_effective(membership=membership, now=now))
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(presence=chosen, presence_seen_at=now)
        membership.presence, membership.presence_seen_at = chosen, now
        after = presence_effective(membership=membership, now=now)
        if (chosen, after) != before:
            _publish(membership, after)
    return membership


def agent_signed_in(*, user: User, now: dt.datetime | None = None) -> int:
    """An agent who signs in is available in each shop where they were offline (an agent who
    chose "afwezig" stays away); how many memberships changed."""
    changed = 0
    for membership in Membership.objects.filter(
        user=user, is_active=True, presence=Presence.OFFLINE
    ):
        membership_presence_set(membership=membership, presence=Presence.ONLINE, now=now)
        changed += 1
    return changed


def membership_seen(*, membership: Membership, now: dt.datetime) -> bool:
    """Renew the agent's `presence_seen_at` (called on every websocket ping of every tab).

    One conditional UPDATE that writes only when the stored moment is older than
    `SEEN_RESOLUTION`, so many tabs pinging every 20 s cost a row write per agent per 30 s.
    Returns whether it wrote. When an online agent comes back after the timeout (a laptop
    woke up), colleagues hear `presence.changed`; with several tabs this may be said twice,
    never missed.
    """
    written = (
        Membership.objects.filter(pk=membership.pk, is_active=True)
        .filter(Q(presence_seen_at__isnull=True) | Q(presence_seen_at__lt=now - SEEN_RESOLUTION))
        .update(presence_seen_at=now)
    )
    if not written:
        return False
    was_seen = is_seen(membership, now=now)
    membership.presence_seen_at = now
    if not was_seen and membership.presence != Presence.OFFLINE:
        _publish(membership, presence_effective(membership=membership, now=now))
    return True


def _publish(membership: Membership, presence: Presence) -> None:
    realtime.publish_on_commit(
        shop_id=membership.shop_id,
        payload={
            "type": "presence.changed",
            "membership_id": membership.pk,
            "presence": str(presence),
        },
    )


def working_schedules(
    *, shop: Shop, memberships: Iterable[Membership], shop_schedule: Schedule | None = None
) -> dict[int, Schedule]:
    """Each agent's working schedule by membership id: their own periods, else the shop's
    business hours; always with the shop's time zone, holidays and closing days."""
    shop_schedule = shop_schedule or selectors.schedule_for(shop=shop)
    ids = [membership.pk for membership in memberships]
    own: dict[int, dict[int, list[tuple[dt.time, dt.time]]]] = {}
    rows = AgentWorkingHours.objects.for_shop(shop).filter(membership_id__in=ids)
    for row in rows.values_list("membership_id", "weekday", "starts_at", "ends_at"):
        membership_id, weekday, starts_at, ends_at = row
        own.setdefault(membership_id, {}).setdefault(weekday, []).append((starts_at, ends_at))
    return {
        pk: replace(shop_schedule, weekly=own[pk]) if pk in own else shop_schedule for pk in ids
    }


def within_working_hours(
    *,
    shop: Shop,
    memberships: Sequence[Membership],
    now: dt.datetime,
    shop_schedule: Schedule | None = None,
) -> list[Membership]:
    """The agents among `memberships` who work at `now` (one query, plus the shop's
    schedule unless given)."""
    if not memberships:
        return []
    schedules = working_schedules(shop=shop, memberships=memberships, shop_schedule=shop_schedule)
    return [member for member in memberships if schedules[member.pk].is_open(now)]


def agents_available(*, shop: Shop, team: Team | None = None, now: dt.datetime) -> list[Membership]:
    """Agents who can take a conversation now: active, answering, online and seen within the
    timeout, and within their working hours; of `team` when given. By id.

    Capacity (`max_open_conversations`) is the inbox's concern (`inbox.services.assignment`).
    """
    agents = Membership.objects.for_shop(shop).filter(online_q(now=now))
    if team is not None:
        if team.shop_id != shop.pk:
            raise ValueError("team belongs to another shop")
        agents = agents.filter(teams=team)
    return within_working_hours(
        shop=shop, memberships=list(agents.select_related("user").order_by("pk")), now=now
    )


def agent_working_hours_list(*, shop: Shop, membership: Membership) -> QuerySet[AgentWorkingHours]:
    return AgentWorkingHours.objects.for_shop(shop).filter(membership=membership)


@transaction.atomic
def agent_working_hours_set(
    *, shop: Shop, membership: Membership, periods: Iterable[Period]
) -> list[AgentWorkingHours]:
    """Replace the agent's working hours by `periods` (weekday, start, end); none at all
    means they follow the shop's business hours.

    Each period starts before it ends (within one day) and periods of a day do not overlap
    (touching is fine: 9–12 and 12–17). Raises WorkingHoursInvalid naming the first problem.
    """
    if membership.shop_id != shop.pk:
        raise ValueError("membership belongs to another shop")
    wanted = sorted(_period(period) for period in periods)
    if len(wanted) > PERIODS_PER_WEEK_MAX:
        raise errors.WorkingHoursInvalid(
            _("Hooguit %(max)d werktijden per week.") % {"max": PERIODS_PER_WEEK_MAX},
            field="periods",
        )
    for (day, _start, end), (next_day, next_start, _end) in itertools.pairwise(wanted):
        if day == next_day and next_start < end:
            raise errors.WorkingHoursInvalid(
                _("Werktijden op dezelfde dag mogen elkaar niet overlappen."), field="periods"
            )
    agent_working_hours_list(shop=shop, membership=membership).delete()
    return AgentWorkingHours.objects.bulk_create(
        AgentWorkingHours(
            shop=shop, membership=membership, weekday=day, starts_at=start, ends_at=end
        )
        for day, start, end in wanted
    )


def _period(period: Period) -> Period:
    day, start, end = period
    if not isinstance(day, int) or not 0 <= day <= 6:
        raise errors.WorkingHoursInvalid(_("Kies een dag van maandag tot zondag."), field="periods")
    if not isinstance(start, dt.time) or not isinstance(end, dt.time) or start.tzinfo or end.tzinfo:
        raise errors.WorkingHoursInvalid(_("Vul een begin- en eindtijd in."), field="periods")
    if start >= end:
        raise errors.WorkingHoursInvalid(
            _("Een werktijd begint voor hij eindigt (%(start)s–%(end)s).")
            % {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"},
            field="periods",
        )
    return day, start, end
