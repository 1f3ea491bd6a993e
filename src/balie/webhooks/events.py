"""Events for outgoing webhooks, emitted once the change that caused them has committed.

A service calls `emit_on_commit` inside its transaction. After the commit (never for a
rollback) Balie asks, in one query, whether the shop has an active endpoint subscribed to the
event; only then does it build the payload (the object as the API shows it now) and create a
delivery per endpoint (`services.webhook_event_dispatch`). Within one transaction, several
`*.updated` events of one object become one, and an object created in it is not also
reported as updated, so a PATCH of three fields is one `conversation.updated`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy

from balie.webhooks import selectors, services

CONVERSATION_CREATED = "conversation.created"
CONVERSATION_UPDATED = "conversation.updated"
MESSAGE_CREATED = "message.created"
TEST = "webhook.test"
# Events an endpoint can subscribe to, with their Dutch description for the settings page.
EVENTS = {
    CONVERSATION_CREATED: gettext_lazy("Nieuw gesprek"),
    CONVERSATION_UPDATED: gettext_lazy("Gesprek gewijzigd (status, prioriteit, toewijzing, …)"),
    MESSAGE_CREATED: gettext_lazy("Nieuw bericht (van de klant, naar de klant of notitie)"),
}

Build = Callable[[], dict[str, Any] | None]


@dataclass
class _Pending:
    """One event waiting for its transaction to commit (a callable for `on_commit`)."""

    shop_id: int
    event: str
    object_key: str  # "conversation:12": what the event is about
    build: Build
    ran: bool = False

    def __call__(self) -> None:
        self.ran = True
        endpoint_ids = selectors.subscribed_endpoint_ids(shop_id=self.shop_id, event=self.event)
        if not endpoint_ids:
            return
        data = self.build()
        if data is None:  # deleted in the meantime
            return
        services.webhook_event_dispatch(
            shop_id=self.shop_id, event=self.event, data=data, endpoint_ids=endpoint_ids
        )


def emit_on_commit(*, shop_id: int, event: str, object_key: str, build: Build) -> None:
    """Send `event` to the shop's subscribed endpoints once the current transaction commits.

    `build` makes the payload's `data` then (None: skip). Failures are logged, not raised:
    the change itself is committed by then.
    """
    pending = _waiting()
    if event.endswith(".updated"):
        created = event.removesuffix(".updated") + ".created"
        if any(
            item.object_key == object_key and item.event in (event, created) for item in pending
        ):
            return
    transaction.on_commit(
        _Pending(shop_id=shop_id, event=event, object_key=object_key, build=build), robust=True
    )


def _waiting() -> list[_Pending]:
    """The events already waiting for this transaction's commit.

    Django keeps on_commit callbacks on the connection, per savepoint; one discarded by a
    rolled-back savepoint is gone from this list too, so nothing is merged into a lost event.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return []
    return [
        item
        for _ids, item, _robust in connection.run_on_commit
        if isinstance(item, _Pending) and not item.ran
    ]
