"""What agents change on a conversation: assignee, team, status, priority, tags and notes.

Each function takes the shop of the signed-in agent, locks the conversation row, changes
only what differs, writes one event for it and tells the shop's agents after the commit.
A call that changes nothing writes no event. Each returns the fresh conversation (or note).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.inbox import errors, macros, mentions, search
from balie.inbox.models import (
    Conversation,
    ConversationStatus,
    Direction,
    EventKind,
    InboxSettings,
    Message,
    NotificationKind,
    Priority,
    Tag,
)
from balie.inbox.services import assignment, auto_reply, csat, notify, sla, trail
from balie.tenancy.models import Membership, Shop, Team

THREAD_WINDOW_MAX_HOURS = 24 * 90
AUTO_REPLY_TEXT_MAX = 5000
CSAT_DELAY_MAX = 7 * 24 * 60
TAG_NAME_MAX = 50


def _locked(*, shop: Shop, conversation: Conversation, actor: Membership | None) -> Conversation:
    # Callers look conversations up with `selectors.access_conversation`; a mismatch here is
    # a programming error, not something a user can cause.
    if conversation.shop_id != shop.pk:
        raise ValueError("conversation belongs to another shop")
    if actor is not None and actor.shop_id != shop.pk:
        raise ValueError("actor works for another shop")
    locked: Conversation = (
        Conversation.objects.for_shop(shop).select_for_update().get(pk=conversation.pk)
    )
    return locked


def _updated(conversation: Conversation, *fields: str) -> None:
    conversation.save(update_fields=[*fields, "updated_at"])
    trail.publish(conversation, "conversation.updated", fields=list(fields))


@transaction.atomic
def conversation_assign(
    *,
    shop: Shop,
    conversation: Conversation,
    assignee: Membership | None,
    actor: Membership | None,
) -> Conversation:
    """Give the conversation to `assignee` (an active agent of the shop), or to nobody."""
    if assignee is not None and (assignee.shop_id != shop.pk or not assignee.is_active):
        raise errors.AssigneeNotInShop(
            _("Deze medewerker werkt niet (meer) voor deze winkel."), field="assignee"
        )
    conversation = _locked(shop=shop, conversation=conversation, actor=actor)
    old = conversation.assignee_id
    if old == (assignee.pk if assignee else None):
        return conversation
    conversation.assignee = assignee
    trail.event(
        conversation, EventKind.ASSIGNED, actor=actor, old=old, new=conversation.assignee_id
    ).save()
    _updated(conversation, "assignee")
    if assignee is not None:
        assignment.assignment_recorded(
            conversation=conversation, assignee=assignee, actor=actor, now=timezone.now()
        )
    return conversation


@transaction.atomic
def conversation_set_team(
    *, shop: Shop, conversation: Conversation, team: Team | None, actor: Membership | None
) -> Conversation:
    """Put the conversation in one of the shop's teams' queue, or in none."""
    if team is not None and team.shop_id != shop.pk:
        raise errors.AssigneeNotInShop(_("Dit team hoort niet bij deze winkel."), field="team")
    conversation = _locked(shop=shop, conversation=conversation, actor=actor)
    old = conversation.team_id
    if old == (team.pk if team else None):
        return conversation
    conversation.team = team
    trail.event(
        conversation, EventKind.TEAM_CHANGED, actor=actor, old=old, new=conversation.team_id
    ).save()
    _updated(conversation, "team")
    return conversation


@transaction.atomic
def conversation_set_status(
    *,
    shop: Shop,
    conversation: Conversation,
    status: ConversationStatus | str,
    actor: Membership | None,
    snoozed_until: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Conversation:
    """Move the conversation to `status`.

    Snoozing needs a moment in the future (`snoozed_until`); any other status clears it.
    Resolving or closing records when it was resolved (closing a resolved conversation keeps
    that moment); opening or setting it pending clears it. Resolving queues the satisfaction
    survey after the commit (`csat.csat_request_on_commit`).
    """
    status = ConversationStatus(status)
    now = now or timezone.now()
    if status == ConversationStatus.SNOOZED and (snoozed_until is None or snoozed_until <= now):
        raise errors.SnoozeUntilRequired(
            _("Kies een moment in de toekomst waarop het gesprek terugkomt."),
            field="snoozed_until",
        )
    conversation = _locked(shop=shop, conversation=conversation, actor=actor)
    old = ConversationStatus(conversation.status)
    until = snoozed_until if status == ConversationStatus.SNOOZED else None
    if old == status and conversation.snoozed_until == until:
        return conversation
    conversation.status = status
    conversation.snoozed_until = until
    if status in (ConversationStatus.RESOLVED, ConversationStatus.CLOSED):
        conversation.resolved_at = conversation.resolved_at or now
    else:
        conversation.resolved_at = None
    trail.event(
        conversation,
        EventKind.STATUS_CHANGED,
        actor=actor,
        old=old,
        new=status,
        snoozed_until=until.isoformat() if until else None,
    ).save()
    _updated(conversation, "status", "snoozed_until", "resolved_at")
    if status == ConversationStatus.RESOLVED:
        csat.csat_request_on_commit(shop=shop, conversation=conversation)
    if status == ConversationStatus.OPEN and old != status:
        assignment.conversation_route(shop=shop, conversation=conversation, now=now)
    sla.conversation_sla_refresh(conversation=conversation, now=now)
    return conversation


@transaction.atomic
def conversation_set_priority(
    *,
    shop: Shop,
    conversation: Conversation,
    priority: Priority | str,
    actor: Membership | None,
) -> Conversation:
    priority = Priority(priority)
    conversation = _locked(shop=shop, conversation=conversation, actor=actor)
    old = conversation.priority
    if old == priority:
        return conversation
    conversation.priority = priority
    trail.event(conversation, EventKind.PRIORITY_CHANGED, actor=actor, old=old, new=priority).save()
    _updated(conversation, "priority")
    sla.conversation_sla_refresh(conversation=conversation)
    return conversation


def _tag_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > TAG_NAME_MAX:
        raise errors.TagNameInvalid(
            _("Een label heeft 1 tot %(max)d tekens.") % {"max": TAG_NAME_MAX}, field="tags"
        )
    return name


def _tags_by_name(*, shop: Shop, names: list[str], create: bool) -> list[Tag]:
    """The shop's tags with these names (any case); missing ones created when `create`."""
    wanted = {name.lower(): name for name in names}
    found = {
        tag.name.lower(): tag
        for tag in Tag.objects.for_shop(shop)
        .annotate(lower_name=Lower("name"))
        .filter(lower_name__in=wanted)
    }
    for key, name in wanted.items():
        if key in found or not create:
            continue
        try:
            with transaction.atomic():
                found[key] = Tag.objects.create(shop=shop, name=name)
        except IntegrityError:  # created by a concurrent request
            found[key] = Tag.objects.for_shop(shop).get(name__iexact=name)
    return list(found.values())


