"""The public help center in a real browser: WCAG 2.2 AA as axe-core checks it on every kind of
page, and search as you type (htmx) next to the same search without JavaScript."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from balie.knowledge import services
from balie.knowledge.tests.factories import article
from balie.tenancy.models import ClosingDay, ContactChannel, Shop
from balie.tenancy.tests.factories import ContactOptionFactory, office_hours

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.PROJECT_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
HOME = "/s/pollepel/"
RETURNS = "artikel/nl/hoe-stuur-ik-iets-terug/"
# What the focused element is and whether it shows a focus ring.
FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    tag: element.tagName,
    name: `${element.tagName} ${(element.innerText || element.id || "").trim().slice(0, 40)}`,
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
  };
}"""
RETURNS_BODY = """Je hebt **30 dagen** bedenktijd. Zo stuur je iets terug:

1. Meld je retour aan op [de retourpagina](https://www.pollepel.nl/retour).
2. Pak het artikel goed in.
3. Breng het pakket naar een afleverpunt.

## Wat kost het?

| Land | Kosten |
|:-----|-------:|
| Nederland | gratis |
| België | € 4,95 |

- Je krijgt het geld binnen 14 dagen terug.
- Vragen? Mail [hallo@pollepel.nl](mailto:hallo@pollepel.nl).
"""


