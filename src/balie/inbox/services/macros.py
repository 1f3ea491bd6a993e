"""Macros: prepared answers with placeholders and follow-up actions, shared or personal.

A shared macro (`owner` None) is for every agent of the shop; a personal one only for its
owner. Names are unique per owner (shared ones among the shared), in any case.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.inbox import errors, macros
from balie.inbox.models import Conversation, ConversationStatus, Macro, Priority
from balie.inbox.services import conversations
from balie.tenancy.models import Membership, Shop, Team

MACRO_NAME_MAX = 80
MACRO_BODY_MAX = 20_000
MACRO_TAGS_MAX = 20
# Snoozing needs a moment to come back, which a macro cannot know.
MACRO_STATUSES = frozenset(ConversationStatus) - {ConversationStatus.SNOOZED}


class _Unset(enum.Enum):
    UNSET = enum.auto()


UNSET = _Unset.UNSET
"""`macro_update`'s default: leave the field as it is (None means "no team" for set_team)."""


@transaction.atomic
def macro_create(
    *,
    shop: Shop,
    name: str,
    body: str = "",
    owner: Membership | None = None,
    set_status: str = "",
    set_priority: str = "",
    add_tags: Iterable[str] = (),
    set_team: Team | None = None,
    is_active: bool = True,
) -> Macro:
    """A new macro, personal to `owner` or shared (owner None).

    Refuses (422, with the field) unknown placeholders in `body`, a status that is no
    status or "snoozed", an unknown priority, invalid tag names and a team of another shop;
    409 when the owner (or the shared list) already has a macro of that name.
    """
    if owner is not None and (owner.shop_id != shop.pk or not owner.is_active):
        raise ValueError("the owner must be an active agent of the shop")
    macro = Macro(shop=shop, owner=owner, is_active=is_active)
    _apply(
        macro,
        name=name,
        body=body,
        set_status=set_status,
        set_priority=set_priority,
        add_tags=add_tags,
        set_team=set_team,
    )
    _save(shop=shop, macro=macro)
    return macro


@transaction.atomic
def macro_update(
    *,
    shop: Shop,
    macro: Macro,
    name: str | _Unset = UNSET,
    body: str | _Unset = UNSET,
    set_status: str | _Unset = UNSET,
    set_priority: str | _Unset = UNSET,
    add_tags: Iterable[str] | _Unset = UNSET,
    set_team: Team | _Unset | None = UNSET,
    is_active: bool | _Unset = UNSET,
) -> Macro:
    """Change the fields passed; the same rules as `macro_create`."""
    if macro.shop_id != shop.pk:
        raise ValueError("macro belongs to another shop")
    macro = Macro.objects.for_shop(shop).select_for_update().get(pk=macro.pk)
    _apply(
        macro,
        name=macro.name if name is UNSET else name,
        body=macro.body if body is UNSET else body,
        set_status=macro.set_status if set_status is UNSET else set_status,
        set_priority=macro.set_priority if set_priority is UNSET else set_priority,
        add_tags=macro.add_tags if add_tags is UNSET else add_tags,
        set_team=macro.set_team if set_team is UNSET else set_team,
    )
    if is_active is not UNSET:
        macro.is_active = is_active
    _save(shop=shop, macro=macro)
    return macro


@transaction.atomic
def macro_delete(*, shop: Shop, macro: Macro) -> None:
    if macro.shop_id != shop.pk:
        raise ValueError("macro belongs to another shop")
    Macro.objects.for_shop(shop).filter(pk=macro.pk).delete()


def macro_render(
    *, shop: Shop, macro: Macro, conversation: Conversation, agent: Membership | None
) -> str:
    """The macro's text for this conversation, as `agent` would send it (see inbox.macros).

    Reads only; placeholders without a value use their default, unknown ones stay visible.
    """
    if macro.shop_id != shop.pk or conversation.shop_id != shop.pk:
        raise ValueError("macro and conversation must belong to the shop")
    if agent is not None and agent.shop_id != shop.pk:
        raise ValueError("agent works for another shop")
    values = macros.values_for(shop=shop, conversation=conversation, agent=agent)
    return macros.render(macro.body, values)


