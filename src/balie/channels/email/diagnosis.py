"""The settings' connection test: sign in to a mailbox's IMAP and SMTP servers for real and
say in plain Dutch what worked and what did not.

Each check talks to the server exactly as the poller (`imap`) and the sender (`smtp`) do,
with the same TLS rules, but reads and sends nothing. A failure is sorted by its cause (the
exception chain, not the text of the message): an unknown host name, a refused port, a
timeout, a TLS or certificate problem, a wrong user name or password, a missing folder.
"""

from __future__ import annotations

import imaplib
import math
import smtplib
import socket
import ssl
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from balie.channels.email import imap, smtp

# Plain text over these hosts stays on the machine; anywhere else it crosses a network.
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class Check:
    """One server's answer: `ok`, what happened in a sentence or two, and a machine code."""

    ok: bool
    message: str
    code: str = ""
    warning: str = ""  # worth knowing even when it worked, e.g. a password sent unencrypted
    folder: imap.FolderStatus | None = None  # IMAP only: where the folder stands


@dataclass(frozen=True)
class ConnectionReport:
    """Both servers of a mailbox; `smtp` is None when the mailbox only receives."""

    imap: Check
    smtp: Check | None

    @property
    def ok(self) -> bool:
        return self.imap.ok and (self.smtp is None or self.smtp.ok)


def imap_check(config: imap.MailboxConfig, *, ssl_context: ssl.SSLContext | None = None) -> Check:
    server = f"{config.host}:{config.port}"
    try:
        status = imap.folder_status(config, ssl_context=ssl_context)
    except imap.MailboxError as error:
        return _imap_failure(error, config, server)
    warning = ""
    if not (config.ssl or config.starttls) and config.host.lower() not in _LOCAL_HOSTS:
        warning = _(
            "Let op: zonder TLS of STARTTLS gaat je wachtwoord onversleuteld over het netwerk."
        )
    return Check(
        ok=True,
        message=ngettext(
            "Inloggen op %(server)s gelukt. De map %(folder)s heeft %(count)d bericht.",
            "Inloggen op %(server)s gelukt. De map %(folder)s heeft %(count)d berichten.",
            status.messages,
        )
        % {"server": server, "folder": config.folder, "count": status.messages},
        warning=warning,
        folder=status,
    )


def _imap_failure(error: imap.MailboxError, config: imap.MailboxConfig, server: str) -> Check:
    cause = error.__cause__
    code = str(error.code)
    seconds = math.ceil(config.timeout)
    values: dict[str, object] = {"server": server, "host": config.host, "seconds": seconds}
    if error.code == imap.MailboxErrorCode.UNREACHABLE:
        if isinstance(cause, socket.gaierror):
            return Check(False, _host_unknown() % values, "imap_host_unknown")
        if isinstance(cause, ConnectionRefusedError):
            return Check(
                False,
                _(
                    "%(server)s weigert de verbinding. Klopt de poort? Meestal is dat 993 "
                    "(TLS) of 143 (STARTTLS)."
                )
                % values,
                "imap_refused",
            )
        if isinstance(cause, imaplib.IMAP4.error):
            return Check(
                False,
                _("Op %(server)s antwoordt geen IMAP-server. Klopt de poort?") % values,
                "imap_not_imap",
            )
    if error.code == imap.MailboxErrorCode.TIMEOUT:
        return Check(False, _timeout(seconds) % values, code)
    if error.code == imap.MailboxErrorCode.TLS_FAILED:
        return Check(False, _tls_problem(cause, values, port_hint="993"), _tls_code("imap", cause))
    if error.code == imap.MailboxErrorCode.AUTH_FAILED:
        return Check(False, _wrong_credentials() % values, code)
    return Check(False, error.message, code)


