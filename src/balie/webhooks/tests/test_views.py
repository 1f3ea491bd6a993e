"""The webhook settings pages in the agent app (owners and admins)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from balie.tenancy.models import Membership, Role, Shop
from balie.tenancy.tests.factories import MembershipFactory
from balie.webhooks import delivery
from balie.webhooks.models import DeliveryStatus, WebhookEndpoint
from balie.webhooks.tests.factories import WebhookDeliveryFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(admin_agent: Membership) -> Client:
    client = Client()
    client.force_login(admin_agent.user)
    return client


def test_admins_find_the_page_in_the_menu_and_agents_do_not(
    admin_client: Client, agent_client: Client
) -> None:
    # when: the menu leads to the settings, which list the webhooks
    admin_dashboard = admin_client.get(reverse("web:dashboard")).content.decode()
    admin_settings = admin_client.get(reverse("web:settings")).content.decode()
    agent_dashboard = agent_client.get(reverse("web:dashboard")).content.decode()
    agent_page = agent_client.get(reverse("web:webhooks:list"))

    # then
    assert f'href="{reverse("web:settings")}"' in admin_dashboard
    assert reverse("web:webhooks:list") in admin_settings
    assert f'href="{reverse("web:settings")}"' not in agent_dashboard
    assert agent_page.status_code == 403


def test_adding_a_webhook_shows_its_secret_once(admin_client: Client, shop: Shop) -> None:
    # when
    created = admin_client.post(
        reverse("web:webhooks:list"),
        {"url": "https://93.184.215.14/balie", "events": ["message.created"], "description": "CRM"},
    )
    endpoint = WebhookEndpoint.objects.get()
    later = admin_client.get(reverse("web:webhooks:detail", kwargs={"webhook_id": endpoint.pk}))

    # then
    assert created.status_code == 200
    assert endpoint.secret in created.content.decode()
    assert created["Cache-Control"].startswith("max-age=0")
    assert (endpoint.events, endpoint.description) == (["message.created"], "CRM")
    assert endpoint.secret not in later.content.decode()
    assert endpoint.secret not in admin_client.get(reverse("web:webhooks:list")).content.decode()


def test_a_refused_address_is_shown_at_the_field(admin_client: Client, settings: Settings) -> None:
    # given
    settings.BALIE_WEBHOOKS_ALLOW_PRIVATE = False

    # when
    response = admin_client.post(
        reverse("web:webhooks:list"),
        {"url": "https://192.168.1.1/hook", "events": ["message.created"]},
    )

    # then
    assert response.status_code == 200
    assert "intern netwerk" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_log_shows_each_delivery_with_its_answer_and_a_retry_button(
    admin_client: Client, shop: Shop
) -> None:
    # given
    endpoint = WebhookEndpointFactory(shop=shop)
    failed = WebhookDeliveryFactory(
        endpoint=endpoint,
        status=DeliveryStatus.FAILED,
        attempts=delivery.MAX_ATTEMPTS,
        response_status=503,
        response_body="<script>alert(1)</script>",
        error="De server antwoordde met status 503.",
    )
    retry_url = reverse(
        "web:webhooks:retry", kwargs={"webhook_id": endpoint.pk, "delivery_id": failed.pk}
    )

    # when
    page = admin_client.get(reverse("web:webhooks:detail", kwargs={"webhook_id": endpoint.pk}))
    html = page.content.decode()
    retried = admin_client.post(retry_url)

    # then
    assert "503" in html
    assert "Mislukt" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert retry_url in html
    assert "&quot;type&quot;: &quot;conversation.updated&quot;" in html  # the body as JSON
    assert retried.status_code == 302
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.PENDING


def test_rotating_shows_the_new_secret(admin_client: Client, shop: Shop) -> None:
    # given
    endpoint = WebhookEndpointFactory(shop=shop)
    old = endpoint.secret

    # when
    response = admin_client.post(reverse("web:webhooks:rotate", kwargs={"webhook_id": endpoint.pk}))

    # then
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in response.content.decode()


def test_switching_off_testing_editing_and_deleting(admin_client: Client, shop: Shop) -> None:
    # given
    endpoint = WebhookEndpointFactory(shop=shop)
    kwargs = {"webhook_id": endpoint.pk}

    # when / then: a test ping lands in the log
    admin_client.post(reverse("web:webhooks:test", kwargs=kwargs))
    assert endpoint.deliveries.get().event == "webhook.test"

    # when / then: off
    admin_client.post(reverse("web:webhooks:toggle", kwargs=kwargs))
    endpoint.refresh_from_db()
    assert not endpoint.is_active

    # when / then: a new address and events
    edited = admin_client.post(
        reverse("web:webhooks:detail", kwargs=kwargs),
        {"url": "https://93.184.215.15/nieuw", "events": ["conversation.updated"]},
    )
    endpoint.refresh_from_db()
    assert edited.status_code == 302
    assert (endpoint.url, endpoint.events) == (
        "https://93.184.215.15/nieuw",
        ["conversation.updated"],
    )

    # when / then: gone
    admin_client.post(reverse("web:webhooks:delete", kwargs=kwargs))
    assert not WebhookEndpoint.objects.exists()


def test_another_shops_webhook_is_not_found(admin_client: Client, other_shop: Shop) -> None:
    # given
    theirs = WebhookEndpointFactory(shop=other_shop)
    their_delivery = WebhookDeliveryFactory(endpoint=theirs, status=DeliveryStatus.FAILED)
    kwargs = {"webhook_id": theirs.pk}

    # when
    answers = [
        admin_client.get(reverse("web:webhooks:detail", kwargs=kwargs)).status_code,
        admin_client.post(reverse("web:webhooks:rotate", kwargs=kwargs)).status_code,
        admin_client.post(reverse("web:webhooks:toggle", kwargs=kwargs)).status_code,
        admin_client.post(reverse("web:webhooks:delete", kwargs=kwargs)).status_code,
        admin_client.post(
            reverse(
                "web:webhooks:retry",
                kwargs={"webhook_id": theirs.pk, "delivery_id": their_delivery.pk},
            )
        ).status_code,
    ]

    # then
    assert answers == [404] * 5
    theirs.refresh_from_db()
    assert theirs.is_active


def test_an_owner_may_use_the_page(shop: Shop) -> None:
    # given
    owner = MembershipFactory(shop=shop, role=Role.OWNER)
    client = Client()
    client.force_login(owner.user)

    # when
    response = client.get(reverse("web:webhooks:list"))

    # then
    assert response.status_code == 200
