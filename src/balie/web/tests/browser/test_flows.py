"""The first user flows, in a real browser: an agent signs in; a shopper reads the help center."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from balie.customers.tests.factories import CustomerFactory
from balie.tenancy.models import ContactChannel, Membership, Shop
from balie.tenancy.tests.factories import ContactOptionFactory, office_hours

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def help_center_shop(shop: Shop) -> Shop:
    office_hours(shop)
    ContactOptionFactory(
        shop=shop,
        channel=ContactChannel.EMAIL,
        label="E-mail",
        value="hallo@pollepel.nl",
        response_minutes=240,
    )
    ContactOptionFactory(
        shop=shop, channel=ContactChannel.CHAT, label="Chat", value="", response_minutes=2
    )
    ContactOptionFactory(
        shop=shop,
        channel=ContactChannel.WHATSAPP,
        label="WhatsApp",
        value="+31 6 2012 3456",
        response_minutes=60,
    )
    return shop


def test_an_agent_signs_in_and_sees_the_dashboard(
    live_server: LiveServer, page: Page, agent: Membership
) -> None:
    # given
    CustomerFactory.create_batch(3, shop=agent.shop)

    # when
    page.goto(f"{live_server.url}/app/login/")
    page.get_by_label("E-mailadres").fill("sanne@pollepel.nl")
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord-123")
    page.get_by_role("button", name="Inloggen").click()

    # then
    expect(page).to_have_url(f"{live_server.url}/app/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kookwinkel De Pollepel")
    expect(page.get_by_text("Klanten", exact=True)).to_be_visible()
    # the stylesheet loaded: the header has its white background, not the browser default
    header = page.locator(".app-header")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 255, 255)"


def test_a_shopper_reads_the_help_center_in_dutch_and_switches_to_english(
    live_server: LiveServer, page: Page, help_center_shop: Shop
) -> None:
    # given
    page.goto(f"{live_server.url}/s/pollepel/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoe kunnen we je helpen?")
    assert page.locator("html").get_attribute("lang") == "nl"

    # when
    page.get_by_role("button", name="English").click()

    # then the same page, in English
    expect(page.get_by_role("heading", level=1)).to_have_text("How can we help you?")
    expect(page).to_have_url(f"{live_server.url}/s/pollepel/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", name="Opening hours")).to_be_visible()


def test_the_help_center_fits_a_phone_without_sideways_scrolling(
    live_server: LiveServer, page: Page, help_center_shop: Shop, results_dir: Path
) -> None:
    # given
    page.set_viewport_size({"width": 375, "height": 812})

    # when
    page.goto(f"{live_server.url}/s/pollepel/")

    # then
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0
    page.screenshot(path=results_dir / "help-center-375.png", full_page=True)


def test_the_help_center_reads_well_on_a_laptop(
    live_server: LiveServer, page: Page, help_center_shop: Shop, results_dir: Path
) -> None:
    # when
    page.goto(f"{live_server.url}/s/pollepel/")

    # then the contact options are visible without scrolling at 1366x768
    expect(page.get_by_role("heading", name="Neem contact op")).to_be_in_viewport()
    page.screenshot(path=results_dir / "help-center-1366.png", full_page=True)


def test_keyboard_users_can_skip_to_the_content(
    live_server: LiveServer, page: Page, help_center_shop: Shop
) -> None:
    # given
    page.goto(f"{live_server.url}/s/pollepel/")

    # when
    page.keyboard.press("Tab")

    # then
    skip_link = page.get_by_role("link", name="Naar de inhoud")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
