"""Reading a shop's mailbox into the inbox: IMAP fetch -> parse -> `message_receive`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from balie.channels import selectors
from balie.channels.email import imap
from balie.channels.email.parser import parse_email
from balie.channels.models import Mailbox, RejectedEmail
from balie.inbox import services as inbox_services
from balie.inbox.inbound import InboundMessage

logger = logging.getLogger(__name__)

# How long one poll may hold a mailbox before another worker may take it over.
POLL_LEASE = dt.timedelta(minutes=10)


@dataclass
class PollResult:
    received: int = 0
    duplicates: int = 0
    rejected: int = 0
    restarted: bool = False
    skipped: bool = False  # another poll holds the mailbox
    error_code: str = ""


def mailbox_config(mailbox: Mailbox) -> imap.MailboxConfig:
    return imap.MailboxConfig(
        host=mailbox.imap_host,
        port=mailbox.imap_port,
        ssl=mailbox.imap_ssl,
        starttls=mailbox.imap_starttls,
        username=mailbox.imap_username,
        password=mailbox.imap_password,
        folder=mailbox.imap_folder,
    )


def mailbox_poll(*, mailbox: Mailbox, now: dt.datetime | None = None) -> PollResult:
    """Store every new message of `mailbox` in the inbox, one at a time.

    Idempotent and safe to retry: the read position advances only after a message is stored
    (or kept as a `RejectedEmail` with the reason), and the inbox ignores a Message-ID it has
    already seen. A server or network failure is recorded on the mailbox, not raised.
    """
    now = now or timezone.now()
    claimed = (
        Mailbox.objects.filter(pk=mailbox.pk, is_active=True)
        .filter(Q(polling_until__isnull=True) | Q(polling_until__lt=now))
        .update(polling_until=now + POLL_LEASE)
    )
    if not claimed:
        return PollResult(skipped=True)
    mailbox.refresh_from_db()
    result = PollResult()
    try:
        state = imap.FetchState(uidvalidity=mailbox.uidvalidity, last_uid=mailbox.last_uid)
        with imap.open_folder(mailbox_config(mailbox), state) as folder:
            result.restarted = folder.restarted
            _save_position(mailbox, folder.state)
            own = selectors.shop_addresses(shop=mailbox.shop)
            for fetched in folder.new_messages():
                _store(mailbox, fetched, result, own_addresses=own)
                folder.advance(fetched.uid)
                _save_position(mailbox, folder.state)
        mailbox.last_error = mailbox.last_error_code = ""
    except imap.MailboxError as error:
        result.error_code = error.code
        mailbox.last_error, mailbox.last_error_code = error.message[:500], error.code
        logger.warning("Mailbox poll failed", extra={"mailbox_id": mailbox.pk, "code": error.code})
    finally:
        mailbox.last_polled_at = timezone.now()
        mailbox.polling_until = None
        mailbox.save(
            update_fields=["last_polled_at", "polling_until", "last_error", "last_error_code"]
        )
    return result


def _save_position(mailbox: Mailbox, state: imap.FetchState) -> None:
    mailbox.uidvalidity, mailbox.last_uid = state.uidvalidity, state.last_uid
    Mailbox.objects.filter(pk=mailbox.pk).update(
        uidvalidity=state.uidvalidity, last_uid=state.last_uid
    )


def as_received(
    inbound: InboundMessage, *, account: str, own_addresses: frozenset[str]
) -> InboundMessage:
    """The parsed mail as received at `account`: written by the shop itself when its sender
    is one of the shop's own addresses (a reply sent from another mail program, or a shared
    mailbox's sent history)."""
    return dataclasses.replace(
        inbound,
        account=account,
        from_shop=bool(inbound.sender_address) and inbound.sender_address in own_addresses,
    )


def _store(
    mailbox: Mailbox,
    fetched: imap.FetchedMessage,
    result: PollResult,
    *,
    own_addresses: frozenset[str],
) -> None:
    try:
        inbound = dataclasses.replace(
            as_received(
                parse_email(fetched.raw),
                account=mailbox.email_address,
                own_addresses=own_addresses,
            ),
            team_id=mailbox.team_id,
        )
        received = inbox_services.message_receive(shop=mailbox.shop, inbound=inbound)
    except Exception as error:  # one bad message must not stop the mailbox
        logger.exception(
            "Email could not be stored", extra={"mailbox_id": mailbox.pk, "uid": fetched.uid}
        )
        RejectedEmail.objects.create(
            shop=mailbox.shop,
            mailbox=mailbox,
            uid=fetched.uid,
            raw=ContentFile(fetched.raw, name="message.eml"),
            reason=f"{type(error).__name__}: {error}"[:500],
        )
        result.rejected += 1
        return
    if received.created:
        result.received += 1
    else:
        result.duplicates += 1
