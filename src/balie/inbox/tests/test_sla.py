from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from balie.core.business_hours import Schedule
from balie.inbox import sla
from balie.inbox.sla import ClockState, SlaPolicy

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
# A webshop's service desk, Monday to Friday 9–17, closed on Dutch public holidays.
OFFICE = Schedule(
    time_zone=AMSTERDAM, weekly={weekday: [(dt.time(9), dt.time(17))] for weekday in range(5)}
)
# Open every day 9–17, no holidays: the weekends with DST changes are working days.
EVERY_DAY = Schedule(
    time_zone=AMSTERDAM,
    weekly={weekday: [(dt.time(9), dt.time(17))] for weekday in range(7)},
    holiday_country=None,
)
HOUR = SlaPolicy(name="Standaard", first_response_minutes=60, resolution_minutes=240)


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in 2026 in Amsterdam. November 2026: Monday 23rd … Friday 27th."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=AMSTERDAM)


def status(
    *,
    created_at: dt.datetime,
    now: dt.datetime,
    timeline: list[tuple[dt.datetime, str]] | None = None,
    first_responded_at: dt.datetime | None = None,
    resolved_at: dt.datetime | None = None,
    schedule: Schedule = OFFICE,
    policy: SlaPolicy = HOUR,
) -> sla.SlaStatus:
    return sla.sla_status(
        schedule=schedule,
        policy=policy,
        created_at=created_at,
        timeline=timeline or [],
        first_responded_at=first_responded_at,
        resolved_at=resolved_at,
        now=now,
    )


def test_a_question_on_friday_afternoon_is_due_on_monday_morning() -> None:
    # given a question on Friday 20 November at 16:30
    created = at(11, 20, 16, 30)

    # when we look on Saturday
    result = status(created_at=created, now=at(11, 21, 12))

    # then 30 minutes count on Friday and 30 on Monday
    assert result.first_response_due_at == at(11, 23, 9, 30)
    assert result.first_response.elapsed_minutes == 30
    assert result.first_response.state == ClockState.WARNING


def test_a_question_on_christmas_eve_skips_christmas_and_the_weekend() -> None:
    # given a question on Thursday 24 December 2026 in the evening
    created = at(12, 24, 19, 45)

    # when
    result = status(created_at=created, now=at(12, 26, 10))

    # then Christmas (Friday), Boxing Day and Sunday do not count
    assert result.first_response_due_at == at(12, 28, 10, 0)
    assert result.resolution_due_at == at(12, 28, 13, 0)
    assert result.first_response.elapsed_minutes == 0
    assert result.first_response.state == ClockState.RUNNING


def test_a_question_before_opening_starts_counting_at_opening() -> None:
    # given a question on Tuesday at 07:12
    created = at(11, 24, 7, 12)

    # when we look before and after opening
    early = status(created_at=created, now=at(11, 24, 8, 59))
    later = status(created_at=created, now=at(11, 24, 9, 10))

    # then
    assert early.first_response.elapsed_minutes == 0
    assert later.first_response.elapsed_minutes == 10
    assert later.first_response_due_at == at(11, 24, 10, 0)
    assert later.first_response.state == ClockState.RUNNING


def test_the_shops_closing_day_does_not_count() -> None:
    # given the service is closed on Tuesday 24 November for a staff outing
    schedule = Schedule(
        time_zone=AMSTERDAM,
        weekly=OFFICE.weekly,
        closing_days={dt.date(2026, 11, 24): "Personeelsuitje"},
    )

    # when a question arrives on Monday at 16:45
    result = status(created_at=at(11, 23, 16, 45), now=at(11, 24, 12), schedule=schedule)

    # then 15 minutes count on Monday and the rest on Wednesday
    assert result.first_response_due_at == at(11, 25, 9, 45)
    assert result.first_response.elapsed_minutes == 15


