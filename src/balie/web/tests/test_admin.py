from __future__ import annotations

import pytest
from django.test import Client

from balie.customers.models import CustomerIdentity
from balie.customers.tests.factories import CustomerFactory
from balie.orders.tests.factories import OrderFactory, OrderLineFactory, ProductFactory
from balie.tenancy import services as tenancy_services
from balie.tenancy.models import Membership, Shop, ShopDomain, User
from balie.tenancy.tests.factories import ContactOptionFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client() -> Client:
    user = User.objects.create_superuser("beheer@balie.example", "een-lang-wachtwoord")
    client = Client()
    client.force_login(user)
    return client


def test_staff_can_open_every_list_and_edit_page(
    staff_client: Client, shop: Shop, agent: Membership
) -> None:
    # given one row of every model
    ShopDomain.objects.create(shop=shop, domain="pollepel.localhost", is_primary=True)
    ContactOptionFactory(shop=shop)
    TeamFactory(shop=shop).members.add(agent)
    tenancy_services.api_key_create(shop=shop, name="Koppeling")
    customer = CustomerFactory(shop=shop)
    CustomerIdentity.objects.create(
        shop=shop, customer=customer, channel="email", value=customer.email
    )
    order = OrderFactory(shop=shop, customer=customer)
    OrderLineFactory(order=order, product=ProductFactory(shop=shop))
    pages = [
        "tenancy/user",
        "tenancy/shop",
        "tenancy/membership",
        "tenancy/team",
        "tenancy/apikey",
        "customers/customer",
        "customers/customeridentity",
        "orders/product",
        "orders/order",
    ]

    # when
    statuses = {}
    for page in pages:
        listing = staff_client.get(f"/admin/{page}/")
        first = listing.context["cl"].result_list[0]
        statuses[page] = (
            listing.status_code,
            staff_client.get(f"/admin/{page}/{first.pk}/change/").status_code,
        )

    # then
    assert statuses == dict.fromkeys(pages, (200, 200))


def test_staff_search_orders_by_tracking_code(staff_client: Client, shop: Shop) -> None:
    # given
    OrderFactory(shop=shop, number="DP1", tracking_code="3SDPOL000000001")
    OrderFactory(shop=shop, number="DP2", tracking_code="JVGL00000000000002")

    # when
    response = staff_client.get("/admin/orders/order/", {"q": "3SDPOL"})

    # then
    assert [order.number for order in response.context["cl"].result_list] == ["DP1"]


def test_api_keys_cannot_be_added_in_the_admin(staff_client: Client) -> None:
    # when
    response = staff_client.get("/admin/tenancy/apikey/add/")

    # then
    assert response.status_code == 403


def test_agents_who_are_not_staff_stay_out_of_the_admin(agent_client: Client) -> None:
    # when
    response = agent_client.get("/admin/")

    # then
    assert response.status_code == 302
