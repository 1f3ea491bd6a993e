"""The shop and membership of the current request.

An agent's requests belong to the shop of the membership chosen in the session (or their
first shop). Public pages belong to the shop whose domain is the request's host, or the one
in `/s/<slug>/`. The shop never comes from an id in the query string or body.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from balie.tenancy import selectors, two_factor
from balie.tenancy.models import Membership, Role, Shop

SESSION_SHOP_KEY = "balie_shop_id"
_CACHE_ATTRIBUTE = "_balie_membership"


def current_membership(request: HttpRequest) -> Membership | None:
    if not hasattr(request, _CACHE_ATTRIBUTE):
        membership = None
        if request.user.is_authenticated:
            membership = selectors.membership_for(
                user=request.user,
                shop_id=request.session.get(SESSION_SHOP_KEY),
            )
        setattr(request, _CACHE_ATTRIBUTE, membership)
    return getattr(request, _CACHE_ATTRIBUTE)  # type: ignore[no-any-return]


def agent_required(
    minimum: Role = Role.VIEWER,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Views for agents: sign-in required, a membership of at least `minimum` role.

    A user with two-factor sign-in on also needs a session verified by a code; a session
    signed in by password only (e.g. at /admin/) is sent to the sign-in page.
    The view receives the membership as `request.membership`.
    """

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not two_factor.fully_signed_in(request):
                return redirect_to_login(request.get_full_path())
            membership = current_membership(request)
            if membership is None or not membership.has_role(minimum):
                raise PermissionDenied
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def request_membership(request: HttpRequest) -> Membership:
    """The membership `agent_required` put on the request (a view behind it only)."""
    membership = getattr(request, "membership", None)
    if not isinstance(membership, Membership):
        raise RuntimeError("request_membership() outside a view decorated with agent_required")
    return membership


def shopper_language(request: HttpRequest, shop: Shop) -> str:
    """The language of a shop's public page: the shopper's pick from the language switch,
    else the shop's own. The browser's Accept-Language does not override the shop."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return language if language in dict(settings.LANGUAGES) else shop.default_locale