def smtp_check(config: smtp.SmtpConfig, *, ssl_context: ssl.SSLContext | None = None) -> Check:
    server = f"{config.host}:{config.port}"
    seconds = math.ceil(config.timeout)
    values: dict[str, object] = {"server": server, "host": config.host, "seconds": seconds}
    try:
        signed_in = smtp.sign_in_check(config, ssl_context=ssl_context)
    except smtplib.SMTPAuthenticationError:
        return Check(False, _wrong_credentials() % values, "smtp_auth_failed")
    except smtplib.SMTPNotSupportedError:
        return Check(
            False,
            _(
                "%(server)s biedt geen STARTTLS aan. Kies TLS (meestal poort 465), of vraag je "
                "provider welke beveiliging de server gebruikt."
            )
            % values,
            "smtp_starttls_missing",
        )
    except smtplib.SMTPServerDisconnected as error:
        if isinstance(error.__context__, TimeoutError):
            return Check(False, _timeout(seconds) % values, "smtp_timeout")
        return Check(
            False,
            _("%(server)s verbrak de verbinding meteen. Klopt de poort en de beveiliging?")
            % values,
            "smtp_disconnected",
        )
    except smtplib.SMTPConnectError:
        return Check(
            False,
            _("Op %(server)s antwoordt geen mailserver die e-mail aanneemt. Klopt de poort?")
            % values,
            "smtp_not_smtp",
        )
    except smtplib.SMTPException as error:
        return Check(
            False,
            _("%(server)s gaf een fout: %(error)s") % {**values, "error": error},
            "smtp_error",
        )
    except ssl.SSLError as error:  # before OSError: SSLError is one
        return Check(False, _tls_problem(error, values, port_hint="465"), _tls_code("smtp", error))
    except TimeoutError:
        return Check(False, _timeout(seconds) % values, "smtp_timeout")
    except socket.gaierror:
        return Check(False, _host_unknown() % values, "smtp_host_unknown")
    except ConnectionRefusedError:
        return Check(
            False,
            _(
                "%(server)s weigert de verbinding. Klopt de poort? Meestal is dat 587 "
                "(STARTTLS) of 465 (TLS)."
            )
            % values,
            "smtp_refused",
        )
    except OSError as error:
        return Check(
            False,
            _("%(server)s is niet bereikbaar (%(error)s).") % {**values, "error": error},
            "smtp_unreachable",
        )
    if signed_in:
        message = _("Inloggen op %(server)s gelukt. Balie kan vanuit deze mailbox versturen.")
    elif config.username:
        message = _(
            "Verbinding met %(server)s gelukt, maar de server biedt geen inloggen aan. Balie "
            "verstuurt dan zonder in te loggen."
        )
    else:
        message = _("Verbinding met %(server)s gelukt. De server vraagt niet om inloggen.")
    warning = ""
    if config.security == "none" and config.host.lower() not in _LOCAL_HOSTS:
        warning = _(
            "Let op: zonder beveiliging gaan je e-mails en wachtwoord onversleuteld over het "
            "netwerk."
        )
    return Check(True, message % values, warning=warning)


def _host_unknown() -> str:
    return _(
        "De server %(host)s bestaat niet: die naam is onbekend. Controleer de servernaam "
        "(bijvoorbeeld mail.jouwprovider.nl)."
    )


def _timeout(seconds: int) -> str:
    return ngettext(
        "%(server)s reageert niet binnen %(seconds)d seconde. Klopt de poort, en laat een "
        "firewall de verbinding door?",
        "%(server)s reageert niet binnen %(seconds)d seconden. Klopt de poort, en laat een "
        "firewall de verbinding door?",
        seconds,
    )


def _wrong_credentials() -> str:
    return _(
        "%(server)s weigert het inloggen: de gebruikersnaam of het wachtwoord klopt niet. "
        "Vaak is de gebruikersnaam het volledige e-mailadres."
    )


def _tls_code(protocol: str, cause: BaseException | None) -> str:
    if isinstance(cause, ssl.SSLCertVerificationError):
        return f"{protocol}_certificate_invalid"
    return f"{protocol}_tls_failed"


def _tls_problem(cause: BaseException | None, values: dict[str, object], *, port_hint: str) -> str:
    if isinstance(cause, ssl.SSLCertVerificationError):
        return _(
            "Het certificaat van %(server)s is niet te vertrouwen (%(reason)s). Gebruik de "
            "servernaam die op het certificaat staat, meestal die van je provider."
        ) % {**values, "reason": cause.verify_message or cause.reason}
    reason = getattr(cause, "reason", "") or ""
    if reason == "WRONG_VERSION_NUMBER":
        return _(
            "%(server)s spreekt op deze poort geen TLS. Kies STARTTLS, of de TLS-poort "
            "(meestal %(port)s)."
        ) % {**values, "port": port_hint}
    if isinstance(cause, imaplib.IMAP4.error):  # the server did not offer STARTTLS
        return _("%(server)s biedt geen STARTTLS aan. Kies TLS (meestal poort %(port)s).") % {
            **values,
            "port": port_hint,
        }
    return _(
        "Er kon geen beveiligde verbinding met %(server)s worden gemaakt (%(reason)s). "
        "Controleer de poort en de beveiliging."
    ) % {**values, "reason": reason or cause}