def test_a_reply_before_the_due_time_meets_the_first_response_target() -> None:
    # given a question on Monday at 9:00
    created = at(11, 23, 9)

    # when an agent replies at 9:45
    result = status(created_at=created, first_responded_at=at(11, 23, 9, 45), now=at(11, 23, 15))

    # then
    assert result.first_response.state == ClockState.MET
    assert result.first_response.elapsed_minutes == 45
    assert result.first_response.stopped_at == at(11, 23, 9, 45)
    assert result.first_response_due_at == at(11, 23, 10)


def test_a_reply_exactly_at_the_due_time_is_on_time() -> None:
    result = status(created_at=at(11, 23, 9), first_responded_at=at(11, 23, 10), now=at(11, 23, 15))
    assert result.first_response.state == ClockState.MET


def test_a_late_reply_breaches_the_first_response_target() -> None:
    # given a question on Monday at 9:00
    created = at(11, 23, 9)

    # when an agent replies at 10:05
    result = status(created_at=created, first_responded_at=at(11, 23, 10, 5), now=at(11, 23, 15))

    # then
    assert result.first_response.state == ClockState.BREACHED
    assert result.first_response.elapsed_minutes == 65
    assert result.first_response.remaining_minutes == -5


def test_an_unanswered_question_breaches_at_its_due_time() -> None:
    created = at(11, 23, 9)
    assert status(created_at=created, now=at(11, 23, 10)).first_response.state == (
        ClockState.BREACHED
    )
    assert status(created_at=created, now=at(11, 24, 9)).first_response.elapsed_minutes == 480


def test_a_question_due_at_closing_time_is_breached_the_next_morning() -> None:
    # given a question at 16:00 due at 17:00, when the shop closes
    result = status(
        created_at=at(11, 23, 16), first_responded_at=at(11, 24, 9, 0), now=at(11, 24, 9, 0)
    )
    # then answering at opening the next day is late, though no working minute passed
    assert result.first_response_due_at == at(11, 23, 17)
    assert result.first_response.elapsed_minutes == 60
    assert result.first_response.state == ClockState.BREACHED


def test_it_warns_in_the_last_working_minutes_before_the_due_time() -> None:
    # given a question at 9:00, due at 10:00, warning 30 minutes before
    created = at(11, 23, 9)

    # when we look just before and just inside the warning window
    calm = status(created_at=created, now=at(11, 23, 9, 29))
    warning = status(created_at=created, now=at(11, 23, 9, 31))

    # then
    assert calm.first_response.state == ClockState.RUNNING
    assert calm.next_change_at == at(11, 23, 9, 30)
    assert warning.first_response.state == ClockState.WARNING
    assert warning.first_response.warns_at == at(11, 23, 9, 30)
    assert warning.next_change_at == at(11, 23, 10)


def test_the_warning_counts_working_minutes_so_it_starts_before_the_weekend() -> None:
    # given 70 working minutes for a question on Friday at 16:00: due Monday at 9:10
    policy = SlaPolicy(name="Snel", first_response_minutes=70, resolution_minutes=600)
    result = status(created_at=at(11, 20, 16), now=at(11, 20, 16, 45), policy=policy)
    # then the last 30 working minutes begin on Friday at 16:40 — already warning
    assert result.first_response_due_at == at(11, 23, 9, 10)
    assert result.first_response.warns_at == at(11, 20, 16, 40)
    assert result.first_response.state == ClockState.WARNING


def test_pending_on_the_customer_pauses_the_resolution_clock() -> None:
    # given a question on Monday at 9:00; at 10:00 the agent asks for the order number
    created = at(11, 23, 9)
    timeline = [(created, sla.OPEN), (at(11, 23, 10), sla.PENDING)]

    # when we look in the afternoon
    result = status(
        created_at=created,
        timeline=timeline,
        first_responded_at=at(11, 23, 10),
        now=at(11, 23, 15),
    )

    # then only the first hour counted and no due time is set while paused
    assert result.resolution.state == ClockState.PAUSED
    assert result.resolution.elapsed_minutes == 60
    assert result.resolution.remaining_minutes == 180
    assert result.resolution_due_at is None
    assert result.next_change_at is None


