"""Events for outgoing webhooks, emitted once the change that caused them has committed.

A service calls `emit_on_commit` inside its transaction. After the commit (never for a
rollback) Balie asks, in one query for all of the transaction's events, whether the shop has
an active endpoint subscribed to each; only then does it build the payload (the object as the API shows it now) and create a
delivery per endpoint (`services.webhook_event_dispatch`). Within one transaction, several
`*.updated` events of one object become one, and an object created in it is not also
reported as updated, so a PATCH of three fields is one `conversation.updated`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy

from balie.webhooks import selectors, services

logger = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class _Event:
    event: str
    object_key: str  # "conversation:12": what the event is about
    build: Build


@dataclass
class _Batch:
    """The events of one shop waiting for their transaction to commit: one `on_commit`
    callback, so the subscription check is one query however many events there are."""

    shop_id: int
    events: list[_Event] = field(default_factory=list)
    ran: bool = False

    def __call__(self) -> None:
        self.ran = True
        subscriptions = selectors.subscriptions(shop_id=self.shop_id)
        for item in self.events:
            endpoint_ids = [pk for pk, names in subscriptions if item.event in names]
            if endpoint_ids:
                self._dispatch(item, endpoint_ids)

    def _dispatch(self, item: _Event, endpoint_ids: list[int]) -> None:
        try:
            data = item.build()
            if data is None:  # deleted in the meantime
                return
            services.webhook_event_dispatch(
                shop_id=self.shop_id, event=item.event, data=data, endpoint_ids=endpoint_ids
            )
        except Exception:
            # The change is committed; one event that cannot be sent must not stop the others.
            logger.exception(
                "webhook_emit_failed",
                extra={"shop_id": self.shop_id, "event": item.event, "object": item.object_key},
            )


def emit_on_commit(*, shop_id: int, event: str, object_key: str, build: Build) -> None:
    """Send `event` to the shop's subscribed endpoints once the current transaction commits.

    `build` makes the payload's `data` then (None: skip). Failures are logged, not raised:
    the change itself is committed by then. An event added inside a savepoint that rolls
    back while its batch lives on is still sent; its data is the committed state.
    """
    batch = _waiting(shop_id)
    if batch is None:
        batch = _Batch(shop_id=shop_id)
        transaction.on_commit(batch, robust=True)
    if event.endswith(".updated"):
        created = event.removesuffix(".updated") + ".created"
        if any(
            item.object_key == object_key and item.event in (event, created)
            for item in batch.events
        ):
            return
    batch.events.append(_Event(event=event, object_key=object_key, build=build))


def _waiting(shop_id: int) -> _Batch | None:
    """The shop's batch already waiting for this transaction's commit, if any.

    Django keeps on_commit callbacks on the connection, per savepoint; one discarded by a
    rolled-back savepoint is gone from this list too, so nothing joins a lost batch.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    for _ids, item, _robust in connection.run_on_commit:
        if isinstance(item, _Batch) and item.shop_id == shop_id and not item.ran:
            return item
    return None
