"""Removing a team: what pointed at it (conversations, mailboxes, the shop's default team,
macros) moves to another team or to none, so nothing is left in a queue nobody sees.

Teams are the tenancy's (`tenancy.services.team_create/team_update`); removing one is the
inbox's, because its conversations are.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from balie.channels.models import Mailbox
from balie.inbox import errors
from balie.inbox.models import Conversation, ConversationEvent, EventKind, InboxSettings, Macro
from balie.inbox.services import trail
from balie.tenancy.models import Membership, Shop, Team


@transaction.atomic
def team_delete(
    *, shop: Shop, team: Team, move_to: Team | None = None, actor: Membership | None = None
) -> int:
    """Delete `team`; returns how many conversations moved to `move_to` (None: no team).

    Each moved conversation gets a "team changed" event in its trail. Mailboxes, the default
    team and macros that named the team name `move_to` instead. As with deleting a tag, no
    live update or webhook is sent per conversation (a big team would flood both); waiting
    conversations in `move_to` are handed out by the assignment sweep within a minute.
    Raises TeamDeleteInvalid for a `move_to` of another shop or the team itself.
    """
    if team.shop_id != shop.pk:
        raise ValueError("team belongs to another shop")
    if move_to is not None and (move_to.shop_id != shop.pk or move_to.pk == team.pk):
        raise errors.TeamDeleteInvalid(
            _("Kies een ander team van deze winkel, of geen team."), field="move_to"
        )
    Team.objects.for_shop(shop).select_for_update().filter(pk=team.pk).first()
    moved = list(Conversation.objects.for_shop(shop).filter(team=team).only("pk", "shop_id"))
    ConversationEvent.objects.bulk_create(
        trail.event(
            conversation,
            EventKind.TEAM_CHANGED,
            actor=actor,
            old=team.pk,
            new=move_to.pk if move_to else None,
            reason="team_deleted",
        )
        for conversation in moved
    )
    Conversation.objects.for_shop(shop).filter(team=team).update(team=move_to)
    Mailbox.objects.for_shop(shop).filter(team=team).update(team=move_to)
    InboxSettings.objects.for_shop(shop).filter(default_team=team).update(default_team=move_to)
    Macro.objects.for_shop(shop).filter(set_team=team).update(set_team=move_to)
    Team.objects.for_shop(shop).filter(pk=team.pk).delete()
    return len(moved)