@transaction.atomic
def conversation_tag(
    *,
    shop: Shop,
    conversation: Conversation,
    actor: Membership | None,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
) -> Conversation:
    """Add and remove tags by name (any case; new names become the shop's tags)."""
    to_add = [_tag_name(name) for name in add]
    to_remove = [_tag_name(name) for name in remove]
    conversation = _locked(shop=shop, conversation=conversation, actor=actor)
    current = {tag.pk for tag in conversation.tags.all()}
    adding = [
        tag for tag in _tags_by_name(shop=shop, names=to_add, create=True) if tag.pk not in current
    ]
    removing = [
        tag
        for tag in _tags_by_name(shop=shop, names=to_remove, create=False)
        if tag.pk in current and tag not in adding
    ]
    if not adding and not removing:
        return conversation
    conversation.tags.add(*adding)
    conversation.tags.remove(*removing)
    trail.event(
        conversation,
        EventKind.TAGGED,
        actor=actor,
        added=sorted(tag.name for tag in adding),
        removed=sorted(tag.name for tag in removing),
    ).save()
    _updated(conversation)
    return conversation


@transaction.atomic
def note_add(*, shop: Shop, conversation: Conversation, author: Membership, text: str) -> Message:
    """An internal note by an agent: never sent to the customer, shown in the thread.

    Agents named with "@" (`inbox.mentions`) are recorded on the note and notified.
    """
    if conversation.shop_id != shop.pk or author.shop_id != shop.pk:
        raise ValueError("conversation and author must belong to the shop")
    text = text.strip()
    if not text:
        raise errors.NoteEmpty(_("Schrijf eerst een notitie."), field="text")
    note = Message.objects.create(
        shop=shop,
        conversation=conversation,
        direction=Direction.NOTE,
        author=author,
        sender_name=author.display_name or str(author.user),
        text=text,
    )
    search.message_indexed(note)
    colleagues = Membership.objects.for_shop(shop).filter(is_active=True).select_related("user")
    named = [named for named in mentions.mentioned(text, colleagues) if named.pk != author.pk]
    if named:
        note.mentions.set(named)
        notify.notifications_save(
            notify.notifications_build(
                conversation=conversation,
                kind=NotificationKind.MENTION,
                recipient_ids=[agent.pk for agent in named],
                actor=author,
                message=note,
            )
        )
    trail.event(
        conversation,
        EventKind.NOTE_ADDED,
        actor=author,
        message_id=note.pk,
        mentioned=[agent.pk for agent in named],
    ).save()
    trail.publish(conversation, "message.created", message_id=note.pk, direction=Direction.NOTE)
    return note