@transaction.atomic
def macro_apply_actions(
    *, shop: Shop, macro: Macro, conversation: Conversation, actor: Membership | None
) -> Conversation:
    """Run the macro's actions on the conversation, after the agent sent its reply.

    Priority, tags, team and last the status, each through its own service (so each change
    leaves its event); then counts the use. Not idempotent: every call counts once more. A
    team deleted since the macro was saved is skipped.
    """
    if macro.shop_id != shop.pk:
        raise ValueError("macro belongs to another shop")
    if macro.set_priority:
        conversation = conversations.conversation_set_priority(
            shop=shop, conversation=conversation, priority=macro.set_priority, actor=actor
        )
    if macro.add_tags:
        conversation = conversations.conversation_tag(
            shop=shop, conversation=conversation, actor=actor, add=macro.add_tags
        )
    team = Team.objects.for_shop(shop).filter(pk=macro.set_team_id).first()
    if team is not None:
        conversation = conversations.conversation_set_team(
            shop=shop, conversation=conversation, team=team, actor=actor
        )
    if macro.set_status:
        conversation = conversations.conversation_set_status(
            shop=shop, conversation=conversation, status=macro.set_status, actor=actor
        )
    Macro.objects.for_shop(shop).filter(pk=macro.pk).update(
        usage_count=F("usage_count") + 1, last_used_at=timezone.now()
    )
    return conversation


def _apply(
    macro: Macro,
    *,
    name: str,
    body: str,
    set_status: str,
    set_priority: str,
    add_tags: Iterable[str],
    set_team: Team | None,
) -> None:
    """Validate and set the fields (not saved)."""
    name = " ".join(name.split())
    if not name or len(name) > MACRO_NAME_MAX:
        raise errors.MacroInvalid(
            _("Een macro heeft een naam van 1 tot %(max)d tekens.") % {"max": MACRO_NAME_MAX},
            field="name",
        )
    if len(body) > MACRO_BODY_MAX:
        raise errors.MacroInvalid(
            _("De tekst mag hoogstens %(max)d tekens hebben.") % {"max": MACRO_BODY_MAX},
            field="body",
        )
    problems = macros.problems(body)
    if problems:
        raise errors.MacroInvalid(" ".join(problems), field="body")
    if set_status and set_status not in MACRO_STATUSES:
        raise errors.MacroInvalid(
            _("Een macro kan een gesprek open, wachtend, opgelost of gesloten zetten."),
            field="set_status",
        )
    if set_priority and set_priority not in Priority.values:
        raise errors.MacroInvalid(_("Onbekende prioriteit."), field="set_priority")
    if set_team is not None and set_team.shop_id != macro.shop_id:
        raise errors.MacroInvalid(_("Dit team hoort niet bij deze winkel."), field="set_team")
    macro.name = name
    macro.body = body
    macro.set_status = set_status
    macro.set_priority = set_priority
    macro.add_tags = _tag_names(add_tags)
    macro.set_team = set_team


def _tag_names(names: Iterable[str]) -> list[str]:
    cleaned: dict[str, str] = {}
    for index, name in enumerate(names):
        try:
            clean = conversations._tag_name(name)  # the one rule for tag names
        except errors.TagNameInvalid as error:
            raise errors.TagNameInvalid(error.message, field=f"add_tags.{index}") from None
        cleaned.setdefault(clean.lower(), clean)
    if len(cleaned) > MACRO_TAGS_MAX:
        raise errors.MacroInvalid(
            _("Een macro voegt hoogstens %(max)d labels toe.") % {"max": MACRO_TAGS_MAX},
            field="add_tags",
        )
    return list(cleaned.values())


def _save(*, shop: Shop, macro: Macro) -> None:
    same_owner = Q(owner=macro.owner) if macro.owner is not None else Q(owner__isnull=True)
    taken = (
        Macro.objects.for_shop(shop)
        .filter(same_owner, name__iexact=macro.name)
        .exclude(pk=macro.pk)
        .exists()
    )
    error = errors.MacroNameTaken(
        _("Er is al een macro met de naam %(name)s.") % {"name": macro.name}, field="name"
    )
    if taken:
        raise error
    try:
        with transaction.atomic():
            macro.save()
    except IntegrityError:  # saved by a concurrent request
        raise error from None
