"""API authentication: a shop's API key as a bearer token, or an agent's browser session.

Either way the request ends up with `request.auth` set to an `ApiPrincipal` that names the
shop; routers read the shop from there and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from balie.tenancy import services as tenancy_services
from balie.tenancy import two_factor
from balie.tenancy.current import current_membership
from balie.tenancy.models import ApiKey, Membership, Role, Shop


@dataclass(frozen=True)
class ApiPrincipal:
    shop: Shop
    membership: Membership | None = None
    api_key: ApiKey | None = None

    def can(self, minimum: Role) -> bool:
        """API keys act as an admin of their shop; sessions act in the agent's role."""
        if self.api_key is not None:
            return True
        return self.membership is not None and self.membership.has_role(minimum)


class ApiKeyAuth(HttpBearer):
    openapi_description = "A shop's API key: `Authorization: Bearer balie_…`."

    def authenticate(self, request: HttpRequest, token: str) -> ApiPrincipal | None:
        key = tenancy_services.api_key_authenticate(raw_key=token)
        if key is None:
            return None
        return ApiPrincipal(shop=key.shop, api_key=key)


class SessionAuth(APIKeyCookie):
    """An agent signed in to the web app; CSRF is checked for unsafe methods.

    Like the web app (`agent_required`), a user with two-factor sign-in on needs a session
    verified by a code: a password-only session (e.g. from /admin/) does not open the API.
    """

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = (
        "The session cookie of an agent signed in at /app/ (CSRF token required for writes)."
    )

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(self.param_name)
        # Without a session cookie there is nothing to forge: answer 401, not a CSRF 403.
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if key and self.csrf and not exempt and check_csrf(request):
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header.")
        return key

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiPrincipal | None:
        if not two_factor.fully_signed_in(request):
            return None
        membership = current_membership(request)
        if membership is None:
            return None
        return ApiPrincipal(shop=membership.shop, membership=membership)


def principal(request: HttpRequest) -> ApiPrincipal:
    return request.auth  # type: ignore[attr-defined,no-any-return]


AUTH = [ApiKeyAuth(), SessionAuth()]
