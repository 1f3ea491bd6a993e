from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from balie.customers.tests.factories import CustomerFactory
from balie.orders.tests.factories import OrderFactory
from balie.tenancy.models import ContactChannel, Membership, Role, Shop, ShopDomain
from balie.tenancy.tests.factories import (
    ContactOptionFactory,
    MembershipFactory,
    TeamFactory,
    office_hours,
)

pytestmark = pytest.mark.django_db


def test_the_help_center_greets_shoppers_in_dutch_with_the_shops_details(shop: Shop) -> None:
    # given
    office_hours(shop)
    ContactOptionFactory(
        shop=shop, channel=ContactChannel.EMAIL, label="E-mail", value="hallo@pollepel.nl"
    )

    # when
    response = Client().get("/s/pollepel/")

    # then
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "nl"
    page = response.content.decode()
    assert '<html lang="nl">' in page
    assert "Hoe kunnen we je helpen?" in page
    assert "Kookwinkel De Pollepel" in page
    assert 'href="mailto:hallo@pollepel.nl"' in page
    assert "Openingstijden" in page


def test_the_help_center_stays_dutch_for_a_browser_that_prefers_english(shop: Shop) -> None:
    # when
    response = Client().get("/s/pollepel/", headers={"Accept-Language": "en-GB,en;q=0.9"})

    # then
    assert "Hoe kunnen we je helpen?" in response.content.decode()


def test_the_language_switch_brings_the_shopper_back_in_english(shop: Shop) -> None:
    # given
    client = Client()

    # when
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/s/pollepel/"})
    response = client.get(switched.headers["Location"])

    # then
    assert switched.status_code == 302
    assert switched.headers["Location"] == "/s/pollepel/"
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "How can we help you?" in page


def test_the_help_center_puts_the_brand_colour_in_a_css_property(shop: Shop) -> None:
    # given
    Shop.objects.filter(pk=shop.pk).update(brand_colour="#B4441F")

    # when
    page = Client().get("/s/pollepel/").content.decode()

    # then
    assert "--brand: #b4441f;" in page


def test_a_tampered_brand_colour_never_reaches_the_page(shop: Shop) -> None:
    # given a value that skipped model validation (7 characters fit the column everywhere)
    Shop.objects.filter(pk=shop.pk).update(brand_colour="red;}<i")

    # when
    page = Client().get("/s/pollepel/").content.decode()

    # then
    assert "red;}" not in page
    assert "--brand: #1a7f5a;" in page


def test_the_help_center_shows_no_articles_before_there_is_a_knowledge_base(shop: Shop) -> None:
    # when
    page = Client().get("/s/pollepel/").content.decode()

    # then
    assert "artikel" not in page.lower()


def test_a_shops_own_domain_serves_its_help_center_at_the_root(shop: Shop) -> None:
    # given
    ShopDomain.objects.create(shop=shop, domain="klantenservice.pollepel.localhost")

    # when
    response = Client().get("/", headers={"Host": "klantenservice.pollepel.localhost"})

    # then
    assert response.status_code == 200
    assert "Hoe kunnen we je helpen?" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/app/"])
def test_other_hosts_send_visitors_to_the_agent_sign_in(path: str) -> None:
    # when
    response = Client().get(path, follow=True)

    # then
    assert response.redirect_chain[-1][0].startswith(reverse("web:login"))


def test_an_unknown_shop_gives_a_dutch_not_found_page(shop: Shop) -> None:
    # when
    response = Client().get("/s/bestaat-niet/")

    # then
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()


def test_an_inactive_shop_has_no_help_center(shop: Shop) -> None:
    # given
    Shop.objects.filter(pk=shop.pk).update(is_active=False)

    # when
    response = Client().get("/s/pollepel/")

    # then
    assert response.status_code == 404


