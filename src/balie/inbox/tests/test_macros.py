"""Macros: the placeholder renderer (pure, never raises, inserts nothing but its values) and
the services that save, render and apply them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from balie.customers.tests.factories import CustomerFactory
from balie.inbox import errors, macros, services
from balie.inbox.models import EventKind, Macro
from balie.inbox.tests.factories import ConversationFactory, TagFactory
from balie.tenancy.models import Membership, Shop
from balie.tenancy.tests.factories import MembershipFactory, TeamFactory

VALUES = dict.fromkeys(macros.PLACEHOLDERS, "") | {
    "customer.first_name": "Anouk",
    "customer.name": "Anouk de Vries",
    "agent.first_name": "Sanne",
    "shop.name": "De Pollepel",
}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Hoi {{ customer.first_name }},", "Hoi Anouk,"),
        ("Hoi {{customer.first_name}}!", "Hoi Anouk!"),
        ("Groet, {{ agent.first_name }} van {{ shop.name }}", "Groet, Sanne van De Pollepel"),
        ('Beste {{ customer.last_name|default:"klant" }}', "Beste klant"),
        ("Beste {{ customer.last_name | default : 'klant' }}", "Beste klant"),
        ('Hoi {{ customer.first_name|default:"klant" }}', "Hoi Anouk"),
        ("Ref {{ conversation.reference }}.", "Ref ."),
        ("{{ klant.voornaam }}", "{{ klant.voornaam }}"),
        ("{{ customer.first_name|upper }}", "{{ customer.first_name|upper }}"),
        ("{{ customer.shop.name }}", "{{ customer.shop.name }}"),
        ("{% debug %} {{ customer.first_name", "{% debug %} {{ customer.first_name"),
        ("{{ {{ customer.first_name }}", "{{ {{ customer.first_name }}"),
        ("geen variabelen", "geen variabelen"),
    ],
)
def test_placeholders_are_filled_in_and_what_is_not_understood_stays(
    template: str, expected: str
) -> None:
    assert macros.render(template, VALUES) == expected


def test_a_value_is_never_read_as_a_template() -> None:
    # given: a customer who calls themselves like a placeholder
    values = VALUES | {"customer.first_name": "{{ agent.name }}"}

    # when / then
    assert macros.render("Hoi {{ customer.first_name }}", values) == "Hoi {{ agent.name }}"


def test_problems_name_each_placeholder_that_cannot_work() -> None:
    # when
    found = macros.problems(
        "Hoi {{ klant.voornaam }}, {{ customer.first_name|upper }} {{ 1 + 1 }} "
        '{{ customer.first_name|default:"jij" }}'
    )

    # then
    assert len(found) == 3
    assert "{{ klant.voornaam }}" in found[0]
    assert "klant.voornaam" in found[0]
    assert "upper" in found[1]
    assert "{{ 1 + 1 }}" in found[2]


_FRAGMENTS = st.sampled_from(
    [
        "{{",
        "}}",
        " ",
        "|",
        "default",
        ":",
        '"',
        "'",
        ".",
        "customer",
        "first_name",
        "agent",
        *list(macros.PLACEHOLDERS),
    ]
)
_TEMPLATES = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=30).map("".join)
_VALUES = st.fixed_dictionaries({name: st.text(max_size=12) for name in macros.PLACEHOLDERS})


@given(template=_TEMPLATES, values=_VALUES)
def test_the_renderer_never_raises_and_inserts_nothing_but_values(
    template: str, values: dict[str, str]
) -> None:
    # when
    rendered = macros.render(template, values)
    macros.problems(template)

    # then: every character comes from the template or from a value
    allowed = set(template) | set("".join(values.values()))
    assert set(rendered) <= allowed
    if "{{" not in template:
        assert rendered == template


@given(template=_TEMPLATES, value=st.text(alphabet="abc xyz", max_size=5))
def test_a_template_without_problems_leaves_no_placeholder_behind(
    template: str, value: str
) -> None:
    # when
    rendered = macros.render(template, dict.fromkeys(macros.PLACEHOLDERS, value))

    # then
    if not macros.problems(template):
        assert "{{" not in rendered


def test_an_unclosed_placeholder_is_a_problem() -> None:
    assert macros.problems("Hoi {{ customer.first_name,") == [
        "Er staat een {{ zonder }} in de tekst."
    ]


# --- services -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_rendering_fills_in_the_customer_agent_shop_and_conversation(
    shop: Shop, agent: Membership
) -> None:
    # given
    customer = CustomerFactory(shop=shop, first_name="Anouk", last_name="", email="a@example.nl")
    conversation = ConversationFactory(shop=shop, customer=customer, subject="Retour")
    agent.display_name = "Sanne Jansen"
    macro = services.macro_create(
        shop=shop,
        name="Retour",
        body=(
            "Hoi {{ customer.first_name }} {{ customer.last_name|default:'(geen achternaam)' }} "
            "({{ customer.email }}), over #{{ conversation.reference }} {{ conversation.subject }}"
            ". Groet, {{ agent.first_name }} / {{ agent.name }} van {{ shop.name }}"
        ),
    )

    # when
    text = services.macro_render(shop=shop, macro=macro, conversation=conversation, agent=agent)

    # then
    assert text == (
        f"Hoi Anouk (geen achternaam) (a@example.nl), over #{conversation.reference} Retour. "
        "Groet, Sanne / Sanne Jansen van Kookwinkel De Pollepel"
    )


@pytest.mark.django_db
def test_saving_a_macro_with_an_unknown_placeholder_names_it(shop: Shop) -> None:
    # when / then
    with pytest.raises(errors.MacroInvalid, match=r"klant\.naam") as raised:
        services.macro_create(shop=shop, name="Fout", body="Hoi {{ klant.naam }}")
    assert raised.value.field == "body"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"set_status": "snoozed"}, "set_status"),
        ({"set_status": "weg"}, "set_status"),
        ({"set_priority": "extreem"}, "set_priority"),
        ({"add_tags": ["goed", ""]}, "add_tags.1"),
        ({"add_tags": ["x" * 51]}, "add_tags.0"),
    ],
)
def test_invalid_actions_are_refused_with_the_field(
    shop: Shop, fields: dict[str, object], field: str
) -> None:
    # when / then
    with pytest.raises((errors.MacroInvalid, errors.TagNameInvalid)) as raised:
        services.macro_create(shop=shop, **{"name": "Macro", **fields})  # type: ignore[arg-type]
    assert raised.value.field == field


@pytest.mark.django_db
def test_a_team_of_another_shop_is_refused(shop: Shop, other_shop: Shop) -> None:
    # when / then
    with pytest.raises(errors.MacroInvalid) as raised:
        services.macro_create(shop=shop, name="Naar team", set_team=TeamFactory(shop=other_shop))
    assert raised.value.field == "set_team"


@pytest.mark.django_db
def test_names_are_unique_per_owner_in_any_case(shop: Shop, agent: Membership) -> None:
    # given
    colleague = MembershipFactory(shop=shop)
    services.macro_create(shop=shop, name="Retour")
    services.macro_create(shop=shop, name="Retour", owner=agent)

    # when / then: a colleague may have one too, a second shared or personal one not
    services.macro_create(shop=shop, name="RETOUR", owner=colleague)
    with pytest.raises(errors.MacroNameTaken):
        services.macro_create(shop=shop, name="retour")
    with pytest.raises(errors.MacroNameTaken):
        services.macro_create(shop=shop, name=" Retour ", owner=agent)
    assert Macro.objects.count() == 3


@pytest.mark.django_db
def test_tags_are_cleaned_and_deduplicated(shop: Shop) -> None:
    # when
    macro = services.macro_create(
        shop=shop, name="Labels", add_tags=[" retour  zending ", "RETOUR zending", "spoed"]
    )

    # then
    assert macro.add_tags == ["retour zending", "spoed"]


@pytest.mark.django_db
def test_updating_changes_only_what_is_passed(shop: Shop) -> None:
    # given
    team = TeamFactory(shop=shop)
    macro = services.macro_create(shop=shop, name="Oud", body="Hoi", set_team=team)

    # when
    updated = services.macro_update(shop=shop, macro=macro, name="Nieuw", is_active=False)
    cleared = services.macro_update(shop=shop, macro=macro, set_team=None)

    # then
    assert (updated.name, updated.body, updated.set_team, updated.is_active) == (
        "Nieuw",
        "Hoi",
        team,
        False,
    )
    assert cleared.set_team is None


@pytest.mark.django_db
def test_applying_runs_every_action_through_its_service_and_counts_the_use(
    shop: Shop, agent: Membership
) -> None:
    # given
    team = TeamFactory(shop=shop)
    TagFactory(shop=shop, name="Retour")
    conversation = ConversationFactory(shop=shop)
    macro = services.macro_create(
        shop=shop,
        name="Retour afgehandeld",
        set_status="resolved",
        set_priority="low",
        add_tags=["retour", "afgehandeld"],
        set_team=team,
    )

    # when
    applied = services.macro_apply_actions(
        shop=shop, macro=macro, conversation=conversation, actor=agent
    )

    # then
    assert (applied.status, applied.priority, applied.team) == ("resolved", "low", team)
    assert sorted(tag.name for tag in applied.tags.all()) == ["Retour", "afgehandeld"]
    kinds = list(conversation.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.PRIORITY_CHANGED,
        EventKind.TAGGED,
        EventKind.TEAM_CHANGED,
        EventKind.STATUS_CHANGED,
    ]
    assert set(conversation.events.values_list("actor", flat=True)) == {agent.pk}
    macro.refresh_from_db()
    assert macro.usage_count == 1
    assert macro.last_used_at is not None


@pytest.mark.django_db
def test_a_macro_of_another_shop_cannot_be_applied(
    shop: Shop, other_shop: Shop, agent: Membership
) -> None:
    # given
    theirs = services.macro_create(shop=other_shop, name="Van hen", set_status="closed")
    conversation = ConversationFactory(shop=shop)

    # when / then
    with pytest.raises(ValueError, match="another shop"):
        services.macro_apply_actions(
            shop=shop, macro=theirs, conversation=conversation, actor=agent
        )
    conversation.refresh_from_db()
    assert conversation.status == "open"
