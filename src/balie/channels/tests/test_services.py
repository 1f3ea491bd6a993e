"""Mailbox writes as the settings pages make them, against a real dovecot and aiosmtpd."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from pytest_django.fixtures import Settings

from balie.channels import errors, services
from balie.channels.email import services as email_services
from balie.channels.email.tests.dovecot import DovecotServer
from balie.channels.email.tests.raw_mail import raw_mail
from balie.channels.email.tests.smtp_server import SmtpServer
from balie.channels.models import ImapSecurity, Mailbox, RejectedEmail, SmtpSecurity
from balie.inbox.models import Conversation, Message
from balie.tenancy.models import Shop
from balie.tenancy.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def create(shop: Shop, dovecot: DovecotServer) -> Callable[..., Mailbox]:
    """`mailbox_create` for the test dovecot; keyword arguments override a field."""

    def make(**overrides: Any) -> Mailbox:
        fields: dict[str, Any] = {
            "shop": shop,
            "name": "Klantenservice",
            "email_address": "Service@Pollepel.nl",
            "imap_host": dovecot.host,
            "imap_port": dovecot.port,
            "imap_security": ImapSecurity.NONE,
            "imap_username": dovecot.username,
            "imap_password": dovecot.password,
        }
        fields.update(overrides)
        return services.mailbox_create(**fields)

    return make


def message(number: int) -> bytes:
    return raw_mail(
        "From: Anna de Vries <anna@voorbeeld.nl>",
        "To: service@pollepel.nl",
        f"Subject: Vraag {number}",
        f"Message-ID: <vraag-{number}@voorbeeld.nl>",
    )


def test_a_new_mailbox_reads_only_the_mail_that_arrives_from_now_on(
    create: Callable[..., Mailbox], dovecot: DovecotServer, shop: Shop
) -> None:
    # given two old emails in the folder
    dovecot.append(message(1))
    dovecot.append(message(2))

    # when
    mailbox = create()
    dovecot.append(message(3))
    result = email_services.mailbox_poll(mailbox=mailbox)

    # then: the old ones stay history (no conversations, so no acknowledgements)
    assert result.received == 1
    assert list(Conversation.objects.for_shop(shop).values_list("subject", flat=True)) == [
        "Vraag 3"
    ]
    mailbox.refresh_from_db()
    assert mailbox.email_address == "service@pollepel.nl"
    assert (mailbox.imap_ssl, mailbox.imap_starttls) == (False, False)


def test_a_mailbox_that_cannot_sign_in_is_not_saved(
    create: Callable[..., Mailbox], shop: Shop
) -> None:
    # when
    with pytest.raises(errors.MailboxConnectionFailed) as raised:
        create(imap_password="fout")

    # then
    assert raised.value.code == "mailbox_connection_failed"
    assert "de gebruikersnaam of het wachtwoord klopt niet" in raised.value.message
    assert not Mailbox.objects.for_shop(shop).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "  "),
        ("email_address", "geen-adres"),
        ("imap_host", "imaps://imap.example.nl"),
        ("imap_port", 70000),
        ("imap_security", "ssl-graag"),
        ("imap_username", ""),
        ("imap_password", ""),
        ("imap_folder", "INBOX\r\nA1 DELETE INBOX"),
        ("smtp_host", "smtp example nl"),
        ("smtp_security", "tls"),
        ("sender_name", "x" * 121),
    ],
)
def test_settings_that_cannot_work_are_refused_with_the_field(
    create: Callable[..., Mailbox], shop: Shop, field: str, value: object
) -> None:
    # when
    with pytest.raises(errors.MailboxInvalid) as raised:
        create(**{field: value})

    # then
    assert raised.value.field == field
    assert not Mailbox.objects.for_shop(shop).exists()


def test_a_team_of_another_shop_is_refused(
    create: Callable[..., Mailbox], other_shop: Shop
) -> None:
    # when
    with pytest.raises(errors.MailboxInvalid) as raised:
        create(team=TeamFactory(shop=other_shop))

    # then
    assert raised.value.field == "team"


def test_an_address_the_shop_already_reads_is_refused_in_any_case(
    create: Callable[..., Mailbox],
) -> None:
    # given
    create()

    # when
    with pytest.raises(errors.MailboxAddressTaken):
        create(name="Tweede", email_address="SERVICE@pollepel.nl")


def test_an_update_keeps_the_passwords_it_is_not_given(
    create: Callable[..., Mailbox], shop: Shop, dovecot: DovecotServer
) -> None:
    # given
    mailbox = create(smtp_host="127.0.0.1", smtp_password="smtp-geheim")

    # when
    services.mailbox_update(shop=shop, mailbox=mailbox, name="Service", sender_name="De Pollepel")

    # then
    mailbox.refresh_from_db()
    assert (mailbox.name, mailbox.sender_name) == ("Service", "De Pollepel")
    assert (mailbox.imap_password, mailbox.smtp_password) == (dovecot.password, "smtp-geheim")


def test_an_empty_smtp_password_goes_back_to_the_imap_one(
    create: Callable[..., Mailbox], shop: Shop
) -> None:
    # given
    mailbox = create(smtp_host="127.0.0.1", smtp_password="smtp-geheim")

    # when
    services.mailbox_update(shop=shop, mailbox=mailbox, smtp_password="")

    # then
    mailbox.refresh_from_db()
    assert mailbox.smtp_password == ""


def test_pointing_a_mailbox_at_another_folder_starts_at_its_new_mail(
    create: Callable[..., Mailbox], shop: Shop, dovecot: DovecotServer
) -> None:
    # given a mailbox that read INBOX up to UID 2, and a folder with old mail of its own
    dovecot.append(message(1))
    mailbox = create()
    dovecot.append(message(2))
    email_services.mailbox_poll(mailbox=mailbox)
    dovecot.create_folder("Service")
    dovecot.append(message(10), folder="Service")

    # when
    services.mailbox_update(shop=shop, mailbox=mailbox, imap_folder="Service")
    dovecot.append(message(11), folder="Service")
    result = email_services.mailbox_poll(mailbox=mailbox)

    # then
    assert result.received == 1
    assert set(Message.objects.for_shop(shop).values_list("subject", flat=True)) == {
        "Vraag 2",
        "Vraag 11",
    }


def test_the_same_folder_under_another_name_reads_on_where_it_was(
    create: Callable[..., Mailbox], shop: Shop, dovecot: DovecotServer
) -> None:
    # given a mail that arrived after the last poll
    mailbox = create()
    dovecot.append(message(1))

    # when: the server is now called localhost, which is the same dovecot
    services.mailbox_update(shop=shop, mailbox=mailbox, imap_host="localhost")
    result = email_services.mailbox_poll(mailbox=mailbox)

    # then: nothing skipped
    assert result.received == 1


def test_a_change_that_cannot_sign_in_changes_nothing(
    create: Callable[..., Mailbox], shop: Shop
) -> None:
    # given
    mailbox = create()

    # when
    with pytest.raises(errors.MailboxConnectionFailed):
        services.mailbox_update(
            shop=shop, mailbox=mailbox, imap_username="iemand-anders", name="Nieuw"
        )

    # then
    mailbox.refresh_from_db()
    assert mailbox.name == "Klantenservice"


def test_deleting_a_mailbox_removes_its_rejected_emails_and_their_files(
    create: Callable[..., Mailbox],
    shop: Shop,
    media_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    mailbox = create()
    rejected = RejectedEmail.objects.create(
        shop=shop, mailbox=mailbox, uid=3, raw=ContentFile(b"kapot", name="x.eml"), reason="kapot"
    )
    path = Path(rejected.raw.path)
    assert path.exists()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.mailbox_delete(shop=shop, mailbox=mailbox)

    # then
    assert not Mailbox.objects.for_shop(shop).exists()
    assert not RejectedEmail.objects.for_shop(shop).exists()
    assert not path.exists()


def test_the_connection_test_reports_both_servers(
    create: Callable[..., Mailbox], shop: Shop, smtp_server: SmtpServer
) -> None:
    # given
    mailbox = create(
        smtp_host=smtp_server.host, smtp_port=smtp_server.port, smtp_security=SmtpSecurity.NONE
    )

    # when
    report = services.mailbox_connection_test(shop=shop, mailbox=mailbox)

    # then
    assert report.ok
    assert report.imap.message.startswith("Inloggen op 127.0.0.1:")
    assert report.smtp is not None
    assert "de server biedt geen inloggen aan" in report.smtp.message


def test_the_connection_test_says_what_failed_and_what_worked(
    create: Callable[..., Mailbox], shop: Shop
) -> None:
    # given an SMTP server that is not there
    mailbox = create(smtp_host="smtp.bestaat-niet.invalid")

    # when
    report = services.mailbox_connection_test(shop=shop, mailbox=mailbox)

    # then
    assert report.imap.ok
    assert report.smtp is not None
    assert report.smtp.code == "smtp_host_unknown"
    assert not report.ok


def test_a_receive_only_mailbox_has_no_smtp_check(
    create: Callable[..., Mailbox], shop: Shop
) -> None:
    # when
    report = services.mailbox_connection_test(shop=shop, mailbox=create())

    # then
    assert report.smtp is None
    assert report.ok


def test_a_server_in_the_installations_own_network_is_refused_unless_allowed(
    create: Callable[..., Mailbox], shop: Shop, settings: Settings
) -> None:
    # given an installation that keeps shops' admins out of its network
    settings.BALIE_MAILBOX_ALLOW_PRIVATE = False

    # when
    with pytest.raises(errors.MailboxInvalid) as raised:
        create()

    # then
    assert raised.value.field == "imap_host"
    assert "127.0.0.1 wijst naar 127.0.0.1, een adres in een intern netwerk" in raised.value.message
    assert not Mailbox.objects.for_shop(shop).exists()


def test_the_connection_test_does_not_reach_into_the_installations_network(
    shop: Shop, settings: Settings, smtp_server: SmtpServer
) -> None:
    # given a mailbox saved earlier (by staff), pointing at this machine's SMTP server
    settings.BALIE_MAILBOX_ALLOW_PRIVATE = False
    mailbox = Mailbox.objects.create(
        shop=shop,
        name="Intern",
        email_address="intern@pollepel.nl",
        imap_host="localhost",
        imap_username="x",
        imap_password="y",
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
    )

    # when
    report = services.mailbox_connection_test(shop=shop, mailbox=mailbox)

    # then: no connection is even tried, so nothing tells which ports are open
    assert report.imap.code == "imap_host_private"
    assert report.smtp is not None
    assert report.smtp.code == "smtp_host_private"


def test_a_server_the_staff_put_there_may_stay_while_the_rest_changes(
    shop: Shop, settings: Settings
) -> None:
    # given a mailbox the installation's staff pointed at this machine
    settings.BALIE_MAILBOX_ALLOW_PRIVATE = False
    mailbox = Mailbox.objects.create(
        shop=shop,
        name="Intern",
        email_address="intern@pollepel.nl",
        imap_host="127.0.0.1",
        imap_username="x",
        imap_password="y",
    )

    # when: the shop's admin renames it, then tries another server in the network
    services.mailbox_update(shop=shop, mailbox=mailbox, name="Service")
    with pytest.raises(errors.MailboxInvalid) as raised:
        services.mailbox_update(shop=shop, mailbox=mailbox, smtp_host="10.0.0.5")

    # then
    assert Mailbox.objects.get(pk=mailbox.pk).name == "Service"
    assert raised.value.field == "smtp_host"


def test_the_connection_test_of_a_send_only_mailbox_says_imap_is_not_configured(
    shop: Shop,
) -> None:
    # given
    mailbox = Mailbox.objects.create(
        shop=shop, name="Demo", email_address="demo@pollepel.nl", imap_host=""
    )

    # when
    report = services.mailbox_connection_test(shop=shop, mailbox=mailbox)

    # then nothing was dialled, and the report says why
    assert report.imap.code == "imap_not_configured"
    assert not report.ok
    assert report.smtp is None
