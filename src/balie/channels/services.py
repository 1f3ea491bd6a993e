"""Writes for a shop's mailboxes, as the settings pages make them, and the connection test.

A mailbox starts at the mail that arrives from now on: saving a new one (or pointing one at
another server, account or folder) signs in to the IMAP server first, outside the
transaction, and stores the folder's UIDVALIDITY and its last UID. Mail already in the
folder is history: `balie import_mbox` brings that in without acknowledging anything, where
reading it as new would send every customer who ever wrote an acknowledgement today.

A shop's admin types the servers, so Balie connects (to save, to test) only to servers on
the internet, never into the installation's own network, unless the installation allows it
with `BALIE_MAILBOX_ALLOW_PRIVATE` (the rule for addresses is the webhooks' own).

Passwords are stored as given (see `Mailbox`) and never shown again; `None` keeps one.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import socket
import ssl
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from balie.channels import errors
from balie.channels.email import diagnosis, smtp
from balie.channels.email.services import mailbox_config
from balie.channels.models import ImapSecurity, Mailbox, RejectedEmail, SmtpSecurity
from balie.tenancy.models import Shop, Team
from balie.webhooks import addresses as network  # the one rule for public addresses

CONNECTION_TIMEOUT = 15.0
NAME_MAX = 80
SENDER_NAME_MAX = 120
_HOST = re.compile(r"^[A-Za-z0-9.\-:\[\]_]{1,253}$")


class _Unset(enum.Enum):
    UNSET = enum.auto()


UNSET = _Unset.UNSET
"""`mailbox_update`'s default for the team: leave it (None means "no team")."""


def mailbox_create(
    *,
    shop: Shop,
    name: str,
    email_address: str,
    imap_host: str,
    imap_username: str,
    imap_password: str,
    imap_port: int = 993,
    imap_security: ImapSecurity | str = ImapSecurity.TLS,
    imap_folder: str = "INBOX",
    smtp_host: str = "",
    smtp_port: int = 587,
    smtp_security: SmtpSecurity | str = SmtpSecurity.STARTTLS,
    smtp_username: str = "",
    smtp_password: str = "",
    sender_name: str = "",
    team: Team | None = None,
    is_active: bool = True,
    ssl_context: ssl.SSLContext | None = None,
    timeout: float = CONNECTION_TIMEOUT,
) -> Mailbox:
    """A new mailbox that reads the mail arriving from now on (see the module docstring).

    Raises MailboxInvalid (with the field), MailboxAddressTaken, or MailboxConnectionFailed
    when the IMAP server cannot be signed in to; then nothing is stored. The SMTP server is
    not needed to save (test it with `mailbox_connection_test`).
    """
    mailbox = Mailbox(shop=shop)
    _apply(
        mailbox,
        name=name,
        email_address=email_address,
        imap_host=imap_host,
        imap_port=imap_port,
        imap_security=imap_security,
        imap_username=imap_username,
        imap_password=imap_password,
        imap_folder=imap_folder,
        smtp_host=smtp_host,
        smtp_port=smtp_port,
        smtp_security=smtp_security,
        smtp_username=smtp_username,
        smtp_password=smtp_password,
        sender_name=sender_name,
        team=team,
        is_active=is_active,
    )
    _check_address_free(shop=shop, mailbox=mailbox)
    _check_servers_public(mailbox)
    _start_at_new_mail(mailbox, ssl_context=ssl_context, timeout=timeout)
    with transaction.atomic():
        try:
            with transaction.atomic():
                mailbox.save()
        except IntegrityError:  # created concurrently with the same address
            raise _address_taken(mailbox.email_address) from None
    return mailbox


