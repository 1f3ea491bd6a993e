"""Sending over SMTP against a real server (aiosmtpd): security modes, sign-in, failures."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from balie.channels.email import smtp
from balie.channels.email.tests.dovecot import (
    _self_signed_certificate as self_signed_certificate,  # one certificate helper for both
)
from balie.channels.email.tests.smtp_server import SmtpServer, free_port, start_smtp_server
from balie.channels.models import Mailbox, SmtpSecurity

DATA = b"From: service@pollepel.nl\r\nTo: anouk@example.nl\r\nSubject: Hoi\r\n\r\nHallo\r\n"


def config(server: SmtpServer, **fields: object) -> smtp.SmtpConfig:
    values: dict[str, object] = {
        "host": server.host,
        "port": server.port,
        "security": SmtpSecurity.NONE,
        "username": "",
        "password": "",
        "timeout": 5.0,
    }
    values.update(fields)
    return smtp.SmtpConfig(**values)  # type: ignore[arg-type]


def send(server_config: smtp.SmtpConfig, **kwargs: object) -> None:
    smtp.send(
        server_config,
        envelope_from="service@pollepel.nl",
        recipients=["anouk@example.nl"],
        data=DATA,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def tls(tmp_path: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context, client context that trusts the server's self-signed certificate)."""
    cert, key = self_signed_certificate(tmp_path)
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=str(cert))
    return server, client


@pytest.fixture
def started() -> Iterator[list[SmtpServer]]:
    servers: list[SmtpServer] = []
    yield servers
    for server in servers:
        server.stop()


def test_it_hands_the_message_to_the_server(smtp_server: SmtpServer) -> None:
    # when
    send(config(smtp_server))

    # then
    [received] = smtp_server.received
    assert received.mail_from == "service@pollepel.nl"
    assert received.rcpt_tos == ("anouk@example.nl",)
    assert received.message["Subject"] == "Hoi"


def test_it_signs_in_with_the_imap_credentials_when_the_smtp_ones_are_blank(
    started: list[SmtpServer],
) -> None:
    # given a server that demands a login, and a mailbox with IMAP credentials only
    server = start_smtp_server(username="service@pollepel.nl", password="imap-geheim")
    started.append(server)
    mailbox = Mailbox(
        email_address="service@pollepel.nl",
        imap_username="service@pollepel.nl",
        imap_password="imap-geheim",
        smtp_host=server.host,
        smtp_port=server.port,
        smtp_security=SmtpSecurity.NONE,
    )

    # when
    smtp.send(
        smtp.config_for(mailbox),
        envelope_from="service@pollepel.nl",
        recipients=["anouk@example.nl"],
        data=DATA,
    )

    # then
    assert [received.login for received in server.received] == ["service@pollepel.nl"]


def test_a_wrong_password_is_a_temporary_failure_an_administrator_can_fix(
    started: list[SmtpServer],
) -> None:
    # given
    server = start_smtp_server(username="service@pollepel.nl", password="goed")
    started.append(server)

    # when
    with pytest.raises(smtp.SmtpError) as raised:
        send(config(server, username="service@pollepel.nl", password="fout"))

    # then
    assert raised.value.temporary
    assert "sign-in refused" in raised.value.reason
    assert server.received == []


