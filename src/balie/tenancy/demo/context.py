"""What the demo steps share: the shop, the seeded randomness and what earlier steps made."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from faker import Faker

from balie.customers.models import Customer
from balie.orders.models import Order, Product
from balie.tenancy.models import Membership, Shop

SEED = 20_260_101


@dataclass(frozen=True)
class Address:
    street: str
    postcode: str
    city: str
    country: str  # ISO 3166 alpha-2


@dataclass
class Demo:
    shop: Shop
    now: dt.datetime
    rng: random.Random
    fake: Faker  # nl_NL
    fake_be: Faker  # nl_BE, for the Flemish customers
    agents: list[Membership] = field(default_factory=list)
    customers: list[Customer] = field(default_factory=list)
    addresses: dict[int, Address] = field(default_factory=dict)  # by customer id
    products: list[Product] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)


def demo_context(*, shop: Shop, now: dt.datetime, agents: list[Membership]) -> Demo:
    fake = Faker("nl_NL")
    fake.seed_instance(SEED)
    fake_be = Faker("nl_BE")
    fake_be.seed_instance(SEED + 1)
    rng = random.Random(SEED)  # noqa: S311  # demo data must repeat, not be secret
    return Demo(shop=shop, now=now, rng=rng, fake=fake, fake_be=fake_be, agents=agents)


def weighted[T](rng: random.Random, weights: dict[T, int]) -> T:
    """One of the keys, drawn with the given weights."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def stamp(model: type[Any], moments: list[tuple[int, dt.datetime, dt.datetime]]) -> None:
    """Set (id, created_at, updated_at): bulk_create stamps every row with now."""
    created, updated = model._meta.get_field("created_at"), model._meta.get_field("updated_at")
    rows = [
        (
            created.get_db_prep_value(created_at, connection),
            updated.get_db_prep_value(updated_at, connection),
            pk,
        )
        for pk, created_at, updated_at in moments
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET created_at = %s, updated_at = %s WHERE id = %s",  # noqa: S608
            rows,
        )
