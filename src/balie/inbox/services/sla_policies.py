"""A shop's SLA policies: response and resolution targets by priority and channel.

At most one policy per (priority, channel) scope, blank meaning "any" (so one default). A
change to the policies applies to the shop's active conversations within a minute: they are
marked due for the SLA sweep (`sla_recheck`), which recomputes them in batches. Resolved
and closed conversations keep the clocks they stopped with.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.inbox import errors
from balie.inbox.models import ACTIVE_STATUSES, Conversation, Priority, SlaPolicy
from balie.inbox.models.configuration import SLA_MAX_MINUTES
from balie.tenancy.models import ContactChannel, Shop

NAME_MAX = 80


def sla_recheck(*, shop: Shop, now: dt.datetime | None = None) -> int:
    """Have the SLA sweep recompute every active conversation of the shop (after its
    policies or business hours changed); returns how many were marked. One UPDATE."""
    return (
        Conversation.objects.for_shop(shop)
        .filter(status__in=ACTIVE_STATUSES)
        .update(sla_next_check_at=now or timezone.now())
    )


@transaction.atomic
def sla_policy_create(
    *,
    shop: Shop,
    name: str,
    first_response_minutes: int,
    resolution_minutes: int,
    warn_before_minutes: int = 30,
    priority: Priority | str = "",
    channel: ContactChannel | str = "",
    is_active: bool = True,
) -> SlaPolicy:
    """A new policy. Raises SlaPolicyInvalid (with the field) or SlaPolicyScopeTaken."""
    policy = SlaPolicy(shop=shop)
    _apply(
        policy,
        name=name,
        first_response_minutes=first_response_minutes,
        resolution_minutes=resolution_minutes,
        warn_before_minutes=warn_before_minutes,
        priority=priority,
        channel=channel,
        is_active=is_active,
    )
    _save(policy, shop=shop)
    return policy


@transaction.atomic
def sla_policy_update(
    *,
    shop: Shop,
    policy: SlaPolicy,
    name: str | None = None,
    first_response_minutes: int | None = None,
    resolution_minutes: int | None = None,
    warn_before_minutes: int | None = None,
    priority: Priority | str | None = None,
    channel: ContactChannel | str | None = None,
    is_active: bool | None = None,
) -> SlaPolicy:
    """Change the given fields (None keeps one; "" sets priority or channel to "any").
    Validated as a whole, so new targets and warning fit together; on an error nothing
    changes."""
    if policy.shop_id != shop.pk:
        raise ValueError("SLA policy belongs to another shop")
    policy = SlaPolicy.objects.for_shop(shop).select_for_update().get(pk=policy.pk)
    _apply(
        policy,
        name=policy.name if name is None else name,
        first_response_minutes=_keep(first_response_minutes, policy.first_response_minutes),
        resolution_minutes=_keep(resolution_minutes, policy.resolution_minutes),
        warn_before_minutes=_keep(warn_before_minutes, policy.warn_before_minutes),
        priority=policy.priority if priority is None else priority,
        channel=policy.channel if channel is None else channel,
        is_active=policy.is_active if is_active is None else is_active,
    )
    _save(policy, shop=shop)
    return policy


@transaction.atomic
def sla_policy_delete(*, shop: Shop, policy: SlaPolicy) -> None:
    """Remove the policy; idempotent. The shop's active conversations follow the policies
    that remain (or lose their clocks when none applies)."""
    if policy.shop_id != shop.pk:
        raise ValueError("SLA policy belongs to another shop")
    deleted, _rows = SlaPolicy.objects.for_shop(shop).filter(pk=policy.pk).delete()
    if deleted:
        sla_recheck(shop=shop)


def _keep(value: int | None, current: int) -> int:
    return current if value is None else value


def _apply(
    policy: SlaPolicy,
    *,
    name: str,
    first_response_minutes: int,
    resolution_minutes: int,
    warn_before_minutes: int,
    priority: str,
    channel: str,
    is_active: bool,
) -> None:
    name = " ".join(str(name).split())
    if not name or len(name) > NAME_MAX:
        raise errors.SlaPolicyInvalid(
            _("Geef de SLA-afspraak een naam van 1 tot %(max)d tekens.") % {"max": NAME_MAX},
            field="name",
        )
    if priority and priority not in Priority.values:
        raise errors.SlaPolicyInvalid(_("Kies een bestaande prioriteit."), field="priority")
    if channel and channel not in ContactChannel.values:
        raise errors.SlaPolicyInvalid(_("Kies een bestaand kanaal."), field="channel")
    for field, minutes in (
        ("first_response_minutes", first_response_minutes),
        ("resolution_minutes", resolution_minutes),
    ):
        if not _whole(minutes) or not 1 <= minutes <= SLA_MAX_MINUTES:
            raise errors.SlaPolicyInvalid(
                _(
                    "Kies een doel van 1 minuut tot 14 dagen werktijd "
                    "(%(max)d minuten), in hele minuten."
                )
                % {"max": SLA_MAX_MINUTES},
                field=field,
            )
    if (
        not _whole(warn_before_minutes)
        or warn_before_minutes < 0
        or warn_before_minutes >= min(first_response_minutes, resolution_minutes)
    ):
        raise errors.SlaPolicyInvalid(
            _(
                "De waarschuwing komt voor de deadline: kies 0 tot %(max)d minuten, "
                "minder dan elk doel."
            )
            % {"max": min(first_response_minutes, resolution_minutes) - 1},
            field="warn_before_minutes",
        )
    policy.name = name
    policy.first_response_minutes = first_response_minutes
    policy.resolution_minutes = resolution_minutes
    policy.warn_before_minutes = warn_before_minutes
    policy.priority = str(priority)
    policy.channel = str(channel)
    policy.is_active = bool(is_active)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _save(policy: SlaPolicy, *, shop: Shop) -> None:
    taken = (
        SlaPolicy.objects.for_shop(shop)
        .filter(priority=policy.priority, channel=policy.channel)
        .exclude(pk=policy.pk)
        .first()
    )
    if taken is None:
        try:
            with transaction.atomic():
                policy.save()
        except IntegrityError:  # created concurrently for the same scope
            taken = (
                SlaPolicy.objects.for_shop(shop)
                .filter(priority=policy.priority, channel=policy.channel)
                .exclude(pk=policy.pk)
                .first()
            )
            if taken is None:
                raise
    if taken is not None:
        raise errors.SlaPolicyScopeTaken(
            _("Er is al een SLA-afspraak voor deze prioriteit en dit kanaal: %(name)s.")
            % {"name": taken.name},
            field="priority",
        )
    sla_recheck(shop=shop)
