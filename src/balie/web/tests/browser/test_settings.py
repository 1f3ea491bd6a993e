"""An owner sets the shop up in a real browser: a mailbox tested against real IMAP and SMTP
servers, an SLA policy and opening hours; every settings page fits a phone and passes axe."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from balie.channels.email.tests.conftest import dovecot, dovecot_server  # noqa: F401  # fixtures
from balie.channels.email.tests.dovecot import DovecotServer
from balie.channels.email.tests.smtp_server import (  # noqa: F401  # fixtures
    SmtpServer,
    smtp_server,
    smtp_server_session,
)
from balie.channels.models import Mailbox, RejectedEmail
from balie.inbox import services as inbox_services
from balie.inbox.models import SlaPolicy
from balie.tenancy.models import BusinessHours, Membership, Role, Shop
from balie.tenancy.tests.factories import (
    ContactOptionFactory,
    MembershipFactory,
    TeamFactory,
    office_hours,
)
from balie.web.tests.browser.conftest import sign_in
from balie.web.tests.browser.test_inbox import serious_accessibility_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def mail_servers_on_this_machine(settings: Settings) -> None:
    settings.BALIE_MAILBOX_ALLOW_PRIVATE = True  # dovecot and aiosmtpd listen on 127.0.0.1


@pytest.fixture
def owner(shop: Shop) -> Membership:
    office_hours(shop)
    return MembershipFactory(
        shop=shop, role=Role.OWNER, user__email="olga@pollepel.nl", user__full_name="Olga de Wit"
    )


def test_an_owner_adds_a_mailbox_tests_it_and_sets_an_sla_and_opening_hours(
    live_server: LiveServer,
    page: Page,
    owner: Membership,
    shop: Shop,
    dovecot: DovecotServer,  # noqa: F811  # the fixture imported above
    smtp_server: SmtpServer,  # noqa: F811
    results_dir: Path,
) -> None:
    # given
    sign_in(page, live_server.url, owner.user)
    page.goto(f"{live_server.url}/app/")

    # when: from the menu to the settings, where a mailbox is still to do
    page.get_by_role("link", name="Instellingen").click()
    expect(page.get_by_role("heading", name="Nog te doen")).to_be_visible()
    page.get_by_role("link", name="Mailboxen").first.click()
    page.get_by_role("link", name="Mailbox toevoegen").click()
    page.get_by_label("Naam", exact=True).fill("Klantenservice")
    page.get_by_label("E-mailadres").fill("service@pollepel.nl")
    page.get_by_label("Naam afzender").fill("Klantenservice De Pollepel")
    page.get_by_label("IMAP-server").fill(dovecot.host)
    page.locator("#id_imap_security").select_option("none")
    page.locator("#id_imap_port").fill(str(dovecot.port))
    page.locator("#id_imap_username").fill(dovecot.username)
    page.locator("#id_imap_password").fill(dovecot.password)
    page.get_by_label("SMTP-server").fill(smtp_server.host)
    page.locator("#id_smtp_security").select_option("none")
    page.locator("#id_smtp_port").fill(str(smtp_server.port))
    page.get_by_role("button", name="Mailbox toevoegen").click()

    # then: saved after a real sign-in, with what works said in words
    expect(page.get_by_text("De mailbox is toegevoegd.")).to_be_visible()
    expect(page.get_by_text("Ontvangen (IMAP): Inloggen op")).to_be_visible()
    mailbox = Mailbox.objects.get(shop=shop)
    assert (mailbox.email_address, mailbox.smtp_port) == ("service@pollepel.nl", smtp_server.port)

    # when: the connection test
    page.get_by_role("button", name="Verbinding testen").click()

    # then
    report = page.get_by_role("region", name="Resultaat van de verbindingstest")
    expect(report.locator(".badge--ok")).to_have_count(2)
    expect(report).to_contain_text("De map INBOX heeft")
    assert smtp_server.received == []  # the test sends nothing
    page.screenshot(path=str(results_dir / "settings-mailbox.png"), full_page=True)

    # when: an SLA policy of 4 working hours to answer and 2 working days to solve
    page.get_by_role("link", name="Instellingen").first.click()
    page.get_by_role("link", name="SLA-afspraken").first.click()
    page.get_by_label("Naam").fill("Standaard")
    page.locator("#id_first_response_minutes_0").fill("4")
    page.locator("#id_first_response_minutes_1").select_option("hours")
    page.locator("#id_resolution_minutes_0").fill("16")
    page.locator("#id_resolution_minutes_1").select_option("hours")
    page.get_by_role("button", name="Afspraak toevoegen").click()

    # then
    expect(
        page.get_by_text("Eerste reactie binnen 4 werkuren, opgelost binnen 16 werkuren.")
    ).to_be_visible()
    policy = SlaPolicy.objects.get(shop=shop)
    assert (policy.first_response_minutes, policy.resolution_minutes) == (240, 960)

    # when: a lunch break on Monday and a Saturday morning
    page.get_by_role("link", name="Instellingen").first.click()
    page.get_by_role("link", name="Openingstijden en sluitingsdagen").click()
    page.get_by_label("Maandag").fill("9:00–12:30, 13:00–17:00")
    page.get_by_label("Zaterdag").fill("10-14")
    page.get_by_role("button", name="Openingstijden opslaan").click()

    # then
    expect(page.get_by_text("De openingstijden zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_label("Maandag")).to_have_value("9:00–12:30, 13:00–17:00")
    assert list(
        BusinessHours.objects.for_shop(shop)
        .filter(weekday__in=(0, 5))
        .values_list("weekday", "opens_at", "closes_at")
    ) == [
        (0, dt.time(9), dt.time(12, 30)),
        (0, dt.time(13), dt.time(17)),
        (5, dt.time(10), dt.time(14)),
    ]
    page.screenshot(path=str(results_dir / "settings-hours.png"), full_page=True)


def test_the_macro_preview_follows_typing(
    live_server: LiveServer, page: Page, owner: Membership
) -> None:
    # given
    sign_in(page, live_server.url, owner.user)
    page.goto(f"{live_server.url}/app/instellingen/macros/nieuw/")

    # when
    page.get_by_role("textbox", name="Tekst").fill(
        "Hoi {{ customer.first_name }}, groet {{ agent.first_name }}"
    )

    # then: filled in without pressing the preview button
    expect(page.locator("#macro-preview")).to_contain_text("Hoi Anouk, groet Olga")

    # when
    page.get_by_role("textbox", name="Tekst").fill("Hoi {{ klant }}")

    # then
    expect(page.locator("#macro-preview")).to_contain_text("de variabele klant bestaat niet")


def test_every_settings_page_fits_a_phone_and_passes_axe(
    live_server: LiveServer, page: Page, owner: Membership, shop: Shop, results_dir: Path
) -> None:
    # given a shop with something on every page (long names included)
    team = TeamFactory(shop=shop, name="Retouren en reparaties van gietijzeren pannen")
    team.members.add(owner)
    mailbox = Mailbox.objects.create(
        shop=shop,
        name="Klantenservice",
        email_address="klantenservice.retouren.en.reparaties@pollepel-kookwinkel.nl",
        imap_host="imap.een-hele-lange-servernaam-van-de-provider.nl",
        imap_username="x",
        imap_password="y",
        last_error="Inloggen op imap.een-hele-lange-servernaam-van-de-provider.nl:993 is mislukt.",
        team=team,
    )
    RejectedEmail.objects.create(
        shop=shop,
        mailbox=mailbox,
        uid=3,
        raw=ContentFile(b"x", name="x.eml"),
        reason="UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 12: invalid",
    )
    inbox_services.sla_policy_create(
        shop=shop,
        name="Spoed",
        priority="urgent",
        first_response_minutes=60,
        resolution_minutes=240,
    )
    ContactOptionFactory(shop=shop, label="E-mail", value="service@pollepel.nl")
    macro = inbox_services.macro_create(shop=shop, name="Retour ontvangen", body="Hoi!")
    inbox_services.tag_create(shop=shop, name="retour")
    sign_in(page, live_server.url, owner.user)
    pages = {
        "index": "/app/instellingen/",
        "mailboxes": "/app/instellingen/mailboxen/",
        "mailbox": f"/app/instellingen/mailboxen/{mailbox.pk}/",
        "mailbox-new": "/app/instellingen/mailboxen/nieuw/",
        "rejected": f"/app/instellingen/mailboxen/{mailbox.pk}/geweigerd/",
        "sla": "/app/instellingen/sla/",
        "hours": "/app/instellingen/openingstijden/",
        "contact": "/app/instellingen/contactmogelijkheden/",
        "teams": "/app/instellingen/teams/",
        "team": f"/app/instellingen/teams/{team.pk}/",
        "agents": "/app/instellingen/medewerkers/",
        "agent": f"/app/instellingen/medewerkers/{owner.pk}/",
        "inbox": "/app/instellingen/inbox/",
        "macros": "/app/instellingen/macros/",
        "macro": f"/app/instellingen/macros/{macro.pk}/",
        "labels": "/app/instellingen/labels/",
    }

    for width, height in ((1366, 768), (375, 812)):
        page.set_viewport_size({"width": width, "height": height})
        for name, url in pages.items():
            # when
            page.goto(live_server.url + url)

            # then: no sideways scrolling, no serious accessibility problems
            expect(page.get_by_role("heading", level=1)).to_be_attached()
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow == 0, (name, width)
            assert serious_accessibility_problems(page) == [], (name, width)
            page.screenshot(path=str(results_dir / f"settings-{name}-{width}.png"), full_page=True)
