"""The demo shop itself: name, domain, hours, closing day, contact options, agents and teams."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from balie.tenancy import services
from balie.tenancy.models import (
    BusinessHours,
    ClosingDay,
    ContactChannel,
    ContactOption,
    Membership,
    Role,
    Shop,
    ShopDomain,
)

SLUG = "pollepel"
NAME = "Kookwinkel De Pollepel"
DOMAIN = "pollepel.localhost"
SUPPORT_EMAIL = "klantenservice@pollepel.example"
WEBSITE_URL = "https://www.pollepel.example"
BRAND_COLOUR = "#b4441f"  # terracotta, like a cast-iron pan's enamel

WEEK = [
    *((weekday, dt.time(8, 30), dt.time(17, 30)) for weekday in range(5)),
    (5, dt.time(10), dt.time(16)),
]


@dataclass(frozen=True)
class DemoAgent:
    email: str
    full_name: str
    role: Role


AGENTS = [
    DemoAgent("marloes@pollepel.example", "Marloes Verhoeven", Role.OWNER),
    DemoAgent("daan@pollepel.example", "Daan Bakker", Role.AGENT),
    DemoAgent("fatima@pollepel.example", "Fatima El Amrani", Role.AGENT),
]

# (channel, label, value, promised minutes within opening hours)
CONTACT_OPTIONS = [
    (ContactChannel.CHAT, "Chat", "", 2),
    (ContactChannel.EMAIL, "E-mail", SUPPORT_EMAIL, 4 * 60),
    (ContactChannel.PHONE, "Telefoon", "+31 30 760 01 23", 5),
    (ContactChannel.WHATSAPP, "WhatsApp", "+31 6 2012 3456", 60),
    (ContactChannel.CALLBACK, "Terugbelverzoek", "", 2 * 60),
]


def shop_seed(*, now: dt.datetime, password: str) -> tuple[Shop, list[Membership]]:
    """Create the demo shop with its agents (all signing in with `password`)."""
    shop = services.shop_create(
        name=NAME, slug=SLUG, support_email=SUPPORT_EMAIL, website_url=WEBSITE_URL
    )
    Shop.objects.filter(pk=shop.pk).update(brand_colour=BRAND_COLOUR)
    shop.brand_colour = BRAND_COLOUR
    ShopDomain.objects.create(shop=shop, domain=DOMAIN, is_primary=True)

    # shop_create gives every new shop office hours and an email option; the demo has its own.
    BusinessHours.objects.for_shop(shop).delete()
    BusinessHours.objects.bulk_create(
        BusinessHours(shop=shop, weekday=weekday, opens_at=opens, closes_at=closes)
        for weekday, opens, closes in WEEK
    )
    ContactOption.objects.for_shop(shop).delete()
    ContactOption.objects.bulk_create(
        ContactOption(
            shop=shop,
            channel=channel,
            label=label,
            value=value,
            response_minutes=minutes,
            position=position,
        )
        for position, (channel, label, value, minutes) in enumerate(CONTACT_OPTIONS)
    )
    today = now.astimezone(shop.tz).date()
    ClosingDay.objects.create(shop=shop, date=_team_outing(today), reason="Teamuitje")

    agents = [
        services.agent_create(
            shop=shop,
            email=agent.email,
            role=agent.role,
            full_name=agent.full_name,
            password=password,
        )
        for agent in AGENTS
    ]
    for membership, agent in zip(agents, AGENTS, strict=True):
        Membership.objects.filter(pk=membership.pk).update(
            display_name=agent.full_name.split(" ")[0]
        )
    services.team_create(shop=shop, name="Klantenservice", members=agents)
    services.team_create(shop=shop, name="Retouren en reparaties", members=agents[1:])
    return shop, agents


def _team_outing(today: dt.date) -> dt.date:
    """The first Friday at least three weeks ahead, so it shows among upcoming closing days."""
    day = today + dt.timedelta(days=21)
    return day + dt.timedelta(days=(4 - day.weekday()) % 7)
