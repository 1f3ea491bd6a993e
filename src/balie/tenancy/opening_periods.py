"""A day's opening periods as people type them: "9:00–17:00", "9-12:30, 13:00-17:30",
"8.30 tot 12 en 13 tot 17". Blank is closed.

`parse_periods` turns such a line into sorted (start, end) times or raises PeriodsInvalid
with a Dutch sentence naming the part it does not understand; `format_periods` writes
periods back the way the settings page shows them. Overlaps are the services' to refuse
(`tenancy.services.opening_hours_set`, `tenancy.presence.agent_working_hours_set`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

PERIODS_PER_DAY_MAX = 6
_SEPARATORS = re.compile(r"\s*(?:,|;|\ben\b|\band\b|\+)\s*", re.IGNORECASE)
_RANGE = re.compile(
    r"^(?P<start>\d{1,2}(?:[:.h]\d{2})?)\s*(?:-|–|—|\btot\b|\bto\b)\s*"
    r"(?P<end>\d{1,2}(?:[:.h]\d{2})?)$",
    re.IGNORECASE,
)
_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2}))?$")


class PeriodsInvalid(ValueError):
    """The text is not a list of periods; `message` says why, in Dutch."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_periods(text: str) -> list[tuple[dt.time, dt.time]]:
    """The periods in `text`, sorted by start. Raises PeriodsInvalid."""
    text = " ".join(text.replace("\u2009", " ").replace("\xa0", " ").split())
    if not text or text.lower() in {"gesloten", "dicht", "closed", "-"}:
        return []
    parts = [part for part in _SEPARATORS.split(text) if part]
    if len(parts) > PERIODS_PER_DAY_MAX:
        raise PeriodsInvalid(
            _("Hoogstens %(max)d tijdvakken per dag.") % {"max": PERIODS_PER_DAY_MAX}
        )
    periods = []
    for part in parts:
        found = _RANGE.match(part.strip())
        if found is None:
            raise PeriodsInvalid(
                _("“%(part)s” is geen tijdvak. Schrijf het als 9:00–17:00.") % {"part": part}
            )
        start, end = _time(found["start"]), _time(found["end"])
        if start >= end:
            raise PeriodsInvalid(
                _("%(period)s: het begin ligt niet voor het eind. Tot middernacht? Vul 23:59 in.")
                % {"period": part}
            )
        periods.append((start, end))
    return sorted(periods)


def format_periods(periods: Iterable[tuple[dt.time, dt.time]]) -> str:
    """ "9:00–12:30, 13:00–17:00"; "" for none."""
    return ", ".join(
        f"{start.hour}:{start.minute:02d}–{end.hour}:{end.minute:02d}"
        for start, end in sorted(periods)
    )


def _time(text: str) -> dt.time:
    found = _TIME.match(text)
    if found is None:  # the range pattern only lets times through
        raise PeriodsInvalid(_("“%(time)s” is geen tijd.") % {"time": text})
    hour, minute = int(found["hour"]), int(found["minute"] or 0)
    if hour > 23 or minute > 59:
        raise PeriodsInvalid(
            _("“%(time)s” is geen tijd van de dag. Tot middernacht? Vul 23:59 in.") % {"time": text}
        )
    return dt.time(hour, minute)
