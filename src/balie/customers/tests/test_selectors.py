from __future__ import annotations

import pytest
from django.http import Http404

from balie.customers import selectors
from balie.customers.tests.factories import CustomerFactory
from balie.tenancy.models import Shop


def test_search_matches_every_word_in_name_email_or_phone(shop: Shop) -> None:
    # given
    anna = CustomerFactory(shop=shop, first_name="Anna", last_name="de Vries", phone="0612")
    CustomerFactory(shop=shop, first_name="Anna", last_name="Jansen")
    CustomerFactory(shop=shop, first_name="Bram", last_name="de Vries")

    # when
    found = list(selectors.customer_list(shop=shop, q="anna VRIES"))

    # then
    assert found == [anna]


def test_search_by_email_is_exact_and_case_blind(shop: Shop) -> None:
    # given
    anna = CustomerFactory(shop=shop, email="anna@example.nl")
    CustomerFactory(shop=shop, email="anna@example.nl.evil")

    # when
    found = list(selectors.customer_list(shop=shop, email=" Anna@Example.NL "))

    # then
    assert found == [anna]


def test_the_list_holds_only_the_shops_customers(shop: Shop, other_shop: Shop) -> None:
    # given
    own = CustomerFactory(shop=shop)
    CustomerFactory(shop=other_shop)

    # when
    found = list(selectors.customer_list(shop=shop))

    # then
    assert found == [own]


def test_another_shops_customer_is_not_found(shop: Shop, other_shop: Shop) -> None:
    # given
    stranger = CustomerFactory(shop=other_shop)

    # when / then
    with pytest.raises(Http404):
        selectors.access_customer(shop=shop, customer_id=stranger.pk)