def mailbox_update(
    *,
    shop: Shop,
    mailbox: Mailbox,
    name: str | None = None,
    email_address: str | None = None,
    imap_host: str | None = None,
    imap_port: int | None = None,
    imap_security: ImapSecurity | str | None = None,
    imap_username: str | None = None,
    imap_password: str | None = None,
    imap_folder: str | None = None,
    smtp_host: str | None = None,
    smtp_port: int | None = None,
    smtp_security: SmtpSecurity | str | None = None,
    smtp_username: str | None = None,
    smtp_password: str | None = None,
    sender_name: str | None = None,
    team: Team | _Unset | None = UNSET,
    is_active: bool | None = None,
    ssl_context: ssl.SSLContext | None = None,
    timeout: float = CONNECTION_TIMEOUT,
) -> Mailbox:
    """Change the given settings; None keeps one (a password too; `smtp_password=""` goes
    back to using the IMAP password). Validated as a whole; on an error nothing changes.

    When the IMAP server, user name or folder changes, Balie signs in there first (outside
    the transaction): the same folder (same UIDVALIDITY) is read on where it was, another one
    from its new mail on. The poller's own fields (read position, last poll, errors, lease)
    are never overwritten by a change of settings.
    """
    if mailbox.shop_id != shop.pk:
        raise ValueError("mailbox belongs to another shop")
    current: Mailbox = Mailbox.objects.for_shop(shop).get(pk=mailbox.pk)
    before = _source(current)
    servers_before = _servers(current)
    _apply(
        current,
        name=_keep(name, current.name),
        email_address=_keep(email_address, current.email_address),
        imap_host=_keep(imap_host, current.imap_host),
        imap_port=_keep(imap_port, current.imap_port),
        imap_security=_keep(imap_security, current.imap_security),
        imap_username=_keep(imap_username, current.imap_username),
        imap_password=_keep(imap_password, current.imap_password),
        imap_folder=_keep(imap_folder, current.imap_folder),
        smtp_host=_keep(smtp_host, current.smtp_host),
        smtp_port=_keep(smtp_port, current.smtp_port),
        smtp_security=_keep(smtp_security, current.smtp_security),
        smtp_username=_keep(smtp_username, current.smtp_username),
        smtp_password=_keep(smtp_password, current.smtp_password),
        sender_name=_keep(sender_name, current.sender_name),
        team=current.team if team is UNSET else team,
        is_active=_keep(is_active, current.is_active),
    )
    _check_address_free(shop=shop, mailbox=current)
    _check_servers_public(current, unchanged=servers_before)
    fields = [*_SETTINGS_FIELDS]
    if _source(current) != before:
        known = (current.uidvalidity, current.last_uid)
        _start_at_new_mail(current, ssl_context=ssl_context, timeout=timeout)
        if current.uidvalidity == known[0]:  # the same folder under another name: read on
            current.last_uid = known[1]
        else:
            fields += ["uidvalidity", "last_uid"]
        fields += ["last_error", "last_error_code"]
        current.last_error = current.last_error_code = ""
    with transaction.atomic():
        try:
            with transaction.atomic():
                current.save(update_fields=[*fields, "updated_at"])
        except IntegrityError:
            raise _address_taken(current.email_address) from None
    return current


@transaction.atomic
def mailbox_delete(*, shop: Shop, mailbox: Mailbox) -> None:
    """Remove the mailbox and the emails it kept as rejected (their files after the commit).
    Conversations stay; replies leave from another mailbox, or say none can send. Idempotent."""
    if mailbox.shop_id != shop.pk:
        raise ValueError("mailbox belongs to another shop")
    files = [
        rejected.raw
        for rejected in RejectedEmail.objects.for_shop(shop).filter(mailbox_id=mailbox.pk)
        if rejected.raw
    ]
    Mailbox.objects.for_shop(shop).filter(pk=mailbox.pk).delete()
    for file in files:
        transaction.on_commit(partial(file.storage.delete, file.name))


def mailbox_connection_test(
    *,
    shop: Shop,
    mailbox: Mailbox,
    ssl_context: ssl.SSLContext | None = None,
    timeout: float = CONNECTION_TIMEOUT,
) -> diagnosis.ConnectionReport:
    """Sign in to the mailbox's IMAP server (and its SMTP server, when it has one) for real,
    reading and sending nothing, and say what worked. Writes nothing; safe to repeat."""
    if mailbox.shop_id != shop.pk:
        raise ValueError("mailbox belongs to another shop")
    imap_config = dataclasses.replace(mailbox_config(mailbox), timeout=timeout)
    if not mailbox.imap_host:
        imap_result = diagnosis.Check(
            ok=False,
            message=_("Er is geen IMAP-server ingesteld, dus Balie haalt hier geen mail op."),
            code="imap_not_configured",
        )
    else:
        imap_result = _private_server(
            mailbox.imap_host, mailbox.imap_port, protocol="imap"
        ) or diagnosis.imap_check(imap_config, ssl_context=ssl_context)
    smtp_result = None
    if mailbox.smtp_host:
        smtp_config = dataclasses.replace(smtp.config_for(mailbox), timeout=timeout)
        smtp_result = _private_server(mailbox.smtp_host, mailbox.smtp_port, protocol="smtp")
        if smtp_result is None:
            smtp_result = diagnosis.smtp_check(smtp_config, ssl_context=ssl_context)
    return diagnosis.ConnectionReport(imap=imap_result, smtp=smtp_result)


