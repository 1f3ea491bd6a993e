"""/api/v1/webhooks: admins and API keys manage endpoints and read the delivery log."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from balie.tenancy.models import Membership, Role, Shop
from balie.tenancy.tests.factories import MembershipFactory
from balie.webhooks import delivery, services
from balie.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from balie.webhooks.tests.factories import WebhookDeliveryFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db

PUBLIC_URL = "https://93.184.215.14/balie"


def _json(client: Client, method: str, url: str, body: object = None) -> Any:
    kwargs = {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method)(url, **kwargs)


def test_creating_an_endpoint_shows_its_secret_once(api_client: Client, shop: Shop) -> None:
    # when
    created = _json(
        api_client,
        "post",
        "/api/v1/webhooks",
        {"url": PUBLIC_URL, "events": ["conversation.created", "message.created"]},
    )
    listed = api_client.get("/api/v1/webhooks").json()
    read = api_client.get(f"/api/v1/webhooks/{created.json()['id']}").json()

    # then
    assert created.status_code == 201
    body = created.json()
    endpoint = WebhookEndpoint.objects.get()
    assert body["secret"] == endpoint.secret
    assert body["secret"].startswith("whsec_")
    assert (body["url"], body["events"], body["is_active"]) == (
        PUBLIC_URL,
        ["conversation.created", "message.created"],
        True,
    )
    assert "secret" not in read
    assert "secret" not in listed["items"][0]
    assert endpoint.secret not in json.dumps(listed)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "https://127.0.0.1/hook", "events": ["message.created"]}, "url"),
        ({"url": "https://169.254.169.254/", "events": ["message.created"]}, "url"),
        ({"url": "http://93.184.215.14/hook", "events": ["message.created"]}, "url"),
        ({"url": "niet-een-adres", "events": ["message.created"]}, "url"),
        ({"url": PUBLIC_URL, "events": ["ticket.created"]}, "events.0"),
        ({"url": PUBLIC_URL, "events": []}, "events"),
        ({"url": PUBLIC_URL}, "events"),
        ({"url": PUBLIC_URL, "events": ["message.created"], "secret": "mine"}, "secret"),
    ],
)
def test_an_invalid_endpoint_is_a_422_naming_the_field(
    api_client: Client, shop: Shop, settings: Settings, body: dict[str, Any], field: str
) -> None:
    # given
    settings.BALIE_WEBHOOKS_ALLOW_PRIVATE = False

    # when
    response = _json(api_client, "post", "/api/v1/webhooks", body)

    # then
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("body", ["[]", '"url"', "{", "null"])
def test_a_body_that_is_no_object_is_refused_as_problem_json(api_client: Client, body: str) -> None:
    # when
    response = api_client.post("/api/v1/webhooks", body, content_type="application/json")

    # then
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.AGENT])
def test_only_admins_manage_webhooks(shop: Shop, role: Role) -> None:
    # given
    member = MembershipFactory(shop=shop, role=role)
    client = Client()
    client.force_login(member.user)
    endpoint = WebhookEndpointFactory(shop=shop)

    # when
    listed = client.get("/api/v1/webhooks")
    read = client.get(f"/api/v1/webhooks/{endpoint.pk}")

    # then
    assert (listed.status_code, read.status_code) == (403, 403)


def test_an_admin_session_manages_webhooks(admin_agent: Membership, shop: Shop) -> None:
    # given
    client = Client()
    client.force_login(admin_agent.user)

    # when
    response = _json(
        client, "post", "/api/v1/webhooks", {"url": PUBLIC_URL, "events": ["message.created"]}
    )

    # then
    assert response.status_code == 201
    assert WebhookEndpoint.objects.get().created_by == admin_agent.user


def test_switching_an_endpoint_back_on_clears_its_failures(api_client: Client, shop: Shop) -> None:
    # given
    endpoint = WebhookEndpointFactory(
        shop=shop, is_active=False, consecutive_failures=50, disabled_reason="50 op rij"
    )

    # when
    response = _json(api_client, "patch", f"/api/v1/webhooks/{endpoint.pk}", {"is_active": True})

    # then
    assert response.status_code == 200
    assert (
        response.json()["is_active"],
        response.json()["consecutive_failures"],
        response.json()["disabled_reason"],
    ) == (True, 0, "")


def test_a_null_in_a_change_is_refused(api_client: Client, shop: Shop) -> None:
    # given
    endpoint = WebhookEndpointFactory(shop=shop)

    # when
    response = _json(api_client, "patch", f"/api/v1/webhooks/{endpoint.pk}", {"url": None})

    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "url"


def test_rotating_the_secret_shows_the_new_one(api_client: Client, shop: Shop) -> None:
    # given
    endpoint = WebhookEndpointFactory(shop=shop)
    old = endpoint.secret

    # when
    response = api_client.post(f"/api/v1/webhooks/{endpoint.pk}/rotate-secret")

    # then
    endpoint.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["secret"] == endpoint.secret != old


def test_deleting_an_endpoint_deletes_its_log(api_client: Client, shop: Shop) -> None:
    # given
    endpoint = WebhookEndpointFactory(shop=shop)
    WebhookDeliveryFactory(endpoint=endpoint)

    # when
    response = api_client.delete(f"/api/v1/webhooks/{endpoint.pk}")

    # then
    assert response.status_code == 204
    assert not WebhookDelivery.objects.exists()


def test_the_delivery_log_lists_newest_first_and_filters_by_status(
    api_client: Client, shop: Shop
) -> None:
    # given
    endpoint = WebhookEndpointFactory(shop=shop)
    failed = WebhookDeliveryFactory(
        endpoint=endpoint,
        status=DeliveryStatus.FAILED,
        attempts=7,
        response_status=500,
        response_body="kapot",
        error="De server antwoordde met status 500.",
        duration_ms=31,
    )
    succeeded = WebhookDeliveryFactory(endpoint=endpoint, status=DeliveryStatus.SUCCEEDED)

    # when
    everything = api_client.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries").json()
    only_failed = api_client.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries?status=failed").json()
    one = api_client.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/{failed.pk}").json()

    # then
    assert [item["id"] for item in everything["items"]] == [succeeded.pk, failed.pk]
    assert [item["id"] for item in only_failed["items"]] == [failed.pk]
    assert {key: one[key] for key in ("webhook_id", "event_id", "status", "attempts")} == {
        "webhook_id": endpoint.pk,
        "event_id": str(failed.event_id),
        "status": "failed",
        "attempts": 7,
    }
    assert (one["response_status"], one["response_body"], one["duration_ms"]) == (500, "kapot", 31)
    assert one["payload"]["type"] == "conversation.updated"


def test_a_failed_delivery_is_retried_and_others_are_a_409(api_client: Client, shop: Shop) -> None:
    # given
    endpoint = WebhookEndpointFactory(shop=shop)
    failed = WebhookDeliveryFactory(
        endpoint=endpoint, status=DeliveryStatus.FAILED, attempts=delivery.MAX_ATTEMPTS
    )
    succeeded = WebhookDeliveryFactory(endpoint=endpoint, status=DeliveryStatus.SUCCEEDED)
    base = f"/api/v1/webhooks/{endpoint.pk}/deliveries"

    # when
    retried = api_client.post(f"{base}/{failed.pk}/retry")
    again = api_client.post(f"{base}/{failed.pk}/retry")
    done = api_client.post(f"{base}/{succeeded.pk}/retry")

    # then
    assert retried.status_code == 202
    assert retried.json()["status"] == "pending"
    assert (again.status_code, again.json()["code"]) == (409, "webhook_delivery_not_retryable")
    assert done.status_code == 409


def test_a_delivery_of_an_endpoint_that_is_off_is_not_retried(
    api_client: Client, shop: Shop
) -> None:
    # given
    endpoint = WebhookEndpointFactory(shop=shop, is_active=False)
    failed = WebhookDeliveryFactory(endpoint=endpoint, status=DeliveryStatus.FAILED)

    # when
    response = api_client.post(f"/api/v1/webhooks/{endpoint.pk}/deliveries/{failed.pk}/retry")

    # then
    assert (response.status_code, response.json()["code"]) == (409, "webhook_inactive")


def test_a_test_ping_is_queued_in_the_log(api_client: Client, shop: Shop) -> None:
    # given
    endpoint = WebhookEndpointFactory(shop=shop)

    # when
    response = api_client.post(f"/api/v1/webhooks/{endpoint.pk}/test")

    # then
    assert response.status_code == 202
    assert (response.json()["event"], response.json()["status"]) == ("webhook.test", "pending")
    assert response.json()["payload"]["data"]["webhook_id"] == endpoint.pk


def test_another_shops_ids_are_not_found_in_every_route(
    api_client: Client, shop: Shop, other_shop: Shop
) -> None:
    # given
    mine = WebhookEndpointFactory(shop=shop)
    my_other = WebhookEndpointFactory(shop=shop)
    theirs = WebhookEndpointFactory(shop=other_shop)
    their_delivery = WebhookDeliveryFactory(endpoint=theirs, status=DeliveryStatus.FAILED)
    delivery_of_my_other = WebhookDeliveryFactory(endpoint=my_other, status=DeliveryStatus.FAILED)
    calls = [
        ("get", f"/api/v1/webhooks/{theirs.pk}", None),
        ("patch", f"/api/v1/webhooks/{theirs.pk}", {"description": "overgenomen"}),
        ("delete", f"/api/v1/webhooks/{theirs.pk}", None),
        ("post", f"/api/v1/webhooks/{theirs.pk}/rotate-secret", None),
        ("post", f"/api/v1/webhooks/{theirs.pk}/test", None),
        ("get", f"/api/v1/webhooks/{theirs.pk}/deliveries", None),
        ("get", f"/api/v1/webhooks/{theirs.pk}/deliveries/{their_delivery.pk}", None),
        ("get", f"/api/v1/webhooks/{mine.pk}/deliveries/{their_delivery.pk}", None),
        ("get", f"/api/v1/webhooks/{mine.pk}/deliveries/{delivery_of_my_other.pk}", None),
        ("post", f"/api/v1/webhooks/{mine.pk}/deliveries/{their_delivery.pk}/retry", None),
        ("post", f"/api/v1/webhooks/{theirs.pk}/deliveries/{their_delivery.pk}/retry", None),
    ]
    secret = theirs.secret

    # when
    answers = [(method, url, _json(api_client, method, url, body)) for method, url, body in calls]

    # then
    assert [(method, url) for method, url, answer in answers if answer.status_code != 404] == []
    theirs.refresh_from_db()
    their_delivery.refresh_from_db()
    assert (theirs.secret, theirs.description) == (secret, "")
    assert their_delivery.status == DeliveryStatus.FAILED
    assert WebhookDelivery.objects.filter(endpoint=theirs).count() == 1


def test_a_shop_has_at_most_twenty_endpoints(api_client: Client, shop: Shop) -> None:
    # given
    WebhookEndpointFactory.create_batch(services.MAX_ENDPOINTS_PER_SHOP, shop=shop)

    # when
    response = _json(
        api_client, "post", "/api/v1/webhooks", {"url": PUBLIC_URL, "events": ["message.created"]}
    )

    # then
    assert (response.status_code, response.json()["code"]) == (409, "webhook_limit_reached")
