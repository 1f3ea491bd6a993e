"""The shop's inbox preferences (`inbox_settings_update`), the acknowledgement's own text and
removing a team (`team_delete`)."""

from __future__ import annotations

import pytest

from balie.channels.models import Mailbox
from balie.inbox import errors, services
from balie.inbox.models import ConversationStatus, EventKind, InboxSettings, Macro
from balie.inbox.services import auto_reply
from balie.inbox.tests.factories import ConversationFactory
from balie.tenancy.models import Membership, Shop, Team
from balie.tenancy.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_the_first_change_creates_the_settings_and_none_keeps_a_setting(shop: Shop) -> None:
    # given
    team = TeamFactory(shop=shop)

    # when
    services.inbox_settings_update(
        shop=shop,
        default_team=team,
        auto_reply_enabled=False,
        auto_reply_text='  Dag {{ customer.first_name|default:"daar" }}! {{ response_time }}  ',
        csat_delay_minutes=120,
    )
    services.inbox_settings_update(shop=shop, thread_window_hours=12)

    # then
    settings = InboxSettings.objects.for_shop(shop).get()
    assert (settings.thread_window_hours, settings.default_team) == (12, team)
    assert (settings.auto_reply_enabled, settings.csat_enabled) == (False, True)
    assert (
        settings.auto_reply_text
        == 'Dag {{ customer.first_name|default:"daar" }}! {{ response_time }}'
    )
    assert settings.csat_delay_minutes == 120


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Dag {{ klant.naam }}", "de variabele klant.naam bestaat niet"),
        ("Groet, {{ agent.name }}", "de variabele agent.name bestaat niet"),  # nobody answered yet
        ("Dag {{ customer.first_name|upper }}", "het filter upper bestaat niet"),
        ("Dag {{ customer.first_name", "Er staat een {{ zonder }} in de tekst."),
    ],
)
def test_an_acknowledgement_text_that_cannot_be_filled_in_is_refused(
    shop: Shop, text: str, problem: str
) -> None:
    # when
    with pytest.raises(errors.InboxSettingsInvalid) as raised:
        services.inbox_settings_update(shop=shop, auto_reply_text=text, csat_enabled=False)

    # then
    assert raised.value.field == "auto_reply_text"
    assert problem in raised.value.message
    assert not InboxSettings.objects.for_shop(shop).exists()  # nothing changed


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"csat_delay_minutes": 7 * 24 * 60 + 1}, "csat_delay_minutes"),
        ({"csat_delay_minutes": -1}, "csat_delay_minutes"),
        ({"auto_reply_text": "x" * 5001}, "auto_reply_text"),
    ],
)
def test_out_of_range_settings_are_refused(
    shop: Shop, fields: dict[str, object], field: str
) -> None:
    # when
    with pytest.raises(errors.InboxSettingsInvalid) as raised:
        services.inbox_settings_update(shop=shop, **fields)  # type: ignore[arg-type]

    # then
    assert raised.value.field == field


def test_a_default_team_of_another_shop_is_refused(shop: Shop, other_shop: Shop) -> None:
    # when
    with pytest.raises(errors.InboxSettingsInvalid) as raised:
        services.inbox_settings_update(shop=shop, default_team=TeamFactory(shop=other_shop))

    # then
    assert raised.value.field == "default_team"


def test_the_acknowledgement_fills_in_placeholders_as_macros_do(shop: Shop) -> None:
    # given
    values = {
        "customer.first_name": "",
        "customer.name": "",
        "shop.name": "De Pollepel",
        "conversation.reference": "K7M2QX9A",
        "response_time": "Je krijgt morgen vóór 11:00 antwoord.",
    }

    # when
    text = auto_reply.acknowledgement_text(
        shop=shop,
        template='Dag {{ customer.first_name|default:"daar" }}, {{ response_time }} '
        "({{ conversation.reference }}) {{ onbekend }}",
        values=values,
    )

    # then: the default for an empty name, unknown placeholders left visible
    assert text == "Dag daar, Je krijgt morgen vóór 11:00 antwoord. (K7M2QX9A) {{ onbekend }}"


def test_a_blank_text_is_the_built_in_acknowledgement(shop: Shop) -> None:
    # when
    text = auto_reply.acknowledgement_text(
        shop=shop,
        template="  ",
        values={"customer.first_name": "Anouk", "response_time": "We reageren zo snel mogelijk."},
    )

    # then
    assert text.startswith("Hoi Anouk,\n\nBedankt voor je bericht!")


# --- removing a team -------------------------------------------------------------------------


def test_deleting_a_team_moves_what_pointed_at_it(shop: Shop, admin_agent: Membership) -> None:
    # given
    retouren, service = TeamFactory(shop=shop, name="Retouren"), TeamFactory(shop=shop)
    open_one = ConversationFactory(shop=shop, team=retouren)
    closed_one = ConversationFactory(shop=shop, team=retouren, status=ConversationStatus.CLOSED)
    mailbox = Mailbox.objects.create(
        shop=shop,
        name="Retour",
        email_address="retour@pollepel.nl",
        imap_host="127.0.0.1",
        imap_username="x",
        imap_password="y",
        team=retouren,
    )
    services.inbox_settings_update(shop=shop, default_team=retouren)
    macro = services.macro_create(shop=shop, name="Retour", set_team=retouren)

    # when
    moved = services.team_delete(shop=shop, team=retouren, move_to=service, actor=admin_agent)

    # then
    assert moved == 2
    assert not Team.objects.filter(pk=retouren.pk).exists()
    for row in (open_one, closed_one, mailbox, macro):
        row.refresh_from_db()
    assert (open_one.team, closed_one.team, mailbox.team) == (service, service, service)
    assert Macro.objects.get(pk=macro.pk).set_team == service
    assert InboxSettings.objects.for_shop(shop).get().default_team == service
    event = open_one.events.get(kind=EventKind.TEAM_CHANGED)
    assert event.data == {
        "old": retouren.pk,
        "new": service.pk,
        "reason": "team_deleted",
    }
    assert event.actor == admin_agent


def test_deleting_a_team_without_a_new_one_leaves_its_conversations_without_team(
    shop: Shop,
) -> None:
    # given
    team = TeamFactory(shop=shop)
    conversation = ConversationFactory(shop=shop, team=team)

    # when
    services.team_delete(shop=shop, team=team)

    # then
    conversation.refresh_from_db()
    assert conversation.team is None


def test_a_team_cannot_move_to_another_shops_team_or_itself(shop: Shop, other_shop: Shop) -> None:
    # given
    team = TeamFactory(shop=shop)

    # then
    for move_to in (TeamFactory(shop=other_shop), team):
        with pytest.raises(errors.TeamDeleteInvalid):
            services.team_delete(shop=shop, team=team, move_to=move_to)
    assert Team.objects.filter(pk=team.pk).exists()
