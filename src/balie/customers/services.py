"""Writes for customers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from balie.customers import errors, selectors
from balie.customers.models import Customer, CustomerIdentity, IdentityChannel
from balie.tenancy.models import Shop


def _email_taken() -> errors.CustomerEmailTaken:
    return errors.CustomerEmailTaken(_("Er is al een klant met dit e-mailadres."), field="email")


def _contact_missing() -> errors.CustomerContactMissing:
    return errors.CustomerContactMissing(
        _("Geef een e-mailadres of telefoonnummer op."), field="email"
    )


def _email_in_use(*, shop: Shop, email: str, exclude_id: int | None = None) -> bool:
    customers = selectors.customers_with_email(shop=shop, email=email)
    if exclude_id is not None:
        customers = customers.exclude(pk=exclude_id)
    return customers.exists()


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

    Raises CustomerContactMissing without either, CustomerEmailTaken when the shop already
    has a customer with that address (also when a concurrent request just created one).
    """
    email = email.strip().lower()
    if not email and not phone.strip():
        raise _contact_missing()
    if email and _email_in_use(shop=shop, email=email):
        raise _email_taken()
    try:
        with transaction.atomic():
            customer = Customer.objects.create(
                shop=shop,
                email=email,
                phone=phone.strip(),
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                locale=locale,
                external_id=external_id.strip(),
            )
    except IntegrityError:
        raise _email_taken() from None
    _replace_identity(
        shop=shop, customer=customer, channel=IdentityChannel.EMAIL, old="", new=email
    )
    _replace_identity(
        shop=shop, customer=customer, channel=IdentityChannel.PHONE, old="", new=customer.phone
    )
    return customer


def _replace_identity(
    *, shop: Shop, customer: Customer, channel: IdentityChannel, old: str, new: str
) -> None:
    """Point the customer's identity on `channel` from `old` to `new`.

    A phone number may already be another customer's identity in this shop (one number for
    a household); that identity stays with the customer who had it first.
    """
    if old == new:
        return
    if old:
        CustomerIdentity.objects.for_shop(shop).filter(
            customer=customer, channel=channel, value=old
        ).delete()
    if new:
        CustomerIdentity.objects.get_or_create(
            shop=shop, channel=channel, value=new, defaults={"customer": customer}
        )


@transaction.atomic
def customer_update(
    *,
    shop: Shop,
    customer: Customer,
    email: str | None = None,
    phone: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    locale: str | None = None,
    external_id: str | None = None,
) -> Customer:
    """Change the given fields of one of `shop`'s customers; None leaves a field as it is.

    Locks the row, keeps the email/phone identities in step, and keeps the rules of
    `customer_create`: an email or a phone number, and one customer per email address.
    Raises ValueError for a customer of another shop (callers look it up with
    `selectors.access_customer`).
    """
    if customer.shop_id != shop.id:
        raise ValueError("customer belongs to another shop")
    locked: Customer = Customer.objects.for_shop(shop).select_for_update().get(pk=customer.pk)
    old_email, old_phone = locked.email, locked.phone
    if email is not None:
        locked.email = email.strip().lower()
    if phone is not None:
        locked.phone = phone.strip()
    if first_name is not None:
        locked.first_name = first_name.strip()
    if last_name is not None:
        locked.last_name = last_name.strip()
    if locale is not None:
        locked.locale = locale
    if external_id is not None:
        locked.external_id = external_id.strip()
    if not locked.email and not locked.phone:
        raise _contact_missing()
    email_changed = locked.email and locked.email != old_email
    if email_changed and _email_in_use(shop=shop, email=locked.email, exclude_id=locked.pk):
        raise _email_taken()
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise _email_taken() from None
    _replace_identity(
        shop=shop, customer=locked, channel=IdentityChannel.EMAIL, old=old_email, new=locked.email
    )
    _replace_identity(
        shop=shop, customer=locked, channel=IdentityChannel.PHONE, old=old_phone, new=locked.phone
    )
    return locked


def _split_name(name: str) -> tuple[str, str]:
    """ "Jan de Vries" -> ("Jan", "de Vries"); good enough for a greeting, agents can fix it."""
    first, _, last = " ".join(name.split()).partition(" ")
    return first[:80], last[:120]


