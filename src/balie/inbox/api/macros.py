"""/api/v1/macros: prepared answers with placeholders and follow-up actions.

Shared macros are for every agent of the shop and managed by admins (and API keys);
personal ones are their owner's alone: nobody else sees them, an API key neither.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import AuthorizationError, ValidationError

from balie.api.auth import ApiPrincipal, principal
from balie.api.fields import SingleLineText
from balie.api.pagination import paginated
from balie.inbox import selectors, services
from balie.inbox.models import Conversation, Macro
from balie.inbox.schemas import MacroIn, MacroOut, MacroPatch, MacroRenderIn, MacroRenderOut
from balie.tenancy.models import Role, Shop, Team

macros_router = Router(tags=["macros"])


@macros_router.get("", response=list[MacroOut], operation_id="macro_list")
@paginated
def macro_list(
    request: HttpRequest,
    active: Annotated[bool | None, Query(None, description="Only (in)active macros")] = None,
    q: Annotated[SingleLineText, Query("", max_length=80, description="Part of the name")] = "",
) -> QuerySet[Macro]:
    """The shared macros, then the signed-in agent's own, by name."""
    who = principal(request)
    return selectors.macro_list(shop=who.shop, viewer=who.membership, active=active, q=q)


@macros_router.get("{macro_id}", response=MacroOut, operation_id="macro_get")
def macro_get(request: HttpRequest, macro_id: int) -> Macro:
    who = principal(request)
    return selectors.access_macro(shop=who.shop, viewer=who.membership, macro_id=macro_id)


@macros_router.post("", response={201: MacroOut}, operation_id="macro_create")
def macro_create(request: HttpRequest, payload: MacroIn) -> Status[Macro]:
    """A new macro: shared (admins and API keys) or `personal` (any agent, for themselves).

    Unknown placeholders, statuses, tags or a team of another shop are a 422 with the field;
    a name the owner (or the shared list) already has is a 409.
    """
    who = principal(request)
    if payload.personal:
        if who.membership is None:
            raise _invalid("personal", "An API key has no personal macros", "personal_for_key")
        if not who.can(Role.AGENT):
            raise AuthorizationError(message=_("Meekijkers kunnen geen macro's maken."))
    else:
        _require_admin(who)
    data = payload.model_dump(exclude={"personal", "set_team_id"})
    macro = services.macro_create(
        shop=who.shop,
        owner=who.membership if payload.personal else None,
        set_team=_team(who.shop, payload.set_team_id),
        **data,
    )
    return Status(201, macro)


@macros_router.patch("{macro_id}", response=MacroOut, operation_id="macro_update")
def macro_update(request: HttpRequest, macro_id: int, payload: MacroPatch) -> Macro:
    """Change the fields sent; `set_team_id: null` removes the team."""
    who = principal(request)
    macro = _writable(who, macro_id)
    changes: dict[str, Any] = payload.model_dump(exclude_unset=True)
    for field in ("name", "body", "set_status", "set_priority", "add_tags", "is_active"):
        if field in changes and changes[field] is None:
            raise _invalid(field, "May not be null", "null_not_allowed")
    if "set_team_id" in changes:
        changes["set_team"] = _team(who.shop, changes.pop("set_team_id"))
    return services.macro_update(shop=who.shop, macro=macro, **changes)


@macros_router.delete("{macro_id}", response={204: None}, operation_id="macro_delete")
def macro_delete(request: HttpRequest, macro_id: int) -> Status[None]:
    who = principal(request)
    macro = _writable(who, macro_id)
    services.macro_delete(shop=who.shop, macro=macro)
    return Status(204, None)


@macros_router.post("{macro_id}/render", response=MacroRenderOut, operation_id="macro_render")
def macro_render(request: HttpRequest, macro_id: int, payload: MacroRenderIn) -> dict[str, str]:
    """The macro's text filled in for a conversation, as the agent would send it.

    The agent is the signed-in one; for an API key, the conversation's assignee (or none,
    so agent placeholders use their default). Unknown placeholders stay as written.
    """
    who = principal(request)
    macro = selectors.access_macro(shop=who.shop, viewer=who.membership, macro_id=macro_id)
    conversation = _conversation(who.shop, payload.conversation_id)
    agent = who.membership or conversation.assignee
    text = services.macro_render(shop=who.shop, macro=macro, conversation=conversation, agent=agent)
    return {"text": text}


def _writable(who: ApiPrincipal, macro_id: int) -> Macro:
    """The macro if `who` may change it: their own personal one, or a shared one as admin."""
    macro = selectors.access_macro(shop=who.shop, viewer=who.membership, macro_id=macro_id)
    if macro.owner_id is None:
        _require_admin(who)
    elif not who.can(Role.AGENT):
        raise AuthorizationError(message=_("Meekijkers kunnen macro's niet wijzigen."))
    return macro


def _require_admin(who: ApiPrincipal) -> None:
    if not who.can(Role.ADMIN):
        raise AuthorizationError(
            message=_("Alleen beheerders beheren gedeelde macro's; maak een persoonlijke.")
        )


def _invalid(field: str, message: str, code: str) -> ValidationError:
    return ValidationError([{"loc": ("body", "payload", field), "msg": message, "type": code}])


def _team(shop: Shop, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team: Team | None = Team.objects.for_shop(shop).filter(pk=team_id).first()
    if team is None:
        raise _invalid("set_team_id", f"No team with id {team_id} in this shop", "unknown_team")
    return team


def _conversation(shop: Shop, conversation_id: int) -> Conversation:
    conversation: Conversation | None = (
        Conversation.objects.for_shop(shop)
        .select_related("customer", "assignee__user")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise _invalid(
            "conversation_id",
            f"No conversation with id {conversation_id} in this shop",
            "unknown_conversation",
        )
    return conversation