_SETTINGS_FIELDS = (
    "name",
    "email_address",
    "imap_host",
    "imap_port",
    "imap_ssl",
    "imap_starttls",
    "imap_username",
    "imap_password",
    "imap_folder",
    "smtp_host",
    "smtp_port",
    "smtp_security",
    "smtp_username",
    "smtp_password",
    "sender_name",
    "team",
    "is_active",
)


def _keep[T](value: T | None, current: T) -> T:
    return current if value is None else value


def _source(mailbox: Mailbox) -> tuple[str, str, str]:
    """What decides which folder is read (a port or TLS change reaches the same one)."""
    return mailbox.imap_host.lower(), mailbox.imap_username, mailbox.imap_folder


def _servers(mailbox: Mailbox) -> set[tuple[str, int, str]]:
    return {
        (mailbox.imap_host, mailbox.imap_port, "imap_host"),
        (mailbox.smtp_host, mailbox.smtp_port, "smtp_host"),
    }


def _check_servers_public(
    mailbox: Mailbox, *, unchanged: set[tuple[str, int, str]] | None = None
) -> None:
    """Refuse a server in the installation's own network, as it is typed (a server that was
    already there, put there by the installation's staff, stays)."""
    for host, port, field in _servers(mailbox) - (unchanged or set()):
        refused = _private_server(host, port, protocol=field.split("_")[0]) if host else None
        if refused is not None:
            raise errors.MailboxInvalid(refused.message, field=field)


def _private_server(host: str, port: int, *, protocol: str) -> diagnosis.Check | None:
    """A failed check when `host` is in the installation's own network (loopback, private,
    link-local: what a shop's admin must not reach through Balie) and that is not allowed
    (`BALIE_MAILBOX_ALLOW_PRIVATE`); None when Balie may connect. A host that does not
    resolve is left to the sign-in, which says so."""
    if settings.BALIE_MAILBOX_ALLOW_PRIVATE:
        return None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None
    for address in dict.fromkeys(str(info[4][0]) for info in infos):
        if not network.is_public(address):
            return diagnosis.Check(
                ok=False,
                message=_(
                    "%(host)s wijst naar %(address)s, een adres in een intern netwerk. Balie "
                    "maakt alleen verbinding met mailservers op internet."
                )
                % {"host": host, "address": address},
                code=f"{protocol}_host_private",
            )
    return None


def _start_at_new_mail(
    mailbox: Mailbox, *, ssl_context: ssl.SSLContext | None, timeout: float
) -> None:
    config = dataclasses.replace(mailbox_config(mailbox), timeout=timeout)
    check = diagnosis.imap_check(config, ssl_context=ssl_context)
    if check.folder is None:
        raise errors.MailboxConnectionFailed(
            _("Balie kon de mailbox niet openen. %(reason)s") % {"reason": check.message},
            field="imap_host",
        )
    mailbox.uidvalidity = check.folder.uidvalidity
    mailbox.last_uid = check.folder.uidnext - 1


def _address_taken(address: str) -> errors.MailboxAddressTaken:
    return errors.MailboxAddressTaken(
        _("Deze winkel heeft al een mailbox voor %(address)s.") % {"address": address},
        field="email_address",
    )


def _check_address_free(*, shop: Shop, mailbox: Mailbox) -> None:
    others = Mailbox.objects.for_shop(shop).exclude(pk=mailbox.pk)
    if others.filter(email_address__iexact=mailbox.email_address).exists():
        raise _address_taken(mailbox.email_address)


