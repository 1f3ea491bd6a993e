"""About 200 shoppers: Dutch names and mobile numbers, a share of Flemish customers."""

from __future__ import annotations

import random
import re
import unicodedata

from balie.customers.models import Customer, CustomerIdentity, IdentityChannel
from balie.tenancy.demo.context import Address, Demo

CUSTOMER_COUNT = 200
BELGIAN_SHARE = 0.15
WITHOUT_PHONE_SHARE = 0.1
# Reserved for examples (RFC 2606), so no demo mail can reach a real person.
EMAIL_DOMAINS = ["example.com", "example.net", "example.org"]
# (city, first postcode of its range); a customer's postcode falls in their city's range.
DUTCH_CITIES = [
    ("Amsterdam", 1011), ("Rotterdam", 3011), ("Den Haag", 2511), ("Utrecht", 3511),
    ("Eindhoven", 5611), ("Groningen", 9711), ("Tilburg", 5011), ("Almere", 1311),
    ("Breda", 4811), ("Nijmegen", 6511), ("Haarlem", 2011), ("Arnhem", 6811),
    ("Zwolle", 8011), ("Leiden", 2311), ("Maastricht", 6211), ("Amersfoort", 3811),
    ("Apeldoorn", 7311), ("Enschede", 7511), ("Delft", 2611), ("Deventer", 7411),
    ("Leeuwarden", 8911), ("'s-Hertogenbosch", 5211), ("Alkmaar", 1811), ("Gouda", 2801),
    ("Zeist", 3701), ("Hilversum", 1211), ("Dordrecht", 3311), ("Houten", 3991),
]  # fmt: skip
BELGIAN_CITIES = [
    ("Antwerpen", 2000), ("Gent", 9000), ("Brugge", 8000), ("Leuven", 3000),
    ("Mechelen", 2800), ("Hasselt", 3500), ("Kortrijk", 8500), ("Aalst", 9300),
]  # fmt: skip
DUTCH_STREETS = [
    "Dorpsstraat", "Kerkstraat", "Molenweg", "Stationsweg", "Schoolstraat", "Julianastraat",
    "Beatrixlaan", "Wilhelminastraat", "Lindelaan", "Eikenlaan", "Prinses Irenestraat",
    "Nieuwstraat", "Hoofdstraat", "Kastanjelaan", "Prins Bernhardstraat", "Emmalaan",
    "Oranjestraat", "Vondelstraat", "Rembrandtlaan", "Spoorstraat", "Merelstraat",
    "Beukenlaan", "Sportlaan", "Industrieweg", "Parkweg", "Graaf Florislaan",
]  # fmt: skip
BELGIAN_STREETS = [
    "Kerkstraat", "Stationsstraat", "Dorpsstraat", "Molenstraat", "Nieuwstraat",
    "Schoolstraat", "Kapelstraat", "Veldstraat", "Kouterstraat", "Lindenlaan",
]  # fmt: skip


def seed(demo: Demo) -> None:
    rng = demo.rng
    customers: list[Customer] = []
    addresses: list[Address] = []
    taken: set[str] = set()
    for number in range(CUSTOMER_COUNT):
        belgian = rng.random() < BELGIAN_SHARE
        fake = demo.fake_be if belgian else demo.fake
        first_name, last_name = fake.first_name(), fake.last_name()
        email = _unique_email(first_name, last_name, rng.choice(EMAIL_DOMAINS), taken, number)
        without_phone = rng.random() < WITHOUT_PHONE_SHARE
        phone = _mobile_number(rng.randrange(10**8), belgian=belgian)
        customers.append(
            Customer(
                shop=demo.shop,
                first_name=first_name,
                last_name=last_name,
                email=email,
                phone="" if without_phone else phone,
                locale="nl",
                external_id=f"K{10_400 + number}",
            )
        )
        addresses.append(_address(rng, belgian=belgian))
    demo.customers = Customer.objects.bulk_create(customers)
    demo.addresses = {
        customer.pk: address for customer, address in zip(demo.customers, addresses, strict=True)
    }
    identities = [
        CustomerIdentity(
            shop=demo.shop,
            customer=customer,
            channel=IdentityChannel.EMAIL,
            value=customer.email,
            verified=True,
        )
        for customer in demo.customers
    ]
    identities += [
        CustomerIdentity(
            shop=demo.shop, customer=customer, channel=IdentityChannel.PHONE, value=customer.phone
        )
        for customer in demo.customers
        if customer.phone
    ]
    CustomerIdentity.objects.bulk_create(identities)


def _address(rng: random.Random, *, belgian: bool) -> Address:
    street = rng.choice(BELGIAN_STREETS if belgian else DUTCH_STREETS)
    house_number = f"{rng.randint(1, 180)}{_addition(rng.random())}"
    if belgian:
        city, postcode_base = rng.choice(BELGIAN_CITIES)
        postcode = str(postcode_base + rng.choice([0, 0, 10, 20, 30, 40, 50]))
    else:
        city, postcode_base = rng.choice(DUTCH_CITIES)
        letters = rng.choice("ABCEGHJKLMNPRTVWXZ") + rng.choice("ABCEGHJKLMNPRTVWXZ")
        postcode = f"{postcode_base + rng.randrange(100)} {letters}"
    return Address(
        street=f"{street} {house_number}",
        postcode=postcode,
        city=city,
        country="BE" if belgian else "NL",
    )


def _unique_email(first: str, last: str, domain: str, taken: set[str], number: int) -> str:
    local = f"{_ascii(first)}.{_ascii(last)}"
    email = f"{local}@{domain}"
    if email in taken:
        email = f"{local}{number}@{domain}"
    taken.add(email)
    return email


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]+", "", folded.lower())


def _mobile_number(digits: int, *, belgian: bool) -> str:
    # +31 6 xxxxxxxx in the Netherlands, +32 4xx xx xx xx in Belgium (E.164 without spaces).
    return f"+324{70 + digits % 30}{digits % 10**6:06d}" if belgian else f"+316{digits:08d}"


def _addition(draw: float) -> str:
    """Now and then a house number addition, as Dutch addresses have ("12a", "7-2")."""
    return "a" if draw < 0.06 else "-2" if draw < 0.1 else ""
