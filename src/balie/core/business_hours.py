"""Opening hours as a pure calculation: is a shop open, when does it open next, and when is
"N working minutes from now"?

A `Schedule` holds a shop's weekly periods, closed dates (Dutch public holidays from the
`holidays` package plus the shop's own closing days) and its time zone. Periods are local
wall-clock times; results are aware datetimes, correct across DST changes because each day is
placed in the time zone separately.

Arithmetic and comparisons run in UTC: Python compares and subtracts two datetimes that share a
tzinfo by their wall-clock fields, so a period spanning a DST change (a night shift, a shop open
around the clock) would otherwise count an hour too many or too few.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import holidays

# Look this many days ahead before deciding a shop never opens (a year covers any holiday run).
_SEARCH_DAYS = 400


@dataclass(frozen=True)
class Schedule:
    time_zone: zoneinfo.ZoneInfo
    # weekday (0 = Monday) -> sorted (opens, closes) local times
    weekly: Mapping[int, Sequence[tuple[dt.time, dt.time]]]
    closing_days: Mapping[dt.date, str] = field(default_factory=dict)
    holiday_country: str | None = "NL"

    def closed_reason(self, day: dt.date) -> str | None:
        """Why the service is closed all day on `day`, or None when it follows the week."""
        if day in self.closing_days:
            return self.closing_days[day] or "closed"
        if self.holiday_country:
            name = _holidays(self.holiday_country, day.year).get(day)
            if name:
                return str(name)
        return None

    def periods_on(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The day's opening periods as aware datetimes in the shop's time zone.

        In time order, overlapping periods merged, and a period that falls entirely in the hour
        skipped when the clocks go forward left out, so no moment is counted twice.
        """
        if self.closed_reason(day) is not None:
            return []
        placed = [
            (
                dt.datetime.combine(day, opens, tzinfo=self.time_zone),
                dt.datetime.combine(day, closes, tzinfo=self.time_zone),
            )
            for opens, closes in self.weekly.get(day.weekday(), ())
        ]
        placed.sort(key=lambda period: _utc(period[0]))
        periods: list[tuple[dt.datetime, dt.datetime]] = []
        for opens, closes in placed:
            if _utc(closes) <= _utc(opens):
                continue
            if periods and _utc(opens) <= _utc(periods[-1][1]):
                periods[-1] = (periods[-1][0], max(periods[-1][1], closes, key=_utc))
            else:
                periods.append((opens, closes))
        return periods

    def periods_from(self, start: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """Opening periods that end after `start`, the first one clipped to begin at `start`."""
        local_start = start.astimezone(self.time_zone)
        for offset in range(_SEARCH_DAYS):
            for opens, closes in self.periods_on(local_start.date() + dt.timedelta(days=offset)):
                if _utc(closes) <= _utc(start):
                    continue
                yield max(opens, local_start, key=_utc), closes

    def is_open(self, at: dt.datetime) -> bool:
        local = at.astimezone(self.time_zone)
        return any(
            _utc(opens) <= _utc(at) < _utc(closes)
            for opens, closes in self.periods_on(local.date())
        )

    def next_opening(self, after: dt.datetime) -> dt.datetime | None:
        """`after` itself when open then, else the start of the next period; None if never."""
        return next((opens for opens, _closes in self.periods_from(after)), None)

    def add_working_minutes(self, start: dt.datetime, minutes: int) -> dt.datetime | None:
        """The moment `minutes` of opening time have passed since `start` (None: never).

        With 0 minutes this is the next opening (or `start` itself when open then).
        """
        return self.add_working_time(start, dt.timedelta(minutes=minutes))

    def add_working_time(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime | None:
        """Like `add_working_minutes`, for an exact duration (seconds count)."""
        remaining = duration
        for opens, closes in self.periods_from(start):
            length = _utc(closes) - _utc(opens)
            if remaining <= length:
                return (_utc(opens) + remaining).astimezone(self.time_zone)
            remaining -= length
        return None

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Opening time in [start, end), exact (not rounded to minutes); zero if end <= start.

        Walks the days from `start` to `end` without the look-ahead limit of `periods_from`, so
        it stays exact for spans longer than a year.
        """
        start_utc, end_utc = _utc(start), _utc(end)
        total = dt.timedelta()
        day = start.astimezone(self.time_zone).date()
        last_day = end.astimezone(self.time_zone).date()
        while day <= last_day:
            for opens, closes in self.periods_on(day):
                overlap = min(_utc(closes), end_utc) - max(_utc(opens), start_utc)
                if overlap > dt.timedelta():
                    total += overlap
            day += dt.timedelta(days=1)
        return total

    def working_minutes_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole minutes of opening time in [start, end)."""
        return int(self.working_time_between(start, end).total_seconds() // 60)


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


_holiday_cache: dict[tuple[str, int], Mapping[dt.date, str]] = {}


def _holidays(country: str, year: int) -> Mapping[dt.date, str]:
    key = (country, year)
    if key not in _holiday_cache:
        _holiday_cache[key] = holidays.country_holidays(country, years=year, language="nl")
    return _holiday_cache[key]


def public_holidays(country: str, year: int) -> list[tuple[dt.date, str]]:
    return sorted(_holidays(country, year).items())
