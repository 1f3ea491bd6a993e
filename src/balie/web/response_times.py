"""How Balie tells a shopper when they will hear back, in words a webshop would use.

The moment comes from the shop's business hours (`inbox.sla.expected_response_at`); this
module only turns it into a sentence: "Je krijgt antwoord binnen 2 uur" while the moment is
still today, otherwise "Je krijgt morgen vóór 11:00 antwoord". Live channels (chat, phone)
that are closed say when they are reachable again instead.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from balie.core.business_hours import Schedule
from balie.inbox import sla
from balie.tenancy.models import ContactChannel, ContactOption

LIVE_CHANNELS = frozenset({ContactChannel.CHAT, ContactChannel.PHONE})
# Promised moments are rounded up to this many minutes: "vóór 11:05" rather than 11:02.
_ROUNDING_MINUTES = 5


@dataclass(frozen=True)
class ResponsePromise:
    """When the shop promises an answer on one contact option, seen from `now`."""

    now: dt.datetime  # in the shop's time zone
    minutes: int
    available_now: bool
    due_at: dt.datetime | None  # None: the shop has no opening hours at all
    reachable_from: dt.datetime | None  # live channels: when they open again
    channel: str

    @property
    def is_live(self) -> bool:
        return self.channel in LIVE_CHANNELS


def response_promise(
    *, option: ContactOption, schedule: Schedule, now: dt.datetime
) -> ResponsePromise:
    local_now = now.astimezone(schedule.time_zone)
    minutes = option.response_minutes
    due_at = sla.expected_response_at(
        schedule,
        now=local_now,
        response_minutes=minutes,
        business_hours_only=option.business_hours_only,
    )
    available = not option.business_hours_only or schedule.is_open(local_now)
    reachable_from = None if available else schedule.next_opening(local_now)
    return ResponsePromise(
        now=local_now,
        minutes=minutes,
        available_now=available,
        due_at=_round_up(due_at.astimezone(schedule.time_zone)) if due_at else None,
        reachable_from=reachable_from.astimezone(schedule.time_zone) if reachable_from else None,
        channel=option.channel,
    )


def promise_sentence(promise: ResponsePromise) -> str:
    """The sentence shown beside a contact option, in the active language."""
    if promise.due_at is None:
        return _("We reageren zo snel mogelijk.")
    if promise.is_live and not promise.available_now and promise.reachable_from is not None:
        return _("Weer bereikbaar %(day)s vanaf %(time)s.") % {
            "day": day_phrase(promise.reachable_from.date(), today=promise.now.date()),
            "time": clock(promise.reachable_from),
        }
    if promise.available_now and promise.due_at.date() == promise.now.date():
        duration = duration_phrase(promise.minutes)
        if promise.channel == ContactChannel.CALLBACK:
            return _("We bellen je binnen %(duration)s terug.") % {"duration": duration}
        if promise.channel == ContactChannel.PHONE:
            return _("Je hebt binnen %(duration)s iemand aan de lijn.") % {"duration": duration}
        return _("Je krijgt antwoord binnen %(duration)s.") % {"duration": duration}
    values = {
        "day": day_phrase(promise.due_at.date(), today=promise.now.date()),
        "time": clock(promise.due_at),
    }
    if promise.channel == ContactChannel.CALLBACK:
        return _("We bellen je %(day)s vóór %(time)s terug.") % values
    return _("Je krijgt %(day)s vóór %(time)s antwoord.") % values


def promised_time(option: ContactOption) -> str:
    """The promise itself, independent of the moment: "binnen 4 werkuren"."""
    duration = duration_phrase(option.response_minutes)
    if option.business_hours_only and option.response_minutes >= 60:
        hours, rest = divmod(option.response_minutes, 60)
        if not rest:
            return ngettext("binnen %(count)d werkuur", "binnen %(count)d werkuren", hours) % {
                "count": hours
            }
    return _("binnen %(duration)s") % {"duration": duration}


def duration_phrase(minutes: int) -> str:
    if minutes < 60:
        return ngettext("%(count)d minuut", "%(count)d minuten", minutes) % {"count": minutes}
    hours, rest = divmod(minutes, 60)
    hours_text = ngettext("%(count)d uur", "%(count)d uur", hours) % {"count": hours}
    if not rest:
        return hours_text
    rest_text = ngettext("%(count)d minuut", "%(count)d minuten", rest) % {"count": rest}
    return _("%(hours)s en %(minutes)s") % {"hours": hours_text, "minutes": rest_text}


def day_phrase(day: dt.date, *, today: dt.date) -> str:
    """ "vandaag", "morgen", "maandag" within a week, else "op 2 januari"."""
    days_ahead = (day - today).days
    if days_ahead <= 0:
        return _("vandaag")
    if days_ahead == 1:
        return _("morgen")
    if days_ahead < 7:
        return pgettext("on a weekday", "%(weekday)s") % {"weekday": date_format(day, "l")}
    return pgettext("on a date", "op %(date)s") % {"date": date_format(day, "MONTH_DAY_FORMAT")}


def clock(moment: dt.datetime) -> str:
    return time_format(moment, "G:i")


def _round_up(moment: dt.datetime) -> dt.datetime:
    step = _ROUNDING_MINUTES * 60
    seconds = moment.minute * 60 + moment.second + moment.microsecond / 1_000_000
    rounded = math.ceil(seconds / step) * step
    return moment.replace(minute=0, second=0, microsecond=0) + dt.timedelta(seconds=rounded)
