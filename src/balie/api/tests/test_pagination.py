"""List pages count their matches up to a cap: a total of a million rows costs a scan."""

from __future__ import annotations

import pytest
from django.test import Client

from balie.api import pagination
from balie.customers import services as customers_services
from balie.tenancy.models import Shop

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("customers", "count", "exact"), [(2, 2, True), (3, 3, True), (5, 3, False)]
)
def test_a_list_counts_up_to_the_cap_and_says_so_beyond_it(
    shop: Shop,
    api_client: Client,
    monkeypatch: pytest.MonkeyPatch,
    customers: int,
    count: int,
    exact: bool,
) -> None:
    # given a cap of three and this many customers
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    for number in range(customers):
        customers_services.customer_create(shop=shop, email=f"klant{number}@example.nl")

    # when
    response = api_client.get("/api/v1/customers?limit=1&offset=1")

    # then the page is the page; the count stops at the cap
    body = response.json()
    assert response.status_code == 200
    assert (len(body["items"]), body["count"], body["count_exact"]) == (1, count, exact)
