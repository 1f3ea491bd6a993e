"""/api/v1/shop, /agents and /teams."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import AuthorizationError, ValidationError

from balie.api.auth import principal
from balie.api.pagination import paginated
from balie.tenancy import selectors, services
from balie.tenancy.models import Membership, Role, Shop, Team
from balie.tenancy.schemas import AgentOut, ShopOut, TeamIn, TeamOut

router = Router(tags=["shop"])


@router.get("shop", response=ShopOut, operation_id="shop_get")
def shop_get(request: HttpRequest) -> dict[str, object]:
    """The shop of the API key or signed-in agent: settings, contact options, open now."""
    shop = principal(request).shop
    schedule = selectors.schedule_for(shop=shop)
    now = timezone.now()
    return {
        **{field: getattr(shop, field) for field in ShopOut.model_fields if hasattr(shop, field)},
        "is_open_now": schedule.is_open(now),
        "next_opening_at": schedule.next_opening(now),
        "contact_options": list(selectors.contact_option_list(shop=shop)),
    }


@router.get("agents", response=list[AgentOut], operation_id="agent_list")
@paginated
def agent_list(request: HttpRequest) -> QuerySet[Membership]:
    """The shop's agents, by name."""
    return selectors.agent_list(shop=principal(request).shop)


@router.get("agents/{agent_id}", response=AgentOut, operation_id="agent_get")
def agent_get(request: HttpRequest, agent_id: int) -> Membership:
    """One agent of the shop; 404 for an id of another shop."""
    return selectors.access_agent(shop=principal(request).shop, agent_id=agent_id)


@router.get("teams", response=list[TeamOut], operation_id="team_list")
@paginated
def team_list(request: HttpRequest) -> QuerySet[Team]:
    """The shop's teams with their members' ids."""
    return selectors.team_list(shop=principal(request).shop)


@router.get("teams/{team_id}", response=TeamOut, operation_id="team_get")
def team_get(request: HttpRequest, team_id: int) -> Team:
    """One team of the shop."""
    return selectors.access_team(shop=principal(request).shop, team_id=team_id)


@router.post("teams", response={201: TeamOut}, operation_id="team_create")
def team_create(request: HttpRequest, payload: TeamIn) -> Status[Team]:
    """A new team of the shop's agents (admins and API keys only). 409 when the name is taken."""
    who = principal(request)
    if not who.can(Role.ADMIN):
        raise AuthorizationError(message="Only admins can create teams.")
    members = _members(shop=who.shop, member_ids=payload.member_ids)
    return Status(201, services.team_create(shop=who.shop, name=payload.name, members=members))


def _members(*, shop: Shop, member_ids: list[int]) -> list[Membership]:
    """This shop's agents by id; an id of no agent here (e.g. another shop's) is a 422."""
    found = {agent.pk: agent for agent in selectors.agent_list(shop=shop).filter(pk__in=member_ids)}
    unknown = [
        {
            "loc": ("body", "payload", "member_ids", index),
            "msg": f"No agent with id {member_id} in this shop",
            "type": "unknown_agent",
        }
        for index, member_id in enumerate(member_ids)
        if member_id not in found
    ]
    if unknown:
        raise ValidationError(unknown)
    return [found[member_id] for member_id in dict.fromkeys(member_ids)]
