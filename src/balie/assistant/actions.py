"""What the assistant does for an intent once its facts are in: verify, then act.

Verification compares the order number with the order's email address or postcode. A wrong
combination and an order number that does not exist answer the same, so nobody learns which
numbers exist; after `MAX_ATTEMPTS` wrong tries in a session the assistant hands off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from balie.assistant.intents import Intent, IntentName
from balie.orders.models import Order, OrderStatus
from balie.tenancy.models import Shop

MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class ActionResult:
    answer: str
    action: dict[str, Any]


def order_verified(*, shop: Shop, slots: dict[str, str]) -> Order | None:
    number = slots.get("order_number", "").strip()
    if not number:
        return None
    order: Order | None = (
        Order.objects.for_shop(shop)
        .select_related("customer")
        .filter(number__iexact=number)
        .first()
    )
    if order is None:
        return None
    email = slots.get("email", "").strip().lower()
    postcode = slots.get("postcode", "").replace(" ", "").upper()
    if email and order.customer.email and email == order.customer.email.lower():
        return order
    if postcode and postcode == order.shipping_postcode.replace(" ", "").upper():
        return order
    return None


def perform(*, intent: Intent, order: Order) -> ActionResult:
    if intent.name == IntentName.ORDER_STATUS:
        return _order_status(order)
    raise ValueError(f"intent {intent.name} has no handler")


def _order_status(order: Order) -> ActionResult:
    status = OrderStatus(order.status)
    facts = {
        "number": order.number,
        "status": status.value,
        "status_label": str(status.label),
        "carrier": order.carrier,
        "tracking_code": order.tracking_code,
        "placed_at": order.placed_at.isoformat(),
        "shipped_at": order.shipped_at.isoformat() if order.shipped_at else None,
        "delivered_at": order.delivered_at.isoformat() if order.delivered_at else None,
    }
    values = {"number": order.number, "date": date_format(order.placed_at, "MONTH_DAY_FORMAT")}
    if status == OrderStatus.DELIVERED and order.delivered_at:
        values["when"] = date_format(order.delivered_at, "MONTH_DAY_FORMAT")
        answer = _("Je bestelling %(number)s is op %(when)s bezorgd.") % values
    elif status == OrderStatus.SHIPPED:
        values["carrier"] = order.carrier or _("de vervoerder")
        answer = _("Je bestelling %(number)s is onderweg met %(carrier)s.") % values
        if order.tracking_code:
            answer += " " + _("Je track & trace-code is %(code)s.") % {"code": order.tracking_code}
    elif status == OrderStatus.CANCELLED:
        answer = _("Je bestelling %(number)s is geannuleerd.") % values
    elif status == OrderStatus.RETURNED:
        answer = _("Je bestelling %(number)s is retour gekomen.") % values
    elif status == OrderStatus.PENDING:
        answer = _("We wachten nog op de betaling van je bestelling %(number)s.") % values
    else:
        answer = (
            _("Je bestelling %(number)s van %(date)s wordt klaargemaakt voor verzending.") % values
        )
    return ActionResult(answer=answer, action={"type": "order_status", "order": facts})
