from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from balie.tenancy import services
from balie.tenancy.models import ApiKey, Membership, Shop

KEY_PATTERN = re.compile(r"balie_[0-9a-f]{12}_[A-Za-z0-9_-]{43}")


@pytest.fixture
def admin_client(admin_agent: Membership) -> Client:
    client = Client()
    client.force_login(admin_agent.user)
    return client


def _bearer(raw_key: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw_key}"})


def test_an_admin_creates_a_key_that_works_on_the_api(
    admin_client: Client, admin_agent: Membership, shop: Shop
) -> None:
    # when
    response = admin_client.post(reverse("web:api_keys"), {"name": "Koppeling webshop"})

    # then
    assert response.status_code == 200
    found = KEY_PATTERN.search(response.content.decode())
    assert found is not None
    api_response = _bearer(found.group()).get("/api/v1/shop")
    assert api_response.status_code == 200
    assert api_response.json()["name"] == shop.name
    key = ApiKey.objects.for_shop(shop).get()
    assert (key.name, key.created_by) == ("Koppeling webshop", admin_agent.user)
    assert found.group() != key.digest  # stored hashed, never in full


def test_the_full_key_is_shown_only_once(admin_client: Client) -> None:
    # given
    created = admin_client.post(reverse("web:api_keys"), {"name": "Boekhouding"})
    found = KEY_PATTERN.search(created.content.decode())
    assert found is not None

    # when
    later = admin_client.get(reverse("web:api_keys")).content.decode()

    # then
    assert found.group() not in later
    assert KEY_PATTERN.search(later) is None
    assert "Boekhouding" in later
    assert "no-store" in created["Cache-Control"]


def test_a_revoked_key_is_refused_by_the_api(admin_client: Client, shop: Shop) -> None:
    # given
    key, raw_key = services.api_key_create(shop=shop, name="Oude koppeling")

    # when
    response = admin_client.post(reverse("web:api_key_revoke", kwargs={"key_id": key.pk}))

    # then
    assert response["Location"] == reverse("web:api_keys")
    assert _bearer(raw_key).get("/api/v1/shop").status_code == 401
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_another_shops_key_cannot_be_revoked(admin_client: Client, other_shop: Shop) -> None:
    # given
    key, raw_key = services.api_key_create(shop=other_shop, name="Van Trapper")

    # when
    response = admin_client.post(reverse("web:api_key_revoke", kwargs={"key_id": key.pk}))

    # then
    assert response.status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None
    assert _bearer(raw_key).get("/api/v1/shop").status_code == 200


def test_the_page_lists_only_this_shops_keys(
    admin_client: Client, shop: Shop, other_shop: Shop
) -> None:
    # given
    services.api_key_create(shop=shop, name="Eigen sleutel")
    services.api_key_create(shop=other_shop, name="Sleutel van Trapper")

    # when
    page = admin_client.get(reverse("web:api_keys")).content.decode()

    # then
    assert "Eigen sleutel" in page
    assert "Sleutel van Trapper" not in page


def test_an_agent_below_admin_cannot_see_or_create_keys(agent_client: Client, shop: Shop) -> None:
    # when
    page = agent_client.get(reverse("web:api_keys"))
    create = agent_client.post(reverse("web:api_keys"), {"name": "Stiekem"})

    # then
    assert page.status_code == 403
    assert create.status_code == 403
    assert not ApiKey.objects.for_shop(shop).exists()


def test_an_agent_below_admin_cannot_revoke_a_key(agent_client: Client, shop: Shop) -> None:
    # given
    key, _raw_key = services.api_key_create(shop=shop, name="Webshop")

    # when
    response = agent_client.post(reverse("web:api_key_revoke", kwargs={"key_id": key.pk}))

    # then
    assert response.status_code == 403
    key.refresh_from_db()
    assert key.revoked_at is None
