"""The macro settings pages: every agent keeps personal macros; owners and admins also keep
the shop's shared ones."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from balie.inbox import services
from balie.inbox.models import Macro
from balie.tenancy.models import Membership, Role, Shop
from balie.tenancy.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(admin_agent: Membership) -> Client:
    client = Client()
    client.force_login(admin_agent.user)
    return client


def macro_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Retour ontvangen",
        "body": 'Hoi {{ customer.first_name|default:"daar" }}, je retour is binnen.',
        "shared": "shared",
        "set_status": "resolved",
        "set_priority": "",
        "add_tags": "retour, afgehandeld",
        "set_team": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_an_agent_sees_the_shared_macros_and_only_their_own_personal_ones(
    agent_client: Client, agent: Membership, shop: Shop
) -> None:
    # given
    services.macro_create(shop=shop, name="Gedeeld")
    services.macro_create(shop=shop, name="Van mij", owner=agent)
    services.macro_create(shop=shop, name="Van een collega", owner=MembershipFactory(shop=shop))

    # when
    page = agent_client.get(reverse("web:inbox_settings:macros")).content.decode()

    # then
    assert "Gedeeld" in page
    assert "Van mij" in page
    assert "Van een collega" not in page


def test_an_agent_adds_a_personal_macro_even_when_asking_for_a_shared_one(
    agent_client: Client, agent: Membership, shop: Shop
) -> None:
    # when
    response = agent_client.post(reverse("web:inbox_settings:macro_create"), macro_form())

    # then
    assert response.status_code == 302
    macro = Macro.objects.for_shop(shop).get()
    assert macro.owner == agent
    assert (macro.set_status, macro.add_tags) == ("resolved", ["retour", "afgehandeld"])


def test_an_admin_adds_a_shared_macro_with_actions(admin_client: Client, shop: Shop) -> None:
    # given
    team = TeamFactory(shop=shop, name="Retouren")

    # when
    response = admin_client.post(
        reverse("web:inbox_settings:macro_create"),
        macro_form(set_team=str(team.pk), set_priority="high"),
    )

    # then
    assert response.status_code == 302
    macro = Macro.objects.for_shop(shop).get()
    assert macro.owner is None
    assert (macro.set_team, macro.set_priority) == (team, "high")


def test_an_agent_may_not_change_a_shared_macro(agent_client: Client, shop: Shop) -> None:
    # given
    macro = services.macro_create(shop=shop, name="Gedeeld")
    url = reverse("web:inbox_settings:macro_detail", kwargs={"macro_id": macro.pk})

    # then
    assert agent_client.get(url).status_code == 403
    assert agent_client.post(url, macro_form(name="Overgenomen")).status_code == 403
    assert (
        agent_client.post(
            reverse("web:inbox_settings:macro_delete", kwargs={"macro_id": macro.pk})
        ).status_code
        == 403
    )
    assert Macro.objects.get(pk=macro.pk).name == "Gedeeld"


def test_a_colleagues_personal_macro_is_not_found(admin_client: Client, shop: Shop) -> None:
    # given
    theirs = services.macro_create(shop=shop, name="Privé", owner=MembershipFactory(shop=shop))

    # then
    url = reverse("web:inbox_settings:macro_detail", kwargs={"macro_id": theirs.pk})
    assert admin_client.get(url).status_code == 404


def test_viewers_may_not_keep_macros(shop: Shop) -> None:
    # given
    client = Client()
    client.force_login(MembershipFactory(shop=shop, role=Role.VIEWER).user)

    # then
    assert client.get(reverse("web:inbox_settings:macros")).status_code == 403


def test_an_unknown_placeholder_is_said_at_the_text(agent_client: Client, shop: Shop) -> None:
    # when
    response = agent_client.post(
        reverse("web:inbox_settings:macro_create"), macro_form(body="Hoi {{ klant.naam }}")
    )

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_body_error"' in page
    assert "de variabele klant.naam bestaat niet" in page
    assert not Macro.objects.for_shop(shop).exists()


def test_a_bad_tag_name_is_said_at_the_tags(agent_client: Client, shop: Shop) -> None:
    # when
    response = agent_client.post(
        reverse("web:inbox_settings:macro_create"), macro_form(add_tags="retour, " + "x" * 51)
    )

    # then
    assert response.status_code == 200
    assert 'id="id_add_tags_error"' in response.content.decode()


def test_editing_shows_the_usage_and_saves(
    agent_client: Client, agent: Membership, shop: Shop
) -> None:
    # given
    macro = services.macro_create(shop=shop, name="Levering", owner=agent)
    Macro.objects.filter(pk=macro.pk).update(usage_count=7)
    url = reverse("web:inbox_settings:macro_detail", kwargs={"macro_id": macro.pk})

    # when
    page = agent_client.get(url).content.decode()
    saved = agent_client.post(url, macro_form(name="Levering later", is_active=""))

    # then
    assert "7 keer gebruikt" in page
    assert saved.status_code == 302
    macro.refresh_from_db()
    assert (macro.name, macro.is_active, macro.owner) == ("Levering later", False, agent)


def test_the_preview_fills_in_a_sample_conversation(
    agent_client: Client, agent: Membership
) -> None:
    # given
    agent.user.full_name = "Sanne Bakker"
    agent.user.save()

    # when: as htmx asks while typing, and by the button without JavaScript
    live = agent_client.post(
        reverse("web:inbox_settings:macro_preview"),
        {"body": "Hoi {{ customer.first_name }}, groet {{ agent.first_name }} <script>"},
    )
    button = agent_client.post(
        reverse("web:inbox_settings:macro_create"),
        macro_form(action="preview", body="Nummer {{ conversation.reference }}"),
    )

    # then
    assert "Hoi Anouk, groet Sanne &lt;script&gt;" in live.content.decode()
    assert "Nummer K7M2QX9A" in button.content.decode()
    assert not Macro.objects.exists()


def test_deleting_a_personal_macro(agent_client: Client, agent: Membership, shop: Shop) -> None:
    # given
    macro = services.macro_create(shop=shop, name="Weg", owner=agent)

    # when
    response = agent_client.post(
        reverse("web:inbox_settings:macro_delete", kwargs={"macro_id": macro.pk})
    )

    # then
    assert response.status_code == 302
    assert not Macro.objects.filter(pk=macro.pk).exists()
