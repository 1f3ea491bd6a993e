"""Reads for shops, agents and teams."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from balie.core.business_hours import Schedule
from balie.tenancy.models import (
    ApiKey,
    BusinessHours,
    ClosingDay,
    ContactOption,
    Membership,
    Shop,
    ShopDomain,
    Team,
    User,
)


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(
        user=user, is_active=True, shop__is_active=True
    ).select_related("shop")


def membership_for(*, user: User, shop_id: int | None) -> Membership | None:
    """The user's membership of `shop_id`, else of their first shop, else None."""
    memberships = memberships_of(user=user).order_by("shop__name")
    if shop_id is not None:
        chosen = memberships.filter(shop_id=shop_id).first()
        if chosen is not None:
            return chosen
    return memberships.first()


def shop_by_domain(*, host: str) -> Shop | None:
    domain = host.split(":")[0].strip().lower().rstrip(".")
    row = (
        ShopDomain.objects.select_related("shop")
        .filter(domain=domain, shop__is_active=True)
        .first()
    )
    return row.shop if row else None


def access_shop_by_slug(*, slug: str) -> Shop:
    shop = Shop.objects.filter(slug=slug, is_active=True).first()
    if shop is None:
        raise Http404
    return shop


def agent_list(*, shop: Shop) -> QuerySet[Membership]:
    return (
        Membership.objects.for_shop(shop)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def access_agent(*, shop: Shop, agent_id: int) -> Membership:
    agent = agent_list(shop=shop).filter(pk=agent_id).first()
    if agent is None:
        raise Http404
    return agent


def agent_overview(*, shop: Shop, active_statuses: Sequence[str]) -> QuerySet[Membership]:
    """The shop's agents for the settings page: each with `open_count` (conversations
    assigned to them in `active_statuses`, which are the inbox's to name), their teams and
    own working hours prefetched."""
    return (
        agent_list(shop=shop)
        .annotate(
            open_count=Count(
                "assigned_conversations",
                filter=Q(assigned_conversations__status__in=list(active_statuses)),
            )
        )
        .prefetch_related("teams", "working_hours")
    )


def team_list(*, shop: Shop) -> QuerySet[Team]:
    return Team.objects.for_shop(shop).prefetch_related("members__user")


def access_team(*, shop: Shop, team_id: int) -> Team:
    team = team_list(shop=shop).filter(pk=team_id).first()
    if team is None:
        raise Http404
    return team


def contact_option_list(*, shop: Shop) -> QuerySet[ContactOption]:
    return ContactOption.objects.for_shop(shop).filter(is_active=True)


def contact_option_all(*, shop: Shop) -> QuerySet[ContactOption]:
    """Every contact option of the shop, switched off ones too, in their order."""
    return ContactOption.objects.for_shop(shop).order_by("position", "pk")


def access_contact_option(*, shop: Shop, contact_option_id: int) -> ContactOption:
    option: ContactOption | None = (
        contact_option_all(shop=shop).filter(pk=contact_option_id).first()
    )
    if option is None:
        raise Http404
    return option


def closing_day_list(*, shop: Shop, since: dt.date) -> QuerySet[ClosingDay]:
    return ClosingDay.objects.for_shop(shop).filter(date__gte=since).order_by("date")


def access_closing_day(*, shop: Shop, closing_day_id: int) -> ClosingDay:
    day: ClosingDay | None = ClosingDay.objects.for_shop(shop).filter(pk=closing_day_id).first()
    if day is None:
        raise Http404
    return day


def schedule_for(*, shop: Shop) -> Schedule:
    """The shop's opening hours, holidays and closing days, ready for calculation."""
    weekly: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for period in BusinessHours.objects.for_shop(shop):
        weekly.setdefault(period.weekday, []).append((period.opens_at, period.closes_at))
    closing_days = dict(ClosingDay.objects.for_shop(shop).values_list("date", "reason"))
    return Schedule(
        time_zone=zoneinfo.ZoneInfo(shop.time_zone),
        weekly=weekly,
        closing_days=closing_days,
        holiday_country=shop.holiday_country if shop.closed_on_public_holidays else None,
    )


def api_key_list(*, shop: Shop) -> QuerySet[ApiKey]:
    """The shop's API keys, active ones first, newest first."""
    return (
        ApiKey.objects.for_shop(shop)
        .select_related("created_by")
        .order_by(F("revoked_at").asc(nulls_first=True), "-created_at")
    )


def access_api_key(*, shop: Shop, key_id: int) -> ApiKey:
    key: ApiKey | None = ApiKey.objects.for_shop(shop).filter(pk=key_id).first()
    if key is None:
        raise Http404
    return key
