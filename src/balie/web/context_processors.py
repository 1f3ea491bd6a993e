from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from balie.tenancy.current import current_membership


def balie(request: HttpRequest) -> dict[str, Any]:
    """The signed-in agent's membership (and so shop) for the layout."""
    membership = current_membership(request) if hasattr(request, "user") else None
    return {"membership": membership, "current_shop": membership.shop if membership else None}
