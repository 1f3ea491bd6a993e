from __future__ import annotations

import pytest

from balie.customers import errors, services
from balie.customers.models import CustomerIdentity
from balie.customers.tests.factories import CustomerFactory
from balie.tenancy.models import Shop


def test_a_customer_is_created_with_normalised_email_and_identities(shop: Shop) -> None:
    # when
    customer = services.customer_create(
        shop=shop, email=" Anna@Example.NL ", phone=" 0612345678 ", first_name=" Anna "
    )

    # then
    assert (customer.email, customer.phone, customer.first_name) == (
        "anna@example.nl",
        "0612345678",
        "Anna",
    )
    identities = set(
        CustomerIdentity.objects.for_shop(shop).values_list("channel", "value", "customer")
    )
    assert identities == {
        ("email", "anna@example.nl", customer.pk),
        ("phone", "0612345678", customer.pk),
    }


def test_a_customer_needs_an_email_or_a_phone_number(shop: Shop) -> None:
    # when / then
    with pytest.raises(errors.CustomerContactMissing) as raised:
        services.customer_create(shop=shop, first_name="Anna", phone="   ")
    assert raised.value.field == "email"


def test_a_phone_number_alone_is_enough(shop: Shop) -> None:
    # when
    customer = services.customer_create(shop=shop, phone="+31 6 1234 5678")

    # then
    assert customer.email == ""


def test_an_email_address_is_one_customer_per_shop(shop: Shop, other_shop: Shop) -> None:
    # given
    services.customer_create(shop=shop, email="anna@example.nl")

    # when / then: the same shop refuses, whatever the case; another shop does not care
    with pytest.raises(errors.CustomerEmailTaken):
        services.customer_create(shop=shop, email="ANNA@example.nl")
    assert services.customer_create(shop=other_shop, email="anna@example.nl").shop == other_shop


def test_two_customers_may_share_a_phone_number(shop: Shop) -> None:
    # given
    first = services.customer_create(shop=shop, phone="0201234567", first_name="Anna")

    # when
    second = services.customer_create(shop=shop, phone="0201234567", first_name="Bram")

    # then: the household's number stays the identity of whoever had it first
    identity = CustomerIdentity.objects.for_shop(shop).get(channel="phone")
    assert (identity.customer_id, second.phone) == (first.pk, "0201234567")


def test_an_update_changes_only_the_given_fields(shop: Shop) -> None:
    # given
    customer = CustomerFactory(shop=shop, first_name="Anna", last_name="Jansen")

    # when
    services.customer_update(shop=shop, customer=customer, last_name=" de Vries ")

    # then
    customer.refresh_from_db()
    assert (customer.first_name, customer.last_name) == ("Anna", "de Vries")


def test_a_new_email_address_moves_the_email_identity(shop: Shop) -> None:
    # given
    customer = services.customer_create(shop=shop, email="oud@example.nl")

    # when
    services.customer_update(shop=shop, customer=customer, email="Nieuw@Example.nl")

    # then
    values = list(
        CustomerIdentity.objects.for_shop(shop)
        .filter(channel="email")
        .values_list("value", flat=True)
    )
    assert values == ["nieuw@example.nl"]


def test_an_update_may_not_take_another_customers_email(shop: Shop) -> None:
    # given
    CustomerFactory(shop=shop, email="anna@example.nl")
    bram = CustomerFactory(shop=shop, email="bram@example.nl")

    # when / then
    with pytest.raises(errors.CustomerEmailTaken):
        services.customer_update(shop=shop, customer=bram, email="anna@example.nl")


def test_an_update_may_not_remove_the_last_way_to_reach_the_customer(shop: Shop) -> None:
    # given
    customer = services.customer_create(shop=shop, email="anna@example.nl")

    # when / then
    with pytest.raises(errors.CustomerContactMissing):
        services.customer_update(shop=shop, customer=customer, email="")


def test_an_update_refuses_a_customer_of_another_shop(shop: Shop, other_shop: Shop) -> None:
    # given
    stranger = CustomerFactory(shop=other_shop)

    # when / then
    with pytest.raises(ValueError, match="another shop"):
        services.customer_update(shop=shop, customer=stranger, first_name="Overgenomen")
