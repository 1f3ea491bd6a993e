"""A shop's SLA policies: validated, one per scope, converted for the calculation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from balie.inbox import errors, selectors, services, sla
from balie.inbox.models import SlaPolicy
from balie.inbox.services import sla as sla_services
from balie.inbox.tests.factories import ConversationFactory, SlaPolicyFactory
from balie.tenancy.models import Shop

pytestmark = pytest.mark.django_db

FOURTEEN_DAYS = 14 * 24 * 60


def create(shop: Shop, **fields: object) -> SlaPolicy:
    values: dict[str, object] = {
        "name": "Standaard",
        "first_response_minutes": 240,
        "resolution_minutes": 2400,
    }
    values.update(fields)
    return services.sla_policy_create(shop=shop, **values)  # type: ignore[arg-type]


def test_a_policy_is_created_with_its_targets(shop: Shop) -> None:
    # when
    policy = create(shop, name="  Urgente  chat ", priority="urgent", channel="chat")

    # then
    stored = SlaPolicy.objects.get(pk=policy.pk)
    assert (stored.name, stored.priority, stored.channel) == ("Urgente chat", "urgent", "chat")
    assert (stored.first_response_minutes, stored.resolution_minutes) == (240, 2400)
    assert stored.warn_before_minutes == 30
    assert stored.is_active


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"priority": "critical"}, "priority"),
        ({"channel": "pigeon"}, "channel"),
        ({"first_response_minutes": 0}, "first_response_minutes"),
        ({"first_response_minutes": -5}, "first_response_minutes"),
        ({"first_response_minutes": FOURTEEN_DAYS + 1}, "first_response_minutes"),
        ({"first_response_minutes": 1.5}, "first_response_minutes"),
        ({"first_response_minutes": True}, "first_response_minutes"),
        ({"resolution_minutes": 0}, "resolution_minutes"),
        ({"resolution_minutes": FOURTEEN_DAYS + 1}, "resolution_minutes"),
        ({"warn_before_minutes": -1}, "warn_before_minutes"),
        ({"warn_before_minutes": 240}, "warn_before_minutes"),  # not before the response
        (
            {"first_response_minutes": 60, "resolution_minutes": 30, "warn_before_minutes": 30},
            "warn_before_minutes",
        ),
    ],
)
def test_invalid_policies_are_refused_with_the_field(
    shop: Shop, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(errors.SlaPolicyInvalid) as raised:
        create(shop, **fields)
    assert raised.value.field == field
    assert raised.value.status == 422
    assert not SlaPolicy.objects.exists()


def test_the_bounds_themselves_are_allowed(shop: Shop) -> None:
    policy = create(
        shop, first_response_minutes=1, resolution_minutes=FOURTEEN_DAYS, warn_before_minutes=0
    )
    assert (policy.first_response_minutes, policy.resolution_minutes) == (1, FOURTEEN_DAYS)


def test_one_policy_per_priority_and_channel(shop: Shop, other_shop: Shop) -> None:
    # given
    create(shop, name="Urgent", priority="urgent")

    # when / then: the same scope again, even inactive, is refused; another shop may
    with pytest.raises(errors.SlaPolicyScopeTaken) as raised:
        create(shop, name="Ook urgent", priority="urgent", is_active=False)
    assert raised.value.field == "priority"
    assert raised.value.status == 409
    assert "Urgent" in raised.value.message
    create(other_shop, name="Urgent", priority="urgent")
    create(shop, name="Urgente e-mail", priority="urgent", channel="email")
    assert SlaPolicy.objects.for_shop(shop).count() == 2


def test_an_update_changes_the_given_fields_and_keeps_the_rest(shop: Shop) -> None:
    # given
    policy = create(shop, name="Standaard", warn_before_minutes=60)

    # when
    updated = services.sla_policy_update(
        shop=shop, policy=policy, first_response_minutes=120, channel="email"
    )

    # then
    stored = SlaPolicy.objects.get(pk=policy.pk)
    assert updated.first_response_minutes == stored.first_response_minutes == 120
    assert (stored.name, stored.channel, stored.warn_before_minutes) == ("Standaard", "email", 60)
    # and "" sets the channel back to any
    services.sla_policy_update(shop=shop, policy=policy, channel="")
    assert SlaPolicy.objects.get(pk=policy.pk).channel == ""


def test_an_update_is_validated_as_a_whole(shop: Shop) -> None:
    # given a warning 60 minutes before the deadline
    policy = create(shop, warn_before_minutes=60)

    # when the response target shrinks below it
    with pytest.raises(errors.SlaPolicyInvalid) as raised:
        services.sla_policy_update(shop=shop, policy=policy, first_response_minutes=45)

    # then nothing changed
    assert raised.value.field == "warn_before_minutes"
    assert SlaPolicy.objects.get(pk=policy.pk).first_response_minutes == 240


def test_an_update_into_a_taken_scope_is_refused(shop: Shop) -> None:
    create(shop, name="Standaard")
    chat = create(shop, name="Chat", channel="chat")
    with pytest.raises(errors.SlaPolicyScopeTaken):
        services.sla_policy_update(shop=shop, policy=chat, channel="")
    assert SlaPolicy.objects.get(pk=chat.pk).channel == "chat"


def test_another_shops_policy_cannot_be_changed_or_deleted(shop: Shop, other_shop: Shop) -> None:
    theirs = create(other_shop)
    with pytest.raises(ValueError, match="another shop"):
        services.sla_policy_update(shop=shop, policy=theirs, name="Van mij")
    with pytest.raises(ValueError, match="another shop"):
        services.sla_policy_delete(shop=shop, policy=theirs)
    assert SlaPolicy.objects.get(pk=theirs.pk).name == "Standaard"


def test_deleting_is_idempotent_and_marks_active_conversations_for_the_sweep(shop: Shop) -> None:
    # given
    policy = create(shop)
    open_one = ConversationFactory(shop=shop, status="open")
    resolved = ConversationFactory(shop=shop, status="resolved")
    now = timezone.now()

    # when
    services.sla_policy_delete(shop=shop, policy=policy)
    services.sla_policy_delete(shop=shop, policy=policy)

    # then
    assert not SlaPolicy.objects.exists()
    open_one.refresh_from_db()
    resolved.refresh_from_db()
    assert open_one.sla_next_check_at is not None
    assert open_one.sla_next_check_at >= now - dt.timedelta(seconds=1)
    assert resolved.sla_next_check_at is None


def test_the_list_and_access_are_per_shop(shop: Shop, other_shop: Shop) -> None:
    # given
    ours = [create(shop, name="Standaard"), create(shop, name="Urgent", priority="urgent")]
    theirs = create(other_shop)

    # then
    assert list(selectors.sla_policy_list(shop=shop)) == ours
    assert selectors.access_sla_policy(shop=shop, policy_id=ours[1].pk) == ours[1]
    with pytest.raises(Http404):
        selectors.access_sla_policy(shop=shop, policy_id=theirs.pk)


def test_stored_policies_become_the_calculations_policies(shop: Shop, other_shop: Shop) -> None:
    # given
    SlaPolicyFactory(shop=shop, name="Standaard", first_response_minutes=240)
    SlaPolicyFactory(
        shop=shop,
        name="Urgent",
        priority="urgent",
        first_response_minutes=30,
        resolution_minutes=120,
        warn_before_minutes=10,
    )
    SlaPolicyFactory(shop=shop, name="Oud", channel="chat", is_active=False)
    SlaPolicyFactory(shop=other_shop, name="Niet van ons")

    # when
    policies = sla_services.policies_by_shop([shop.pk])[shop.pk]

    # then
    assert sorted(policies, key=lambda p: p.name) == [
        sla.SlaPolicy(name="Standaard", first_response_minutes=240, resolution_minutes=240),
        sla.SlaPolicy(
            name="Urgent",
            first_response_minutes=30,
            resolution_minutes=120,
            warn_before_minutes=10,
            priority="urgent",
        ),
    ]
    targets = sla_services.targets_for(policies)
    assert targets.policy_for(priority="urgent", channel="chat").name == "Urgent"
    assert targets.policy_for(priority="low", channel="chat").name == "Standaard"
