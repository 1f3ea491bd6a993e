"""customer_find_or_create_by_identity: how a sender on a channel becomes a customer."""

from __future__ import annotations

import pytest

from balie.customers import services
from balie.customers.models import Customer, CustomerIdentity
from balie.customers.tests.factories import CustomerFactory
from balie.tenancy.models import Shop

pytestmark = pytest.mark.django_db


def test_a_new_email_sender_becomes_a_customer_with_that_address(shop: Shop) -> None:
    # when
    customer, created = services.customer_find_or_create_by_identity(
        shop=shop, channel="email", value=" Sanne.Bakker@Example.nl ", name="Sanne  Bakker"
    )

    # then
    assert created
    assert (customer.email, customer.first_name, customer.last_name) == (
        "sanne.bakker@example.nl",
        "Sanne",
        "Bakker",
    )
    assert CustomerIdentity.objects.get(customer=customer).value == "sanne.bakker@example.nl"


def test_the_same_sender_is_found_again_and_keeps_their_name(shop: Shop) -> None:
    # given
    first, _ = services.customer_find_or_create_by_identity(
        shop=shop, channel="email", value="sanne@example.nl", name="Sanne"
    )

    # when
    again, created = services.customer_find_or_create_by_identity(
        shop=shop, channel="email", value="SANNE@example.nl", name="S. Bakker (werk)"
    )

    # then
    assert again == first
    assert not created
    assert again.first_name == "Sanne"


def test_a_customer_known_by_email_gets_the_identity_added(shop: Shop) -> None:
    # given
    customer = CustomerFactory(shop=shop, email="piet@example.nl")

    # when
    found, created = services.customer_find_or_create_by_identity(
        shop=shop, channel="email", value="Piet@Example.nl"
    )

    # then
    assert (found, created) == (customer, False)
    assert CustomerIdentity.objects.filter(customer=customer, channel="email").count() == 1


def test_the_same_address_at_another_shop_is_another_customer(shop: Shop, other_shop: Shop) -> None:
    # given
    ours, _ = services.customer_find_or_create_by_identity(
        shop=shop, channel="email", value="anna@example.nl"
    )

    # when
    theirs, created = services.customer_find_or_create_by_identity(
        shop=other_shop, channel="email", value="anna@example.nl"
    )

    # then
    assert created
    assert theirs != ours
    assert theirs.shop == other_shop


def test_an_invalid_address_still_gets_a_customer_known_only_by_it(shop: Shop) -> None:
    # when
    customer, created = services.customer_find_or_create_by_identity(
        shop=shop, channel="email", value="undisclosed-recipients:;"
    )
    again, _ = services.customer_find_or_create_by_identity(
        shop=shop, channel="email", value="undisclosed-recipients:;"
    )

    # then
    assert created
    assert customer.email == ""
    assert again == customer
    assert Customer.objects.for_shop(shop).count() == 1


def test_a_whatsapp_number_becomes_a_customer_without_email(shop: Shop) -> None:
    # when
    customer, created = services.customer_find_or_create_by_identity(
        shop=shop, channel="whatsapp", value="+31612345678", name="Mo"
    )

    # then
    assert created
    assert customer.email == ""
    assert customer.identities.get().channel == "whatsapp"