def test_the_dashboard_shows_the_shops_figures(
    shop: Shop, agent_client: Client, agent: Membership
) -> None:
    # given
    office_hours(shop)
    OrderFactory.create_batch(2, shop=shop, status="shipped")
    OrderFactory(shop=shop, status="returned")
    ContactOptionFactory(shop=shop, channel=ContactChannel.CHAT, label="Chat", response_minutes=2)
    TeamFactory(shop=shop, name="Retouren").members.add(agent)

    # when
    response = agent_client.get("/app/")

    # then
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.customer_count == 3
    assert {row.status: row.count for row in figures.orders_by_status} == {
        "pending": 0,
        "paid": 0,
        "processing": 0,
        "shipped": 2,
        "delivered": 0,
        "cancelled": 0,
        "returned": 1,
    }
    page = response.content.decode()
    assert "Kookwinkel De Pollepel" in page
    assert "binnen 2 minuten" in page
    assert "Retouren" in page
    assert str(agent.user) in page


def test_the_dashboard_counts_only_the_agents_own_shop(
    shop: Shop, other_shop: Shop, agent_client: Client
) -> None:
    # given
    CustomerFactory.create_batch(3, shop=other_shop)
    OrderFactory(shop=other_shop)

    # when
    figures = agent_client.get("/app/").context["figures"]

    # then
    assert figures.customer_count == 0
    assert figures.order_count == 0


def test_the_dashboard_keeps_to_its_query_budget(
    shop: Shop,
    other_shop: Shop,
    agent: Membership,
    agent_client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    # given a shop with plenty of everything, and a second shop for the switcher
    office_hours(shop)
    MembershipFactory(shop=other_shop, user=agent.user)
    OrderFactory.create_batch(20, shop=shop)
    members = MembershipFactory.create_batch(5, shop=shop)
    for name in ("Klantenservice", "Retouren", "Zakelijk"):
        TeamFactory(shop=shop, name=name).members.add(*members)
    ContactOptionFactory.create_batch(4, shop=shop)

    # when, then: about one query per figure (session, user, two-factor devices and membership
    # come first), however many orders, agents and teams there are
    with django_assert_max_num_queries(14):
        response = agent_client.get("/app/")
    assert response.status_code == 200


def test_an_agent_of_several_shops_switches_between_them(
    shop: Shop, other_shop: Shop, agent: Membership, agent_client: Client
) -> None:
    # given
    MembershipFactory(shop=other_shop, user=agent.user, role=Role.AGENT)
    before = agent_client.get("/app/").content.decode()

    # when
    response = agent_client.post(reverse("web:shop_switch"), {"shop": other_shop.pk})

    # then
    assert 'name="shop"' in before
    assert response.status_code == 302
    assert agent_client.session["balie_shop_id"] == other_shop.pk
    assert agent_client.get("/app/").context["current_shop"] == other_shop


def test_an_agent_cannot_switch_to_a_shop_they_do_not_work_for(
    other_shop: Shop, agent_client: Client
) -> None:
    # when
    response = agent_client.post(reverse("web:shop_switch"), {"shop": other_shop.pk})

    # then
    assert response.status_code == 404
    assert "balie_shop_id" not in agent_client.session


@pytest.mark.parametrize("value", ["", "abc", "-1", "999999"])
def test_switching_to_nonsense_is_not_found(agent_client: Client, value: str) -> None:
    # when
    response = agent_client.post(reverse("web:shop_switch"), {"shop": value})

    # then
    assert response.status_code == 404


def test_an_agent_of_one_shop_sees_no_switcher(agent_client: Client) -> None:
    # when
    page = agent_client.get("/app/").content.decode()

    # then
    assert 'name="shop"' not in page
    assert 'action="/app/logout/"' in page


def test_the_layout_has_landmarks_and_a_skip_link(agent_client: Client) -> None:
    # when
    page = agent_client.get("/app/").content.decode()

    # then
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page
    assert "<header" in page
    assert "<nav" in page
    assert settings.LANGUAGE_COOKIE_NAME  # the switch posts to set_language, which sets it
    assert 'action="/i18n/setlang/"' in page


def test_an_agent_sets_their_presence_from_the_header(
    agent_client: Client, agent: Membership
) -> None:
    # when
    away = agent_client.post("/app/status/", {"presence": "away", "next": "/app/inbox/"})
    wrong = agent_client.post(
        "/app/status/", {"presence": "<script>", "next": "https://evil.example/"}, follow=True
    )

    # then
    agent.refresh_from_db()
    assert away.headers["Location"] == "/app/inbox/"
    assert agent.presence == "away"
    assert wrong.redirect_chain[-1][0] == "/app/"
    assert "Kies beschikbaar, afwezig of offline." in wrong.content.decode()
