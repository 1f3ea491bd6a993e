from __future__ import annotations

import datetime as dt
import zoneinfo

from balie.core.business_hours import Schedule

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
OFFICE = {weekday: [(dt.time(9), dt.time(17))] for weekday in range(5)}


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMSTERDAM)


def test_it_is_open_on_a_weekday_afternoon_and_closed_at_night() -> None:
    schedule = Schedule(time_zone=AMSTERDAM, weekly=OFFICE)
    assert schedule.is_open(at(2026, 11, 23, 14, 0))
    assert not schedule.is_open(at(2026, 11, 23, 22, 0))


def test_it_opens_next_on_monday_after_a_friday_evening() -> None:
    schedule = Schedule(time_zone=AMSTERDAM, weekly=OFFICE)
    assert schedule.next_opening(at(2026, 11, 27, 18, 0)) == at(2026, 11, 30, 9, 0)


def test_it_skips_dutch_public_holidays() -> None:
    # given Christmas 2026 falls on Friday, Boxing Day on Saturday
    schedule = Schedule(time_zone=AMSTERDAM, weekly=OFFICE)
    # when we ask on Christmas Eve evening
    opening = schedule.next_opening(at(2026, 12, 24, 18, 0))
    # then the next working moment is Monday 28 December
    assert opening == at(2026, 12, 28, 9, 0)
    assert schedule.closed_reason(dt.date(2026, 4, 27)) == "Koningsdag"


def test_it_skips_the_shops_own_closing_days() -> None:
    schedule = Schedule(
        time_zone=AMSTERDAM, weekly=OFFICE, closing_days={dt.date(2026, 11, 24): "Personeelsuitje"}
    )
    assert schedule.next_opening(at(2026, 11, 23, 17, 30)) == at(2026, 11, 25, 9, 0)


def test_working_minutes_carry_over_the_night() -> None:
    schedule = Schedule(time_zone=AMSTERDAM, weekly=OFFICE)
    assert schedule.add_working_minutes(at(2026, 11, 23, 16, 0), 120) == at(2026, 11, 24, 10, 0)
    assert schedule.working_minutes_between(at(2026, 11, 23, 16, 0), at(2026, 11, 24, 10, 0)) == 120


def test_working_minutes_are_wall_clock_across_the_dst_change() -> None:
    # given a shop open every day, and the clocks go back on Sunday 25 October 2026
    schedule = Schedule(
        time_zone=AMSTERDAM,
        weekly={day: [(dt.time(9), dt.time(17))] for day in range(7)},
        holiday_country=None,
    )
    # when 60 working minutes start at 16:30 on Saturday
    due = schedule.add_working_minutes(at(2026, 10, 24, 16, 30), 60)
    # then they end at 09:30 local time on Sunday, in winter time
    assert due == at(2026, 10, 25, 9, 30)
    assert due is not None
    assert due.utcoffset() == dt.timedelta(hours=1)


def test_a_shop_without_hours_never_opens() -> None:
    schedule = Schedule(time_zone=AMSTERDAM, weekly={})
    assert schedule.next_opening(at(2026, 11, 23, 9, 0)) is None
    assert schedule.add_working_minutes(at(2026, 11, 23, 9, 0), 5) is None


def test_a_night_shift_counts_real_minutes_when_the_clocks_go_forward() -> None:
    # given a service open 01:00–05:00 every night; on Sunday 29 March 2026 02:00 becomes 03:00
    schedule = Schedule(
        time_zone=AMSTERDAM,
        weekly={day: [(dt.time(1), dt.time(5))] for day in range(7)},
        holiday_country=None,
    )
    # when
    minutes = schedule.working_minutes_between(at(2026, 3, 29, 1, 0), at(2026, 3, 29, 5, 0))
    due = schedule.add_working_minutes(at(2026, 3, 29, 1, 0), 200)
    # then that night is three hours long, so 20 minutes carry over to Monday night
    assert minutes == 180
    assert due == at(2026, 3, 30, 1, 20)


def test_overlapping_periods_count_once() -> None:
    schedule = Schedule(
        time_zone=AMSTERDAM, weekly={0: [(dt.time(11), dt.time(14)), (dt.time(9), dt.time(12))]}
    )
    assert schedule.periods_on(dt.date(2026, 11, 23)) == [
        (at(2026, 11, 23, 9), at(2026, 11, 23, 14))
    ]
    assert schedule.working_minutes_between(at(2026, 11, 23, 8), at(2026, 11, 23, 15)) == 300
    assert schedule.add_working_minutes(at(2026, 11, 23, 8), 300) == at(2026, 11, 23, 14)


def test_working_minutes_over_two_years_are_exact() -> None:
    schedule = Schedule(
        time_zone=AMSTERDAM,
        weekly={day: [(dt.time(9), dt.time(17))] for day in range(7)},
        holiday_country=None,
    )
    minutes = schedule.working_minutes_between(at(2026, 1, 1, 9, 0), at(2028, 1, 1, 0, 0))
    assert minutes == 730 * 8 * 60
