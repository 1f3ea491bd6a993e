"""The shopper widget on a shop's own page, in a real browser.

The shop's page (`widget_shop_page.html`, with the script tag a shop pastes) is served by a
small server of the test's own at http://127.0.0.1:<port>, while Balie is the live server at
http://localhost:<other port>: another origin, so the FAQ and the chat go through CORS as on
a real shop's site. (Chromium refuses a page that Playwright fulfils itself access to
loopback addresses, so the page comes from a real server.)
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from balie.assistant.models import Session
from balie.inbox import services as inbox_services
from balie.knowledge import services
from balie.knowledge.tests.factories import article
from balie.tenancy.models import ContactChannel, Membership, Presence, Shop
from balie.tenancy.tests.factories import ContactOptionFactory, every_day_hours
from balie.web.tests.browser.conftest import beside_the_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = Path(__file__).with_name("widget_shop_page.html")
AXE = Path(settings.PROJECT_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BALIE_GREEN = "rgb(26, 127, 90)"


@pytest.fixture(autouse=True)
def _counters_forgotten(cache_cleared: None) -> None:
    """The throttle counts in the cache, which outlives a test."""


@pytest.fixture
def shop_site(live_server: LiveServer) -> Iterator[str]:
    """The shop's own website: the test page, in Dutch at /winkel/koekenpan and in English
    at /en/frying-pan (and any /<language>/ page in that language), with the widget's script
    from Balie."""
    html = PAGE.read_text(encoding="utf-8").replace("BALIE_URL", live_server.url)

    class ShopPage(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            language = self.path.split("/")[1]
            body = html.replace('lang="nl"', f'lang="{language}"') if len(language) == 2 else html
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, format: str, *args: Any) -> None:  # the base's name
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), ShopPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def shop_page(shop_site: str, shop: Shop) -> str:
    """The address of the shop's product page, with its placed questions set up."""
    shop.website_url = f"{shop_site}/"
    shop.save(update_fields=["website_url"])
    returns = article(shop, "retour", "Hoe stuur ik iets terug?",
                      "Je stuurt je bestelling binnen 30 dagen gratis terug. Meld je retour aan "
                      "in je account.", tags=["retour", "terugsturen"])  # fmt: skip
    delivery = article(shop, "levertijd", "Wanneer wordt mijn bestelling bezorgd?",
                       "Besteld voor 16:00, dan bezorgen we morgen.", tags=["bezorgen"])  # fmt: skip
    services.placements_set(shop=shop, article=returns.article, page_types=["product"])
    services.placements_set(shop=shop, article=delivery.article, categories=["Pannen"])
    return f"{shop_site}/winkel/koekenpan"


def test_a_shopper_sees_the_pages_questions_and_asks_one(
    page: Page, shop_page: str, live_server: LiveServer, results_dir: Path
) -> None:
    # when the shopper opens a product page of the shop
    page.goto(shop_page)

    # then the questions placed on it show, the most specific first, opening in a new tab
    faq = page.get_by_role("region", name="Veelgestelde vragen")
    links = faq.get_by_role("link")
    expect(links).to_have_text(["Wanneer wordt mijn bestelling bezorgd? (opent in een nieuw tabblad)",
                                "Hoe stuur ik iets terug? (opent in een nieuw tabblad)"])  # fmt: skip
    expect(links.first).to_have_attribute("target", "_blank")
    expect(links.last).to_have_attribute(
        "href", f"{live_server.url}/s/pollepel/artikel/nl/hoe-stuur-ik-iets-terug/"
    )

    # when they open the chat
    launcher = page.get_by_role("button", name="Stel je vraag")
    expect(launcher).to_have_css("background-color", BALIE_GREEN)  # the shop's CSS stays out
    launcher.click()

    # then a dialog opens with the focus in the question field
    dialog = page.get_by_role("dialog", name="Stel je vraag")
    expect(dialog).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    question = dialog.get_by_role("textbox", name="Je vraag")
    expect(question).to_be_focused()

    # when they type a question and press Enter
    question.fill("hoe kan ik retourneren")
    question.press("Enter")

    # then the answer comes with a link to the article, in the live log
    log = dialog.get_by_role("log")
    expect(log).to_contain_text("Jij: hoe kan ik retourneren")
    expect(log).to_contain_text("Je stuurt je bestelling binnen 30 dagen gratis terug.")
    expect(log.get_by_role("link", name=re.compile("^Hoe stuur ik iets terug"))).to_have_attribute(
        "href", f"{live_server.url}/s/pollepel/artikel/nl/hoe-stuur-ik-iets-terug/"
    )
    page.screenshot(path=results_dir / "widget-answer-1366.png")

    # when they press Escape
    page.keyboard.press("Escape")

    # then the dialog closes and the focus is back on the button
    expect(dialog).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")


