from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from balie.inbox import workspace as inbox_workspace
from balie.tenancy import selectors
from balie.tenancy.current import current_membership
from balie.tenancy.models import Presence


def balie(request: HttpRequest) -> dict[str, Any]:
    """The signed-in agent's membership (and so shop) for the layout."""
    membership = current_membership(request) if hasattr(request, "user") else None
    return {
        "membership": membership,
        "current_shop": membership.shop if membership else None,
        # The shops the agent may switch to; queried only when a template asks.
        "agent_memberships": SimpleLazyObject(
            lambda: list(selectors.memberships_of(user=request.user).order_by("shop__name"))  # type: ignore[arg-type]  # only read when signed in
        )
        if membership
        else [],
        "presence_choices": Presence.choices,
        # The bell's count; queried only when a template asks.
        "unread_notifications": SimpleLazyObject(
            lambda: inbox_workspace.unread_notifications(
                shop=membership.shop,
                membership=membership,
            ).count()
        )
        if membership
        else 0,
    }
