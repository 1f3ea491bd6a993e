"""The settings' connection test against real servers: dovecot for IMAP, aiosmtpd for SMTP.
Each failure a shop's admin runs into is told apart and said in Dutch."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from balie.channels.email import diagnosis, smtp
from balie.channels.email.imap import MailboxConfig
from balie.channels.email.tests.dovecot import DovecotServer
from balie.channels.email.tests.dovecot import (
    _self_signed_certificate as self_signed_certificate,  # one certificate helper for all
)
from balie.channels.email.tests.raw_mail import raw_mail
from balie.channels.email.tests.smtp_server import SmtpServer, free_port, start_smtp_server
from balie.channels.models import SmtpSecurity

UNKNOWN_HOST = "imap.bestaat-niet.invalid"  # RFC 2606: never resolves


def imap_config(dovecot: DovecotServer, **overrides: object) -> MailboxConfig:
    values: dict[str, object] = {
        "host": dovecot.host,
        "port": dovecot.port,
        "ssl": False,
        "username": dovecot.username,
        "password": dovecot.password,
        "timeout": 10.0,
    }
    values.update(overrides)
    return MailboxConfig(**values)  # type: ignore[arg-type]


def smtp_config(server: SmtpServer | None = None, **overrides: object) -> smtp.SmtpConfig:
    values: dict[str, object] = {
        "host": server.host if server else "127.0.0.1",
        "port": server.port if server else free_port(),
        "security": SmtpSecurity.NONE,
        "username": "",
        "password": "",
        "timeout": 5.0,
    }
    values.update(overrides)
    return smtp.SmtpConfig(**values)  # type: ignore[arg-type]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        yield silent.getsockname()[1]


@pytest.fixture
def tls(tmp_path: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context, client context that trusts the server's self-signed certificate)."""
    cert, key = self_signed_certificate(tmp_path)
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    return server, ssl.create_default_context(cafile=str(cert))


@pytest.fixture
def started() -> Iterator[list[SmtpServer]]:
    servers: list[SmtpServer] = []
    yield servers
    for server in servers:
        server.stop()


# --- IMAP ------------------------------------------------------------------------------------


def test_imap_signs_in_and_counts_the_folder(dovecot: DovecotServer) -> None:
    # given
    dovecot.append(raw_mail())
    dovecot.append(raw_mail())

    # when
    check = diagnosis.imap_check(imap_config(dovecot))

    # then
    assert check.ok
    assert check.message == (
        f"Inloggen op 127.0.0.1:{dovecot.port} gelukt. De map INBOX heeft 2 berichten."
    )
    assert check.folder is not None
    assert check.folder.messages == 2
    assert check.warning == ""  # plain text to 127.0.0.1 never leaves the machine


def test_imap_says_the_password_is_wrong(dovecot: DovecotServer) -> None:
    # when
    check = diagnosis.imap_check(imap_config(dovecot, password="fout-wachtwoord"))

    # then
    assert not check.ok
    assert check.code == "imap_auth_failed"
    assert "de gebruikersnaam of het wachtwoord klopt niet" in check.message
    assert check.folder is None


def test_imap_says_the_host_does_not_exist() -> None:
    # when
    check = diagnosis.imap_check(
        MailboxConfig(host=UNKNOWN_HOST, username="x", password="y", timeout=5)
    )

    # then
    assert (check.ok, check.code) == (False, "imap_host_unknown")
    assert f"De server {UNKNOWN_HOST} bestaat niet" in check.message


def test_imap_says_the_port_refuses() -> None:
    # given nothing listens here
    port = free_port()

    # when
    check = diagnosis.imap_check(
        MailboxConfig(host="127.0.0.1", port=port, ssl=False, username="x", password="y")
    )

    # then
    assert check.code == "imap_refused"
    assert "weigert de verbinding. Klopt de poort?" in check.message


def test_imap_says_the_server_does_not_answer_in_time(silent_port: int) -> None:
    # when
    check = diagnosis.imap_check(
        MailboxConfig(
            host="127.0.0.1", port=silent_port, ssl=False, username="x", password="y", timeout=0.5
        )
    )

    # then
    assert check.code == "imap_timeout"
    assert f"127.0.0.1:{silent_port} reageert niet binnen 1 seconde." in check.message


def test_imap_says_the_certificate_cannot_be_trusted(dovecot: DovecotServer) -> None:
    # given dovecot's self-signed certificate, which no public authority signed
    config = imap_config(dovecot, port=dovecot.tls_port, ssl=True)

    # when
    check = diagnosis.imap_check(config)

    # then
    assert check.code == "imap_certificate_invalid"
    assert "Het certificaat van" in check.message
    assert "niet te vertrouwen" in check.message