def test_asking_for_a_person_asks_the_address_and_says_when_they_hear_back(
    page: Page, shop_page: str, results_dir: Path
) -> None:
    # given a shopper on a phone
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(shop_page)
    page.get_by_role("button", name="Stel je vraag").click()
    dialog = page.get_by_role("dialog", name="Stel je vraag")

    # when they ask for a person
    dialog.get_by_role("textbox", name="Je vraag").fill("ik wil een medewerker spreken")
    dialog.get_by_role("button", name="Versturen").click()

    # then the assistant asks for their address, with a field for it
    email = dialog.get_by_role("textbox", name="Je e-mailadres")
    expect(email).to_be_focused()

    # when they give it
    email.fill("piet@example.nl")
    dialog.get_by_role("button", name="Doorgeven").click()

    # then the question is handed on, with the time to expect an answer
    log = dialog.get_by_role("log")
    expect(log).to_contain_text("Ik geef je vraag door aan een collega.")
    expect(log.locator(".balie-expected")).to_contain_text("Wanneer je antwoord krijgt:")
    box = dialog.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    page.screenshot(path=results_dir / "widget-handoff-390.png")


def test_with_an_agent_available_the_shopper_chats_with_a_person(
    page: Page, shop_page: str, shop_site: str, agent: Membership, results_dir: Path
) -> None:
    # given a shop that offers chat, with an agent at work right now
    every_day_hours(agent.shop, opens=dt.time(0), closes=dt.time.max)
    ContactOptionFactory(shop=agent.shop, channel=ContactChannel.CHAT, response_minutes=2)
    agent.presence = Presence.ONLINE
    agent.presence_seen_at = timezone.now()
    agent.display_name = "Sanne"
    agent.save(update_fields=["presence", "presence_seen_at", "display_name"])
    page.goto(shop_page)
    page.get_by_role("button", name="Stel je vraag").click()
    dialog = page.get_by_role("dialog", name="Stel je vraag")
    log = dialog.get_by_role("log")

    # when they ask for a person
    dialog.get_by_role("textbox", name="Je vraag").fill("ik wil een medewerker spreken")
    dialog.get_by_role("button", name="Versturen").click()

    # then they are put through, without being asked for an address
    expect(log).to_contain_text("Ik verbind je met een collega.")
    expect(log).to_contain_text("Je chat nu met de klantenservice.")
    message = dialog.get_by_role("textbox", name="Je bericht")
    expect(message).to_be_visible()

    # when they leave an address, in case they are gone before the answer
    dialog.get_by_role("textbox", name=re.compile("^Je e-mailadres")).fill("piet@example.nl")
    dialog.get_by_role("button", name="Doorgeven").click()

    # then the widget says where a missed answer goes
    expect(log).to_contain_text("mailen we het naar piet@example.nl")

    # when they write, and the agent answers from the inbox
    message.fill("Mijn pan is kapot <b>echt</b>")
    message.press("Enter")
    expect(log).to_contain_text("Jij: Mijn pan is kapot <b>echt</b>")
    conversation = Session.objects.get().conversation
    assert conversation is not None
    expect(log.locator(".balie-msg--you")).to_have_count(2)  # the question and the message
    beside_the_browser(
        lambda: inbox_services.reply_send(
            shop=agent.shop,
            conversation=conversation,
            author=agent,
            text="Wat vervelend! Welke pan?",
        )
    )

    # then the answer appears in the widget, under the agent's name
    reply = log.locator(".balie-msg--agent")
    expect(reply).to_contain_text("Sanne")
    expect(reply).to_contain_text("Wat vervelend! Welke pan?")
    assert _axe(page) == []
    page.screenshot(path=results_dir / "widget-live-chat.png")

    # when they close the panel and the agent writes again
    dialog.get_by_role("button", name="Sluiten").click()
    beside_the_browser(
        lambda: inbox_services.reply_send(
            shop=agent.shop, conversation=conversation, author=agent, text="Ik stuur een nieuwe."
        )
    )

    # then the launcher says there is something new, until they open it
    launcher = page.get_by_role("button", name=re.compile("^Stel je vraag"))
    expect(launcher).to_have_text("Stel je vraag (1 nieuw)")
    launcher.click()
    expect(log.locator(".balie-msg--agent").last).to_contain_text("Ik stuur een nieuwe.")
    expect(launcher).to_have_text("Stel je vraag")

    # when they go on to another page of the shop
    page.goto(f"{shop_site}/winkel/snijplank")
    page.get_by_role("button", name="Stel je vraag").click()

    # then the chat goes on there, with what was said
    log = page.get_by_role("dialog", name="Stel je vraag").get_by_role("log")
    expect(log.locator(".balie-msg--agent")).to_have_text(
        ["SanneWat vervelend! Welke pan?", "SanneIk stuur een nieuwe."]
    )
    expect(log).to_contain_text("Mijn pan is kapot <b>echt</b>")
    expect(page.get_by_role("textbox", name="Je bericht")).to_be_visible()


