"""Reads for the channels."""

from __future__ import annotations

from django.conf import settings

from balie.channels.models import Mailbox
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
