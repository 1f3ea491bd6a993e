"""The macro settings pages under /app/instellingen/macros/: every agent manages their own
personal macros there; owners and admins also the shop's shared ones. Another agent's
personal macro is as absent as another shop's (404); a shared one is read-only to agents
(403 on its page)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balie.core.errors import DomainError
from balie.inbox import macros, selectors, services
from balie.inbox.models import Macro
from balie.inbox.services.macros import MACRO_BODY_MAX
from balie.inbox.settings_forms import SHARED, MacroForm
from balie.inbox.settings_views import placeholder_rows, sample_values
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.current import agent_required, request_membership
from balie.tenancy.models import Membership, Role, Team


@agent_required(Role.AGENT)
def macro_list(request: HttpRequest) -> HttpResponse:
    membership = request_membership(request)
    listed = list(selectors.macro_list(shop=membership.shop, viewer=membership))
    context = {
        "shared": [macro for macro in listed if macro.owner_id is None],
        "personal": [macro for macro in listed if macro.owner_id is not None],
        "may_share": membership.has_role(Role.ADMIN),
    }
    return render(request, "inbox/settings/macro_list.html", context)


@agent_required(Role.AGENT)
def macro_create(request: HttpRequest) -> HttpResponse:
    membership = request_membership(request)
    may_share = membership.has_role(Role.ADMIN)
    teams = _teams(membership)
    form = _form(request, membership, teams=teams, macro=None)
    if form.is_bound and form.is_valid() and request.POST.get("action") != "preview":
        shared = may_share and form.cleaned_data.get("shared") == SHARED
        try:
            macro = services.macro_create(
                shop=membership.shop,
                owner=None if shared else membership,
                **_fields(form, teams),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("De macro %(name)s is opgeslagen.") % {"name": macro.name})
            return redirect("web:inbox_settings:macros")
    return _form_page(request, membership, form=form, macro=None)


@agent_required(Role.AGENT)
def macro_detail(request: HttpRequest, macro_id: int) -> HttpResponse:
    membership = request_membership(request)
    macro = _editable(membership, macro_id)
    teams = _teams(membership)
    form = _form(request, membership, teams=teams, macro=macro)
    if form.is_bound and form.is_valid() and request.POST.get("action") != "preview":
        try:
            macro = services.macro_update(shop=membership.shop, macro=macro, **_fields(form, teams))
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("De macro %(name)s is opgeslagen.") % {"name": macro.name})
            return redirect("web:inbox_settings:macros")
    return _form_page(request, membership, form=form, macro=macro)


@require_POST
@agent_required(Role.AGENT)
def macro_delete(request: HttpRequest, macro_id: int) -> HttpResponse:
    membership = request_membership(request)
    macro = _editable(membership, macro_id)
    services.macro_delete(shop=membership.shop, macro=macro)
    messages.success(request, _("De macro %(name)s is verwijderd.") % {"name": macro.name})
    return redirect("web:inbox_settings:macros")


@require_POST
@agent_required(Role.AGENT)
def macro_preview(request: HttpRequest) -> HttpResponse:
    """The macro's text filled in for a made-up conversation, as typed so far (htmx)."""
    membership = request_membership(request)
    body = request.POST.get("body", "")[:MACRO_BODY_MAX]
    return render(request, "inbox/settings/_text_preview.html", _preview(membership, body))


def _editable(membership: Membership, macro_id: int) -> Macro:
    macro = selectors.access_macro(shop=membership.shop, viewer=membership, macro_id=macro_id)
    if macro.owner_id is None and not membership.has_role(Role.ADMIN):
        raise PermissionDenied  # shared macros are the admins'
    return macro


def _teams(membership: Membership) -> dict[int, Team]:
    return {team.pk: team for team in tenancy_selectors.team_list(shop=membership.shop)}


def _form(
    request: HttpRequest, membership: Membership, *, teams: dict[int, Team], macro: Macro | None
) -> MacroForm:
    return MacroForm(
        request.POST if request.method == "POST" else None,
        teams=list(teams.values()),
        macro=macro,
        may_share=membership.has_role(Role.ADMIN),
        preview_url=reverse("web:inbox_settings:macro_preview"),
    )


def _fields(form: MacroForm, teams: dict[int, Team]) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "body": data["body"],
        "set_status": data["set_status"],
        "set_priority": data["set_priority"],
        "add_tags": form.tag_names(),
        "set_team": teams.get(data["set_team"]) if data["set_team"] else None,
        "is_active": data["is_active"],
    }


def _form_error(form: MacroForm, error: DomainError) -> None:
    field = error.field or ""
    if field.startswith("add_tags"):
        field = "add_tags"
    form.add_error(field if field in form.fields else None, error.message)


def _preview(membership: Membership, body: str) -> dict[str, Any]:
    values = sample_values(shop=membership.shop, agent=membership)
    return {
        "preview": macros.render(body, values),
        "preview_problems": macros.problems(body),
        "placeholders": placeholder_rows(macros.PLACEHOLDERS, values),
    }


def _form_page(
    request: HttpRequest, membership: Membership, *, form: MacroForm, macro: Macro | None
) -> HttpResponse:
    if form.is_bound:
        body = request.POST.get("body", "")[:MACRO_BODY_MAX]
    else:
        body = macro.body if macro is not None else ""
    context = {"form": form, "macro": macro, **_preview(membership, body)}
    return render(request, "inbox/settings/macro_form.html", context)