def test_the_widget_speaks_english_on_an_english_page(
    page: Page, shop_page: str, shop_site: str
) -> None:
    # when
    page.goto(f"{shop_site}/en/frying-pan")

    # then
    expect(page.get_by_role("region", name="Frequently asked questions")).to_be_visible()
    page.get_by_role("button", name="Ask a question").click()
    expect(page.get_by_role("dialog", name="Ask a question")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your question")).to_be_focused()


@pytest.mark.parametrize(
    ("language", "ask", "question"),
    [("de", "Stell deine Frage", "Deine Frage"), ("fr", "Posez votre question", "Votre question")],
)
def test_the_widget_speaks_german_and_french_too(
    page: Page, shop_page: str, shop_site: str, language: str, ask: str, question: str
) -> None:
    # when
    page.goto(f"{shop_site}/{language}/pfanne")

    # then
    page.get_by_role("button", name=ask).click()
    expect(page.get_by_role("textbox", name=question)).to_be_focused()


def test_the_widget_adds_no_global_styles_and_passes_axe(page: Page, shop_page: str) -> None:
    # given
    page.goto(shop_page)
    expect(page.get_by_role("region", name="Veelgestelde vragen")).to_be_visible()
    page.get_by_role("button", name="Stel je vraag").click()
    expect(page.get_by_role("dialog", name="Stel je vraag")).to_be_visible()

    # when
    selectors: list[str] = page.evaluate("""() => [...document.adoptedStyleSheets,
        ...[...document.querySelectorAll('style')].slice(1).map(s => s.sheet)]
        .flatMap(sheet => [...sheet.cssRules]).map(rule => rule.selectorText)""")
    violations = _axe(page)

    # then
    assert selectors
    assert all(selector.startswith(".balie-") for selector in selectors), selectors
    assert violations == [], violations


def _axe(page: Page) -> list[dict[str, Any]]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make static` (npm ci installs axe-core)")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    return [
        {"id": v["id"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
