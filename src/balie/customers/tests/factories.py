from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from balie.customers.models import Customer
from balie.tenancy.tests.factories import ShopFactory


class CustomerFactory(DjangoModelFactory[Customer]):
    class Meta:
        model = Customer

    shop = factory.SubFactory(ShopFactory)
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"klant{n}@example.nl")