def _apply(
    mailbox: Mailbox,
    *,
    name: str,
    email_address: str,
    imap_host: str,
    imap_port: int,
    imap_security: ImapSecurity | str,
    imap_username: str,
    imap_password: str,
    imap_folder: str,
    smtp_host: str,
    smtp_port: int,
    smtp_security: SmtpSecurity | str,
    smtp_username: str,
    smtp_password: str,
    sender_name: str,
    team: Team | None,
    is_active: bool,
) -> None:
    """Validate every setting and set them (not saved). Raises MailboxInvalid naming the
    first field that cannot work."""
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise _invalid(
            _("Geef de mailbox een naam van 1 tot %(max)d tekens.") % {"max": NAME_MAX}, "name"
        )
    email_address = email_address.strip().lower()
    try:
        validate_email(email_address)
    except ValidationError:
        raise _invalid(_("Vul een geldig e-mailadres in."), "email_address") from None
    mailbox.imap_host = _host(imap_host, field="imap_host")
    mailbox.imap_port = _port(imap_port, field="imap_port")
    try:
        security = ImapSecurity(imap_security)
    except ValueError:
        raise _invalid(_("Kies TLS, STARTTLS of geen beveiliging."), "imap_security") from None
    mailbox.imap_ssl = security == ImapSecurity.TLS
    mailbox.imap_starttls = security == ImapSecurity.STARTTLS
    mailbox.imap_username = _credential(imap_username, field="imap_username", required=True)
    if not imap_password:
        raise _invalid(_("Vul het wachtwoord van de mailbox in."), "imap_password")
    mailbox.imap_password = _credential(imap_password, field="imap_password", required=True)
    folder = imap_folder.strip()
    if not folder or len(folder) > 254 or any(char in folder for char in "\r\n\0"):
        raise _invalid(_("Vul de map in die Balie leest, meestal INBOX."), "imap_folder")
    mailbox.imap_folder = folder
    mailbox.smtp_host = _host(smtp_host, field="smtp_host") if smtp_host.strip() else ""
    mailbox.smtp_port = _port(smtp_port, field="smtp_port")
    if smtp_security not in SmtpSecurity.values:
        raise _invalid(_("Kies STARTTLS, TLS of geen beveiliging."), "smtp_security")
    mailbox.smtp_security = str(smtp_security)
    mailbox.smtp_username = _credential(smtp_username, field="smtp_username", required=False)
    mailbox.smtp_password = _credential(smtp_password, field="smtp_password", required=False)
    sender_name = " ".join(sender_name.split())
    if len(sender_name) > SENDER_NAME_MAX:
        raise _invalid(
            _("De naam van de afzender heeft hoogstens %(max)d tekens.") % {"max": SENDER_NAME_MAX},
            "sender_name",
        )
    if team is not None and team.shop_id != mailbox.shop_id:
        raise _invalid(_("Dit team hoort niet bij deze winkel."), "team")
    mailbox.name = name
    mailbox.email_address = email_address
    mailbox.sender_name = sender_name
    mailbox.team = team
    mailbox.is_active = bool(is_active)


def _invalid(message: str, field: str) -> errors.MailboxInvalid:
    return errors.MailboxInvalid(message, field=field)


def _host(value: str, *, field: str) -> str:
    host = value.strip()
    if not _HOST.fullmatch(host):
        raise _invalid(
            _(
                "Vul alleen de servernaam in, zonder imaps:// of /, bijvoorbeeld "
                "mail.jouwprovider.nl."
            ),
            field,
        )
    return host


def _port(value: int, *, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 65535:
        raise _invalid(_("Een poort is een getal van 1 tot 65535."), field)
    return value


def _credential(value: str, *, field: str, required: bool) -> str:
    if (required and not value.strip()) or len(value) > 254 or any(c in value for c in "\r\n\0"):
        raise _invalid(
            _("Vul de gebruikersnaam van de mailbox in (hoogstens 254 tekens).")
            if field.endswith("username")
            else _("Een wachtwoord heeft hoogstens 254 tekens, zonder regeleinden."),
            field,
        )
    return value.strip() if field.endswith("username") else value
