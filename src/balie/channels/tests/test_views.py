"""The mailbox settings pages: owners and admins add, test, change and delete mailboxes, and
read the emails Balie had to reject. Against a real dovecot and aiosmtpd."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from balie.channels.email.tests.dovecot import DovecotServer
from balie.channels.email.tests.smtp_server import SmtpServer
from balie.channels.models import Mailbox, RejectedEmail
from balie.tenancy.models import Membership, Role, Shop
from balie.tenancy.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(admin_agent: Membership) -> Client:
    client = Client()
    client.force_login(admin_agent.user)
    return client


@pytest.fixture
def mailbox(shop: Shop, dovecot: DovecotServer) -> Mailbox:
    return Mailbox.objects.create(
        shop=shop,
        name="Klantenservice",
        email_address="service@pollepel.nl",
        imap_host=dovecot.host,
        imap_port=dovecot.port,
        imap_ssl=False,
        imap_username=dovecot.username,
        imap_password=dovecot.password,
        smtp_host="127.0.0.1",
        smtp_password="smtp-wachtwoord-geheim",
    )


def form_data(dovecot: DovecotServer, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Klantenservice",
        "email_address": "service@pollepel.nl",
        "sender_name": "Klantenservice De Pollepel",
        "team": "",
        "is_active": "on",
        "imap_host": dovecot.host,
        "imap_security": "none",
        "imap_port": str(dovecot.port),
        "imap_username": dovecot.username,
        "imap_password": dovecot.password,
        "imap_folder": "INBOX",
        "smtp_host": "",
        "smtp_security": "starttls",
        "smtp_port": "587",
        "smtp_username": "",
        "smtp_password": "",
    }
    data.update(overrides)
    return data


def flash(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("role", [Role.AGENT, Role.VIEWER])
def test_agents_and_viewers_may_not_set_up_mailboxes(
    shop: Shop, mailbox: Mailbox, role: Role
) -> None:
    # given
    client = Client()
    client.force_login(MembershipFactory(shop=shop, role=role).user)

    # when
    answers = [
        client.get(reverse("web:mailboxes:list")),
        client.get(reverse("web:mailboxes:create")),
        client.get(reverse("web:mailboxes:detail", kwargs={"mailbox_id": mailbox.pk})),
        client.post(reverse("web:mailboxes:test", kwargs={"mailbox_id": mailbox.pk})),
    ]

    # then
    assert [answer.status_code for answer in answers] == [403, 403, 403, 403]


def test_the_list_shows_each_mailbox_with_its_state_in_words(
    admin_client: Client, mailbox: Mailbox, shop: Shop
) -> None:
    # given a poll that failed, and an email that could not be stored
    mailbox.last_error = "Inloggen op imap.example.nl:993 is mislukt."
    mailbox.save()
    RejectedEmail.objects.create(
        shop=shop, mailbox=mailbox, uid=4, raw=ContentFile(b"x", name="x.eml"), reason="kapot"
    )

    # when
    page = admin_client.get(reverse("web:mailboxes:list")).content.decode()

    # then
    assert "service@pollepel.nl" in page
    assert "Inloggen op imap.example.nl:993 is mislukt." in page
    assert "1 geweigerde e-mail" in page
    assert mailbox.imap_password not in page


def test_adding_a_mailbox_signs_in_and_says_what_works(
    admin_client: Client, dovecot: DovecotServer, shop: Shop
) -> None:
    # given
    team = TeamFactory(shop=shop, name="Retouren")

    # when
    response = admin_client.post(
        reverse("web:mailboxes:create"), form_data(dovecot, team=str(team.pk))
    )

    # then
    mailbox = Mailbox.objects.for_shop(shop).get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "web:mailboxes:detail", kwargs={"mailbox_id": mailbox.pk}
    )
    assert mailbox.team == team
    assert mailbox.imap_password == dovecot.password
    said = flash(response)
    assert said[0].startswith("De mailbox is toegevoegd.")
    assert said[1].startswith("Ontvangen (IMAP): Inloggen op 127.0.0.1:")
    assert said[2].startswith("Versturen (SMTP): geen server ingevuld.")


def test_a_wrong_password_is_said_on_the_form_and_nothing_is_saved(
    admin_client: Client, dovecot: DovecotServer, shop: Shop
) -> None:
    # when
    response = admin_client.post(
        reverse("web:mailboxes:create"), form_data(dovecot, imap_password="fout-wachtwoord-123")
    )

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Balie kon de mailbox niet openen." in page
    assert "de gebruikersnaam of het wachtwoord klopt niet" in page
    assert "fout-wachtwoord-123" not in page  # a typed password is not sent back either
    assert not Mailbox.objects.for_shop(shop).exists()


def test_a_port_that_is_no_number_is_said_at_the_field(
    admin_client: Client, dovecot: DovecotServer, shop: Shop
) -> None:
    # when
    response = admin_client.post(
        reverse("web:mailboxes:create"), form_data(dovecot, imap_port="abc")
    )

    # then
    assert response.status_code == 200
    assert 'id="id_imap_port_error"' in response.content.decode()
    assert not Mailbox.objects.for_shop(shop).exists()


def test_the_mailbox_page_never_shows_its_passwords(admin_client: Client, mailbox: Mailbox) -> None:
    # when
    page = admin_client.get(
        reverse("web:mailboxes:detail", kwargs={"mailbox_id": mailbox.pk})
    ).content.decode()

    # then
    assert mailbox.imap_password not in page
    assert "smtp-wachtwoord-geheim" not in page
    assert "Leeg laten om het huidige wachtwoord te houden." in page


def test_saving_with_blank_passwords_keeps_them(
    admin_client: Client, mailbox: Mailbox, dovecot: DovecotServer
) -> None:
    # when
    response = admin_client.post(
        reverse("web:mailboxes:detail", kwargs={"mailbox_id": mailbox.pk}),
        form_data(dovecot, name="Service", imap_password="", smtp_host="127.0.0.1"),
    )

    # then
    assert response.status_code == 302
    mailbox.refresh_from_db()
    assert mailbox.name == "Service"
    assert (mailbox.imap_password, mailbox.smtp_password) == (
        dovecot.password,
        "smtp-wachtwoord-geheim",
    )
    assert flash(response) == ["De mailbox is opgeslagen."]  # no server changed: no test


def test_the_connection_test_shows_what_worked_and_what_did_not(
    admin_client: Client, mailbox: Mailbox, smtp_server: SmtpServer
) -> None:
    # given an SMTP port where nothing listens
    mailbox.smtp_port = 1
    mailbox.save()

    # when
    response = admin_client.post(reverse("web:mailboxes:test", kwargs={"mailbox_id": mailbox.pk}))

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Resultaat van de verbindingstest" in page
    assert "Gelukt" in page
    assert "Mislukt" in page
    assert "127.0.0.1:1 weigert de verbinding" in page


def test_deleting_a_mailbox(admin_client: Client, mailbox: Mailbox, shop: Shop) -> None:
    # when
    response = admin_client.post(reverse("web:mailboxes:delete", kwargs={"mailbox_id": mailbox.pk}))

    # then
    assert response["Location"] == reverse("web:mailboxes:list")
    assert not Mailbox.objects.for_shop(shop).exists()


def test_a_rejected_email_downloads_as_the_original_and_never_renders(
    admin_client: Client, mailbox: Mailbox, shop: Shop
) -> None:
    # given an email with HTML and a script in it
    raw = b"Subject: <script>alert(1)</script>\r\nContent-Type: text/html\r\n\r\n<script>x</script>"
    rejected = RejectedEmail.objects.create(
        shop=shop,
        mailbox=mailbox,
        uid=12,
        raw=ContentFile(raw, name="x.eml"),
        reason="ValueError: kapot",
    )

    # when
    listing = admin_client.get(reverse("web:mailboxes:rejected", kwargs={"mailbox_id": mailbox.pk}))
    download = admin_client.get(
        reverse(
            "web:mailboxes:rejected_download",
            kwargs={"mailbox_id": mailbox.pk, "rejected_id": rejected.pk},
        )
    )

    # then
    assert "ValueError: kapot" in listing.content.decode()
    assert download["Content-Type"] == "message/rfc822"
    assert (
        download["Content-Disposition"] == f'attachment; filename="geweigerd-{mailbox.pk}-12.eml"'
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "sandbox"
    assert b"".join(download.streaming_content) == raw  # type: ignore[attr-defined]


def test_another_shops_mailbox_and_rejected_emails_are_not_found(
    admin_client: Client, mailbox: Mailbox, other_shop: Shop
) -> None:
    # given
    theirs = Mailbox.objects.create(
        shop=other_shop,
        name="Trapper",
        email_address="info@trapper.nl",
        imap_host="127.0.0.1",
        imap_username="x",
        imap_password="y",
    )
    their_rejected = RejectedEmail.objects.create(
        shop=other_shop, mailbox=theirs, uid=1, raw=ContentFile(b"x", name="x.eml"), reason="x"
    )

    # when: their mailbox, and their rejected email under our own mailbox's address
    answers = [
        admin_client.get(reverse("web:mailboxes:detail", kwargs={"mailbox_id": theirs.pk})),
        admin_client.post(reverse("web:mailboxes:delete", kwargs={"mailbox_id": theirs.pk})),
        admin_client.get(
            reverse(
                "web:mailboxes:rejected_download",
                kwargs={"mailbox_id": mailbox.pk, "rejected_id": their_rejected.pk},
            )
        ),
    ]

    # then
    assert [answer.status_code for answer in answers] == [404, 404, 404]
    assert Mailbox.objects.filter(pk=theirs.pk).exists()


def test_the_list_costs_the_same_queries_for_one_or_many_mailboxes(
    admin_client: Client, shop: Shop, django_assert_max_num_queries: Any
) -> None:
    # given
    for number in range(5):
        Mailbox.objects.create(
            shop=shop,
            name=f"Mailbox {number}",
            email_address=f"m{number}@pollepel.nl",
            imap_host="127.0.0.1",
            imap_username="x",
            imap_password="y",
            team=TeamFactory(shop=shop),
        )

    # then
    with django_assert_max_num_queries(8):
        admin_client.get(reverse("web:mailboxes:list"))


def test_a_send_only_mailbox_says_it_reads_nothing(admin_client: Client, shop: Shop) -> None:
    # given a mailbox without an IMAP server (as in the demo shop): replies only
    Mailbox.objects.create(shop=shop, name="Demo", email_address="demo@pollepel.nl", imap_host="")

    # when
    page = admin_client.get(reverse("web:mailboxes:list")).content.decode()

    # then it is not "waiting to be read" but plainly send-only
    assert "Alleen versturen" in page
    assert "binnen een minuut voor het eerst" not in page