def test_the_resolution_clock_counts_again_when_the_customer_answers() -> None:
    # given pending from Monday 10:00 until the customer answers on Tuesday at 11:00
    created = at(11, 23, 9)
    timeline = [
        (created, sla.OPEN),
        (at(11, 23, 10), sla.PENDING),
        (at(11, 24, 11), sla.OPEN),
    ]

    # when we look on Tuesday at 12:00
    result = status(
        created_at=created,
        timeline=timeline,
        first_responded_at=at(11, 23, 10),
        now=at(11, 24, 12),
    )

    # then Monday's first hour and Tuesday's hour count; the rest runs from 11:00
    assert result.resolution.elapsed_minutes == 120
    assert result.resolution_due_at == at(11, 24, 14)
    assert result.resolution.state == ClockState.RUNNING


def test_snoozing_does_not_pause_the_resolution_clock() -> None:
    # given an agent snoozes the conversation at 10:00
    created = at(11, 23, 9)
    timeline = [(created, sla.OPEN), (at(11, 23, 10), sla.SNOOZED)]

    # when
    result = status(created_at=created, timeline=timeline, now=at(11, 23, 12, 45))

    # then the customer is still waiting, so the clock runs on
    assert result.resolution.elapsed_minutes == 225
    assert result.resolution_due_at == at(11, 23, 13)
    assert result.resolution.state == ClockState.WARNING


def test_resolving_while_pending_meets_the_target_even_after_the_unpaused_due_time() -> None:
    # given pending from 10:00; without the pause the target would pass at 13:00
    created = at(11, 23, 9)
    timeline = [
        (created, sla.OPEN),
        (at(11, 23, 10), sla.PENDING),
        (at(11, 25, 9), sla.RESOLVED),
    ]

    # when it is resolved on Wednesday without the customer answering
    result = status(
        created_at=created,
        timeline=timeline,
        first_responded_at=at(11, 23, 10),
        resolved_at=at(11, 25, 9),
        now=at(11, 26, 9),
    )

    # then
    assert result.resolution.state == ClockState.MET
    assert result.resolution.elapsed_minutes == 60
    assert result.next_change_at is None


def test_a_resolution_after_the_target_is_breached_and_stays_breached_when_pending() -> None:
    # given the target passed at 13:00 and the agent set pending at 14:00
    created = at(11, 23, 9)
    timeline = [(created, sla.OPEN), (at(11, 23, 14), sla.PENDING)]

    # when
    result = status(created_at=created, timeline=timeline, now=at(11, 23, 16))

    # then
    assert result.resolution.state == ClockState.BREACHED
    assert result.resolution_due_at == at(11, 23, 13)
    assert result.resolution.elapsed_minutes == 300


def test_time_spent_resolved_before_a_reopen_does_not_count() -> None:
    # given resolved on Monday at 10:00 and reopened by the customer on Tuesday at 9:00
    created = at(11, 23, 9)
    timeline = [
        (created, sla.OPEN),
        (at(11, 23, 10), sla.RESOLVED),
        (at(11, 24, 9), sla.OPEN),
    ]

    # when
    result = status(created_at=created, timeline=timeline, now=at(11, 24, 10))

    # then
    assert result.resolution.elapsed_minutes == 120
    assert result.resolution_due_at == at(11, 24, 12)


def test_a_resolved_status_in_the_timeline_stops_the_clock_without_resolved_at() -> None:
    created = at(11, 23, 9)
    timeline = [(created, sla.OPEN), (at(11, 23, 11), sla.RESOLVED), (at(11, 23, 12), sla.CLOSED)]
    result = status(created_at=created, timeline=timeline, now=at(11, 24, 12))
    assert result.resolution.state == ClockState.MET
    assert result.resolution.stopped_at == at(11, 23, 11)
    assert result.resolution.elapsed_minutes == 120


