"""/api/v1/conversations (with messages, events and notes) and /api/v1/attachments.

Reads are open to every role; changes need an agent (viewers read only). API keys act as
an admin of their shop, with no agent behind them: their changes are recorded without an
actor, and a note they add names its author with `author_id`.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import AuthorizationError, ValidationError

from balie.api import problems
from balie.api.auth import ApiPrincipal, principal
from balie.api.pagination import paginated
from balie.inbox import downloads, selectors, services
from balie.inbox.models import (
    Conversation,
    ConversationEvent,
    ConversationStatus,
    Message,
)
from balie.inbox.schemas import (
    ConversationFilters,
    ConversationOut,
    ConversationPatch,
    EventOut,
    MessageOut,
    NoteIn,
    ReplyIn,
)
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.models import Membership, Role, Shop, Team

conversations_router = Router(tags=["conversations"])
attachments_router = Router(tags=["conversations"])


@conversations_router.get("", response=list[ConversationOut], operation_id="conversation_list")
@paginated
def conversation_list(
    request: HttpRequest, filters: Query[ConversationFilters]
) -> QuerySet[Conversation]:
    """The shop's conversations, the latest message first; every filter narrows the list."""
    who = principal(request)
    if filters.assignee == "me" and who.membership is None:
        raise ValidationError(
            [
                {
                    "loc": ("query", "assignee"),
                    "msg": "An API key is no agent: use assignee_id",
                    "type": "assignee_me_without_agent",
                }
            ]
        )
    return selectors.conversation_list(
        shop=who.shop,
        statuses=filters.status,
        priorities=filters.priority,
        tags=filters.tag,
        q=filters.q,
        customer_email=filters.customer_email,
        customer_id=filters.customer_id,
        assignee=who.membership if filters.assignee == "me" else None,
        unassigned=filters.assignee == "none",
        assignee_id=filters.assignee_id,
        team_id=filters.team_id,
        channel=filters.channel or "",
        updated_since=filters.updated_since,
        sla=filters.sla or "",
        ordering=filters.ordering,
    ).prefetch_related("tags")


@conversations_router.get(
    "{conversation_id}", response=ConversationOut, operation_id="conversation_get"
)
def conversation_get(request: HttpRequest, conversation_id: int) -> Conversation:
    """One conversation of the shop."""
    return selectors.access_conversation(
        shop=principal(request).shop, conversation_id=conversation_id
    )


@conversations_router.patch(
    "{conversation_id}", response=ConversationOut, operation_id="conversation_update"
)
def conversation_update(
    request: HttpRequest, conversation_id: int, payload: ConversationPatch
) -> Conversation:
    """Change status (with `snoozed_until` to snooze), priority, assignee, team and tags.

    Each field sent is changed by its own step, which leaves its own event; all of them or
    none. An agent or team id of no agent or team of this shop is a 422 naming the field.
    """
    who = principal(request)
    conversation = selectors.access_conversation(shop=who.shop, conversation_id=conversation_id)
    _require_agent(who, _("Meekijkers kunnen gesprekken niet wijzigen."))
    changes = payload.model_dump(exclude_unset=True)
    for field in ("status", "priority"):
        if field in changes and changes[field] is None:
            raise _invalid(field, "May not be null", "null_not_allowed")
    assignee = (
        _agent(who.shop, changes["assignee_id"], "assignee_id")
        if changes.get("assignee_id") is not None
        else None
    )
    team = _team(who.shop, changes["team_id"]) if changes.get("team_id") is not None else None
    actor = who.membership
    with transaction.atomic():
        if "assignee_id" in changes:
            conversation = services.conversation_assign(
                shop=who.shop, conversation=conversation, assignee=assignee, actor=actor
            )
        if "team_id" in changes:
            conversation = services.conversation_set_team(
                shop=who.shop, conversation=conversation, team=team, actor=actor
            )
        if "priority" in changes:
            conversation = services.conversation_set_priority(
                shop=who.shop, conversation=conversation, priority=changes["priority"], actor=actor
            )
        if payload.add_tags or payload.remove_tags:
            conversation = services.conversation_tag(
                shop=who.shop,
                conversation=conversation,
                actor=actor,
                add=payload.add_tags,
                remove=payload.remove_tags,
            )
        if "status" in changes or "snoozed_until" in changes:
            conversation = _set_status(who, conversation, payload)
    return selectors.access_conversation(shop=who.shop, conversation_id=conversation.pk)


def _set_status(
    who: ApiPrincipal, conversation: Conversation, payload: ConversationPatch
) -> Conversation:
    status = payload.status or ConversationStatus(conversation.status)
    if payload.snoozed_until is not None and status != ConversationStatus.SNOOZED:
        raise _invalid("snoozed_until", "Only with status snoozed", "snoozed_until_without_snooze")
    return services.conversation_set_status(
        shop=who.shop,
        conversation=conversation,
        status=status,
        actor=who.membership,
        snoozed_until=payload.snoozed_until,
    )


