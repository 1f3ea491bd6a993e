"""The agent workspace in a real browser, served over ASGI so the websocket is real too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from balie.inbox import services
from balie.inbox.models import Conversation
from balie.inbox.tests.factories import inbound_email
from balie.tenancy.models import Membership, Shop
from balie.tenancy.tests.factories import MembershipFactory
from balie.web.tests.browser.conftest import AsgiServer, beside_the_browser, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.PROJECT_DIR) / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def bram(shop: Shop) -> Membership:
    return MembershipFactory(shop=shop, user__email="bram@pollepel.nl", user__full_name="Bram Smit")


def a_question(shop: Shop, **fields: object) -> Conversation:
    return beside_the_browser(
        lambda: services.message_receive(shop=shop, inbound=inbound_email(**fields)).conversation
    )


def serious_accessibility_problems(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", "))"""
    )
    return list(found)


def test_an_agent_finds_a_question_notes_it_for_a_colleague_and_resolves_it(
    asgi_server: AsgiServer, page: Page, shop: Shop, agent: Membership, bram: Membership
) -> None:
    # given
    a_question(shop, subject="Gietijzeren pan roest", text="Mijn pan roest na een week.")
    a_question(shop, sender_address="ander@x.nl", subject="Levering", text="Waar is het pakket?")
    sign_in(page, asgi_server.url, agent.user)
    page.goto(f"{asgi_server.url}/app/inbox/?view=all")
    expect(page.locator("[data-row]")).to_have_count(2)

    # when: search as you type
    page.get_by_placeholder("Zoek op woorden").fill("roest")

    # then
    expect(page.locator("[data-row]")).to_have_count(1)
    expect(page).to_have_url(
        f"{asgi_server.url}/app/inbox/?view=all&q=roest&status=open&channel=&priority=&tag=&team=&assignee="
    )

    # when: open it and write a note naming a colleague, picked from the suggestions
    page.get_by_role("link", name="Gietijzeren pan roest").click()
    page.get_by_role("tab", name="Interne notitie").click()
    note = page.get_by_role("textbox", name="Interne notitie")
    note.press_sequentially("@bra")
    expect(page.get_by_role("option", name="Bram Smit (@bram)")).to_be_visible()
    note.press("Enter")
    note.press_sequentially("kun jij dit oppakken?")
    note.press("Control+Enter")

    # then: the note is in the thread without a reload, and the box is empty again
    expect(page.locator(".message--note")).to_contain_text("@bram kun jij dit oppakken?")
    expect(note).to_have_value("")
    assert bram.notifications.count() == 1

    # when: Escape leaves the note box, "e" marks it resolved
    note.press("Escape")
    page.keyboard.press("e")

    # then
    expect(page.locator(".conversation-header .badge").first).to_have_text("Opgelost")
    assert Conversation.objects.get(subject="Gietijzeren pan roest").status == "resolved"


def test_two_agents_see_each_other_and_new_messages_arrive_live(
    asgi_server: AsgiServer,
    page: Page,
    second_page: Page,
    shop: Shop,
    agent: Membership,
    bram: Membership,
) -> None:
    # given: sanne and bram open the same conversation
    first = a_question(shop, external_id="<m1@x.nl>", subject="Retour")
    url = f"{asgi_server.url}/app/inbox/{first.pk}/"
    sign_in(page, asgi_server.url, agent.user)
    sign_in(second_page, asgi_server.url, bram.user)
    page.goto(url)
    second_page.goto(url)

    # then: each sees the other
    expect(second_page.locator("[data-collision]")).to_contain_text("bekijkt dit gesprek")
    expect(page.locator("[data-collision]")).to_contain_text("Bram Smit bekijkt dit gesprek")

    # when: sanne types a note
    page.get_by_role("tab", name="Interne notitie").click()
    page.get_by_role("textbox", name="Interne notitie").press_sequentially("Even kijken")

    # then
    expect(second_page.locator("[data-collision]")).to_contain_text("typt een antwoord")

    # when: the customer writes again
    a_question(shop, external_id="<m2@x.nl>", in_reply_to="<m1@x.nl>", text="Nog een foto erbij.")

    # then: it appears in both, and sanne's half-written note is still there
    expect(page.locator(".message--in")).to_have_count(2)
    expect(second_page.get_by_text("Nog een foto erbij.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Interne notitie")).to_have_value("Even kijken")


def test_the_list_refreshes_when_a_question_arrives(
    asgi_server: AsgiServer, page: Page, shop: Shop, agent: Membership
) -> None:
    # given
    a_question(shop, subject="Eerste vraag")
    sign_in(page, asgi_server.url, agent.user)
    page.goto(f"{asgi_server.url}/app/inbox/?view=unassigned")
    expect(page.locator("[data-row]")).to_have_count(1)
    page.wait_for_timeout(500)  # the socket connects after load

    # when
    a_question(shop, sender_address="nieuw@x.nl", subject="Tweede vraag")

    # then
    expect(page.get_by_role("link", name="Tweede vraag")).to_be_visible()


def test_keyboard_and_bulk_actions_in_the_list(
    asgi_server: AsgiServer, page: Page, shop: Shop, agent: Membership
) -> None:
    # given
    for number in range(3):
        a_question(shop, sender_address=f"klant{number}@x.nl", subject=f"Vraag {number}")
    sign_in(page, asgi_server.url, agent.user)
    page.goto(f"{asgi_server.url}/app/inbox/?view=unassigned")

    # when: j j x selects the second row; x on the third too; assign both to me
    body = page.locator("body")
    body.press("j")
    body.press("j")
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(page.locator("[data-selected-count]")).to_have_text("2")
    page.get_by_role("button", name="Toepassen").click()

    # then
    expect(page.get_by_text("2 gesprekken bijgewerkt.")).to_be_visible()
    assert Conversation.objects.filter(assignee=agent).count() == 2
    expect(page.locator("[data-row]")).to_have_count(1)

    # when: "?" shows the shortcuts and "o" opens the focused row
    page.keyboard.press("?")
    expect(page.get_by_role("heading", name="Sneltoetsen")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    page.keyboard.press("o")

    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("Vraag 2")


def test_the_workspace_fits_a_phone_and_a_laptop_and_passes_axe(
    asgi_server: AsgiServer, page: Page, shop: Shop, agent: Membership, results_dir: Path
) -> None:
    # given
    conversation = a_question(
        shop,
        subject="Een hele lange vraag over een pan die niet goed is aangekomen",
        html="<p>Hoi</p>",
    )
    beside_the_browser(
        lambda: services.note_add(
            shop=shop, conversation=conversation, author=agent, text="Nagevraagd"
        )
    )
    sign_in(page, asgi_server.url, agent.user)

    for width, height in ((1366, 768), (375, 812)):
        page.set_viewport_size({"width": width, "height": height})
        for name, url in (
            ("inbox", "/app/inbox/?view=all"),
            ("conversation", f"/app/inbox/{conversation.pk}/"),
        ):
            # when
            page.goto(asgi_server.url + url)

            # then: no sideways scrolling, no serious accessibility problems
            expect(page.get_by_role("heading", level=1)).to_be_attached()
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow == 0, (name, width)
            assert serious_accessibility_problems(page) == [], (name, width)
            page.screenshot(path=results_dir / f"inbox-{name}-{width}.png")
    # the composer is within reach at 1366x768 without scrolling the page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{asgi_server.url}/app/inbox/{conversation.pk}/")
    expect(page.get_by_role("button", name="Versturen en oplossen")).to_be_in_viewport()
    assert json.loads(page.locator("#mention-candidates").text_content() or "[]")
