"""The agent workspace: the inbox list, a conversation, and what agents do to them.

Thin views: validate with `inbox.forms`, call one service, redirect back (POST-redirect-GET).
htmx requests get the same redirect and swap the part of the page they asked for, so every
action also works without JavaScript. Domain errors come back as a message on the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Literal
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from balie.core.errors import DomainError
from balie.inbox import downloads, forms, mentions, selectors, services, workspace
from balie.inbox.models import Conversation, ConversationStatus, Macro, Priority, Tag
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.current import agent_required
from balie.tenancy.models import Membership, Role, Shop, Team

# When a shop has no opening hours, snoozing "until tomorrow" means 09:00.
_DEFAULT_MORNING = dt.time(9)


def _membership(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined,no-any-return]  # set by agent_required


def _conversation(request: HttpRequest, conversation_id: int) -> Conversation:
    return selectors.access_conversation(
        shop=_membership(request).shop, conversation_id=conversation_id
    )


def _back(request: HttpRequest, conversation: Conversation) -> HttpResponse:
    return redirect("inbox:conversation", conversation_id=conversation.pk)


def _attempt(request: HttpRequest, action: Callable[[], object], done: str = "") -> bool:
    """Run one service call; a domain error becomes the message the agent reads."""
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
        return False
    if done:
        messages.success(request, done)
    return True


@require_GET
@agent_required()
def inbox(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    shop = membership.shop
    choices = workspace.choices(shop=shop)
    tags = list(Tag.objects.for_shop(shop).order_by("name"))
    form = forms.FilterForm(request.GET, tags=tags, teams=choices.teams, agents=choices.agents)
    view = form.chosen_view()
    with timezone.override(shop.tz):
        now = timezone.now()
        conversations = workspace.view_queryset(
            shop=shop, membership=membership, view=view, filters=form.filters(), now=now
        )
        page = workspace.page_of(conversations, number=form.page_number())
        context = {
            "form": form,
            "view": view,
            "views": workspace.view_counts(shop=shop, membership=membership, now=now),
            "page": page,
            "choices": choices,
            "now": now,
            "query": _query_without_page(request),
            "can_edit": membership.has_role(Role.AGENT),
        }
        template = "inbox/partials/_rows.html" if _rows_only(request) else "inbox/list.html"
        return render(request, template, context)


def _rows_only(request: HttpRequest) -> bool:
    # Live refreshes of the list ask for its rows alone.
    return request.headers.get("HX-Request") == "true" and request.GET.get("partial") == "rows"


def _query_without_page(request: HttpRequest) -> str:
    params = [(key, value) for key, value in request.GET.items() if key not in {"page", "partial"}]
    return urlencode(params)


@require_POST
@agent_required(Role.AGENT)
def bulk(request: HttpRequest) -> HttpResponse:
    """Assign, set the status, tag or move to a team every ticked conversation; each change
    is its own service call with its own event."""
    membership = _membership(request)
    shop = membership.shop
    form = forms.BulkForm(request.POST)
    back = _safe_back(request, fallback=reverse("inbox:list"))
    if not form.is_valid():
        messages.error(request, _("Kies eerst gesprekken en een actie."))
        return redirect(back)
    conversations = workspace.conversations_by_ids(shop=shop, ids=form.ids)
    action = _bulk_action(request, form=form, membership=membership)
    if action is None:
        return redirect(back)
    changed = 0
    for each in conversations:
        try:
            action(each)
        except DomainError as error:
            messages.error(request, f"#{each.reference}: {error.message}")
        else:
            changed += 1
    if changed:
        messages.success(
            request,
            ngettext("%(count)d gesprek bijgewerkt.", "%(count)d gesprekken bijgewerkt.", changed)
            % {"count": changed},
        )
    return redirect(back)


def _bulk_action(
    request: HttpRequest, *, form: forms.BulkForm, membership: Membership
) -> Callable[[Conversation], object] | None:
    shop = membership.shop
    data = form.cleaned_data
    match data["action"]:
        case "assign":
            assignee = _assignee(value=data["assignee"], membership=membership)
            if assignee is False:
                messages.error(request, _("Deze medewerker werkt niet (meer) voor deze winkel."))
                return None
            return lambda c: services.conversation_assign(
                shop=shop, conversation=c, assignee=assignee, actor=membership
            )
        case "status" if data["status"]:
            return lambda c: services.conversation_set_status(
                shop=shop, conversation=c, status=data["status"], actor=membership
            )
        case "tag" if data["tag"].strip():
            return lambda c: services.conversation_tag(
                shop=shop, conversation=c, actor=membership, add=[data["tag"]]
            )
        case "team":
            team = None
            if data["team"] not in ("", "none"):
                team = _team(shop=shop, value=data["team"])
                if team is None:
                    messages.error(request, _("Dit team hoort niet bij deze winkel."))
                    return None
            return lambda c: services.conversation_set_team(
                shop=shop, conversation=c, team=team, actor=membership
            )
    messages.error(request, _("Kies wat er met de gesprekken moet gebeuren."))
    return None


def _assignee(*, value: str, membership: Membership) -> Membership | Literal[False] | None:
    """The agent named by a form value: "me", "" or "none" (nobody), or an id of one of the
    shop's agents; False for any other id."""
    if value == "me":
        return membership
    if value in ("", "none"):
        return None
    if not value.isdigit():
        return False
    found = tenancy_selectors.agent_list(shop=membership.shop).filter(pk=int(value)).first()
    return found if found is not None else False


