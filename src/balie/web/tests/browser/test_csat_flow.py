"""A customer rates the help they got, from the link in the survey email, in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from balie.channels.models import Mailbox
from balie.inbox import outbound, services
from balie.inbox.models import Conversation, InboxSettings, Message
from balie.inbox.tests.factories import inbound_email
from balie.tenancy.models import Membership, Shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def survey_links(
    live_server: LiveServer, settings: Settings, shop: Shop, agent: Membership
) -> list[str]:
    """The five links of a survey sent after resolving a conversation."""
    settings.BALIE_BASE_URL = live_server.url
    Mailbox.objects.create(
        shop=shop,
        name="Klantenservice",
        email_address="service@pollepel.nl",
        imap_host="127.0.0.1",
        imap_username="x",
        imap_password="x",
        smtp_host="127.0.0.1",
    )
    conversation = services.message_receive(
        shop=shop, inbound=inbound_email(), history=True
    ).conversation
    services.conversation_set_status(
        shop=shop, conversation=conversation, status="resolved", actor=agent
    )
    InboxSettings.objects.create(shop=shop, csat_delay_minutes=0)
    assert services.csat_request_send(shop=shop, conversation_id=conversation.pk) == "sent"
    survey = Message.objects.for_shop(shop).get(automated_reason=outbound.CSAT)
    return re.findall(r"https?://\S+/tevredenheid/\S+/[1-5]/", survey.text)


def test_a_customer_rates_in_one_click_changes_their_mind_and_adds_a_comment(
    page: Page, survey_links: list[str], shop: Shop, results_dir: Path
) -> None:
    # given the survey's links, 1 to 5
    assert len(survey_links) == 5

    # when the customer clicks "2" in the email
    page.goto(survey_links[1])

    # then the score is saved at once
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor je beoordeling!")
    expect(page.get_by_text("We hebben je cijfer opgeslagen: 2 – Ontevreden.")).to_be_visible()
    conversation = Conversation.objects.for_shop(shop).get()
    assert conversation.csat_score == 2

    # when they change their mind and leave a comment
    page.get_by_role("link", name=re.compile("^5")).click()
    expect(page.get_by_text("We hebben je cijfer opgeslagen: 5 – Heel tevreden.")).to_be_visible()
    page.get_by_label("Wil je nog iets kwijt? (niet verplicht)").fill("Snel en vriendelijk!")
    page.get_by_role("button", name="Versturen").click()

    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor je toelichting!")
    conversation.refresh_from_db()
    assert (conversation.csat_score, conversation.csat_comment) == (5, "Snel en vriendelijk!")
    page.screenshot(path=results_dir / "csat-1366.png", full_page=True)


def test_the_rating_page_fits_a_phone(
    page: Page, survey_links: list[str], results_dir: Path
) -> None:
    # given
    page.set_viewport_size({"width": 375, "height": 812})

    # when
    page.goto(survey_links[3])

    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor je beoordeling!")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0
    page.screenshot(path=results_dir / "csat-375.png", full_page=True)
