"""The inbox's settings pages under /app/instellingen/ (owners and admins): SLA policies,
the inbox's preferences (threading, default team, acknowledgement, satisfaction survey) and
labels. Macros, which agents manage too, are in `macro_views`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from balie.core.errors import DomainError
from balie.inbox import macros, selectors, services
from balie.inbox.models import Priority, SlaPolicy
from balie.inbox.services import auto_reply
from balie.inbox.services.conversations import AUTO_REPLY_TEXT_MAX
from balie.inbox.settings_forms import InboxSettingsForm, SlaPolicyForm, TagForm
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.current import agent_required, request_membership
from balie.tenancy.models import ContactChannel, Membership, Role, Shop

TAG_PAGE_SIZE = 100


@dataclass(frozen=True)
class SlaRow:
    policy: SlaPolicy
    scope: str
    first_response: str
    resolution: str
    warning: str


@dataclass(frozen=True)
class PlaceholderRow:
    token: str  # as typed, braces included
    label: str
    sample: str


def working_time(minutes: int) -> str:
    """ "4 werkuren", "30 werkminuten", "1 werkuur en 30 minuten"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return ngettext("%(count)d werkminuut", "%(count)d werkminuten", rest) % {"count": rest}
    hours_text = ngettext("%(count)d werkuur", "%(count)d werkuren", hours) % {"count": hours}
    if not rest:
        return hours_text
    minutes_text = ngettext("%(count)d minuut", "%(count)d minuten", rest) % {"count": rest}
    return _("%(hours)s en %(minutes)s") % {"hours": hours_text, "minutes": minutes_text}


def sample_values(*, shop: Shop, agent: Membership | None) -> dict[str, str]:
    """Placeholder values of a made-up conversation, for previews (never a real customer)."""
    agent_name = (agent.display_name or agent.user.full_name) if agent is not None else ""
    return {
        "customer.first_name": "Anouk",
        "customer.last_name": "de Vries",
        "customer.name": "Anouk de Vries",
        "customer.email": "anouk@example.nl",
        "agent.first_name": agent_name.split()[0] if agent_name.split() else "",
        "agent.name": agent_name,
        "shop.name": shop.name,
        "conversation.reference": "K7M2QX9A",
        "conversation.subject": _("Vraag over mijn bestelling"),
    }


def placeholder_rows(names: tuple[str, ...], values: dict[str, str]) -> list[PlaceholderRow]:
    return [
        PlaceholderRow(
            token="{{ " + name + " }}",
            label=str(macros.PLACEHOLDER_LABELS.get(name, "")),
            sample=values.get(name, ""),
        )
        for name in names
    ]


# --- SLA policies ----------------------------------------------------------------------------


@agent_required(Role.ADMIN)
def sla_list(request: HttpRequest) -> HttpResponse:
    """The shop's SLA policies with a form to add one."""
    shop = request_membership(request).shop
    form = SlaPolicyForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            policy = services.sla_policy_create(shop=shop, **form.service_fields())
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "De SLA-afspraak %(name)s is toegevoegd. Open gesprekken krijgen binnen een "
                    "minuut de nieuwe deadlines."
                )
                % {"name": policy.name},
            )
            return redirect("web:inbox_settings:sla")
    rows = [_sla_row(policy) for policy in selectors.sla_policy_list(shop=shop)]
    return render(request, "inbox/settings/sla_list.html", {"rows": rows, "form": form})


@agent_required(Role.ADMIN)
def sla_detail(request: HttpRequest, policy_id: int) -> HttpResponse:
    shop = request_membership(request).shop
    policy = selectors.access_sla_policy(shop=shop, policy_id=policy_id)
    form = SlaPolicyForm(request.POST if request.method == "POST" else None, policy=policy)
    if form.is_bound and form.is_valid():
        try:
            services.sla_policy_update(shop=shop, policy=policy, **form.service_fields())
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("De SLA-afspraak is opgeslagen."))
            return redirect("web:inbox_settings:sla")
    return render(request, "inbox/settings/sla_detail.html", {"policy": policy, "form": form})


@require_POST
@agent_required(Role.ADMIN)
def sla_delete(request: HttpRequest, policy_id: int) -> HttpResponse:
    shop = request_membership(request).shop
    policy = selectors.access_sla_policy(shop=shop, policy_id=policy_id)
    services.sla_policy_delete(shop=shop, policy=policy)
    messages.success(request, _("De SLA-afspraak %(name)s is verwijderd.") % {"name": policy.name})
    return redirect("web:inbox_settings:sla")


def _sla_row(policy: SlaPolicy) -> SlaRow:
    priority = Priority(policy.priority).label if policy.priority else _("elke prioriteit")
    channel = ContactChannel(policy.channel).label if policy.channel else _("elk kanaal")
    return SlaRow(
        policy=policy,
        scope=f"{str(priority).capitalize()} · {str(channel).lower()}",
        first_response=working_time(policy.first_response_minutes),
        resolution=working_time(policy.resolution_minutes),
        warning=working_time(policy.warn_before_minutes) if policy.warn_before_minutes else "",
    )


# --- Inbox preferences -----------------------------------------------------------------------


