"""Webhooks go to public https addresses only: no requests into the server's own network."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from balie.webhooks import addresses, errors


@pytest.fixture(autouse=True)
def private_addresses_refused(settings: Settings) -> None:
    settings.BALIE_WEBHOOKS_ALLOW_PRIVATE = False


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://[::1]/hook",
        "https://10.0.0.8/hook",
        "https://172.16.4.2/hook",
        "https://192.168.1.20:8443/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/hook",
        "https://0.0.0.0/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[fd00::1]/hook",
        "https://[fe80::1]/hook",
        "https://224.0.0.1/hook",
        "https://2130706433/hook",  # 127.0.0.1 written as one number
        "https://0x7f.1/hook",
    ],
)
def test_addresses_inside_a_network_are_refused(url: str) -> None:
    # when / then
    with pytest.raises(errors.WebhookUrlInvalid, match="intern netwerk"):
        addresses.target(url)


def test_a_public_address_is_accepted_with_its_path_and_query() -> None:
    # when
    target = addresses.target("https://93.184.215.14:8443/balie/hook?bron=balie")

    # then
    assert (target.scheme, target.host, target.port, target.path) == (
        "https",
        "93.184.215.14",
        8443,
        "/balie/hook?bron=balie",
    )
    assert target.addresses == ("93.184.215.14",)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://93.184.215.14/hook", "https://"),
        ("ftp://93.184.215.14/hook", "https://"),
        ("https://", "geen geldig adres"),
        ("https://gebruiker:geheim@93.184.215.14/hook", "wachtwoord"),
        ("https://93.184.215.14:99999/hook", "geen geldig adres"),
        ("https://93.184.215.14/ hook", "geen geldig adres"),
        ("https://93.184.215.14/" + "a" * 2000, "2000"),
        ("", "hoogstens"),
    ],
)
def test_malformed_or_insecure_urls_are_refused(url: str, message: str) -> None:
    # when / then
    with pytest.raises(errors.WebhookUrlInvalid, match=message):
        addresses.target(url)


def test_a_host_that_does_not_exist_is_refused() -> None:
    # when / then
    with pytest.raises(errors.WebhookHostUnknown, match="niet te vinden"):
        addresses.target("https://bestaat-niet.invalid/hook")


def test_development_may_allow_private_addresses_and_plain_http(settings: Settings) -> None:
    # given
    settings.BALIE_WEBHOOKS_ALLOW_PRIVATE = True

    # when
    target = addresses.target("http://127.0.0.1:8080/hook")

    # then
    assert (target.scheme, target.port, target.addresses) == ("http", 8080, ("127.0.0.1",))


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),
        ("127.0.0.1", False),
        ("::ffff:10.1.2.3", False),
        ("2002:7f00:1::", False),  # 6to4 around 127.0.0.1
        ("fe80::1%eth0", False),
        ("not an address", False),
    ],
)
def test_is_public(address: str, public: bool) -> None:
    assert addresses.is_public(address) is public
