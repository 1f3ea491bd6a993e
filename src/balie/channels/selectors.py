"""Reads for the channels."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import Http404

from balie.channels.models import Mailbox, RejectedEmail
from balie.tenancy.models import Shop


def shop_addresses(*, shop: Shop) -> frozenset[str]:
    """The shop's own email addresses (every mailbox, active or not, and the support address
    it publishes), lower-cased: mail from these was written by the shop itself."""
    addresses = {
        address.lower()
        for address in Mailbox.objects.for_shop(shop).values_list("email_address", flat=True)
    }
    if shop.support_email:
        addresses.add(shop.support_email.lower())
    return frozenset(addresses)


def sending_mailbox(*, shop: Shop, address: str) -> Mailbox | None:
    """The mailbox replies to a conversation received at `address` leave from: the shop's
    active mailbox with that address if it can send, else its first active one that can.

    A mailbox can send with an SMTP server of its own, or, where the installation allows it
    (`BALIE_MAILBOXES_USE_INSTALLATION_MAIL`), through the installation's mail server.
    """
    sending = Mailbox.objects.for_shop(shop).filter(is_active=True)
    if not settings.BALIE_MAILBOXES_USE_INSTALLATION_MAIL:
        sending = sending.exclude(smtp_host="")
    if address:
        same: Mailbox | None = sending.filter(email_address__iexact=address).first()
        if same is not None:
            return same
    first: Mailbox | None = sending.order_by("name", "pk").first()
    return first


def mailbox_list(*, shop: Shop) -> QuerySet[Mailbox]:
    """The shop's mailboxes by name, each with `rejected_count` (emails kept as rejected)."""
    mailboxes: QuerySet[Mailbox] = (
        Mailbox.objects.for_shop(shop)
        .select_related("team")
        .annotate(rejected_count=Count("rejected"))
        .order_by("name", "pk")
    )
    return mailboxes


def access_mailbox(*, shop: Shop, mailbox_id: int) -> Mailbox:
    """One of the shop's mailboxes; 404 for an id of another shop or none at all."""
    mailbox: Mailbox | None = mailbox_list(shop=shop).filter(pk=mailbox_id).first()
    if mailbox is None:
        raise Http404
    return mailbox


def rejected_email_list(*, shop: Shop, mailbox: Mailbox) -> QuerySet[RejectedEmail]:
    """The emails of `mailbox` that could not be stored, newest first."""
    return (
        RejectedEmail.objects.for_shop(shop).filter(mailbox=mailbox).order_by("-created_at", "-pk")
    )


def access_rejected_email(*, shop: Shop, mailbox: Mailbox, rejected_id: int) -> RejectedEmail:
    rejected: RejectedEmail | None = (
        rejected_email_list(shop=shop, mailbox=mailbox).filter(pk=rejected_id).first()
    )
    if rejected is None:
        raise Http404
    return rejected


# A mailbox is polled every minute; not read for this long means no worker is polling.
POLL_LATE_AFTER = dt.timedelta(minutes=10)


class MailboxHealth(enum.StrEnum):
    WORKING = "working"
    FAILING = "failing"
    WAITING = "waiting"  # never read yet
    LATE = "late"  # not read for a while: is the worker running?
    OFF = "off"
    SEND_ONLY = "send_only"  # no IMAP server: replies leave through it, nothing is read


@dataclass(frozen=True)
class MailboxState:
    health: MailboxHealth
    last_polled_at: dt.datetime | None
    error: str  # the poller's last error, in Dutch, for the shop's admin


def mailbox_state(mailbox: Mailbox, *, now: dt.datetime) -> MailboxState:
    """How the mailbox's polling goes, for the settings pages."""
    if not mailbox.is_active:
        health = MailboxHealth.OFF
    elif not mailbox.imap_host:
        health = MailboxHealth.SEND_ONLY
    elif mailbox.last_error:
        health = MailboxHealth.FAILING
    elif mailbox.last_polled_at is None:
        health = MailboxHealth.WAITING
    elif mailbox.last_polled_at < now - POLL_LATE_AFTER:
        health = MailboxHealth.LATE
    else:
        health = MailboxHealth.WORKING
    return MailboxState(
        health=health, last_polled_at=mailbox.last_polled_at, error=mailbox.last_error
    )