def test_resolving_without_a_reply_stops_the_first_response_clock() -> None:
    result = status(created_at=at(11, 23, 9), resolved_at=at(11, 23, 9, 20), now=at(11, 23, 12))
    assert result.first_response.state == ClockState.MET
    assert result.first_response.stopped_at == at(11, 23, 9, 20)


def test_a_reopen_does_not_restart_the_first_response_clock() -> None:
    # given resolved at 9:20 without a reply, reopened by the customer on Tuesday
    created = at(11, 23, 9)
    timeline = [(created, sla.OPEN), (at(11, 23, 9, 20), sla.RESOLVED), (at(11, 24, 9), sla.OPEN)]
    result = status(created_at=created, timeline=timeline, now=at(11, 24, 12))
    assert result.first_response.state == ClockState.MET
    assert result.first_response.stopped_at == at(11, 23, 9, 20)
    assert result.resolution.state == ClockState.RUNNING


def test_a_conversation_started_pending_counts_from_the_customers_answer() -> None:
    # given an agent wrote first (pending on the customer) and the customer answers at 11:00
    created = at(11, 23, 9)
    timeline = [(created, sla.PENDING), (at(11, 23, 11), sla.OPEN)]
    result = status(created_at=created, timeline=timeline, now=at(11, 23, 12))
    assert result.resolution.elapsed_minutes == 60
    assert result.resolution_due_at == at(11, 23, 15)


def test_changes_after_now_are_ignored_so_the_past_can_be_replayed() -> None:
    created = at(11, 23, 9)
    timeline = [(created, sla.OPEN), (at(11, 23, 10), sla.PENDING)]
    result = status(
        created_at=created,
        timeline=timeline,
        first_responded_at=at(11, 23, 10),
        now=at(11, 23, 9, 45),
    )
    assert result.first_response.state == ClockState.WARNING
    assert result.resolution.state == ClockState.RUNNING
    assert result.resolution.elapsed_minutes == 45


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown conversation status"):
        status(created_at=at(11, 23, 9), timeline=[(at(11, 23, 9), "archived")], now=at(11, 23, 10))


def test_due_times_follow_the_clocks_going_forward_in_march() -> None:
    # given a shop open every day; summer time starts on Sunday 29 March 2026
    created = at(3, 28, 16, 30)

    # when
    result = status(created_at=created, now=at(3, 29, 9, 20), schedule=EVERY_DAY)

    # then Sunday's 9:30 is in summer time and the night does not count
    due = result.first_response_due_at
    assert due == at(3, 29, 9, 30)
    assert due is not None
    assert due.utcoffset() == dt.timedelta(hours=2)
    assert result.first_response.elapsed_minutes == 50
    assert result.resolution_due_at == at(3, 29, 12, 30)


def test_due_times_follow_the_clocks_going_back_in_october() -> None:
    # given winter time starts on Sunday 25 October 2026
    created = at(10, 24, 16, 30)

    # when
    result = status(created_at=created, now=at(10, 25, 10), schedule=EVERY_DAY)

    # then
    due = result.resolution_due_at
    assert due == at(10, 25, 12, 30)
    assert due is not None
    assert due.utcoffset() == dt.timedelta(hours=1)
    assert result.resolution.elapsed_minutes == 90
    assert result.first_response.state == ClockState.BREACHED


def test_a_shop_that_never_opens_has_no_due_times() -> None:
    closed = Schedule(time_zone=AMSTERDAM, weekly={})
    result = status(created_at=at(11, 23, 9), now=at(11, 30, 9), schedule=closed)
    assert result.first_response_due_at is None
    assert result.first_response.state == ClockState.RUNNING
    assert result.first_response.elapsed_minutes == 0


POLICIES = [
    SlaPolicy(name="Standaard", first_response_minutes=240, resolution_minutes=2400),
    SlaPolicy(name="Chat", first_response_minutes=5, resolution_minutes=60, channel="chat"),
    SlaPolicy(name="Urgent", first_response_minutes=30, resolution_minutes=240, priority="urgent"),
    SlaPolicy(
        name="Urgente chat",
        first_response_minutes=2,
        resolution_minutes=30,
        priority="urgent",
        channel="chat",
    ),
]


