"""A real SMTP server for tests: aiosmtpd's threaded controller on a free port of 127.0.0.1.

It records every message it accepts (envelope and raw bytes) and can be told how to answer:
a reply code for RCPT TO or DATA ("550 5.1.1 …", "451 4.3.0 …"), dropping the connection, or
demanding a login. `stop()` closes the port, so a connection is refused (SMTP "down").
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from balie.channels.models import Mailbox, SmtpSecurity
from balie.tenancy.models import Shop

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    login: str  # the user name the client signed in with, "" without AUTH

    @property
    def message(self) -> EmailMessage:
        parsed = BytesParser(policy=policy.default).parsebytes(self.data)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class _Handler:
    received: list[Received] = field(default_factory=list)
    rcpt_reply: str = ""  # e.g. "550 5.1.1 Mailbox unknown"; "" accepts
    data_reply: str = ""
    drop_connection: bool = False
    refused_recipients: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # noqa: N802  # aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.drop_connection and server.transport is not None:
            server.transport.close()
            return "421 4.4.2 connection dropped"
        if address.lower() in self.refused_recipients:
            return "550 5.1.1 <" + address + ">: Recipient address rejected: User unknown"
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802  # aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        if self.data_reply:
            return self.data_reply
        login = session.auth_data if isinstance(session.auth_data, bytes) else b""
        with self.lock:
            self.received.append(
                Received(
                    mail_from=str(envelope.mail_from),
                    rcpt_tos=tuple(envelope.rcpt_tos),
                    data=bytes(envelope.original_content or b""),
                    login=login.decode(),
                )
            )
        return "250 OK: queued"


@dataclass
class SmtpServer:
    """One running server; tests read `received` and set the answers."""

    port: int
    controller: Controller
    handler: _Handler
    host: str = HOST
    username: str = ""
    password: str = ""

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def answer_rcpt(self, reply: str) -> None:
        self.handler.rcpt_reply = reply

    def answer_data(self, reply: str) -> None:
        self.handler.data_reply = reply

    def refuse_recipient(self, address: str) -> None:
        self.handler.refused_recipients.add(address.lower())

    def drop_connections(self) -> None:
        self.handler.drop_connection = True

    def reset(self) -> None:
        with self.handler.lock:
            self.handler.received.clear()
        self.handler.rcpt_reply = self.handler.data_reply = ""
        self.handler.drop_connection = False
        self.handler.refused_recipients.clear()

    def stop(self) -> None:
        with contextlib.suppress(AssertionError, RuntimeError):
            self.controller.stop()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


class _Authenticator:
    def __init__(self, username: str, password: str) -> None:
        self.username, self.password = username.encode(), password.encode()

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == self.username
            and auth_data.password == self.password
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)


def start_smtp_server(
    *,
    username: str = "",
    password: str = "",
    tls_context: ssl.SSLContext | None = None,
    implicit_tls: bool = False,
) -> SmtpServer:
    """Start a server; with `username` it advertises AUTH and accepts only that login (also
    without TLS, as a relay on a trusted network would). `tls_context` offers STARTTLS, or
    with `implicit_tls` speaks TLS from the first byte (port 465 style)."""
    handler = _Handler()
    port = free_port()
    kwargs: dict[str, Any] = {}
    if username:
        kwargs.update(
            authenticator=_Authenticator(username, password),
            auth_require_tls=False,
            auth_required=True,
        )
    if tls_context is not None and not implicit_tls:
        kwargs.update(tls_context=tls_context)
    controller = _controller(handler, port, tls_context, implicit_tls, kwargs)
    return SmtpServer(
        port=port, controller=controller, handler=handler, username=username, password=password
    )


class _QuietController(Controller):
    def factory(self) -> SMTP:
        with warnings.catch_warnings():
            # aiosmtpd warns about AUTH without TLS, which is what this test server is for.
            warnings.simplefilter("ignore", UserWarning)
            return super().factory()


def _controller(
    handler: _Handler,
    port: int,
    tls_context: ssl.SSLContext | None,
    implicit_tls: bool,
    kwargs: dict[str, Any],
) -> Controller:
    controller = _QuietController(
        handler,
        hostname=HOST,
        port=port,
        ssl_context=tls_context if implicit_tls else None,
        server_hostname="smtp.test",
        ready_timeout=10,
        **kwargs,
    )
    controller.start()
    return controller


# --- pytest fixtures (imported by the conftest.py files that use them) -----------------------


@pytest.fixture(scope="session")
def smtp_server_session() -> Iterator[SmtpServer]:
    server = start_smtp_server()
    yield server
    server.stop()


@pytest.fixture
def smtp_server(smtp_server_session: SmtpServer) -> SmtpServer:
    """A running SMTP server that accepts everything, with nothing received yet."""
    smtp_server_session.reset()
    return smtp_server_session


@pytest.fixture
def smtp_mailbox(shop: Shop, smtp_server: SmtpServer) -> Mailbox:
    """The shop's mailbox, sending through `smtp_server` (no TLS: it is on 127.0.0.1)."""
    return Mailbox.objects.create(
        shop=shop,
        name="Klantenservice",
        email_address="service@pollepel.nl",
        imap_host="127.0.0.1",
        imap_port=1,
        imap_ssl=False,
        imap_username="service@pollepel.nl",
        imap_password="geheim",
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
        smtp_security=SmtpSecurity.NONE,
        sender_name="Klantenservice De Pollepel",
    )