@agent_required(Role.ADMIN)
def inbox_settings(request: HttpRequest) -> HttpResponse:
    """Threading, default team, acknowledgement (with a preview) and the survey. The
    preview button shows the filled-in text without saving (htmx does it while typing)."""
    membership = request_membership(request)
    shop = membership.shop
    settings = selectors.inbox_settings_get(shop=shop)
    teams = {team.pk: team for team in tenancy_selectors.team_list(shop=shop)}
    data = request.POST.copy() if request.method == "POST" else None
    action = data.get("action", "") if data is not None else ""
    if data is not None and action == "start":  # the built-in text, to make one's own
        with translation.override(shop.default_locale):
            data["auto_reply_text"] = auto_reply.acknowledgement_template()
    form = InboxSettingsForm(
        data,
        settings=settings,
        teams=list(teams.values()),
        preview_url=reverse("web:inbox_settings:inbox_preview"),
    )
    text = settings.auto_reply_text
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["auto_reply_text"]
        if action not in ("preview", "start"):
            fields = dict(form.cleaned_data)
            team_id = fields.pop("default_team")
            try:
                services.inbox_settings_update(
                    shop=shop, default_team=teams.get(team_id) if team_id else None, **fields
                )
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("De instellingen van de inbox zijn opgeslagen."))
                return redirect("web:inbox_settings:inbox")
    elif data is not None:
        text = data.get("auto_reply_text", "")[:AUTO_REPLY_TEXT_MAX]
    context = {"form": form, **_reply_preview(shop=shop, membership=membership, text=text)}
    return render(request, "inbox/settings/inbox_settings.html", context)


@require_POST
@agent_required(Role.ADMIN)
def inbox_settings_preview(request: HttpRequest) -> HttpResponse:
    """The acknowledgement as the customer gets it, for the text typed so far (htmx)."""
    membership = request_membership(request)
    text = request.POST.get("auto_reply_text", "")[:AUTO_REPLY_TEXT_MAX]
    context = _reply_preview(shop=membership.shop, membership=membership, text=text)
    return render(request, "inbox/settings/_text_preview.html", context)


def _reply_preview(*, shop: Shop, membership: Membership, text: str) -> dict[str, Any]:
    now = timezone.now()
    with translation.override(shop.default_locale), timezone.override(shop.tz):
        values = sample_values(shop=shop, agent=None)
        values["response_time"] = auto_reply.expected_response_sentence(shop=shop, now=now)
        preview = auto_reply.acknowledgement_text(shop=shop, template=text, values=values)
    return {
        "preview": preview,
        "preview_problems": macros.problems(text, names=auto_reply.PLACEHOLDERS),
        "placeholders": placeholder_rows(auto_reply.PLACEHOLDERS, values),
        "sample_moment": now,
    }


# --- Labels ----------------------------------------------------------------------------------


@agent_required(Role.ADMIN)
def tag_list(request: HttpRequest) -> HttpResponse:
    """The shop's labels with how many conversations carry each; a POST adds one."""
    shop = request_membership(request).shop
    form = TagForm(request.POST if request.method == "POST" else None, prefix="new")
    if form.is_bound and form.is_valid():
        try:
            tag = services.tag_create(shop=shop, name=form.cleaned_data["name"])
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Het label %(name)s is toegevoegd.") % {"name": tag.name})
            return redirect("web:inbox_settings:tags")
    return _tag_page(request, shop, form=form)


@require_POST
@agent_required(Role.ADMIN)
def tag_rename(request: HttpRequest, tag_id: int) -> HttpResponse:
    shop = request_membership(request).shop
    tag = selectors.access_tag(shop=shop, tag_id=tag_id)
    form = TagForm(request.POST, prefix=f"tag-{tag.pk}")
    if form.is_valid():
        old = tag.name
        try:
            tag = services.tag_rename(shop=shop, tag=tag, name=form.cleaned_data["name"])
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("%(old)s heet nu %(new)s.") % {"old": old, "new": tag.name})
            return redirect(_tag_list_url(request))
    return _tag_page(request, shop, failed=(tag.pk, form))


@require_POST
@agent_required(Role.ADMIN)
def tag_delete(request: HttpRequest, tag_id: int) -> HttpResponse:
    membership = request_membership(request)
    tag = selectors.access_tag(shop=membership.shop, tag_id=tag_id)
    count = services.tag_delete(shop=membership.shop, tag=tag, actor=membership)
    messages.success(
        request,
        ngettext(
            "Het label %(name)s is verwijderd, ook van %(count)d gesprek.",
            "Het label %(name)s is verwijderd, ook van %(count)d gesprekken.",
            count,
        )
        % {"name": tag.name, "count": count},
    )
    return redirect(_tag_list_url(request))


def _tag_list_url(request: HttpRequest) -> str:
    """Back to the page and search the change was made from (numbers and words only)."""
    url = reverse("web:inbox_settings:tags")
    query = request.POST.get("q", "").strip()[:100]
    return f"{url}?{urlencode({'q': query})}" if query else url


def _tag_page(
    request: HttpRequest,
    shop: Shop,
    *,
    form: TagForm | None = None,
    failed: tuple[int, TagForm] | None = None,
) -> HttpResponse:
    query = (request.GET.get("q") or request.POST.get("q") or "").strip()[:100]
    page = Paginator(selectors.tag_list(shop=shop, q=query), TAG_PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    rows = []
    for tag in page.object_list:
        if failed is not None and failed[0] == tag.pk:
            rows.append((tag, failed[1]))
        else:
            rows.append((tag, TagForm(prefix=f"tag-{tag.pk}", initial={"name": tag.name})))
    context = {
        "form": form or TagForm(prefix="new"),
        "rows": rows,
        "page": page,
        "q": query,
        "failed_id": failed[0] if failed else None,
    }
    return render(request, "inbox/settings/tag_list.html", context, status=200)


def _form_error(form: Any, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
