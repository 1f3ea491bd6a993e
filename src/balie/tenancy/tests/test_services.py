from __future__ import annotations

import datetime as dt
import secrets
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from balie.tenancy import errors, services
from balie.tenancy.models import ApiKey, BusinessHours, ContactOption, Membership, Role, Shop
from balie.tenancy.tests.factories import MembershipFactory


def test_a_new_shop_gets_office_hours_and_an_email_contact_option(db: None) -> None:
    # when
    shop = services.shop_create(
        name="Kookwinkel De Pollepel", slug="pollepel", support_email="service@pollepel.nl"
    )

    # then
    assert (shop.default_locale, shop.time_zone, shop.holiday_country) == (
        "nl",
        "Europe/Amsterdam",
        "NL",
    )
    hours = list(
        BusinessHours.objects.for_shop(shop).values_list("weekday", "opens_at", "closes_at")
    )
    assert hours == [(day, dt.time(9), dt.time(17)) for day in range(5)]
    option = ContactOption.objects.for_shop(shop).get()
    assert (option.channel, option.value, option.response_minutes) == (
        "email",
        "service@pollepel.nl",
        480,
    )


def test_a_slug_is_taken_once(shop: Shop) -> None:
    # when / then
    with pytest.raises(errors.SlugTaken):
        services.shop_create(name="Andere Pollepel", slug="pollepel")


def test_an_invalid_slug_is_refused(db: None) -> None:
    # when / then
    with pytest.raises(ValidationError) as raised:
        services.shop_create(name="Spatie", slug="met spatie")
    assert "slug" in raised.value.message_dict


def test_an_agent_is_a_new_user_without_a_password_until_they_set_one(shop: Shop) -> None:
    # when
    membership = services.agent_create(shop=shop, email=" Sanne@Pollepel.NL ", role=Role.ADMIN)

    # then
    assert membership.user.email == "sanne@pollepel.nl"
    assert membership.role == Role.ADMIN
    assert not membership.user.has_usable_password()


def test_the_same_person_may_work_for_two_shops(shop: Shop, other_shop: Shop) -> None:
    # given
    first = services.agent_create(shop=shop, email="sanne@example.nl")

    # when
    second = services.agent_create(shop=other_shop, email="SANNE@example.nl")

    # then
    assert first.user == second.user
    assert Membership.objects.filter(user=first.user).count() == 2


def test_adding_an_agent_twice_is_already_member(shop: Shop) -> None:
    # given
    services.agent_create(shop=shop, email="sanne@example.nl")

    # when / then
    with pytest.raises(errors.AlreadyMember) as raised:
        services.agent_create(shop=shop, email="sanne@example.nl")
    assert raised.value.field == "email"


def test_the_password_set_link_opens_the_set_password_page(shop: Shop) -> None:
    # given
    membership = services.agent_create(shop=shop, email="sanne@example.nl")

    # when
    link = services.password_set_link(user=membership.user)
    response = Client().get(urlsplit(link).path, follow=True)

    # then
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert default_token_generator.check_token(membership.user, token)
    assert response.status_code == 200


def test_a_team_refuses_members_of_another_shop(shop: Shop, other_shop: Shop) -> None:
    # given
    stranger = MembershipFactory(shop=other_shop)

    # when / then
    with pytest.raises(ValueError, match="team's shop"):
        services.team_create(shop=shop, name="Retouren", members=[stranger])


def test_an_api_key_is_shown_once_and_stored_as_a_digest(shop: Shop) -> None:
    # when
    key, raw = services.api_key_create(shop=shop, name="Webshop")

    # then
    assert raw.startswith(f"balie_{key.prefix}_")
    secret = raw.split("_", 2)[2]
    assert secret not in key.digest
    assert len(key.digest) == 64
    assert services.api_key_authenticate(raw_key=raw) == key


@pytest.mark.parametrize(
    "mangle",
    [
        lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"),  # wrong secret, right prefix
        lambda raw: raw + "x",
        lambda raw: raw.replace("balie_", "other_", 1),
        lambda raw: raw.split("_", 2)[0] + "_" + raw.split("_", 2)[1],  # no secret
        lambda raw: "",
        lambda raw: "balie_nosuchprefix_" + raw.split("_", 2)[2],
    ],
)
def test_a_wrong_key_does_not_authenticate(shop: Shop, mangle: object) -> None:
    # given
    _key, raw = services.api_key_create(shop=shop, name="Webshop")

    # when
    key = services.api_key_authenticate(raw_key=mangle(raw))  # type: ignore[operator]

    # then
    assert key is None


def test_a_revoked_key_does_not_authenticate(shop: Shop) -> None:
    # given
    key, raw = services.api_key_create(shop=shop, name="Webshop")
    services.api_key_revoke(shop=shop, key_id=key.pk)

    # when / then
    assert services.api_key_authenticate(raw_key=raw) is None


def test_another_shop_cannot_revoke_a_key(shop: Shop, other_shop: Shop) -> None:
    # given
    key, raw = services.api_key_create(shop=shop, name="Webshop")

    # when
    services.api_key_revoke(shop=other_shop, key_id=key.pk)

    # then
    assert services.api_key_authenticate(raw_key=raw) == key


def test_a_key_of_an_inactive_shop_does_not_authenticate(shop: Shop) -> None:
    # given
    _key, raw = services.api_key_create(shop=shop, name="Webshop")
    Shop.objects.filter(pk=shop.pk).update(is_active=False)

    # when / then
    assert services.api_key_authenticate(raw_key=raw) is None


def test_the_secret_is_compared_in_constant_time(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: record the comparisons the check makes (the stdlib's, not ours)
    compared: list[tuple[str, str]] = []
    real = secrets.compare_digest

    def recording(a: str, b: str) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(secrets, "compare_digest", recording)
    key, raw = services.api_key_create(shop=shop, name="Webshop")

    # when
    services.api_key_authenticate(raw_key=raw[:-1] + "!")

    # then: the stored digest was compared with compare_digest, not ==
    assert [stored for stored, _given in compared] == [key.digest]


def test_using_a_key_records_when_at_most_once_a_minute(shop: Shop) -> None:
    # given
    key, raw = services.api_key_create(shop=shop, name="Webshop")
    earlier = timezone.now() - dt.timedelta(seconds=20)
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=earlier)

    # when
    services.api_key_authenticate(raw_key=raw)

    # then
    key.refresh_from_db()
    assert key.last_used_at == earlier