@conversations_router.get(
    "{conversation_id}/messages", response=list[MessageOut], operation_id="message_list"
)
@paginated
def message_list(request: HttpRequest, conversation_id: int) -> QuerySet[Message]:
    """The conversation's messages and internal notes, oldest first, with attachments."""
    shop = principal(request).shop
    conversation = selectors.access_conversation(shop=shop, conversation_id=conversation_id)
    return selectors.message_list(shop=shop, conversation=conversation)


@conversations_router.get(
    "{conversation_id}/events", response=list[EventOut], operation_id="event_list"
)
@paginated
def event_list(request: HttpRequest, conversation_id: int) -> QuerySet[ConversationEvent]:
    """The conversation's trail: every change, who made it and when, oldest first."""
    shop = principal(request).shop
    conversation = selectors.access_conversation(shop=shop, conversation_id=conversation_id)
    return selectors.event_list(shop=shop, conversation=conversation)


@conversations_router.post(
    "{conversation_id}/notes", response={201: MessageOut}, operation_id="note_create"
)
def note_create(request: HttpRequest, conversation_id: int, payload: NoteIn) -> Status[Message]:
    """An internal note: shown to agents in the thread, never sent to the customer.

    Agents write as themselves; an API key names the agent with `author_id`.
    """
    who = principal(request)
    conversation = selectors.access_conversation(shop=who.shop, conversation_id=conversation_id)
    _require_agent(who, _("Meekijkers kunnen geen notities schrijven."))
    author = _author(who, payload.author_id)
    note = services.note_add(
        shop=who.shop, conversation=conversation, author=author, text=payload.text
    )
    return Status(201, note)


def _author(who: ApiPrincipal, author_id: int | None) -> Membership:
    """Agents write as themselves; an API key names the agent it writes for."""
    if who.membership is not None:
        if author_id not in (None, who.membership.pk):
            raise _invalid("author_id", "You write as yourself", "author_not_you")
        return who.membership
    if author_id is None:
        raise _invalid("author_id", "An API key names the agent who writes", "missing")
    return _agent(who.shop, author_id, "author_id")


@conversations_router.post(
    "{conversation_id}/messages", response={201: MessageOut}, operation_id="reply_create"
)
def reply_create(request: HttpRequest, conversation_id: int, payload: ReplyIn) -> Status[Message]:
    """Answer the customer on the conversation's channel (email: from the mailbox the customer
    wrote to). The message is queued and sent by the worker; `delivery_status` tells how far
    it got. `resolve: true` resolves the conversation once the reply is stored. 409
    `channel_not_configured` when the shop cannot send on that channel.
    """
    who = principal(request)
    conversation = selectors.access_conversation(shop=who.shop, conversation_id=conversation_id)
    _require_agent(who, _("Meekijkers kunnen geen antwoorden versturen."))
    author = _author(who, payload.author_id)
    with transaction.atomic():
        message = services.reply_send(
            shop=who.shop, conversation=conversation, author=author, text=payload.text
        )
        if payload.resolve:
            services.conversation_set_status(
                shop=who.shop,
                conversation=conversation,
                status=ConversationStatus.RESOLVED,
                actor=author,
            )
    return Status(201, message)


@attachments_router.get(
    "{attachment_id}/download",
    response={200: None},
    operation_id="attachment_download",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, always as a download",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse | HttpResponse:
    """The file of an attachment, always as a download (`Content-Disposition: attachment`);
    types a browser could run are sent as `application/octet-stream`. 404 for a file that
    was refused on arrival (the reason is in the message's attachments)."""
    attachment = selectors.access_attachment(
        shop=principal(request).shop, attachment_id=attachment_id
    )
    try:
        return downloads.attachment_response(attachment)
    except downloads.AttachmentUnavailable:
        detail = (
            f"This attachment was not kept: {attachment.rejected_reason}"
            if attachment.is_rejected
            else "The file of this attachment is no longer in storage."
        )
        return problems.problem_response(
            request, status=404, code="attachment_unavailable", detail=detail
        )


def _require_agent(who: ApiPrincipal, message: str) -> None:
    if not who.can(Role.AGENT):
        raise AuthorizationError(message=message)


def _invalid(field: str, message: str, code: str) -> ValidationError:
    return ValidationError([{"loc": ("body", "payload", field), "msg": message, "type": code}])


def _agent(shop: Shop, agent_id: int, field: str) -> Membership:
    """An active agent of this shop; another shop's (or a gone) agent is a 422 on `field`."""
    agent = tenancy_selectors.agent_list(shop=shop).filter(pk=agent_id, is_active=True).first()
    if agent is None:
        raise _invalid(field, f"No active agent with id {agent_id} in this shop", "unknown_agent")
    return agent


def _team(shop: Shop, team_id: int) -> Team:
    team: Team | None = Team.objects.for_shop(shop).filter(pk=team_id).first()
    if team is None:
        raise _invalid("team_id", f"No team with id {team_id} in this shop", "unknown_team")
    return team
