"""Reads for the agent dashboard and the public help center, shaped for their templates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from balie.core.business_hours import Schedule
from balie.customers import selectors as customer_selectors
from balie.orders import selectors as order_selectors
from balie.orders.models import OrderStatus
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.models import ContactChannel, ContactOption, Membership, Shop, Team
from balie.web import response_times
from balie.web.brand import BrandPalette, brand_palette

# How far ahead the pages look for public holidays and closing days, and how many they list.
CLOSED_DAYS_HORIZON = dt.timedelta(days=120)
CLOSED_DAYS_SHOWN = 6
# A Monday, to name weekdays in the active language.
_A_MONDAY = dt.date(2024, 1, 1)


@dataclass(frozen=True)
class ServiceStatus:
    is_open: bool
    today: dt.date
    today_periods: list[tuple[dt.datetime, dt.datetime]]
    closes_at: dt.datetime | None  # while open: the end of the current period
    next_opening: dt.datetime | None  # while closed
    next_opening_day: str  # "morgen", "maandag", … for `next_opening`
    closed_reason: str | None  # a holiday or closing day today


@dataclass(frozen=True)
class ContactOptionView:
    option: ContactOption
    href: str
    promised: str  # "binnen 4 werkuren"
    sentence: str  # "Je krijgt morgen vóór 11:00 antwoord."


@dataclass(frozen=True)
class WeekdayHours:
    weekday: int
    name: str
    periods: list[tuple[dt.time, dt.time]]
    is_today: bool


@dataclass(frozen=True)
class ClosedDay:
    date: dt.date
    reason: str


@dataclass(frozen=True)
class HelpCenterPage:
    shop: Shop
    palette: BrandPalette
    status: ServiceStatus
    contact_options: list[ContactOptionView]
    week: list[WeekdayHours]
    closed_days: list[ClosedDay]


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class Dashboard:
    customer_count: int
    order_count: int
    orders_by_status: list[StatusCount]
    status: ServiceStatus
    contact_options: list[ContactOptionView]
    closed_days: list[ClosedDay]
    agents: list[Membership]
    teams: list[Team]


def help_center_page(*, shop: Shop, now: dt.datetime) -> HelpCenterPage:
    schedule = tenancy_selectors.schedule_for(shop=shop)
    return HelpCenterPage(
        shop=shop,
        palette=brand_palette(shop.brand_colour),
        status=service_status(schedule=schedule, now=now),
        contact_options=contact_options(shop=shop, schedule=schedule, now=now),
        week=week_hours(schedule=schedule, now=now),
        closed_days=closed_days(schedule=schedule, now=now),
    )


def dashboard(*, shop: Shop, now: dt.datetime) -> Dashboard:
    schedule = tenancy_selectors.schedule_for(shop=shop)
    counts = dict(
        order_selectors.order_list(shop=shop)
        .order_by()
        .values_list("status")
        .annotate(count=Count("id"))
    )
    return Dashboard(
        customer_count=customer_selectors.customer_list(shop=shop).count(),
        order_count=sum(counts.values()),
        orders_by_status=[
            StatusCount(status=status.value, label=str(status.label), count=counts.get(status, 0))
            for status in OrderStatus
        ],
        status=service_status(schedule=schedule, now=now),
        contact_options=contact_options(shop=shop, schedule=schedule, now=now),
        closed_days=closed_days(schedule=schedule, now=now),
        agents=list(tenancy_selectors.agent_list(shop=shop).filter(is_active=True)),
        teams=list(tenancy_selectors.team_list(shop=shop)),
    )


def service_status(*, schedule: Schedule, now: dt.datetime) -> ServiceStatus:
    local_now = now.astimezone(schedule.time_zone)
    today = local_now.date()
    periods = schedule.periods_on(today)
    current = next((p for p in periods if p[0] <= local_now < p[1]), None)
    next_opening = None if current else schedule.next_opening(local_now)
    return ServiceStatus(
        is_open=current is not None,
        today=today,
        today_periods=periods,
        closes_at=current[1] if current else None,
        next_opening=next_opening,
        next_opening_day=(
            response_times.day_phrase(next_opening.date(), today=today) if next_opening else ""
        ),
        closed_reason=_closed_reason(schedule, today),
    )


def contact_options(*, shop: Shop, schedule: Schedule, now: dt.datetime) -> list[ContactOptionView]:
    views = []
    for option in tenancy_selectors.contact_option_list(shop=shop):
        promise = response_times.response_promise(option=option, schedule=schedule, now=now)
        views.append(
            ContactOptionView(
                option=option,
                href=contact_href(option),
                promised=response_times.promised_time(option),
                sentence=response_times.promise_sentence(promise),
            )
        )
    return views


def week_hours(*, schedule: Schedule, now: dt.datetime) -> list[WeekdayHours]:
    today = now.astimezone(schedule.time_zone).weekday()
    return [
        WeekdayHours(
            weekday=weekday,
            name=date_format(_A_MONDAY + dt.timedelta(days=weekday), "l"),
            periods=list(schedule.weekly.get(weekday, ())),
            is_today=weekday == today,
        )
        for weekday in range(7)
    ]


def closed_days(*, schedule: Schedule, now: dt.datetime) -> list[ClosedDay]:
    """Upcoming days the service is closed although the week says open (holidays and own
    closing days), from today on."""
    today = now.astimezone(schedule.time_zone).date()
    days: list[ClosedDay] = []
    day = today
    while day <= today + CLOSED_DAYS_HORIZON and len(days) < CLOSED_DAYS_SHOWN:
        reason = _closed_reason(schedule, day)
        if reason is not None and schedule.weekly.get(day.weekday()):
            days.append(ClosedDay(date=day, reason=reason))
        day += dt.timedelta(days=1)
    return days


def _closed_reason(schedule: Schedule, day: dt.date) -> str | None:
    if day in schedule.closing_days:
        return schedule.closing_days[day] or _("Gesloten")
    return schedule.closed_reason(day)


def contact_href(option: ContactOption) -> str:
    """A link that opens the option (mail, phone, WhatsApp, web page), or "" when none fits.

    Built from the stored value by channel, so a value cannot smuggle in another scheme.
    """
    value = option.value.strip()
    if not value:
        return ""
    digits = "".join(ch for ch in value if ch.isdigit())
    match option.channel:
        case ContactChannel.EMAIL if "@" in value and ":" not in value:
            return f"mailto:{value}"
        case ContactChannel.PHONE | ContactChannel.CALLBACK if digits:
            return f"tel:{'+' if value.startswith('+') else ''}{digits}"
        case ContactChannel.WHATSAPP if digits:
            return f"https://wa.me/{digits}"
        case _ if value.startswith("https://"):
            return value
    return ""