def _team(*, shop: Shop, value: str) -> Team | None:
    if not value.isdigit():
        return None
    return tenancy_selectors.team_list(shop=shop).filter(pk=int(value)).first()


def _safe_back(request: HttpRequest, *, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_GET
@agent_required()
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    membership = _membership(request)
    shop = membership.shop
    current = _conversation(request, conversation_id)
    if current.merged_into_id is not None and "stay" not in request.GET:
        messages.info(
            request,
            _("Dit gesprek is samengevoegd met #%(reference)s.")
            % {"reference": current.merged_into.reference if current.merged_into else ""},
        )
        return redirect("inbox:conversation", conversation_id=current.merged_into_id)
    services.notifications_mark_read(shop=shop, recipient=membership, conversation=current)
    choices = workspace.choices(shop=shop)
    with timezone.override(shop.tz):
        context = {
            "conversation": current,
            "thread": workspace.thread(shop=shop, conversation=current),
            "panel": workspace.customer_panel(shop=shop, conversation=current),
            "choices": choices,
            "merge_candidates": workspace.merge_candidates(shop=shop, conversation=current),
            "note_form": forms.NoteForm(),
            "reply_form": current.customer.email or current.customer.phone,
            "macros": selectors.macro_list(shop=shop, viewer=membership, active=True),
            "priorities": Priority.choices,
            "mention_candidates": [
                {"handle": mentions.handle(agent), "name": forms.agent_name(agent)}
                for agent in choices.agents
            ],
            "shop_tags": Tag.objects.for_shop(shop).order_by("name"),
            "now": timezone.now(),
            "can_edit": membership.has_role(Role.AGENT),
        }
        template = (
            "inbox/partials/_thread.html"
            if request.GET.get("partial") == "thread"
            else "inbox/conversation.html"
        )
        return render(request, template, context)


@require_POST
@agent_required(Role.AGENT)
def note(request: HttpRequest, conversation_id: int) -> HttpResponse:
    membership = _membership(request)
    current = _conversation(request, conversation_id)
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Schrijf eerst een notitie (hooguit 20.000 tekens)."))
        return _back(request, current)
    _attempt(
        request,
        lambda: services.note_add(
            shop=membership.shop,
            conversation=current,
            author=membership,
            text=form.cleaned_data["text"],
        ),
    )
    return _back(request, current)


# A reply's request body at most (text and attachments); bigger is refused unread.
REPLY_MAX_REQUEST_BYTES = 30 * 1024 * 1024


@require_POST
@agent_required(Role.AGENT)
def reply(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Send the agent's answer (with files) to the customer; "after" may resolve it too."""
    membership = _membership(request)
    shop = membership.shop
    current = _conversation(request, conversation_id)
    if int(request.META.get("CONTENT_LENGTH") or 0) > REPLY_MAX_REQUEST_BYTES:
        messages.error(request, _("Je antwoord met bijlagen is groter dan 25 MB; verstuur minder."))
        return _back(request, current)
    sent = _attempt(
        request,
        lambda: services.reply_send(
            shop=shop,
            conversation=current,
            author=membership,
            text=request.POST.get("text", ""),
            attachments=request.FILES.getlist("attachments"),
        ),
    )
    macro = _macro_used(request, membership)
    if sent and macro is not None:
        _attempt(
            request,
            lambda: services.macro_apply_actions(
                shop=shop, macro=macro, conversation=current, actor=membership
            ),
        )
    if sent and request.POST.get("after") == ConversationStatus.RESOLVED:
        _attempt(
            request,
            lambda: services.conversation_set_status(
                shop=shop,
                conversation=current,
                status=ConversationStatus.RESOLVED,
                actor=membership,
            ),
        )
    return _back(request, current)


def _macro_used(request: HttpRequest, membership: Membership) -> Macro | None:
    """The macro the agent started the reply from (its actions run after sending)."""
    value = request.POST.get("macro_id", "")
    if not value.isdigit():
        return None
    return (
        selectors.macro_list(shop=membership.shop, viewer=membership, active=True)
        .filter(pk=int(value))
        .first()
    )


@require_GET
@agent_required(Role.AGENT)
def macro_render(request: HttpRequest, conversation_id: int, macro_id: int) -> JsonResponse:
    """A macro's text filled in for this conversation, for the reply box (the agent edits it
    before sending)."""
    membership = _membership(request)
    current = _conversation(request, conversation_id)
    macro = selectors.access_macro(shop=membership.shop, viewer=membership, macro_id=macro_id)
    text = services.macro_render(
        shop=membership.shop, macro=macro, conversation=current, agent=membership
    )
    return JsonResponse({"text": text, "macro_id": macro.pk})


@require_POST
@agent_required(Role.AGENT)
def status(request: HttpRequest, conversation_id: int) -> HttpResponse:
    membership = _membership(request)
    shop = membership.shop
    current = _conversation(request, conversation_id)
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een status."))
        return _back(request, current)
    with timezone.override(shop.tz):
        until = None
        if form.cleaned_data["status"] == ConversationStatus.SNOOZED:
            until = form.until(now=timezone.now(), opens_at=_opening_time(shop))
        _attempt(
            request,
            lambda: services.conversation_set_status(
                shop=shop,
                conversation=current,
                status=form.cleaned_data["status"],
                actor=membership,
                snoozed_until=until,
            ),
        )
    return _back(request, current)


def _opening_time(shop: Shop) -> dt.time:
    """When the shop opens on a normal weekday: where "tomorrow" snoozes wake up."""
    schedule = tenancy_selectors.schedule_for(shop=shop)
    for weekday in range(5):
        periods = schedule.weekly.get(weekday)
        if periods:
            return min(opens for opens, _closes in periods)
    return _DEFAULT_MORNING


@require_POST
@agent_required(Role.AGENT)
def assign(request: HttpRequest, conversation_id: int) -> HttpResponse:
    membership = _membership(request)
    current = _conversation(request, conversation_id)
    form = forms.AssignForm(request.POST)
    form.is_valid()
    assignee = _assignee(value=form.cleaned_data.get("assignee", ""), membership=membership)
    if assignee is False:
        messages.error(request, _("Deze medewerker werkt niet (meer) voor deze winkel."))
        return _back(request, current)
    _attempt(
        request,
        lambda: services.conversation_assign(
            shop=membership.shop, conversation=current, assignee=assignee, actor=membership
        ),
    )
    return _back(request, current)


@require_POST
@agent_required(Role.AGENT)
def team(request: HttpRequest, conversation_id: int) -> HttpResponse:
    membership = _membership(request)
    shop = membership.shop
    current = _conversation(request, conversation_id)
    teams = list(tenancy_selectors.team_list(shop=shop))
    form = forms.TeamForm(request.POST, teams=teams)
    if not form.is_valid():
        messages.error(request, _("Dit team hoort niet bij deze winkel."))
        return _back(request, current)
    chosen = next((t for t in teams if t.pk == form.cleaned_data["team"]), None)
    _attempt(
        request,
        lambda: services.conversation_set_team(
            shop=shop, conversation=current, team=chosen, actor=membership
        ),
    )
    return _back(request, current)


@require_POST
@agent_required(Role.AGENT)
def priority(request: HttpRequest, conversation_id: int) -> HttpResponse:
    membership = _membership(request)
    current = _conversation(request, conversation_id)
    form = forms.PriorityForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.conversation_set_priority(
                shop=membership.shop,
                conversation=current,
                priority=form.cleaned_data["priority"],
                actor=membership,
            ),
        )
    return _back(request, current)


@require_POST
@agent_required(Role.AGENT)
def tags(request: HttpRequest, conversation_id: int) -> HttpResponse:
    membership = _membership(request)
    current = _conversation(request, conversation_id)
    form = forms.TagsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Een label heeft 1 tot 50 tekens."))
        return _back(request, current)
    remove = [form.cleaned_data["remove"]] if form.cleaned_data.get("remove") else []
    _attempt(
        request,
        lambda: services.conversation_tag(
            shop=membership.shop,
            conversation=current,
            actor=membership,
            add=form.names_to_add(),
            remove=remove,
        ),
    )
    return _back(request, current)


@require_POST
@agent_required(Role.AGENT)
def merge(request: HttpRequest, conversation_id: int) -> HttpResponse:
    membership = _membership(request)
    shop = membership.shop
    current = _conversation(request, conversation_id)
    form = forms.MergeForm(request.POST)
    reference = form.cleaned_data["target"].strip(" #[]").upper() if form.is_valid() else ""
    target = Conversation.objects.for_shop(shop).filter(reference=reference).first()
    if target is None:
        messages.error(request, _("Geen gesprek gevonden met deze referentie."))
        return _back(request, current)
    merged = _attempt(
        request,
        lambda: services.conversation_merge(
            shop=shop, source=current, target=target, actor=membership
        ),
        done=_("Samengevoegd. Alle berichten staan nu in dit gesprek."),
    )
    return _back(request, target if merged else current)


@require_POST
@agent_required(Role.AGENT)
def split(request: HttpRequest, conversation_id: int, message_id: int) -> HttpResponse:
    membership = _membership(request)
    shop = membership.shop
    current = _conversation(request, conversation_id)
    message = selectors.message_list(shop=shop, conversation=current).filter(pk=message_id).first()
    if message is None:
        raise Http404
    created: list[Conversation] = []
    _attempt(
        request,
        lambda: created.append(
            services.conversation_split(
                shop=shop, conversation=current, message=message, actor=membership
            )
        ),
        done=_("Afgesplitst als nieuw gesprek."),
    )
    return _back(request, created[0] if created else current)


@require_GET
@agent_required()
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    found = selectors.access_attachment(shop=_membership(request).shop, attachment_id=attachment_id)
    return downloads.attachment_response(found)


@require_GET
@agent_required()
def notifications(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    with timezone.override(membership.shop.tz):
        listed = workspace.notification_list(shop=membership.shop, membership=membership)[:100]
        return render(request, "inbox/notifications.html", {"notifications": listed})


@require_POST
@agent_required()
def notifications_read(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    services.notifications_mark_read(shop=membership.shop, recipient=membership)
    return redirect("inbox:notifications")
