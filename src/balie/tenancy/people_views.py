"""The settings pages for the people of a shop (owners and admins): teams with their
assignment mode, and agents with role, presence, load, capacity and working hours."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from balie.core.errors import DomainError
from balie.inbox import services as inbox_services
from balie.inbox.models import ACTIVE_STATUSES
from balie.tenancy import presence, selectors, services
from balie.tenancy.current import agent_required, request_membership
from balie.tenancy.forms import (
    CapacityForm,
    InviteForm,
    RoleForm,
    TeamDeleteForm,
    TeamForm,
    WeekForm,
)
from balie.tenancy.models import Membership, Presence, Role, Shop, Team, Weekday
from balie.tenancy.opening_periods import format_periods


@dataclass(frozen=True)
class AgentRow:
    agent: Membership
    presence: Presence
    open_count: int
    hours: str  # "" when they follow the shop's opening hours
    teams: list[Team]


# --- Teams -----------------------------------------------------------------------------------


@agent_required(Role.ADMIN)
def team_list(request: HttpRequest) -> HttpResponse:
    shop = request_membership(request).shop
    agents = _agents(shop)
    form = TeamForm(
        request.POST if request.method == "POST" else None, agents=list(agents.values())
    )
    if form.is_bound and form.is_valid():
        try:
            team = services.team_create(
                shop=shop,
                name=form.cleaned_data["name"],
                assignment=form.cleaned_data["assignment"],
                members=[agents[pk] for pk in form.cleaned_data["members"]],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Het team %(name)s is gemaakt.") % {"name": team.name})
            return redirect("web:shop_settings:teams")
    context = {"teams": list(selectors.team_list(shop=shop)), "form": form}
    return render(request, "tenancy/settings/team_list.html", context)


@agent_required(Role.ADMIN)
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    shop = request_membership(request).shop
    team = selectors.access_team(shop=shop, team_id=team_id)
    agents = _agents(shop)
    form = TeamForm(
        request.POST if request.method == "POST" else None,
        agents=list(agents.values()),
        team=team,
    )
    if form.is_bound and form.is_valid():
        try:
            services.team_update(
                shop=shop,
                team=team,
                name=form.cleaned_data["name"],
                assignment=form.cleaned_data["assignment"],
                members=[agents[pk] for pk in form.cleaned_data["members"]],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Het team is opgeslagen."))
            return redirect("web:shop_settings:teams")
    others = [other for other in selectors.team_list(shop=shop) if other.pk != team.pk]
    context = {
        "team": team,
        "form": form,
        "delete_form": TeamDeleteForm(teams=others),
        "open_count": team.conversations.filter(status__in=ACTIVE_STATUSES).count(),
    }
    return render(request, "tenancy/settings/team_detail.html", context)


@require_POST
@agent_required(Role.ADMIN)
def team_delete(request: HttpRequest, team_id: int) -> HttpResponse:
    membership = request_membership(request)
    shop = membership.shop
    team = selectors.access_team(shop=shop, team_id=team_id)
    others = {other.pk: other for other in selectors.team_list(shop=shop) if other.pk != team.pk}
    form = TeamDeleteForm(request.POST, teams=list(others.values()))
    if not form.is_valid():
        messages.error(request, _("Kies een ander team van deze winkel, of geen team."))
        return redirect("web:shop_settings:team_detail", team_id=team.pk)
    move_to = others.get(form.cleaned_data["move_to"]) if form.cleaned_data["move_to"] else None
    moved = inbox_services.team_delete(shop=shop, team=team, move_to=move_to, actor=membership)
    messages.success(
        request,
        ngettext(
            "Het team %(name)s is verwijderd; %(count)d gesprek is verplaatst.",
            "Het team %(name)s is verwijderd; %(count)d gesprekken zijn verplaatst.",
            moved,
        )
        % {"name": team.name, "count": moved},
    )
    return redirect("web:shop_settings:teams")


# --- Agents ----------------------------------------------------------------------------------


@agent_required(Role.ADMIN)
def agent_list(request: HttpRequest) -> HttpResponse:
    """Everyone who works for the shop; a POST invites a colleague."""
    membership = request_membership(request)
    shop = membership.shop
    form = InviteForm(request.POST if request.method == "POST" else None, actor=membership)
    if form.is_bound and form.is_valid():
        try:
            invited = services.agent_invite(shop=shop, invited_by=membership, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("%(email)s is toegevoegd en krijgt een uitnodiging per e-mail.")
                % {"email": invited.user.email},
            )
            return redirect("web:shop_settings:agents")
    now = timezone.now()
    rows = [
        AgentRow(
            agent=agent,
            presence=presence.presence_effective(membership=agent, now=now),
            open_count=agent.open_count,  # type: ignore[attr-defined]  # annotated
            hours=_hours_summary(agent),
            teams=list(agent.teams.all()),
        )
        for agent in selectors.agent_overview(shop=shop, active_statuses=ACTIVE_STATUSES)
    ]
    return render(request, "tenancy/settings/agent_list.html", {"rows": rows, "form": form})


@agent_required(Role.ADMIN)
def agent_detail(request: HttpRequest, agent_id: int) -> HttpResponse:
    membership = request_membership(request)
    agent = selectors.access_agent(shop=membership.shop, agent_id=agent_id)
    return _agent_page(request, membership, agent)


@require_POST
@agent_required(Role.ADMIN)
def agent_role(request: HttpRequest, agent_id: int) -> HttpResponse:
    membership = request_membership(request)
    agent = selectors.access_agent(shop=membership.shop, agent_id=agent_id)
    form = RoleForm(request.POST, actor=membership, agent=agent)
    if form.is_valid():
        try:
            services.membership_role_set(
                shop=membership.shop,
                membership=agent,
                role=form.cleaned_data["role"],
                actor=membership,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is nu %(role)s.")
                % {"name": agent.user, "role": Role(agent.role).label.lower()},
            )
            if agent.pk == membership.pk and not agent.has_role(Role.ADMIN):
                return redirect("web:dashboard")  # they just gave up the settings pages
            return redirect("web:shop_settings:agent_detail", agent_id=agent.pk)
    return _agent_page(request, membership, agent, role_form=form)


@require_POST
@agent_required(Role.ADMIN)
def agent_capacity(request: HttpRequest, agent_id: int) -> HttpResponse:
    membership = request_membership(request)
    agent = selectors.access_agent(shop=membership.shop, agent_id=agent_id)
    form = CapacityForm(request.POST)
    if form.is_valid():
        try:
            services.membership_update(
                shop=membership.shop,
                membership=agent,
                max_open_conversations=form.cleaned_data["max_open_conversations"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Het maximum is opgeslagen."))
            return redirect("web:shop_settings:agent_detail", agent_id=agent.pk)
    return _agent_page(request, membership, agent, capacity_form=form)


@require_POST
@agent_required(Role.ADMIN)
def agent_hours(request: HttpRequest, agent_id: int) -> HttpResponse:
    membership = request_membership(request)
    agent = selectors.access_agent(shop=membership.shop, agent_id=agent_id)
    form = WeekForm(request.POST, blank="")
    if form.is_valid():
        try:
            presence.agent_working_hours_set(
                shop=membership.shop, membership=agent, periods=form.periods()
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("De werktijden zijn opgeslagen."))
            return redirect("web:shop_settings:agent_detail", agent_id=agent.pk)
    return _agent_page(request, membership, agent, hours_form=form)


def _agents(shop: Shop) -> dict[int, Membership]:
    return {agent.pk: agent for agent in selectors.agent_list(shop=shop).filter(is_active=True)}


def _own_periods(agent: Membership) -> list[tuple[int, dt.time, dt.time]]:
    return [(row.weekday, row.starts_at, row.ends_at) for row in agent.working_hours.all()]


def _hours_summary(agent: Membership) -> str:
    periods = _own_periods(agent)
    if not periods:
        return ""
    days: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for day, start, end in periods:
        days.setdefault(day, []).append((start, end))
    return "; ".join(
        f"{str(Weekday(day).label)[:2]} {format_periods(day_periods)}"
        for day, day_periods in sorted(days.items())
    )


def _agent_page(
    request: HttpRequest,
    membership: Membership,
    agent: Membership,
    *,
    role_form: RoleForm | None = None,
    capacity_form: CapacityForm | None = None,
    hours_form: WeekForm | None = None,
) -> HttpResponse:
    now = timezone.now()
    context: dict[str, Any] = {
        "agent": agent,
        "is_self": agent.pk == membership.pk,
        "presence": presence.presence_effective(membership=agent, now=now),
        "open_count": agent.assigned_conversations.filter(status__in=ACTIVE_STATUSES).count(),
        "teams": list(agent.teams.all()),
        "role_form": role_form or RoleForm(actor=membership, agent=agent),
        "may_change_role": agent.role != Role.OWNER or membership.role == Role.OWNER,
        "capacity_form": capacity_form
        or CapacityForm(initial={"max_open_conversations": agent.max_open_conversations}),
        "hours_form": hours_form or WeekForm(periods=_own_periods(agent), blank=""),
        "follows_shop_hours": not agent.working_hours.exists(),
    }
    return render(request, "tenancy/settings/agent_detail.html", context)


def _form_error(form: Any, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
