"""Sending one message over SMTP, with every failure sorted into "try again" or "give up".

`send` speaks to the mailbox's own SMTP server (smtplib): STARTTLS, implicit TLS or plain
(only on a trusted network), with timeouts on connecting and on every reply. It signs in when
the server offers AUTH, with the SMTP credentials or, when those are blank, the IMAP ones
(most providers use one account for both). `send_via_installation` hands a message to the
installation's own mail server instead (Django's default mailer), for mailboxes without one.

Failures raise `SmtpError` with `temporary` set per RFC 5321: 4xx replies, refused or dropped
connections, timeouts and TLS or sign-in problems (settings an administrator can fix) are
temporary; 5xx replies to the sender, the recipient or the data are permanent.
"""

from __future__ import annotations

import contextlib
import email.policy
import smtplib
import ssl
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import Policy
from typing import Any

from django.conf import settings as django_settings
from django.core import mail

from balie.channels.models import Mailbox, SmtpSecurity

TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str  # SmtpSecurity
    username: str
    password: str
    timeout: float = TIMEOUT_SECONDS


class SmtpError(Exception):
    def __init__(self, reason: str, *, temporary: bool, code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.temporary = temporary
        self.code = code


def config_for(mailbox: Mailbox) -> SmtpConfig:
    return SmtpConfig(
        host=mailbox.smtp_host,
        port=mailbox.smtp_port,
        security=mailbox.smtp_security,
        username=mailbox.smtp_username or mailbox.imap_username,
        password=mailbox.smtp_password or mailbox.imap_password,
    )


def send(
    config: SmtpConfig,
    *,
    envelope_from: str,
    recipients: Sequence[str],
    data: bytes,
    ssl_context: ssl.SSLContext | None = None,
) -> None:
    """Hand `data` to the server for `recipients`; returns only when it accepted all of them."""
    with _translated(host=config.host, port=config.port):
        client = _connect(config, ssl_context)
        try:
            if config.username and client.has_extn("auth"):
                client.login(config.username, config.password)
            refused = client.sendmail(envelope_from, list(recipients), data)
        finally:
            # Once the server has accepted the data, an odd answer to QUIT changes nothing.
            with contextlib.suppress(smtplib.SMTPException, OSError):
                client.quit()
            client.close()
    if refused:  # accepted for some recipients only (we send to one; kept for completeness)
        raise _refused(refused)


class _Prebuilt(mail.EmailMessage):
    """A message Balie built itself (`outbound.build`), handed to a Django mail backend."""

    def __init__(self, built: EmailMessage, *, envelope_from: str, to: Sequence[str]) -> None:
        super().__init__(from_email=envelope_from, to=list(to))
        self.built = built

    def message(self, *, policy: Policy[Any] | None = email.policy.default) -> EmailMessage:
        return self.built


def send_via_installation(
    built: EmailMessage, *, envelope_from: str, recipients: Sequence[str]
) -> None:
    """Send through the installation's own mail server (Django's default mailer: EMAIL_HOST,
    the console in development), for a mailbox without an SMTP server of its own. Failures
    raise `SmtpError` like `send`."""
    mailer: dict[str, Any] = django_settings.MAILERS["default"]
    options: dict[str, Any] = mailer.get("OPTIONS") or {}
    with _translated(host=str(options.get("host", "EMAIL_HOST")), port=int(options.get("port", 0))):
        mail.mailers.default.send_messages(
            [_Prebuilt(built, envelope_from=envelope_from, to=recipients)]
        )


@contextlib.contextmanager
def _translated(*, host: str, port: int) -> Iterator[None]:
    """smtplib's and the network's errors as `SmtpError`, temporary or not (RFC 5321)."""
    try:
        yield
    except smtplib.SMTPRecipientsRefused as error:
        raise _refused(error.recipients) from error
    except smtplib.SMTPAuthenticationError as error:
        raise SmtpError(
            f"sign-in refused by {host}: {_reply(error)}",
            temporary=True,
            code=error.smtp_code,
        ) from error
    except smtplib.SMTPResponseException as error:  # sender refused, data refused, …
        raise SmtpError(
            _reply(error), temporary=not 500 <= error.smtp_code < 600, code=error.smtp_code
        ) from error
    except smtplib.SMTPNotSupportedError as error:
        raise SmtpError(f"{host}: {error}", temporary=True) from error
    except smtplib.SMTPServerDisconnected as error:
        if isinstance(error.__context__, TimeoutError):  # smtplib hides a timeout as this
            raise SmtpError(f"{host} did not answer in time", temporary=True) from error
        raise SmtpError(f"{host} closed the connection: {error}", temporary=True) from error
    except ssl.SSLError as error:  # before OSError, of which it is one
        raise SmtpError(f"TLS with {host} failed: {error}", temporary=True) from error
    except TimeoutError as error:
        raise SmtpError(f"{host} did not answer in time", temporary=True) from error
    except (OSError, smtplib.SMTPException) as error:
        raise SmtpError(f"no connection to {host}:{port}: {error}", temporary=True) from error


def sign_in_check(config: SmtpConfig, *, ssl_context: ssl.SSLContext | None = None) -> bool:
    """Connect, secure the connection as `send` does and sign in when the server offers
    AUTH, without sending anything; True when it signed in.

    Raises smtplib's, ssl's and the socket's own exceptions as they come, so the settings'
    connection test (`channels.email.diagnosis`) can tell people exactly what failed.
    """
    client = _connect(config, ssl_context)
    try:
        if not (config.username and client.has_extn("auth")):
            return False
        client.login(config.username, config.password)
        return True
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            client.quit()
        client.close()


def _connect(config: SmtpConfig, ssl_context: ssl.SSLContext | None) -> smtplib.SMTP:
    context = ssl_context or ssl.create_default_context()
    if config.security == SmtpSecurity.SSL:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            config.host, config.port, timeout=config.timeout, context=context
        )
    else:
        client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        # EHLO first in every mode: `has_extn("auth")` only knows the server's answer to it.
        client.ehlo()
        if config.security == SmtpSecurity.STARTTLS:
            # Never fall back to plain text when the server does not offer STARTTLS.
            client.starttls(context=context)
            client.ehlo()
    except BaseException:
        client.close()
        raise
    return client


def _refused(recipients: dict[str, tuple[int, bytes]]) -> SmtpError:
    address, (code, message) = next(iter(recipients.items()))
    text = message.decode("utf-8", "replace")
    return SmtpError(
        f"{address} refused: {code} {text}", temporary=not 500 <= code < 600, code=code
    )


def _reply(error: smtplib.SMTPResponseException) -> str:
    message = error.smtp_error
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{error.smtp_code} {text}"