@pytest.mark.parametrize(
    ("priority", "channel", "expected"),
    [
        ("urgent", "chat", "Urgente chat"),  # priority and channel
        ("urgent", "email", "Urgent"),  # priority beats channel
        ("normal", "chat", "Chat"),  # channel
        ("normal", "email", "Standaard"),  # default
    ],
)
def test_it_picks_the_most_specific_policy(priority: str, channel: str, expected: str) -> None:
    policy = sla.targets_for(POLICIES, priority=priority, channel=channel)
    assert policy.name == expected


def test_it_has_no_policy_without_a_default() -> None:
    with pytest.raises(sla.NoSlaPolicy):
        sla.targets_for(POLICIES[1:], priority="normal", channel="email")


def test_two_policies_for_the_same_priority_and_channel_are_refused() -> None:
    with pytest.raises(ValueError, match="same priority and channel"):
        sla.SlaTargets((POLICIES[0], SlaPolicy("Ook standaard", 60, 600)))


def test_a_policy_needs_positive_targets() -> None:
    with pytest.raises(ValueError, match="positive"):
        SlaPolicy(name="Nul", first_response_minutes=0, resolution_minutes=60)


def test_the_expected_response_counts_business_hours_over_the_weekend() -> None:
    expected = sla.expected_response_at(
        OFFICE, now=at(11, 20, 16, 30), response_minutes=60, business_hours_only=True
    )
    assert expected == at(11, 23, 9, 30)


def test_the_expected_response_around_the_clock_is_now_plus_the_minutes() -> None:
    now = dt.datetime(2026, 11, 20, 22, 15, tzinfo=dt.UTC)
    expected = sla.expected_response_at(
        OFFICE, now=now, response_minutes=90, business_hours_only=False
    )
    assert expected == dt.datetime(2026, 11, 20, 23, 45, tzinfo=dt.UTC)
    assert expected is not None
    assert expected.tzinfo == AMSTERDAM


def test_there_is_no_expected_response_when_the_shop_never_opens() -> None:
    closed = Schedule(time_zone=AMSTERDAM, weekly={})
    expected = sla.expected_response_at(
        closed, now=at(11, 20, 16, 30), response_minutes=60, business_hours_only=True
    )
    assert expected is None


# Any moment in 2026–2027 (both DST changes, Christmas, Koningsdag), to the microsecond, in UTC
# or in the shop's zone (including the skipped and the repeated hour).
moments = st.datetimes(
    min_value=dt.datetime(2026, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
    max_value=dt.datetime(2027, 12, 31),  # noqa: DTZ001 - idem
    timezones=st.sampled_from([dt.UTC, AMSTERDAM]),
)
times = st.times().map(lambda t: t.replace(microsecond=0))
periods = st.tuples(times, times).filter(lambda p: p[0] < p[1])
# Any weekly schedule: night shifts across the DST hour, overlapping or unsorted periods.
schedules = st.builds(
    Schedule,
    time_zone=st.just(AMSTERDAM),
    weekly=st.dictionaries(st.integers(0, 6), st.lists(periods, min_size=1, max_size=3)),
    holiday_country=st.sampled_from(["NL", None]),
)


@given(start=moments, minutes=st.integers(0, 10_000))
def test_adding_working_minutes_is_undone_by_counting_them(
    start: dt.datetime, minutes: int
) -> None:
    due = OFFICE.add_working_minutes(start, minutes)
    assert due is not None
    assert due >= start
    assert OFFICE.working_minutes_between(start, due) == minutes


@given(schedule=schedules, start=moments, minutes=st.integers(0, 5_000))
def test_any_schedule_counts_back_the_minutes_it_added(
    schedule: Schedule, start: dt.datetime, minutes: int
) -> None:
    due = schedule.add_working_minutes(start, minutes)
    assume(due is not None)
    assert due is not None
    assert due >= start
    assert schedule.working_minutes_between(start, due) == minutes
