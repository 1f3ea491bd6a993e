"""The settings index: every settings page in one place, and the way there from the menu."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from balie.channels.models import Mailbox
from balie.inbox.tests.factories import SlaPolicyFactory
from balie.tenancy.models import Membership, Role, Shop
from balie.tenancy.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(admin_agent: Membership) -> Client:
    client = Client()
    client.force_login(admin_agent.user)
    return client


def test_it_links_every_settings_page_and_says_what_is_still_to_do(admin_client: Client) -> None:
    # when
    page = admin_client.get(reverse("web:settings")).content.decode()

    # then
    for name in (
        "web:mailboxes:list",
        "web:shop_settings:hours",
        "web:shop_settings:contact_options",
        "web:inbox_settings:sla",
        "web:shop_settings:agents",
        "web:shop_settings:teams",
        "web:inbox_settings:inbox",
        "web:inbox_settings:macros",
        "web:inbox_settings:tags",
        "web:api_keys",
        "web:webhooks:list",
    ):
        assert f'href="{reverse(name)}"' in page, name
    assert "Nog te doen" in page
    assert "Nog geen mailbox: Balie ontvangt nog geen e-mail." in page
    assert "Nog geen afspraken: gesprekken hebben geen deadline." in page


def test_a_shop_that_is_set_up_has_nothing_left_to_do_until_a_mailbox_fails(
    admin_client: Client, shop: Shop
) -> None:
    # given
    SlaPolicyFactory(shop=shop)
    mailbox = Mailbox.objects.create(
        shop=shop,
        name="Service",
        email_address="service@pollepel.nl",
        imap_host="127.0.0.1",
        imap_username="x",
        imap_password="y",
    )

    # when
    before = admin_client.get(reverse("web:settings")).content.decode()
    mailbox.last_error = "Inloggen mislukt."
    mailbox.save()
    after = admin_client.get(reverse("web:settings")).content.decode()

    # then
    assert "Nog te doen" not in before
    assert "1 mailbox, 1 met een fout" in after


@pytest.mark.parametrize("role", [Role.AGENT, Role.VIEWER])
def test_agents_and_viewers_may_not_open_it(shop: Shop, role: Role) -> None:
    # given
    client = Client()
    client.force_login(MembershipFactory(shop=shop, role=role).user)

    # then
    assert client.get(reverse("web:settings")).status_code == 403


def test_the_menu_leads_admins_to_the_settings_and_agents_to_their_macros(
    admin_client: Client, agent_client: Client, shop: Shop
) -> None:
    # given
    viewer = Client()
    viewer.force_login(MembershipFactory(shop=shop, role=Role.VIEWER).user)

    # when
    admin_menu = admin_client.get(reverse("web:dashboard")).content.decode()
    agent_menu = agent_client.get(reverse("web:dashboard")).content.decode()
    viewer_menu = viewer.get(reverse("web:dashboard")).content.decode()

    # then
    settings_link = f'href="{reverse("web:settings")}"'
    macros_link = f'href="{reverse("web:inbox_settings:macros")}"'
    assert settings_link in admin_menu
    assert settings_link not in agent_menu
    assert macros_link in agent_menu
    assert settings_link not in viewer_menu
    assert macros_link not in viewer_menu


def test_the_settings_link_is_current_on_every_settings_page(admin_client: Client) -> None:
    # when
    page = admin_client.get(reverse("web:inbox_settings:sla")).content.decode()

    # then
    assert f'href="{reverse("web:settings")}" aria-current="page"' in page


def test_the_index_costs_a_fixed_number_of_queries(
    admin_client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(20):
        admin_client.get(reverse("web:settings"))
