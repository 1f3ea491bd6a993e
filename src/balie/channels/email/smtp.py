"""Sending one message over SMTP, with every failure sorted into "try again" or "give up".

`send` speaks to the mailbox's own SMTP server (smtplib): STARTTLS, implicit TLS or plain
(only on a trusted network), with timeouts on connecting and on every reply. It signs in when
the server offers AUTH, with the SMTP credentials or, when those are blank, the IMAP ones
(most providers use one account for both).

Failures raise `SmtpError` with `temporary` set per RFC 5321: 4xx replies, refused or dropped
connections, timeouts and TLS or sign-in problems (settings an administrator can fix) are
temporary; 5xx replies to the sender, the recipient or the data are permanent.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass

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
    try:
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
    except smtplib.SMTPRecipientsRefused as error:
        raise _refused(error.recipients) from error
    except smtplib.SMTPAuthenticationError as error:
        raise SmtpError(
            f"sign-in refused by {config.host}: {_reply(error)}",
            temporary=True,
            code=error.smtp_code,
        ) from error
    except smtplib.SMTPResponseException as error:  # sender refused, data refused, …
        raise SmtpError(
            _reply(error), temporary=not 500 <= error.smtp_code < 600, code=error.smtp_code
        ) from error
    except smtplib.SMTPNotSupportedError as error:
        raise SmtpError(f"{config.host}: {error}", temporary=True) from error
    except smtplib.SMTPServerDisconnected as error:
        if isinstance(error.__context__, TimeoutError):  # smtplib hides a timeout as this
            raise SmtpError(f"{config.host} did not answer in time", temporary=True) from error
        raise SmtpError(f"{config.host} closed the connection: {error}", temporary=True) from error
    except ssl.SSLError as error:  # before OSError, of which it is one
        raise SmtpError(f"TLS with {config.host} failed: {error}", temporary=True) from error
    except TimeoutError as error:
        raise SmtpError(f"{config.host} did not answer in time", temporary=True) from error
    except (OSError, smtplib.SMTPException) as error:
        raise SmtpError(
            f"no connection to {config.host}:{config.port}: {error}", temporary=True
        ) from error
    if refused:  # accepted for some recipients only (we send to one; kept for completeness)
        raise _refused(refused)


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
