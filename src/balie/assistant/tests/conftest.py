from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from balie.channels.email.tests.smtp_server import (  # noqa: F401  # fixtures
    smtp_mailbox,
    smtp_server,
    smtp_server_session,
)
from balie.knowledge.tests.factories import article
from balie.tenancy.models import ContactChannel, Membership, Presence, Shop, ShopDomain
from balie.tenancy.tests.factories import ContactOptionFactory, every_day_hours

WEBSITE = "https://www.pollepel.nl"


@pytest.fixture
def knowledge(shop: Shop) -> Shop:
    """A small knowledge base: returns, delivery, payment (with an English translation)."""
    article(
        shop,
        "retour",
        "Hoe stuur ik iets terug?",
        "Je stuurt je bestelling binnen 30 dagen gratis terug. Meld je retour aan in je account.",
        topic="retourneren",
        tags=["retour", "terugsturen"],
    )
    article(
        shop,
        "retour",
        "How do I return an item?",
        "You can return your order for free within 30 days. Register the return in your account.",
        locale="en",
    )
    article(
        shop,
        "levertijd",
        "Wanneer wordt mijn bestelling bezorgd?",
        "Besteld voor 16:00, dan bezorgen we morgen. Je krijgt een track & trace-code per mail.",
        topic="bezorgen",
        tags=["bezorgen", "levertijd"],
    )
    article(
        shop,
        "betalen",
        "Welke betaalmethoden zijn er?",
        "Je betaalt met iDEAL, creditcard, PayPal of achteraf.",
        topic="betalen",
        tags=["betalen", "ideal"],
    )
    article(
        shop,
        "intern",
        "Interne werkwijze retour zonder bon",
        "Alleen voor medewerkers: retour zonder bon accepteren we na overleg.",
        internal=True,
    )
    return shop


@pytest.fixture
def site(knowledge: Shop) -> Shop:
    """The shop's website and help-center domain, as its settings page would store them."""
    knowledge.website_url = f"{WEBSITE}/"
    knowledge.save(update_fields=["website_url"])
    ShopDomain.objects.create(shop=knowledge, domain="klantenservice.pollepel.nl")
    return knowledge


@pytest.fixture
def chat_desk(knowledge: Shop) -> Shop:
    """A shop that offers chat (answered within 2 minutes) and is open all day, every day."""
    every_day_hours(knowledge, opens=dt.time(0), closes=dt.time.max)
    ContactOptionFactory(
        shop=knowledge, channel=ContactChannel.CHAT, label="Chat", value="", response_minutes=2
    )
    ContactOptionFactory(shop=knowledge, channel=ContactChannel.EMAIL, response_minutes=240)
    return knowledge


@pytest.fixture
def online(chat_desk: Shop, agent: Membership) -> Membership:
    """An agent whose inbox tab is open and who is available."""
    agent.presence = Presence.ONLINE
    agent.presence_seen_at = timezone.now()
    agent.display_name = "Sanne"
    agent.save(update_fields=["presence", "presence_seen_at", "display_name"])
    return agent
