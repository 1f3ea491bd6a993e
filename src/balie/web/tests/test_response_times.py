from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import translation

from balie.core.business_hours import Schedule
from balie.tenancy.models import ContactChannel, ContactOption
from balie.web import response_times

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
OFFICE_HOURS = Schedule(
    time_zone=AMSTERDAM,
    weekly={weekday: [(dt.time(9), dt.time(17))] for weekday in range(5)},
    holiday_country="NL",
)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    # November 2026: Monday 23rd, Tuesday 24th, … Friday 27th.
    return dt.datetime(2026, month, day, hour, minute, tzinfo=AMSTERDAM)


def sentence(channel: str, minutes: int, now: dt.datetime) -> str:
    option = ContactOption(channel=channel, label=channel, response_minutes=minutes)
    with translation.override("nl"):
        promise = response_times.response_promise(option=option, schedule=OFFICE_HOURS, now=now)
        return response_times.promise_sentence(promise)


def test_it_promises_a_duration_while_open_and_due_today() -> None:
    # given a Tuesday morning
    now = at(24, 10)

    # when
    text = sentence(ContactChannel.EMAIL, 120, now)

    # then
    assert text == "Je krijgt antwoord binnen 2 uur."


def test_it_names_tomorrow_and_a_time_when_closed_in_the_evening() -> None:
    # given a Tuesday evening and a two-hour promise
    now = at(24, 20, 15)

    # when
    text = sentence(ContactChannel.EMAIL, 120, now)

    # then
    assert text == "Je krijgt morgen vóór 11:00 antwoord."


def test_it_carries_working_minutes_over_the_weekend() -> None:
    # given a Friday at 16:00 and four working hours
    now = at(27, 16)

    # when
    text = sentence(ContactChannel.EMAIL, 240, now)

    # then one hour on Friday, three on Monday
    assert text == "Je krijgt maandag vóór 12:00 antwoord."


def test_it_skips_public_holidays() -> None:
    # given Christmas Eve (Thursday) evening: both Christmas days are holidays
    now = at(24, 18, month=12)

    # when
    text = sentence(ContactChannel.EMAIL, 60, now)

    # then the answer comes Monday the 28th
    assert text == "Je krijgt maandag vóór 10:00 antwoord."


def test_it_says_when_a_live_channel_is_reachable_again() -> None:
    # given a Saturday
    now = at(28, 12)

    # when
    text = sentence(ContactChannel.CHAT, 2, now)

    # then
    assert text == "Weer bereikbaar maandag vanaf 9:00."


def test_it_rounds_the_promised_time_up_to_five_minutes() -> None:
    # given a Tuesday at 15:32 and a two-hour promise that runs into Wednesday
    now = at(24, 15, 32)

    # when
    text = sentence(ContactChannel.CALLBACK, 120, now)

    # then 88 minutes on Tuesday, 32 on Wednesday: 9:32, shown as 9:35
    assert text == "We bellen je morgen vóór 9:35 terug."


def test_it_names_a_date_more_than_a_week_ahead() -> None:
    # given a shop closed for a fortnight
    closed = {at(23, 0).date() + dt.timedelta(days=n): "Verbouwing" for n in range(14)}
    schedule = Schedule(time_zone=AMSTERDAM, weekly=OFFICE_HOURS.weekly, closing_days=closed)
    option = ContactOption(channel=ContactChannel.EMAIL, label="E-mail", response_minutes=60)

    # when
    with translation.override("nl"):
        promise = response_times.response_promise(option=option, schedule=schedule, now=at(23, 9))
        text = response_times.promise_sentence(promise)

    # then
    assert text == "Je krijgt op 7 december vóór 10:00 antwoord."


def test_it_describes_the_promise_in_working_hours() -> None:
    # given
    email = ContactOption(channel=ContactChannel.EMAIL, label="E-mail", response_minutes=240)
    chat = ContactOption(channel=ContactChannel.CHAT, label="Chat", response_minutes=2)
    mixed = ContactOption(channel=ContactChannel.FORM, label="Formulier", response_minutes=90)

    # when
    with translation.override("nl"):
        texts = [response_times.promised_time(option) for option in (email, chat, mixed)]

    # then
    assert texts == ["binnen 4 werkuren", "binnen 2 minuten", "binnen 1 uur en 30 minuten"]
