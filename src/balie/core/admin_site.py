"""The Django admin for installation staff, behind Balie's own sign-in.

Staff sign in at /app/login/ like agents, so the admin gets the same throttling and, for users
who turned it on, the same second step; a password-only session of a 2FA user is refused.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from balie.tenancy import two_factor


class BalieAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and two_factor.fully_signed_in(request)

    def login(
        self, request: HttpRequest, extra_context: dict[str, object] | None = None
    ) -> HttpResponse:
        return redirect_to_login(
            request.GET.get("next") or reverse("admin:index"), reverse("web:login")
        )