def test_imap_says_tls_is_not_spoken_on_a_plain_port(dovecot: DovecotServer) -> None:
    # when: TLS from the first byte to the port that expects plain IMAP
    check = diagnosis.imap_check(imap_config(dovecot, ssl=True))

    # then
    assert check.code == "imap_tls_failed"
    assert "spreekt op deze poort geen TLS" in check.message


def test_imap_works_over_starttls_with_a_trusted_certificate(dovecot: DovecotServer) -> None:
    # given
    context = ssl.create_default_context(cafile=str(dovecot.cafile))

    # when
    check = diagnosis.imap_check(imap_config(dovecot, starttls=True), ssl_context=context)

    # then
    assert check.ok


def test_imap_says_the_folder_is_missing(dovecot: DovecotServer) -> None:
    # when
    check = diagnosis.imap_check(imap_config(dovecot, folder="Klantenservice"))

    # then
    assert check.code == "imap_folder_missing"
    assert "De map Klantenservice bestaat niet" in check.message


# --- SMTP ------------------------------------------------------------------------------------


def test_smtp_connects_to_a_server_without_sign_in(smtp_server: SmtpServer) -> None:
    # when
    check = diagnosis.smtp_check(smtp_config(smtp_server))

    # then
    assert check.ok
    assert "De server vraagt niet om inloggen" in check.message
    assert smtp_server.received == []  # nothing was sent


def test_smtp_signs_in(started: list[SmtpServer]) -> None:
    # given
    server = start_smtp_server(username="service@pollepel.nl", password="goed")
    started.append(server)

    # when
    check = diagnosis.smtp_check(
        smtp_config(server, username="service@pollepel.nl", password="goed")
    )

    # then
    assert check.ok
    assert check.message == (
        f"Inloggen op 127.0.0.1:{server.port} gelukt. Balie kan vanuit deze mailbox versturen."
    )


def test_smtp_says_the_password_is_wrong(started: list[SmtpServer]) -> None:
    # given
    server = start_smtp_server(username="service@pollepel.nl", password="goed")
    started.append(server)

    # when
    check = diagnosis.smtp_check(
        smtp_config(server, username="service@pollepel.nl", password="fout")
    )

    # then
    assert (check.ok, check.code) == (False, "smtp_auth_failed")
    assert "de gebruikersnaam of het wachtwoord klopt niet" in check.message


def test_smtp_says_the_host_does_not_exist() -> None:
    # when
    check = diagnosis.smtp_check(smtp_config(host="smtp.bestaat-niet.invalid", port=587))

    # then
    assert check.code == "smtp_host_unknown"
    assert "De server smtp.bestaat-niet.invalid bestaat niet" in check.message


def test_smtp_says_the_port_refuses() -> None:
    # when
    check = diagnosis.smtp_check(smtp_config())

    # then
    assert check.code == "smtp_refused"
    assert "Meestal is dat 587 (STARTTLS) of 465 (TLS)" in check.message


def test_smtp_says_the_server_does_not_answer_in_time(silent_port: int) -> None:
    # when
    check = diagnosis.smtp_check(smtp_config(port=silent_port, timeout=0.5))

    # then
    assert check.code == "smtp_timeout"


def test_smtp_says_starttls_is_not_offered(smtp_server: SmtpServer) -> None:
    # when: the test server offers no STARTTLS, and Balie never falls back to plain text
    check = diagnosis.smtp_check(smtp_config(smtp_server, security=SmtpSecurity.STARTTLS))

    # then
    assert check.code == "smtp_starttls_missing"
    assert "biedt geen STARTTLS aan" in check.message


def test_smtp_says_the_certificate_cannot_be_trusted(
    started: list[SmtpServer], tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    # given
    server_context, _client_context = tls
    server = start_smtp_server(tls_context=server_context)
    started.append(server)

    # when: the default trust store does not know the self-signed certificate
    check = diagnosis.smtp_check(smtp_config(server, security=SmtpSecurity.STARTTLS))

    # then
    assert check.code == "smtp_certificate_invalid"
    assert "niet te vertrouwen" in check.message


def test_smtp_says_tls_is_not_spoken_on_a_plain_port(smtp_server: SmtpServer) -> None:
    # when
    check = diagnosis.smtp_check(smtp_config(smtp_server, security=SmtpSecurity.SSL))

    # then
    assert check.code == "smtp_tls_failed"
    assert "spreekt op deze poort geen TLS" in check.message


def test_smtp_signs_in_over_implicit_tls(
    started: list[SmtpServer], tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    # given a port-465 style server that wants a login
    server_context, client_context = tls
    server = start_smtp_server(
        username="service@pollepel.nl",
        password="goed",
        tls_context=server_context,
        implicit_tls=True,
    )
    started.append(server)

    # when
    check = diagnosis.smtp_check(
        smtp_config(
            server, security=SmtpSecurity.SSL, username="service@pollepel.nl", password="goed"
        ),
        ssl_context=client_context,
    )

    # then
    assert check.ok
    assert "Inloggen op" in check.message
