"""Writes for opening hours, closing days and contact options; every change to the hours
re-times the SLA clocks of the shop's open conversations."""

from __future__ import annotations

import datetime as dt

import pytest

from balie.inbox.models import Conversation, ConversationStatus
from balie.inbox.tests.factories import ConversationFactory
from balie.tenancy import errors, opening_hours, selectors
from balie.tenancy.models import BusinessHours, ClosingDay, ContactOption, Shop
from balie.tenancy.tests.factories import ContactOptionFactory, office_hours

pytestmark = pytest.mark.django_db

T = dt.time


def week(shop: Shop) -> list[tuple[int, dt.time, dt.time]]:
    return list(
        BusinessHours.objects.for_shop(shop).values_list("weekday", "opens_at", "closes_at")
    )


def test_the_week_is_replaced_and_open_conversations_are_re_timed(shop: Shop) -> None:
    # given
    office_hours(shop)
    open_one = ConversationFactory(shop=shop)
    closed_one = ConversationFactory(shop=shop, status=ConversationStatus.CLOSED)

    # when: a split Monday, a short Saturday, the rest closed; another zone and country
    opening_hours.opening_hours_set(
        shop=shop,
        periods=[(0, T(13), T(17)), (0, T(9), T(12, 30)), (5, T(10), T(14))],
        time_zone="Europe/Brussels",
        holiday_country="be",
        closed_on_public_holidays=False,
    )

    # then
    assert week(shop) == [(0, T(9), T(12, 30)), (0, T(13), T(17)), (5, T(10), T(14))]
    stored = Shop.objects.get(pk=shop.pk)
    assert (stored.time_zone, stored.holiday_country) == ("Europe/Brussels", "BE")
    assert stored.closed_on_public_holidays is False
    assert shop.time_zone == "Europe/Brussels"
    assert Conversation.objects.get(pk=open_one.pk).sla_next_check_at is not None
    assert Conversation.objects.get(pk=closed_one.pk).sla_next_check_at is None


def test_periods_may_touch_but_not_overlap(shop: Shop) -> None:
    # given
    office_hours(shop)

    # when
    opening_hours.opening_hours_set(shop=shop, periods=[(2, T(9), T(12)), (2, T(12), T(17))])
    with pytest.raises(errors.OpeningHoursInvalid) as raised:
        opening_hours.opening_hours_set(shop=shop, periods=[(3, T(9), T(13)), (3, T(12), T(17))])

    # then: the refused week changed nothing
    assert raised.value.field == "day_3"
    assert week(shop) == [(2, T(9), T(12)), (2, T(12), T(17))]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"periods": [(1, T(17), T(9))]}, "day_1"),
        ({"periods": [(7, T(9), T(17))]}, "periods"),
        ({"periods": [], "time_zone": "Europe/Amsterdamm"}, "time_zone"),
        ({"periods": [], "holiday_country": "XX"}, "holiday_country"),
        ({"periods": [(4, T(h), T(h, 30)) for h in range(7)]}, "day_4"),
    ],
)
def test_hours_that_cannot_work_are_refused(
    shop: Shop, fields: dict[str, object], field: str
) -> None:
    # given
    office_hours(shop)

    # when
    with pytest.raises(errors.OpeningHoursInvalid) as raised:
        opening_hours.opening_hours_set(shop=shop, **fields)  # type: ignore[arg-type]

    # then
    assert raised.value.field == field
    assert len(week(shop)) == 5


def test_closing_days_for_a_holiday_week_at_once_and_again_without_doubles(shop: Shop) -> None:
    # given
    conversation = ConversationFactory(shop=shop)

    # when
    opening_hours.closing_days_add(
        shop=shop, first=dt.date(2026, 12, 24), last=dt.date(2026, 12, 27), reason="Kerst"
    )
    again = opening_hours.closing_days_add(
        shop=shop, first=dt.date(2026, 12, 27), last=dt.date(2026, 12, 28), reason=" Kerst  vrij"
    )

    # then
    days = dict(ClosingDay.objects.for_shop(shop).values_list("date", "reason"))
    assert list(days) == [dt.date(2026, 12, day) for day in (24, 25, 26, 27, 28)]
    assert (days[dt.date(2026, 12, 26)], days[dt.date(2026, 12, 27)]) == ("Kerst", "Kerst vrij")
    assert [day.date.day for day in again] == [27, 28]
    assert Conversation.objects.get(pk=conversation.pk).sla_next_check_at is not None
    assert selectors.schedule_for(shop=shop).closed_reason(dt.date(2026, 12, 24)) == "Kerst"


@pytest.mark.parametrize(
    ("first", "last", "reason", "field"),
    [
        (dt.date(2026, 5, 2), dt.date(2026, 5, 1), "", "last"),
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31), "", "last"),
        (dt.date(2026, 5, 1), None, "x" * 121, "reason"),
    ],
)
def test_closing_days_that_cannot_be_are_refused(
    shop: Shop, first: dt.date, last: dt.date | None, reason: str, field: str
) -> None:
    with pytest.raises(errors.ClosingDayInvalid) as raised:
        opening_hours.closing_days_add(shop=shop, first=first, last=last, reason=reason)
    assert raised.value.field == field
    assert not ClosingDay.objects.for_shop(shop).exists()


def test_deleting_a_closing_day_opens_that_day_again(shop: Shop) -> None:
    # given
    [day] = opening_hours.closing_days_add(shop=shop, first=dt.date(2026, 6, 5))
    conversation = ConversationFactory(shop=shop)

    # when
    opening_hours.closing_day_delete(shop=shop, closing_day=day)
    opening_hours.closing_day_delete(shop=shop, closing_day=day)  # idempotent

    # then
    assert not ClosingDay.objects.for_shop(shop).exists()
    assert Conversation.objects.get(pk=conversation.pk).sla_next_check_at is not None


def test_a_contact_option_is_added_last_changed_and_deleted(shop: Shop) -> None:
    # given
    ContactOptionFactory(shop=shop, position=3)

    # when
    option = opening_hours.contact_option_create(
        shop=shop, channel="phone", label=" Bel  ons ", value="020 123 4567", response_minutes=5
    )
    opening_hours.contact_option_update(
        shop=shop, option=option, response_minutes=10, business_hours_only=False
    )

    # then
    stored = ContactOption.objects.get(pk=option.pk)
    assert (stored.label, stored.position) == ("Bel ons", 4)
    assert (stored.response_minutes, stored.business_hours_only) == (10, False)

    # when
    opening_hours.contact_option_delete(shop=shop, option=stored)

    # then
    assert not ContactOption.objects.filter(pk=option.pk).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"label": " "}, "label"),
        ({"channel": "email", "value": "geen adres"}, "value"),
        ({"value": "regel\nregel"}, "value"),
        ({"response_minutes": 0}, "response_minutes"),
        ({"response_minutes": 14 * 24 * 60 + 1}, "response_minutes"),
    ],
)
def test_contact_options_that_cannot_work_are_refused(
    shop: Shop, fields: dict[str, object], field: str
) -> None:
    # given
    values: dict[str, object] = {"channel": "chat", "label": "Chat", "response_minutes": 5}
    values.update(fields)

    # when
    with pytest.raises(errors.ContactOptionInvalid) as raised:
        opening_hours.contact_option_create(shop=shop, **values)  # type: ignore[arg-type]

    # then
    assert raised.value.field == field
