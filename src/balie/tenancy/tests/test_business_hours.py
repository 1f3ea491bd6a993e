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
