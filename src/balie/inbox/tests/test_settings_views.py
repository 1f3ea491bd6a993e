"""The inbox's settings pages: SLA policies, the inbox's preferences and labels."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from balie.inbox.models import Conversation, InboxSettings, SlaPolicy, Tag
from balie.inbox.tests.factories import ConversationFactory, SlaPolicyFactory, TagFactory
from balie.tenancy.models import Membership, Role, Shop
from balie.tenancy.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(admin_agent: Membership) -> Client:
    client = Client()
    client.force_login(admin_agent.user)
    return client


def sla_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Standaard",
        "priority": "",
        "channel": "",
        "first_response_minutes_0": "4",
        "first_response_minutes_1": "hours",
        "resolution_minutes_0": "2",
        "resolution_minutes_1": "hours",
        "warn_before_minutes_0": "30",
        "warn_before_minutes_1": "minutes",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def inbox_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "thread_window_hours": "72",
        "default_team": "",
        "auto_reply_enabled": "on",
        "auto_reply_text": "",
        "csat_enabled": "on",
        "csat_delay_minutes": "60",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", [Role.AGENT, Role.VIEWER])
@pytest.mark.parametrize(
    "name", ["web:inbox_settings:sla", "web:inbox_settings:inbox", "web:inbox_settings:tags"]
)
def test_agents_and_viewers_may_not_open_these_pages(shop: Shop, role: Role, name: str) -> None:
    # given
    client = Client()
    client.force_login(MembershipFactory(shop=shop, role=role).user)

    # then
    assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse(name), {}).status_code == 403


# --- SLA ----------------------------------------------------------------------------------


def test_the_sla_page_shows_targets_in_working_hours_and_the_precedence(
    admin_client: Client, shop: Shop
) -> None:
    # given
    SlaPolicyFactory(
        shop=shop,
        name="Spoed",
        priority="urgent",
        first_response_minutes=240,
        resolution_minutes=90,
    )

    # when
    page = admin_client.get(reverse("web:inbox_settings:sla")).content.decode()

    # then
    assert "Eerste reactie binnen 4 werkuren, opgelost binnen 1 werkuur en 30 minuten." in page
    assert "Per gesprek telt de meest specifieke actieve afspraak" in page


def test_adding_a_policy_re_times_open_conversations(admin_client: Client, shop: Shop) -> None:
    # given
    conversation = ConversationFactory(shop=shop)

    # when
    response = admin_client.post(reverse("web:inbox_settings:sla"), sla_form())

    # then
    assert response.status_code == 302
    policy = SlaPolicy.objects.for_shop(shop).get()
    assert (policy.first_response_minutes, policy.resolution_minutes) == (240, 120)
    assert policy.warn_before_minutes == 30
    assert Conversation.objects.get(pk=conversation.pk).sla_next_check_at is not None


def test_a_warning_past_the_target_is_said_at_the_field(admin_client: Client, shop: Shop) -> None:
    # when
    response = admin_client.post(
        reverse("web:inbox_settings:sla"),
        sla_form(warn_before_minutes_0="5", warn_before_minutes_1="hours"),
    )

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_warn_before_minutes_error"' in page
    assert "De waarschuwing komt voor de deadline" in page
    assert not SlaPolicy.objects.for_shop(shop).exists()


def test_a_second_policy_for_the_same_scope_is_said_on_the_form(
    admin_client: Client, shop: Shop
) -> None:
    # given
    SlaPolicyFactory(shop=shop, name="Algemeen")

    # when
    response = admin_client.post(reverse("web:inbox_settings:sla"), sla_form(name="Nog een"))

    # then
    assert response.status_code == 200
    assert (
        "Er is al een SLA-afspraak voor deze prioriteit en dit kanaal: Algemeen."
        in response.content.decode()
    )


def test_editing_and_deleting_a_policy(admin_client: Client, shop: Shop) -> None:
    # given
    policy = SlaPolicyFactory(shop=shop, name="Algemeen")

    # when
    form_page = admin_client.get(
        reverse("web:inbox_settings:sla_detail", kwargs={"policy_id": policy.pk})
    )
    edited = admin_client.post(
        reverse("web:inbox_settings:sla_detail", kwargs={"policy_id": policy.pk}),
        sla_form(name="Alles", first_response_minutes_0="90", first_response_minutes_1="minutes"),
    )
    policy.refresh_from_db()
    deleted = admin_client.post(
        reverse("web:inbox_settings:sla_delete", kwargs={"policy_id": policy.pk})
    )

    # then: 60 minutes shows as 1 work hour in the form
    assert 'value="1"' in form_page.content.decode()
    assert edited.status_code == 302
    assert (policy.name, policy.first_response_minutes) == ("Alles", 90)
    assert deleted.status_code == 302
    assert not SlaPolicy.objects.for_shop(shop).exists()


def test_another_shops_policy_is_not_found(admin_client: Client, other_shop: Shop) -> None:
    # given
    theirs = SlaPolicyFactory(shop=other_shop)

    # then
    url = reverse("web:inbox_settings:sla_detail", kwargs={"policy_id": theirs.pk})
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, sla_form()).status_code == 404


# --- Inbox preferences ----------------------------------------------------------------------


def test_saving_the_inbox_settings(admin_client: Client, shop: Shop) -> None:
    # given
    team = TeamFactory(shop=shop, name="Service")

    # when
    response = admin_client.post(
        reverse("web:inbox_settings:inbox"),
        inbox_form(
            default_team=str(team.pk),
            auto_reply_text="Dag {{ customer.first_name }}! {{ response_time }}",
            csat_enabled="",
            csat_delay_minutes="15",
        ),
    )

    # then
    assert response.status_code == 302
    settings = InboxSettings.objects.for_shop(shop).get()
    assert settings.default_team == team
    assert settings.auto_reply_text == "Dag {{ customer.first_name }}! {{ response_time }}"
    assert (settings.csat_enabled, settings.csat_delay_minutes) == (False, 15)


def test_an_unknown_placeholder_is_said_at_the_text(admin_client: Client, shop: Shop) -> None:
    # when
    response = admin_client.post(
        reverse("web:inbox_settings:inbox"), inbox_form(auto_reply_text="Dag {{ klant }}")
    )

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_auto_reply_text_error"' in page
    assert "de variabele klant bestaat niet" in page
    assert not InboxSettings.objects.for_shop(shop).exists()


def test_the_page_previews_the_acknowledgement_as_the_customer_gets_it(
    admin_client: Client, shop: Shop
) -> None:
    # when: the built-in text, and the preview button (no JavaScript) with an own text
    built_in = admin_client.get(reverse("web:inbox_settings:inbox")).content.decode()
    previewed = admin_client.post(
        reverse("web:inbox_settings:inbox"),
        inbox_form(action="preview", auto_reply_text="Dag {{ customer.first_name }}, dank je!"),
    )

    # then
    assert "Hoi Anouk,<br><br>Bedankt voor je bericht!" in built_in
    assert "Dag Anouk, dank je!" in previewed.content.decode()
    assert not InboxSettings.objects.for_shop(shop).exists()  # previewing saves nothing


def test_the_live_preview_answers_with_the_filled_in_text_escaped(admin_client: Client) -> None:
    # when
    response = admin_client.post(
        reverse("web:inbox_settings:inbox_preview"),
        {"auto_reply_text": "<b>Hoi</b> {{ customer.name }} {{ nope }}"},
        headers={"HX-Request": "true"},
    )

    # then
    page = response.content.decode()
    assert "&lt;b&gt;Hoi&lt;/b&gt; Anouk de Vries {{ nope }}" in page
    assert "de variabele nope bestaat niet" in page
    assert "<html" not in page  # a fragment, not a page


# --- Labels ---------------------------------------------------------------------------------


def test_the_label_list_shows_counts_and_searches(admin_client: Client, shop: Shop) -> None:
    # given
    retour = TagFactory(shop=shop, name="retour")
    TagFactory(shop=shop, name="garantie")
    ConversationFactory(shop=shop).tags.add(retour)
    ConversationFactory(shop=shop).tags.add(retour)

    # when
    page = admin_client.get(reverse("web:inbox_settings:tags"), {"q": "ret"}).content.decode()

    # then
    assert '<span class="badge badge--tag">retour</span>' in page
    assert "2 gesprekken" in page
    assert "garantie" not in page


def test_renaming_and_deleting_a_label(
    admin_client: Client, shop: Shop, admin_agent: Membership
) -> None:
    # given
    tag = TagFactory(shop=shop, name="retour")
    conversation = ConversationFactory(shop=shop)
    conversation.tags.add(tag)

    # when
    renamed = admin_client.post(
        reverse("web:inbox_settings:tag_rename", kwargs={"tag_id": tag.pk}),
        {f"tag-{tag.pk}-name": "Retouren"},
    )
    deleted = admin_client.post(reverse("web:inbox_settings:tag_delete", kwargs={"tag_id": tag.pk}))

    # then
    assert renamed.status_code == deleted.status_code == 302
    assert not Tag.objects.for_shop(shop).exists()
    assert list(conversation.tags.all()) == []


def test_renaming_to_a_taken_name_is_said_at_the_label(admin_client: Client, shop: Shop) -> None:
    # given
    tag = TagFactory(shop=shop, name="retour")
    TagFactory(shop=shop, name="levering")

    # when
    response = admin_client.post(
        reverse("web:inbox_settings:tag_rename", kwargs={"tag_id": tag.pk}),
        {f"tag-{tag.pk}-name": "Levering"},
    )

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Er is al een label Levering." in page
    assert f'id="id_tag-{tag.pk}-name_error"' in page
    assert Tag.objects.get(pk=tag.pk).name == "retour"


def test_adding_a_label(admin_client: Client, shop: Shop) -> None:
    # when
    response = admin_client.post(reverse("web:inbox_settings:tags"), {"new-name": "  garantie "})

    # then
    assert response.status_code == 302
    assert list(Tag.objects.for_shop(shop).values_list("name", flat=True)) == ["garantie"]


def test_another_shops_label_is_not_found(admin_client: Client, other_shop: Shop) -> None:
    # given
    theirs = TagFactory(shop=other_shop)

    # then
    rename = reverse("web:inbox_settings:tag_rename", kwargs={"tag_id": theirs.pk})
    delete = reverse("web:inbox_settings:tag_delete", kwargs={"tag_id": theirs.pk})
    assert admin_client.post(rename, {f"tag-{theirs.pk}-name": "x"}).status_code == 404
    assert admin_client.post(delete).status_code == 404
    assert Tag.objects.filter(pk=theirs.pk).exists()


def test_the_built_in_text_can_be_the_start_of_an_own_one(admin_client: Client, shop: Shop) -> None:
    # when
    response = admin_client.post(reverse("web:inbox_settings:inbox"), inbox_form(action="start"))

    # then: the placeholders are in the box, filled in in the preview, nothing saved
    page = response.content.decode()
    assert "Hoi {{ customer.first_name|default:&quot;daar&quot; }}," in page
    assert "{{ response_time }}" in page
    assert "Hoi Anouk,<br><br>Bedankt voor je bericht!" in page
    assert not InboxSettings.objects.for_shop(shop).exists()
