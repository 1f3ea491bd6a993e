"""Every API error is RFC 9457 problem JSON with a clear message; never an HTML page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.test.utils import override_settings

from balie.api.tests.urls_with_broken_route import SECRET
from balie.api.urls import api
from balie.customers.tests.factories import CustomerFactory
from balie.tenancy.models import Membership, Role, Shop
from balie.tenancy.tests.factories import MembershipFactory

PROBLEM = "application/problem+json"


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert body["type"].endswith(body["code"])
    assert body["instance"] == response.wsgi_request.path
    return body


def _post(client: Client, url: str, body: str) -> Any:
    return client.post(url, body, content_type="application/json")


def test_no_credentials_is_401_with_www_authenticate(client: Client, db: None) -> None:
    # when
    response = client.get("/api/v1/customers")

    # then
    body = _problem(response, 401)
    assert body["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="balie"'


def test_a_wrong_api_key_is_401(db: None, api_key: str) -> None:
    # given
    client = Client(headers={"Authorization": f"Bearer {api_key[:-2]}xx"})

    # when
    response = client.get("/api/v1/shop")

    # then
    _problem(response, 401)


def test_a_post_without_credentials_is_401_not_a_csrf_error(client: Client, db: None) -> None:
    # given: a browser client that enforces CSRF but has no session
    client = Client(enforce_csrf_checks=True)

    # when
    response = _post(client, "/api/v1/customers", '{"email": "a@example.nl"}')

    # then
    _problem(response, 401)


def test_a_session_write_without_csrf_token_is_403(agent: Membership) -> None:
    # given
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent.user)

    # when
    response = _post(client, "/api/v1/customers", '{"email": "nieuw@example.nl"}')

    # then
    body = _problem(response, 403)
    assert "CSRF" in body["detail"]


def test_a_viewer_may_not_create_customers(shop: Shop) -> None:
    # given
    viewer = MembershipFactory(shop=shop, role=Role.VIEWER)
    client = Client()
    client.force_login(viewer.user)

    # when
    response = _post(client, "/api/v1/customers", '{"email": "nieuw@example.nl"}')

    # then
    body = _problem(response, 403)
    assert body["code"] == "forbidden"
    assert body["detail"] == "Viewers cannot create customers."


def test_another_shops_customer_is_404(api_client: Client, other_shop: Shop) -> None:
    # given
    stranger = CustomerFactory(shop=other_shop)

    # when
    response = api_client.get(f"/api/v1/customers/{stranger.pk}")

    # then
    body = _problem(response, 404)
    assert body["detail"] == "No such object in this shop."


def test_an_unknown_api_path_is_404_problem(api_client: Client) -> None:
    # when
    response = api_client.post("/api/v1/no-such-thing")

    # then
    assert _problem(response, 404)["code"] == "unknown_path"


def test_a_method_the_path_does_not_take_is_405_with_allow(api_client: Client) -> None:
    # when
    response = api_client.delete("/api/v1/customers")

    # then
    body = _problem(response, 405)
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}
    assert "DELETE" in body["detail"]


def test_a_duplicate_email_is_409(api_client: Client, shop: Shop) -> None:
    # given
    CustomerFactory(shop=shop, email="anna@example.nl")

    # when
    response = _post(api_client, "/api/v1/customers", '{"email": "Anna@Example.nl"}')

    # then
    body = _problem(response, 409)
    assert body["code"] == "customer_email_taken"
    assert body["errors"][0]["field"] == "email"


def test_invalid_fields_are_422_naming_each_field(api_client: Client) -> None:
    # when
    response = _post(
        api_client,
        "/api/v1/customers",
        json.dumps({"email": "geen-adres", "first_name": 12, "locale": "Nederlands"}),
    )

    # then
    body = _problem(response, 422)
    fields = {(error["field"], error["in"]) for error in body["errors"]}
    assert fields == {("email", "body"), ("first_name", "body"), ("locale", "body")}
    assert "email (body)" in body["detail"]
    assert all(error["message"] for error in body["errors"])


def test_an_unknown_field_is_422_not_silently_ignored(api_client: Client) -> None:
    # when
    response = _post(api_client, "/api/v1/customers", '{"email": "a@example.nl", "naam": "An"}')

    # then
    body = _problem(response, 422)
    assert body["errors"][0]["field"] == "naam"


@pytest.mark.parametrize(
    ("url", "field", "where"),
    [
        ("/api/v1/orders?status=onderweg", "status", "query"),
        ("/api/v1/orders?customer_id=abc", "customer_id", "query"),
        ("/api/v1/customers?limit=0", "limit", "query"),
        ("/api/v1/customers?limit=100000", "limit", "query"),
        ("/api/v1/customers/abc", "customer_id", "path"),
        ("/api/v1/customers?q=%00", "q", "query"),
    ],
)
def test_invalid_query_and_path_values_are_422(
    api_client: Client, url: str, field: str, where: str
) -> None:
    # when
    response = api_client.get(url)

    # then
    body = _problem(response, 422)
    assert [(error["field"], error["in"]) for error in body["errors"]] == [(field, where)]


def test_an_unknown_enum_value_names_the_allowed_ones(api_client: Client) -> None:
    # when
    response = api_client.get("/api/v1/orders?status=onderweg")

    # then
    assert "'shipped'" in _problem(response, 422)["errors"][0]["message"]


def test_a_body_that_is_not_json_is_400(api_client: Client) -> None:
    # when
    response = _post(api_client, "/api/v1/customers", '{"email": "a@example.nl",')

    # then
    assert _problem(response, 400)["code"] == "malformed_body"


def test_a_body_that_is_not_utf8_is_400(api_client: Client) -> None:
    # when
    response = api_client.post(
        "/api/v1/customers", b'{"first_name": "\xff\xfe"}', content_type="application/json"
    )

    # then
    assert _problem(response, 400)["code"] == "malformed_body"


@pytest.mark.parametrize("body", ["[]", '[{"email": "a@example.nl"}]', '"klant"', "42", "null"])
def test_a_body_that_is_not_an_object_is_422(api_client: Client, body: str) -> None:
    # when
    response = _post(api_client, "/api/v1/customers", body)

    # then
    problem = _problem(response, 422)
    assert problem["errors"][0]["in"] == "body"


def test_an_empty_body_is_422(api_client: Client) -> None:
    # when
    response = _post(api_client, "/api/v1/customers", "")

    # then
    _problem(response, 422)


def test_a_huge_string_is_422_with_the_limit(api_client: Client) -> None:
    # when
    response = _post(
        api_client,
        "/api/v1/customers",
        json.dumps({"email": "a@example.nl", "first_name": "A" * 100_000}),
    )

    # then
    error = _problem(response, 422)["errors"][0]
    assert error["field"] == "first_name"
    assert "80" in error["message"]


def test_a_huge_body_is_413(api_client: Client) -> None:
    # given
    body = json.dumps({"email": "a@example.nl", "first_name": "A" * 2_000})

    # when
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1_000):
        response = _post(api_client, "/api/v1/customers", body)

    # then
    _problem(response, 413)


def test_control_characters_and_lone_surrogates_are_422(api_client: Client) -> None:
    # when
    nul = _post(
        api_client, "/api/v1/customers", '{"email": "a@example.nl", "last_name": "a\\u0000b"}'
    )
    escape = _post(api_client, "/api/v1/customers", '{"phone": "06\\u001b[31m"}')
    surrogate = _post(api_client, "/api/v1/customers", '{"phone": "1", "first_name": "\\ud800"}')

    # then
    assert _problem(nul, 422)["errors"][0]["field"] == "last_name"
    assert "U+0000" in nul.json()["errors"][0]["message"]
    assert _problem(escape, 422)["errors"][0]["field"] == "phone"
    assert _problem(surrogate, 422)["errors"][0]["field"] == "first_name"


@pytest.mark.urls("balie.api.tests.urls_with_broken_route")
@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_error_is_500_problem_without_a_traceback(
    client: Client, db: None, debug: bool
) -> None:
    # when
    with override_settings(DEBUG=debug):
        response = client.get("/broken/boom")

    # then
    body = _problem(response, 500)
    assert body["code"] == "internal_error"
    text = response.content.decode()
    assert SECRET not in text
    assert "Traceback" not in text
    assert "RuntimeError" not in text


def test_the_real_api_answers_unexpected_errors_with_problem_json(db: None) -> None:
    # given
    request = RequestFactory().get("/api/v1/customers")

    # when
    response = api.on_exception(request, ZeroDivisionError(SECRET))

    # then
    assert response.status_code == 500
    assert response["Content-Type"] == PROBLEM
    assert SECRET not in response.content.decode()
