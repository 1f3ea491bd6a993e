from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from balie.tenancy.models import (
    AgentWorkingHours,
    BusinessHours,
    ContactOption,
    Membership,
    Role,
    Shop,
    Team,
    User,
)


class ShopFactory(DjangoModelFactory[Shop]):
    class Meta:
        model = Shop
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Winkel {n}")
    slug = factory.Sequence(lambda n: f"winkel-{n}")
    support_email = factory.LazyAttribute(lambda shop: f"service@{shop.slug}.nl")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"medewerker{n}@example.nl")
    full_name = factory.Faker("name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", "geheim-wachtwoord-123")

    @factory.post_generation
    def _save(user: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            user.save()


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    shop = factory.SubFactory(ShopFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.AGENT


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team

    shop = factory.SubFactory(ShopFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class ContactOptionFactory(DjangoModelFactory[ContactOption]):
    class Meta:
        model = ContactOption

    shop = factory.SubFactory(ShopFactory)
    channel = "email"
    label = "E-mail"
    value = "service@example.nl"
    response_minutes = 240


def office_hours(shop: Shop, *, opens: dt.time = dt.time(9), closes: dt.time = dt.time(17)) -> None:
    """Monday to Friday opening hours for a shop made by ShopFactory."""
    BusinessHours.objects.bulk_create(
        BusinessHours(shop=shop, weekday=weekday, opens_at=opens, closes_at=closes)
        for weekday in range(5)
    )


class AgentWorkingHoursFactory(DjangoModelFactory[AgentWorkingHours]):
    class Meta:
        model = AgentWorkingHours

    membership = factory.SubFactory(MembershipFactory)
    shop = factory.SelfAttribute("membership.shop")
    weekday = 0
    starts_at = dt.time(9)
    ends_at = dt.time(17)


def every_day_hours(
    shop: Shop, *, opens: dt.time = dt.time(9), closes: dt.time = dt.time(17)
) -> None:
    """Opening hours on all seven days, public holidays included (e.g. a chat desk)."""
    shop.closed_on_public_holidays = False
    shop.save(update_fields=["closed_on_public_holidays"])
    BusinessHours.objects.bulk_create(
        BusinessHours(shop=shop, weekday=weekday, opens_at=opens, closes_at=closes)
        for weekday in range(7)
    )
