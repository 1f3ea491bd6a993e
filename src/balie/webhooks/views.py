"""The webhook settings pages: the list with a form to add one, and an endpoint's page with
its delivery log, test ping, secret rotation, on/off and delete. Owners and admins only.

A new or rotated secret is shown in the answer to that POST, once; no page shows it again.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from balie.core.errors import DomainError
from balie.tenancy.current import agent_required
from balie.tenancy.models import Membership, Role
from balie.webhooks import events, selectors, services
from balie.webhooks.forms import WebhookEndpointForm
from balie.webhooks.models import WebhookEndpoint

LOG_PAGE_SIZE = 50


def _membership(request: HttpRequest) -> Membership:
    membership: Membership = request.membership  # type: ignore[attr-defined]  # agent_required
    return membership


@never_cache  # the answer to a POST holds the new secret
@agent_required(Role.ADMIN)
def webhook_list(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    form = WebhookEndpointForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            endpoint = services.webhook_endpoint_create(
                shop=membership.shop,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
                created_by=membership.user,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return _detail_page(request, endpoint, new_secret=endpoint.secret)
    context = {
        "form": form,
        "endpoints": selectors.endpoint_list(shop=membership.shop),
        "event_labels": events.EVENTS,
    }
    return render(request, "webhooks/webhook_list.html", context)


@never_cache
@agent_required(Role.ADMIN)
def webhook_detail(request: HttpRequest, webhook_id: int) -> HttpResponse:
    """The endpoint's page; a POST changes its address, description and events."""
    membership = _membership(request)
    endpoint = selectors.access_endpoint(shop=membership.shop, webhook_id=webhook_id)
    form = WebhookEndpointForm(
        request.POST if request.method == "POST" else None,
        initial={
            "url": endpoint.url,
            "description": endpoint.description,
            "events": endpoint.events,
        },
    )
    if form.is_bound and form.is_valid():
        try:
            services.webhook_endpoint_update(
                shop=membership.shop,
                endpoint=endpoint,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("De webhook is bijgewerkt."))
            return redirect("web:webhooks:detail", webhook_id=endpoint.pk)
    return _detail_page(request, endpoint, form=form)


@require_POST
@agent_required(Role.ADMIN)
def webhook_test(request: HttpRequest, webhook_id: int) -> HttpResponse:
    return _act(request, webhook_id, "test")


@never_cache
@require_POST
@agent_required(Role.ADMIN)
def webhook_rotate(request: HttpRequest, webhook_id: int) -> HttpResponse:
    membership = _membership(request)
    endpoint = selectors.access_endpoint(shop=membership.shop, webhook_id=webhook_id)
    endpoint = services.webhook_endpoint_secret_rotate(shop=membership.shop, endpoint=endpoint)
    return _detail_page(request, endpoint, new_secret=endpoint.secret)


@require_POST
@agent_required(Role.ADMIN)
def webhook_toggle(request: HttpRequest, webhook_id: int) -> HttpResponse:
    return _act(request, webhook_id, "toggle")


@require_POST
@agent_required(Role.ADMIN)
def webhook_delete(request: HttpRequest, webhook_id: int) -> HttpResponse:
    membership = _membership(request)
    endpoint = selectors.access_endpoint(shop=membership.shop, webhook_id=webhook_id)
    services.webhook_endpoint_delete(shop=membership.shop, endpoint=endpoint)
    messages.success(request, _("De webhook is verwijderd."))
    return redirect("web:webhooks:list")


@require_POST
@agent_required(Role.ADMIN)
def webhook_delivery_retry(request: HttpRequest, webhook_id: int, delivery_id: int) -> HttpResponse:
    membership = _membership(request)
    endpoint = selectors.access_endpoint(shop=membership.shop, webhook_id=webhook_id)
    delivery = selectors.access_delivery(
        shop=membership.shop, endpoint=endpoint, delivery_id=delivery_id
    )
    try:
        services.webhook_delivery_retry(shop=membership.shop, delivery=delivery)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De aflevering wordt opnieuw verstuurd."))
    return redirect("web:webhooks:detail", webhook_id=endpoint.pk)


def _act(request: HttpRequest, webhook_id: int, action: str) -> HttpResponse:
    membership = _membership(request)
    endpoint = selectors.access_endpoint(shop=membership.shop, webhook_id=webhook_id)
    try:
        if action == "test":
            services.webhook_test_send(shop=membership.shop, endpoint=endpoint)
            messages.success(request, _("De test is verstuurd; het resultaat staat hieronder."))
        else:
            services.webhook_endpoint_update(
                shop=membership.shop, endpoint=endpoint, is_active=not endpoint.is_active
            )
            messages.success(
                request,
                _("De webhook staat uit.") if endpoint.is_active else _("De webhook staat aan."),
            )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("web:webhooks:detail", webhook_id=endpoint.pk)


def _detail_page(
    request: HttpRequest,
    endpoint: WebhookEndpoint,
    *,
    form: WebhookEndpointForm | None = None,
    new_secret: str = "",
) -> HttpResponse:
    deliveries = selectors.delivery_list(shop=endpoint.shop, endpoint=endpoint)
    page = Paginator(deliveries, LOG_PAGE_SIZE).get_page(request.GET.get("pagina"))
    context: dict[str, Any] = {
        "endpoint": endpoint,
        "form": form
        or WebhookEndpointForm(
            initial={
                "url": endpoint.url,
                "description": endpoint.description,
                "events": endpoint.events,
            }
        ),
        "new_secret": new_secret,
        "page": page,
        # The body as the receiver got it (JSON), not as Python shows a dict.
        "rows": [
            (delivery, json.dumps(delivery.payload, indent=2, ensure_ascii=False))
            for delivery in page.object_list
        ],
        "event_labels": events.EVENTS,
    }
    return render(request, "webhooks/webhook_detail.html", context)