def customer_find_or_create_by_identity(
    *, shop: Shop, channel: IdentityChannel | str, value: str, name: str = ""
) -> tuple[Customer, bool]:
    """The shop's customer known on `channel` as `value`, created when there is none yet.

    Returns (customer, created). Email addresses are compared without case; an address that
    a customer has as `email` but not yet as identity gets its identity added. A new customer
    takes `name` (split into first and last name), and the value as email or phone when the
    channel is one of those and the value is a valid address. An invalid sender address still
    gets a customer (nothing a channel delivers is dropped), known only by that identity.
    Safe against a concurrent call for the same value: the loser finds the winner's rows.
    """
    channel = IdentityChannel(channel)
    value, email = _identity_value(channel, value)
    found = _customer_by_identity(shop=shop, channel=channel, value=value, email=email)
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            customer = _customer_new(
                shop=shop, channel=channel, value=value, email=email, name=name
            )
            customer.save(force_insert=True)
            CustomerIdentity.objects.create(
                shop=shop, customer=customer, channel=channel, value=value
            )
    except IntegrityError:
        # A concurrent delivery created the customer or the identity first: use theirs.
        found = _customer_by_identity(shop=shop, channel=channel, value=value, email=email)
        if found is None:
            raise
        return found, False
    return customer, True


def customers_find_or_create_by_identities(
    *, shop: Shop, channel: IdentityChannel | str, names: dict[str, str]
) -> dict[str, Customer]:
    """`customer_find_or_create_by_identity` for many values at once (an import): the
    customer of each value of `names` (value -> the name a new customer takes), keyed by the
    value as given. A few queries for all of them instead of a few for each. Not safe
    against a concurrent call creating the same identity: the database's unique constraint
    then raises IntegrityError, and the caller retries one value at a time."""
    channel = IdentityChannel(channel)
    wanted = {given: _identity_value(channel, given) for given in names}
    values = {value for value, _email in wanted.values()}
    found: dict[str, Customer] = {}
    for chunk in _chunks(sorted(values)):
        for identity in (
            CustomerIdentity.objects.for_shop(shop)
            .select_related("customer")
            .filter(channel=channel, value__in=chunk)
        ):
            found[identity.value] = identity.customer
    emails = {email for value, email in wanted.values() if email and value not in found}
    by_email: dict[str, Customer] = {}
    for chunk in _chunks(sorted(emails)):
        for customer in (
            Customer.objects.for_shop(shop)
            .alias(email_lower=Lower("email"))
            .filter(email_lower__in=chunk)
            .exclude(email="")
            .order_by("pk")
        ):
            by_email.setdefault(customer.email.lower(), customer)
    attached: list[CustomerIdentity] = []
    created: dict[str, Customer] = {}
    for given, (value, email) in wanted.items():
        if value in found or value in created:
            continue
        customer = by_email.get(email) if email else None
        if customer is not None:
            found[value] = customer
            attached.append(
                CustomerIdentity(shop=shop, customer=customer, channel=channel, value=value)
            )
        else:
            created[value] = _customer_new(
                shop=shop, channel=channel, value=value, email=email, name=names[given]
            )
    Customer.objects.bulk_create(created.values())
    attached.extend(
        CustomerIdentity(shop=shop, customer=customer, channel=channel, value=value)
        for value, customer in created.items()
    )
    CustomerIdentity.objects.bulk_create(attached)
    found.update(created)
    return {given: found[value] for given, (value, _email) in wanted.items()}


def _identity_value(channel: IdentityChannel, value: str) -> tuple[str, str]:
    """The value as an identity is stored (email addresses in lower case), and the email
    address a new customer takes from it ("" when it is not one)."""
    value = value.strip()
    if channel == IdentityChannel.EMAIL:
        value = value.lower()
    value = value[:254]
    return value, value if channel == IdentityChannel.EMAIL and _is_email(value) else ""


def _customer_new(
    *, shop: Shop, channel: IdentityChannel, value: str, email: str, name: str
) -> Customer:
    first_name, last_name = _split_name(name)
    return Customer(
        shop=shop,
        email=email,
        phone=value[:32] if channel == IdentityChannel.PHONE else "",
        first_name=first_name,
        last_name=last_name,
    )


def _chunks(values: list[str], size: int = 500) -> list[list[str]]:
    return [values[start : start + size] for start in range(0, len(values), size)]


def _customer_by_identity(
    *, shop: Shop, channel: IdentityChannel, value: str, email: str
) -> Customer | None:
    identity = (
        CustomerIdentity.objects.for_shop(shop)
        .select_related("customer")
        .filter(channel=channel, value=value)
        .first()
    )
    if identity is not None:
        known: Customer = identity.customer
        return known
    customer: Customer | None = (
        selectors.customers_with_email(shop=shop, email=email).first() if email else None
    )
    if customer is not None:
        _identity_attach(shop=shop, customer=customer, channel=channel, value=value)
    return customer


def _identity_attach(*, shop: Shop, customer: Customer, channel: str, value: str) -> None:
    try:
        with transaction.atomic():
            CustomerIdentity.objects.create(
                shop=shop, customer=customer, channel=channel, value=value
            )
    except IntegrityError:
        pass  # attached concurrently; the identity exists, which is all we need


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True
