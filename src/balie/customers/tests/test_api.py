"""/api/v1/customers"""

from __future__ import annotations

import json

from django.test import Client

from balie.customers.models import Customer
from balie.customers.tests.factories import CustomerFactory
from balie.tenancy.models import Membership, Role, Shop
from balie.tenancy.tests.factories import MembershipFactory


def _post(client: Client, body: dict[str, object]) -> object:
    return client.post("/api/v1/customers", json.dumps(body), content_type="application/json")


def _patch(client: Client, customer: Customer, body: dict[str, object]) -> object:
    return client.patch(
        f"/api/v1/customers/{customer.pk}", json.dumps(body), content_type="application/json"
    )


def test_an_integration_creates_a_customer(api_client: Client, shop: Shop) -> None:
    # when
    response = _post(api_client, {"email": "Anna@Example.nl", "first_name": "Anna"})

    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["first_name"], body["locale"]) == ("anna@example.nl", "Anna", "nl")
    assert Customer.objects.for_shop(shop).get().pk == body["id"]


def test_an_agent_creates_a_customer_in_their_own_shop(agent: Membership, shop: Shop) -> None:
    # given
    client = Client()
    client.force_login(agent.user)

    # when
    response = _post(client, {"phone": "0612345678"})

    # then
    assert response.status_code == 201
    assert Customer.objects.get(pk=response.json()["id"]).shop == shop


def test_a_customer_without_email_or_phone_is_422_on_email(api_client: Client) -> None:
    # when
    response = _post(api_client, {"first_name": "Anna"})

    # then
    assert response.status_code == 422
    assert response.json()["code"] == "customer_contact_missing"
    assert response.json()["errors"][0]["field"] == "email"


def test_a_duplicate_email_is_409(api_client: Client, shop: Shop) -> None:
    # given
    CustomerFactory(shop=shop, email="anna@example.nl")

    # when
    response = _post(api_client, {"email": "anna@example.nl"})

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "customer_email_taken"


def test_customers_are_filtered_by_words_and_by_email(api_client: Client, shop: Shop) -> None:
    # given
    anna = CustomerFactory(shop=shop, first_name="Anna", email="anna@example.nl")
    CustomerFactory(shop=shop, first_name="Bram", email="bram@example.nl")

    # when
    by_word = api_client.get("/api/v1/customers", {"q": "ann"}).json()
    by_email = api_client.get("/api/v1/customers", {"email": "ANNA@example.nl"}).json()

    # then
    assert [item["id"] for item in by_word["items"]] == [anna.pk]
    assert by_email["count"] == 1


def test_one_customer_by_id(api_client: Client, shop: Shop) -> None:
    # given
    anna = CustomerFactory(shop=shop, first_name="Anna")

    # when
    response = api_client.get(f"/api/v1/customers/{anna.pk}")

    # then
    assert response.json()["first_name"] == "Anna"


def test_patch_changes_only_the_fields_sent(api_client: Client, shop: Shop) -> None:
    # given
    anna = CustomerFactory(shop=shop, first_name="Anna", last_name="Jansen", email="a@example.nl")

    # when
    response = _patch(api_client, anna, {"last_name": "de Vries", "locale": "en"})

    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["first_name"], body["last_name"], body["locale"]) == ("Anna", "de Vries", "en")
    assert body["email"] == "a@example.nl"


def test_patch_with_email_null_removes_the_address_if_a_phone_is_left(
    api_client: Client, shop: Shop
) -> None:
    # given
    anna = CustomerFactory(shop=shop, email="a@example.nl", phone="0612345678")
    bram = CustomerFactory(shop=shop, email="b@example.nl", phone="")

    # when
    kept_phone = _patch(api_client, anna, {"email": None})
    nothing_left = _patch(api_client, bram, {"email": None})

    # then
    assert kept_phone.json()["email"] == ""
    assert nothing_left.status_code == 422


def test_patch_to_another_customers_email_is_409(api_client: Client, shop: Shop) -> None:
    # given
    CustomerFactory(shop=shop, email="anna@example.nl")
    bram = CustomerFactory(shop=shop, email="bram@example.nl")

    # when
    response = _patch(api_client, bram, {"email": "anna@example.nl"})

    # then
    assert response.status_code == 409


def test_a_viewer_may_read_but_not_change_customers(shop: Shop) -> None:
    # given
    anna = CustomerFactory(shop=shop, first_name="Anna")
    client = Client()
    client.force_login(MembershipFactory(shop=shop, role=Role.VIEWER).user)

    # when
    read = client.get(f"/api/v1/customers/{anna.pk}")
    change = _patch(client, anna, {"first_name": "Bram"})

    # then
    assert (read.status_code, change.status_code) == (200, 403)
    anna.refresh_from_db()
    assert anna.first_name == "Anna"
