"""create_shop, create_agent and create_api_key, as scripts and docs call them."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from balie.tenancy import services
from balie.tenancy.models import ApiKey, Membership, Role, Shop


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_shop_makes_a_shop_with_default_hours(db: None) -> None:
    # when
    out, _err = _run("create_shop", "--slug", "pollepel", "--name", "Kookwinkel De Pollepel")

    # then
    shop = Shop.objects.get(slug="pollepel")
    assert shop.name == "Kookwinkel De Pollepel"
    assert "Created shop Kookwinkel De Pollepel (pollepel" in out


def test_create_shop_refuses_a_taken_slug(shop: Shop) -> None:
    # when / then
    with pytest.raises(CommandError, match="pollepel"):
        _run("create_shop", "--slug", "pollepel", "--name", "Nog een")


def test_create_shop_explains_an_invalid_slug(db: None) -> None:
    # when / then
    with pytest.raises(CommandError, match="--slug"):
        _run("create_shop", "--slug", "met spatie", "--name", "Spatie")


def test_create_agent_prints_a_link_that_lets_them_choose_a_password(shop: Shop) -> None:
    # when
    out, _err = _run(
        "create_agent", "--shop", "pollepel", "--email", "Sanne@Pollepel.nl", "--role", "admin"
    )

    # then
    membership = Membership.objects.get(shop=shop, user__email="sanne@pollepel.nl")
    assert membership.role == Role.ADMIN
    assert "sanne@pollepel.nl is now admin of Kookwinkel De Pollepel." in out
    link = out.split("hours): ", 1)[1].strip()
    assert Client().get(urlsplit(link).path, follow=True).status_code == 200


def test_create_agent_with_generate_password_prints_a_working_password(shop: Shop) -> None:
    # when
    out, _err = _run(
        "create_agent",
        "--shop",
        "pollepel",
        "--email",
        "sanne@pollepel.nl",
        "--role",
        "agent",
        "--name",
        "Sanne de Boer",
        "--generate-password",
    )

    # then
    password = out.split("signing in): ", 1)[1].strip()
    membership = Membership.objects.get(shop=shop)
    assert membership.user.full_name == "Sanne de Boer"
    assert len(password) >= 16
    assert membership.user.check_password(password)


def test_create_agent_does_not_change_an_existing_users_password(
    shop: Shop, other_shop: Shop
) -> None:
    # given
    services.agent_create(shop=other_shop, email="sanne@example.nl", password="eigen-wachtwoord-1")

    # when
    out, _err = _run(
        "create_agent", "--shop", "pollepel", "--email", "sanne@example.nl", "--generate-password"
    )

    # then
    membership = Membership.objects.get(shop=shop)
    assert "password is unchanged" in out
    assert membership.user.check_password("eigen-wachtwoord-1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shop", "bestaat-niet", "--email", "a@example.nl"], "No active shop with slug"),
        (
            ["--shop", "pollepel", "--email", "a@example.nl", "--role", "baas"],
            "Unknown role 'baas'; use one of owner, admin, agent, viewer",
        ),
        (["--shop", "pollepel", "--email", "geen-adres"], "not a valid email address"),
    ],
)
def test_create_agent_explains_what_is_wrong(shop: Shop, args: list[str], message: str) -> None:
    # when / then
    with pytest.raises(CommandError, match=message):
        _run("create_agent", *args)


def test_create_agent_twice_is_an_error(shop: Shop) -> None:
    # given
    _run("create_agent", "--shop", "pollepel", "--email", "sanne@pollepel.nl")

    # when / then
    with pytest.raises(CommandError, match="werkt al voor"):
        _run("create_agent", "--shop", "pollepel", "--email", "sanne@pollepel.nl")


def test_create_api_key_prints_only_the_key_on_stdout(shop: Shop) -> None:
    # when
    out, err = _run("create_api_key", "--shop", "pollepel", "--name", "WooCommerce")

    # then
    raw = out.strip()
    key = services.api_key_authenticate(raw_key=raw)
    assert key is not None
    assert (key.shop, key.name) == (shop, "WooCommerce")
    assert "shown only this once" in err
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/shop")
    assert response.json()["slug"] == "pollepel"


def test_create_api_key_for_an_unknown_shop_is_an_error(db: None) -> None:
    # when / then
    with pytest.raises(CommandError, match="No active shop with slug 'nergens'"):
        _run("create_api_key", "--shop", "nergens")
    assert not ApiKey.objects.exists()
