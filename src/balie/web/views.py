"""The agent app's pages and the shop's public help center."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from balie.core.errors import DomainError
from balie.knowledge import pages
from balie.tenancy import presence
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.current import SESSION_SHOP_KEY, agent_required, shopper_language
from balie.tenancy.models import Shop
from balie.web import selectors


def home(request: HttpRequest) -> HttpResponse:
    """A shop's help center on its own domain; the agent app everywhere else."""
    shop = tenancy_selectors.shop_by_domain(host=request.get_host())
    if shop is not None:
        return _help_center(request, shop)
    return redirect("web:dashboard")


def help_center(request: HttpRequest, shop_slug: str) -> HttpResponse:
    shop = tenancy_selectors.access_shop_by_slug(slug=shop_slug)
    return _help_center(request, shop)


def _help_center(request: HttpRequest, shop: Shop) -> HttpResponse:
    language = shopper_language(request, shop)
    with translation.override(language), timezone.override(shop.tz):
        page = selectors.help_center_page(shop=shop, now=timezone.now())
        knowledge = {
            "topics": pages.topic_cards(shop=shop, locale=language),
            "popular": pages.popular(shop=shop, locale=language),
        }
        response = render(
            request,
            "web/help_center.html",
            {
                "page": page,
                "shop": shop,
                "palette": page.palette,
                "help_home": request.path,
                "knowledge": knowledge,
            },
        )
    response.headers["Content-Language"] = language
    return response


@agent_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    shop = request.membership.shop  # type: ignore[attr-defined]  # set by agent_required
    with timezone.override(shop.tz):
        figures = selectors.dashboard(shop=shop, now=timezone.now())
        return render(request, "web/dashboard.html", {"figures": figures})


@require_POST
@agent_required()
def shop_switch(request: HttpRequest) -> HttpResponse:
    """Work for another of the agent's shops. Only shops they are a member of; else 404."""
    shop_id = request.POST.get("shop", "")
    if not shop_id.isdigit():
        raise Http404
    memberships = tenancy_selectors.memberships_of(user=request.user)  # type: ignore[arg-type]  # signed in
    if not memberships.filter(shop_id=int(shop_id)).exists():
        raise Http404
    request.session[SESSION_SHOP_KEY] = int(shop_id)
    return redirect("web:dashboard")


@require_POST
@agent_required()
def presence_set(request: HttpRequest) -> HttpResponse:
    """The agent says whether they take new conversations: beschikbaar, afwezig or offline."""
    membership = request.membership  # type: ignore[attr-defined]  # set by agent_required
    try:
        presence.membership_presence_set(
            membership=membership, presence=request.POST.get("presence", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(_safe_next(request))


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("web:dashboard")
