from __future__ import annotations

from balie.channels.admin import MailboxForm
from balie.channels.models import Mailbox
from balie.tenancy.models import Shop


def form_data(shop: Shop, password: str) -> dict[str, object]:
    return {
        "shop": shop.pk,
        "name": "Service",
        "email_address": "service@pollepel.nl",
        "imap_host": "imap.example.nl",
        "imap_port": 993,
        "imap_ssl": True,
        "imap_username": "service",
        "imap_password": password,
        "imap_folder": "INBOX",
        "is_active": True,
    }


def test_the_admin_never_shows_the_mailbox_password_and_blank_keeps_it(shop: Shop) -> None:
    # given
    mailbox = Mailbox.objects.create(
        shop=shop,
        name="Service",
        email_address="service@pollepel.nl",
        imap_host="imap.example.nl",
        imap_username="service",
        imap_password="geheim-123",
    )

    # when an admin saves the form without typing the password
    form = MailboxForm(data=form_data(shop, ""), instance=mailbox)

    # then the password is kept, and it was not in the rendered form
    assert form.is_valid(), form.errors
    assert form.save().imap_password == "geheim-123"
    assert "geheim-123" not in MailboxForm(instance=mailbox).as_p()


def test_a_new_mailbox_needs_a_password(shop: Shop) -> None:
    form = MailboxForm(data=form_data(shop, ""))
    assert not form.is_valid()
    assert "imap_password" in form.errors
