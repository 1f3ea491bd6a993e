"""The shop's tags as a list of their own: create, rename, delete.

Agents mostly create tags by tagging a conversation (`conversation_tag`); these are for
tidying up the list. Macros that add a tag follow a rename and forget a deleted tag, so
they never bring an old name back.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from balie.inbox import errors
from balie.inbox.models import Conversation, ConversationEvent, EventKind, Macro, Tag
from balie.inbox.services import conversations, trail
from balie.tenancy.models import Membership, Shop


def _clean_name(name: str) -> str:
    try:
        return conversations._tag_name(name)  # the one rule for tag names
    except errors.TagNameInvalid as error:
        raise errors.TagNameInvalid(error.message, field="name") from None


def _taken(name: str) -> errors.TagNameTaken:
    return errors.TagNameTaken(_("Er is al een label %(name)s.") % {"name": name}, field="name")


@transaction.atomic
def tag_create(*, shop: Shop, name: str) -> Tag:
    """A new tag; 409 when the shop has one of that name in any case."""
    name = _clean_name(name)
    if Tag.objects.for_shop(shop).filter(name__iexact=name).exists():
        raise _taken(name)
    try:
        with transaction.atomic():
            return Tag.objects.create(shop=shop, name=name)
    except IntegrityError:  # created by a concurrent request
        raise _taken(name) from None


@transaction.atomic
def tag_rename(*, shop: Shop, tag: Tag, name: str) -> Tag:
    """Rename a tag everywhere (conversations hold it by reference); a change of case only is
    fine, another tag's name is a 409. Macros that add the tag add it by its new name."""
    if tag.shop_id != shop.pk:
        raise ValueError("tag belongs to another shop")
    name = _clean_name(name)
    if Tag.objects.for_shop(shop).filter(name__iexact=name).exclude(pk=tag.pk).exists():
        raise _taken(name)
    old = tag.name
    if old == name:
        return tag
    tag.name = name
    try:
        with transaction.atomic():
            tag.save(update_fields=["name", "updated_at"])
    except IntegrityError:
        raise _taken(name) from None
    _macros_replace(shop=shop, old=old, new=name)
    return tag


@transaction.atomic
def tag_delete(*, shop: Shop, tag: Tag, actor: Membership | None) -> int:
    """Delete a tag: it leaves every conversation (each gets a "tags changed" event in its
    trail) and every macro. Returns how many conversations had it.

    No `conversation.updated` webhook or live update is sent per conversation: deleting a
    tag used on thousands of conversations would flood both.
    """
    if tag.shop_id != shop.pk:
        raise ValueError("tag belongs to another shop")
    tagged = list(Conversation.objects.for_shop(shop).filter(tags=tag))
    ConversationEvent.objects.bulk_create(
        trail.event(
            conversation,
            EventKind.TAGGED,
            actor=actor,
            added=[],
            removed=[tag.name],
            reason="tag_deleted",
        )
        for conversation in tagged
    )
    _macros_replace(shop=shop, old=tag.name, new=None)
    tag.delete()
    return len(tagged)


def _macros_replace(*, shop: Shop, old: str, new: str | None) -> None:
    """Macros adding `old` (any case) add `new` instead, or nothing when `new` is None."""
    changed = []
    for macro in Macro.objects.for_shop(shop).exclude(add_tags=[]):
        names = [name for name in macro.add_tags if name.lower() != old.lower()]
        if len(names) == len(macro.add_tags):
            continue
        if new is not None:
            names.append(new)
        macro.add_tags = names
        changed.append(macro)
    Macro.objects.bulk_update(changed, ["add_tags"])
