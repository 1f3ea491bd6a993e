"""/api/v1/shop, /agents and /teams."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.errors import AuthorizationError
from ninja.pagination import paginate

from balie.api.auth import principal
from balie.api.pagination import LimitOffset
from balie.tenancy import selectors, services
from balie.tenancy.models import Membership, Role, Team
from balie.tenancy.schemas import AgentOut, ShopOut, TeamIn, TeamOut

router = Router(tags=["shop"])


@router.get("shop", response=ShopOut, operation_id="shop_get")
def shop_get(request: HttpRequest) -> dict[str, object]:
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
@paginate(LimitOffset)
def agent_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.agent_list(shop=principal(request).shop)


@router.get("agents/{agent_id}", response=AgentOut, operation_id="agent_get")
def agent_get(request: HttpRequest, agent_id: int) -> Membership:
    return selectors.access_agent(shop=principal(request).shop, agent_id=agent_id)


@router.get("teams", response=list[TeamOut], operation_id="team_list")
@paginate(LimitOffset)
def team_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.team_list(shop=principal(request).shop)


@router.get("teams/{team_id}", response=TeamOut, operation_id="team_get")
def team_get(request: HttpRequest, team_id: int) -> Team:
    return selectors.access_team(shop=principal(request).shop, team_id=team_id)


@router.post("teams", response={201: TeamOut}, operation_id="team_create")
def team_create(request: HttpRequest, payload: TeamIn) -> tuple[int, Team]:
    who = principal(request)
    if not who.can(Role.ADMIN):
        raise AuthorizationError("Only admins can create teams.")
    members = [
        selectors.access_agent(shop=who.shop, agent_id=member_id)
        for member_id in payload.member_ids
    ]
    return 201, services.team_create(shop=who.shop, name=payload.name, members=members)
