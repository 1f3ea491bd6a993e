"""Writes for customers."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from balie.customers import errors
from balie.customers.models import Customer, CustomerIdentity, IdentityChannel
from balie.tenancy.models import Shop


@transaction.atomic
def customer_create(
    *,
    shop: Shop,
    email: str = "",
    phone: str = "",
    first_name: str = "",
    last_name: str = "",
    locale: str = "nl",
    external_id: str = "",
) -> Customer:
    """A new customer of `shop`, reachable by email and/or phone (one of them required).

    Raises CustomerEmailTaken when the shop already has a customer with that address.
    """
    email = email.strip().lower()
    if not email and not phone.strip():
        raise errors.CustomerContactMissing(
            _("Geef een e-mailadres of telefoonnummer op."), field="email"
        )
    if email and Customer.objects.for_shop(shop).filter(email__iexact=email).exists():
        raise errors.CustomerEmailTaken(_("Er is al een klant met dit e-mailadres."), field="email")
    customer = Customer.objects.create(
        shop=shop,
        email=email,
        phone=phone.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        locale=locale,
        external_id=external_id,
    )
    if email:
        CustomerIdentity.objects.create(
            shop=shop, customer=customer, channel=IdentityChannel.EMAIL, value=email
        )
    if customer.phone:
        CustomerIdentity.objects.create(
            shop=shop, customer=customer, channel=IdentityChannel.PHONE, value=customer.phone
        )
    return customer