class _Unset(enum.Enum):
    UNSET = enum.auto()


UNSET = _Unset.UNSET
"""`inbox_settings_update`'s default for the team: leave it (None means "no team")."""


@transaction.atomic
def inbox_settings_update(
    *,
    shop: Shop,
    thread_window_hours: int | None = None,
    default_team: Team | _Unset | None = UNSET,
    auto_reply_enabled: bool | None = None,
    auto_reply_text: str | None = None,
    csat_enabled: bool | None = None,
    csat_delay_minutes: int | None = None,
) -> InboxSettings:
    """Create or change the shop's inbox settings (the row exists from the first change);
    None (or UNSET for the team) leaves a setting as it is.

    The acknowledgement's own text may use the placeholders of
    `auto_reply.PLACEHOLDERS`, checked by the macros' rules; blank means the built-in text.
    Raises ThreadWindowInvalid or InboxSettingsInvalid (with the field); then nothing changes.
    """
    changes: dict[str, object] = {}
    if thread_window_hours is not None:
        if not _whole(thread_window_hours) or not (
            0 <= thread_window_hours <= THREAD_WINDOW_MAX_HOURS
        ):
            raise errors.ThreadWindowInvalid(
                _("Kies een venster van 0 tot %(max)d uur.") % {"max": THREAD_WINDOW_MAX_HOURS},
                field="thread_window_hours",
            )
        changes["thread_window_hours"] = thread_window_hours
    if default_team is not UNSET:
        if default_team is not None and default_team.shop_id != shop.pk:
            raise errors.InboxSettingsInvalid(
                _("Dit team hoort niet bij deze winkel."), field="default_team"
            )
        changes["default_team"] = default_team
    if auto_reply_enabled is not None:
        changes["auto_reply_enabled"] = bool(auto_reply_enabled)
    if auto_reply_text is not None:
        text = auto_reply_text.strip()
        if len(text) > AUTO_REPLY_TEXT_MAX:
            raise errors.InboxSettingsInvalid(
                _("De tekst heeft hoogstens %(max)d tekens.") % {"max": AUTO_REPLY_TEXT_MAX},
                field="auto_reply_text",
            )
        problems = macros.problems(text, names=auto_reply.PLACEHOLDERS)
        if problems:
            raise errors.InboxSettingsInvalid(" ".join(problems), field="auto_reply_text")
        changes["auto_reply_text"] = text
    if csat_enabled is not None:
        changes["csat_enabled"] = bool(csat_enabled)
    if csat_delay_minutes is not None:
        if not _whole(csat_delay_minutes) or not 0 <= csat_delay_minutes <= CSAT_DELAY_MAX:
            raise errors.InboxSettingsInvalid(
                _("Kies een wachttijd van 0 tot %(max)d minuten (een week).")
                % {"max": CSAT_DELAY_MAX},
                field="csat_delay_minutes",
            )
        changes["csat_delay_minutes"] = csat_delay_minutes
    # The shop object's cached copy (selectors.inbox_settings_get(cached=True)) goes stale.
    shop.__dict__.pop("_balie_inbox_settings", None)
    settings, _created = InboxSettings.objects.update_or_create(shop=shop, defaults=changes)
    return settings


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