@pytest.fixture
def help_center(shop: Shop) -> Shop:
    """A shop with everything the help center shows: hours, a closing day, contact options,
    topics with articles (one with a table, lists and links, and an English translation)."""
    shop.website_url = "https://www.pollepel.nl"
    shop.save(update_fields=["website_url"])
    office_hours(shop)
    ClosingDay.objects.create(
        shop=shop, date=timezone.localdate() + dt.timedelta(days=20), reason="Bedrijfsuitje"
    )
    ContactOptionFactory(shop=shop, channel=ContactChannel.EMAIL, label="E-mail",
                         value="hallo@pollepel.nl", response_minutes=240)  # fmt: skip
    ContactOptionFactory(shop=shop, channel=ContactChannel.PHONE, label="Telefoon",
                         value="020 123 4567", response_minutes=5)  # fmt: skip
    services.topic_save(shop=shop, slug="retourneren", name="Retourneren",
                        names={"en": "Returns"}, description="Terugsturen en geld terug")  # fmt: skip
    services.topic_save(shop=shop, slug="bezorging", name="Bezorging")
    article(shop, "retour", "Hoe stuur ik iets terug?", RETURNS_BODY, topic="retourneren")
    article(shop, "retour", "How do I return an item?", "Register your return.", locale="en",
            topic="retourneren")  # fmt: skip
    article(shop, "geld-terug", "Wanneer krijg ik mijn geld terug?",
            "Binnen 14 dagen na ontvangst van je retour.", topic="retourneren")  # fmt: skip
    article(shop, "levertijd", "Wat is de levertijd?", "Voor 22:00 besteld, morgen in huis.",
            topic="bezorging")  # fmt: skip
    return shop


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """What axe-core finds against WCAG 2.2 A and AA on the page as it is now."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make static` (npm ci installs axe-core)")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} WCAG 2.2 AA violation(s) found by axe-core:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node['target']}" for node in violation["nodes"])
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        pytest.param("", "Hoe kunnen we je helpen?", id="home"),
        pytest.param(RETURNS, "Hoe stuur ik iets terug?", id="article"),
        pytest.param(f"{RETURNS}?bedankt=1", "Hoe stuur ik iets terug?", id="article-thanks"),
        pytest.param("onderwerp/retourneren/", "Retourneren", id="topic"),
        pytest.param("zoeken/?q=retour", "Zoekresultaten voor “retour”", id="search"),
        pytest.param("zoeken/?q=xylofoon", "Zoekresultaten voor “xylofoon”", id="no-results"),
    ],
)
def test_help_center_pages_meet_wcag_22_aa(
    live_server: LiveServer, page: Page, help_center: Shop, path: str, heading: str
) -> None:
    # when
    page.goto(f"{live_server.url}{HOME}{path}")

    # then
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)


def test_the_article_page_shows_its_table_lists_links_and_languages(
    live_server: LiveServer, page: Page, help_center: Shop
) -> None:
    # when
    page.goto(f"{live_server.url}{HOME}{RETURNS}")

    # then what the accessibility check above looks at is really on the page
    body = page.locator(".hc-article__body")
    expect(body.get_by_role("table")).to_be_visible()
    expect(body.get_by_role("list")).to_have_count(2)
    expect(body.get_by_role("link", name="de retourpagina")).to_be_visible()
    expect(page.get_by_role("link", name="EN", exact=True)).to_have_attribute("hreflang", "en")


def test_the_help_center_on_a_phone_meets_wcag_22_aa(
    live_server: LiveServer, page: Page, help_center: Shop
) -> None:
    # given
    page.set_viewport_size({"width": 375, "height": 812})

    # when
    page.goto(f"{live_server.url}{HOME}")

    # then
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("colour", ["#ffd500", "#d9480f", "#0a0a0a"])
def test_a_shops_own_colour_keeps_the_help_center_readable(
    live_server: LiveServer, page: Page, help_center: Shop, colour: str
) -> None:
    # given a bright yellow, a mid-tone orange (neither white nor Balie's ink reaches 4.5:1 on
    # it) and a near-black instead of Balie's green
    help_center.brand_colour = colour
    help_center.save(update_fields=["brand_colour"])

    # when
    page.goto(f"{live_server.url}{HOME}{RETURNS}")
    assert_accessible(page)
    page.goto(f"{live_server.url}{HOME}")

    # then
    assert_accessible(page)


def test_every_control_shows_where_the_keyboard_focus_is(
    live_server: LiveServer, page: Page, help_center: Shop
) -> None:
    # given
    page.goto(f"{live_server.url}{HOME}{RETURNS}")

    # when the shopper tabs through the whole page
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    assert_accessible(page)  # the skip link is on screen now, so its contrast is checked too
    unmarked = []
    for _ in range(60):
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "BODY":
            break
        if not focused["ring"]:
            unmarked.append(focused["name"])
        page.keyboard.press("Tab")

    # then each stop has a focus ring of at least 2px
    assert focused["tag"] == "BODY", "the tab order did not come to an end"
    assert not unmarked


def test_typing_in_the_search_box_shows_results_under_it(
    live_server: LiveServer, page: Page, help_center: Shop
) -> None:
    # given
    page.goto(f"{live_server.url}{HOME}")
    search = page.get_by_role("main").get_by_role("searchbox")

    # when the shopper types, without submitting
    with page.expect_response(
        lambda response: (
            "/zoeken/?q=retour" in response.url
            and response.request.headers.get("hx-request") == "true"
        )
    ):
        search.press_sequentially("retour")

    # then the results appear under the box, on the same page
    live = page.locator("#hc-live-results")
    expect(live.get_by_role("link", name="Hoe stuur ik iets terug?")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}{HOME}")
    assert live.evaluate("el => el.getBoundingClientRect().top") >= search.evaluate(
        "el => el.getBoundingClientRect().bottom"
    )
    assert_accessible(page)


def test_searching_without_javascript_shows_the_results_page(
    live_server: LiveServer, browser: Browser, help_center: Shop
) -> None:
    # given a browser with JavaScript off
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}{HOME}")
        search = page.get_by_role("main").get_by_role("searchbox")

        # when
        search.fill("retour")
        search.press("Enter")

        # then
        expect(page).to_have_url(f"{live_server.url}{HOME}zoeken/?q=retour")
        expect(page.get_by_role("heading", level=1)).to_have_text("Zoekresultaten voor “retour”")
        expect(page.get_by_role("link", name="Hoe stuur ik iets terug?")).to_be_visible()
    finally:
        context.close()