def test_starttls_upgrades_the_connection_before_sending(
    started: list[SmtpServer], tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    # given
    server_context, client_context = tls
    server = start_smtp_server(tls_context=server_context)
    started.append(server)

    # when
    send(config(server, security=SmtpSecurity.STARTTLS), ssl_context=client_context)

    # then
    assert len(server.received) == 1


def test_starttls_refuses_a_certificate_it_cannot_trust(
    started: list[SmtpServer], tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    # given a self-signed certificate and the system's trust store
    server = start_smtp_server(tls_context=tls[0])
    started.append(server)

    # when
    with pytest.raises(smtp.SmtpError) as raised:
        send(config(server, security=SmtpSecurity.STARTTLS))

    # then
    assert raised.value.temporary
    assert "TLS" in raised.value.reason
    assert server.received == []


def test_starttls_never_falls_back_to_plain_text(smtp_server: SmtpServer) -> None:
    # given a server that does not offer STARTTLS
    # when
    with pytest.raises(smtp.SmtpError) as raised:
        send(config(smtp_server, security=SmtpSecurity.STARTTLS))

    # then
    assert raised.value.temporary
    assert smtp_server.received == []


def test_implicit_tls_speaks_tls_from_the_first_byte(
    started: list[SmtpServer], tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    # given
    server_context, client_context = tls
    server = start_smtp_server(tls_context=server_context, implicit_tls=True)
    started.append(server)

    # when
    send(config(server, security=SmtpSecurity.SSL), ssl_context=client_context)

    # then
    assert len(server.received) == 1


def test_implicit_tls_signs_in_when_the_server_asks(
    started: list[SmtpServer], tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    # given a port-465 style server that only relays after a login (a bug sent without one)
    server_context, client_context = tls
    server = start_smtp_server(
        username="service@pollepel.nl",
        password="geheim",
        tls_context=server_context,
        implicit_tls=True,
    )
    started.append(server)

    # when
    send(
        config(
            server,
            security=SmtpSecurity.SSL,
            username="service@pollepel.nl",
            password="geheim",
        ),
        ssl_context=client_context,
    )

    # then
    assert [received.login for received in server.received] == ["service@pollepel.nl"]


def test_a_refused_recipient_is_a_permanent_failure_with_the_servers_reason(
    smtp_server: SmtpServer,
) -> None:
    # given
    smtp_server.refuse_recipient("anouk@example.nl")

    # when
    with pytest.raises(smtp.SmtpError) as raised:
        send(config(smtp_server))

    # then
    assert not raised.value.temporary
    assert raised.value.code == 550
    assert "anouk@example.nl refused: 550" in raised.value.reason
    assert "User unknown" in raised.value.reason


@pytest.mark.parametrize(
    ("answer", "stage", "temporary"),
    [
        ("451 4.3.0 Probeer het later", "rcpt", True),
        ("452 4.2.2 Mailbox vol", "data", True),
        ("554 5.7.1 Als spam geweigerd", "data", False),
    ],
)
def test_reply_codes_decide_between_retry_and_give_up(
    smtp_server: SmtpServer, answer: str, stage: str, temporary: bool
) -> None:
    # given
    if stage == "rcpt":
        smtp_server.answer_rcpt(answer)
    else:
        smtp_server.answer_data(answer)

    # when
    with pytest.raises(smtp.SmtpError) as raised:
        send(config(smtp_server))

    # then
    assert raised.value.temporary is temporary
    assert raised.value.code == int(answer[:3])
    assert answer.split(" ", 1)[1] in raised.value.reason


def test_a_dropped_connection_is_temporary(smtp_server: SmtpServer) -> None:
    # given
    smtp_server.drop_connections()

    # when
    with pytest.raises(smtp.SmtpError) as raised:
        send(config(smtp_server))

    # then
    assert raised.value.temporary


def test_a_server_that_is_down_is_temporary() -> None:
    # given nothing listens on this port
    port = free_port()

    # when
    with pytest.raises(smtp.SmtpError) as raised:
        send(smtp.SmtpConfig("127.0.0.1", port, SmtpSecurity.NONE, "", "", timeout=5))

    # then
    assert raised.value.temporary
    assert f"127.0.0.1:{port}" in raised.value.reason


def test_a_server_that_never_answers_times_out() -> None:
    # given a port that accepts connections but never greets
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]

        # when
        with pytest.raises(smtp.SmtpError) as raised:
            send(smtp.SmtpConfig("127.0.0.1", port, SmtpSecurity.NONE, "", "", timeout=0.5))

    # then
    assert raised.value.temporary
    assert "did not answer in time" in raised.value.reason
