"""About 1,000 orders over the last twelve months, in every status, with consistent dates.

An order's status follows from its age (fresh orders wait for payment or are being packed,
older ones are delivered, some cancelled or returned); shipped and delivered moments lie
between the order and now; totals are the lines plus shipping.
"""

from __future__ import annotations

import datetime as dt

from balie.orders.models import Order, OrderLine, OrderStatus, PaymentMethod
from balie.tenancy.demo.context import Demo, weighted

ORDER_COUNT = 1_000
# Orders placed in the last hours and days, so a fresh demo has work in progress. The newest
# cycle through the first statuses, so every status is there whatever the moment of seeding.
NEWEST_ORDER_COUNT = 9
NEWEST = dt.timedelta(hours=6)
NEWEST_STATUSES = [OrderStatus.PENDING, OrderStatus.PAID, OrderStatus.PROCESSING]
RECENT_ORDER_COUNT = 30
RECENT = dt.timedelta(days=3)
YEAR = dt.timedelta(days=365)
FREE_SHIPPING_FROM_CENTS = 5_000
SHIPPING_CENTS = {"NL": 495, "BE": 695}

PAYMENT_WEIGHTS = {
    "NL": {
        PaymentMethod.IDEAL: 58,
        PaymentMethod.AFTERPAY: 22,
        PaymentMethod.PAYPAL: 12,
        PaymentMethod.CARD: 8,
    },
    "BE": {
        PaymentMethod.BANCONTACT: 55,
        PaymentMethod.AFTERPAY: 15,
        PaymentMethod.PAYPAL: 15,
        PaymentMethod.CARD: 15,
    },
}
CARRIER_WEIGHTS = {"PostNL": 60, "DHL": 25, "DPD": 15}
# (younger than, {status: weight})
STATUS_BY_AGE = [
    (
        dt.timedelta(hours=6),
        {OrderStatus.PENDING: 35, OrderStatus.PAID: 35, OrderStatus.PROCESSING: 30},
    ),
    (
        dt.timedelta(hours=30),
        {
            OrderStatus.PAID: 15,
            OrderStatus.PROCESSING: 35,
            OrderStatus.SHIPPED: 45,
            OrderStatus.CANCELLED: 5,
        },
    ),
    (
        dt.timedelta(days=4),
        {OrderStatus.SHIPPED: 60, OrderStatus.DELIVERED: 35, OrderStatus.CANCELLED: 5},
    ),
    (
        YEAR * 2,
        {OrderStatus.DELIVERED: 89, OrderStatus.RETURNED: 6, OrderStatus.CANCELLED: 5},
    ),
]
PREPAID = {OrderStatus.PENDING, OrderStatus.PAID}
SHIPPED = {OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.RETURNED}
DELIVERED = {OrderStatus.DELIVERED, OrderStatus.RETURNED}


def seed(demo: Demo) -> None:
    rng = demo.rng
    # Some customers buy often, most once or twice: a long-tailed weight per customer.
    weights = [rng.paretovariate(1.6) for _ in demo.customers]
    placed = sorted(_placed_at(demo, number) for number in range(ORDER_COUNT))
    orders: list[Order] = []
    lines: list[list[OrderLine]] = []
    for number, placed_at in enumerate(placed):
        customer = rng.choices(demo.customers, weights)[0]
        address = demo.addresses[customer.pk]
        order_lines = _lines(demo)
        subtotal = sum(line.quantity * line.unit_price_cents for line in order_lines)
        shipping = 0 if subtotal >= FREE_SHIPPING_FROM_CENTS else SHIPPING_CENTS[address.country]
        payment = weighted(rng, PAYMENT_WEIGHTS[address.country])
        status = weighted(rng, _status_weights(demo.now - placed_at))
        if demo.now - placed_at < NEWEST:
            status = NEWEST_STATUSES[number % len(NEWEST_STATUSES)]
        if status in PREPAID and payment == PaymentMethod.AFTERPAY:
            # Pay-after-delivery orders go straight to processing: these were paid up front.
            payment = PaymentMethod.IDEAL if address.country == "NL" else PaymentMethod.BANCONTACT
        carrier = weighted(rng, CARRIER_WEIGHTS)
        ship_delay = dt.timedelta(hours=rng.uniform(3, 26))
        delivery_delay = dt.timedelta(hours=rng.uniform(16, 52))
        tracking_digits = rng.randrange(10**14)
        order = Order(
            shop=demo.shop,
            customer=customer,
            number=f"DP{24_101 + number}",
            status=status,
            placed_at=placed_at,
            total_cents=subtotal + shipping,
            shipping_cents=shipping,
            payment_method=payment,
            shipping_name=customer.full_name,
            shipping_street=address.street,
            shipping_postcode=address.postcode,
            shipping_city=address.city,
            shipping_country=address.country,
        )
        if status in SHIPPED:
            order.shipped_at = _before_now(placed_at, ship_delay, demo.now)
            order.carrier = carrier
            order.tracking_code = tracking_code(carrier, tracking_digits)
        if status in DELIVERED and order.shipped_at is not None:
            order.delivered_at = _before_now(order.shipped_at, delivery_delay, demo.now)
        orders.append(order)
        lines.append(order_lines)
    demo.orders = Order.objects.bulk_create(orders, batch_size=500)
    for order, order_lines in zip(demo.orders, lines, strict=True):
        for line in order_lines:
            line.order = order
    OrderLine.objects.bulk_create(
        [line for order_lines in lines for line in order_lines], batch_size=1_000
    )


def tracking_code(carrier: str, digits: int) -> str:
    """Codes shaped like the carriers' own: PostNL 3S…, DHL JVGL…, DPD 14 digits."""
    if carrier == "PostNL":
        return f"3SDPOL{digits % 10**9:09d}"
    if carrier == "DHL":
        return f"JVGL{digits:014d}"
    return f"0{digits % 10**13:013d}"


def _placed_at(demo: Demo, number: int) -> dt.datetime:
    """A moment in the last year, in the shop's waking hours; the first few very recent."""
    rng = demo.rng
    if number < NEWEST_ORDER_COUNT:
        age = dt.timedelta(minutes=10) + (NEWEST - dt.timedelta(minutes=20)) * rng.random()
        return (demo.now - age).replace(microsecond=0)
    span = RECENT if number < RECENT_ORDER_COUNT else YEAR
    # A power of the draw puts more orders in recent months: the shop is growing.
    age = span * (rng.random() ** (1 if number < RECENT_ORDER_COUNT else 1.3))
    hour = rng.choices(range(7, 24), weights=[1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 5, 6, 7, 7, 6, 4, 2])[0]
    minute = rng.randrange(60)
    local = (demo.now - age).astimezone(demo.shop.tz)
    moment = local.replace(hour=hour, minute=minute, second=rng.randrange(60), microsecond=0)
    if moment > demo.now:
        moment -= dt.timedelta(days=1)
    return moment.astimezone(dt.UTC)


def _lines(demo: Demo) -> list[OrderLine]:
    rng = demo.rng
    count = rng.choices([1, 2, 3, 4], weights=[50, 30, 15, 5])[0]
    return [
        OrderLine(
            product=product,
            name=product.name,
            quantity=rng.choices([1, 2, 3], weights=[82, 14, 4])[0],
            unit_price_cents=product.price_cents,
        )
        for product in rng.sample(demo.products, count)
    ]


def _status_weights(age: dt.timedelta) -> dict[OrderStatus, int]:
    return next(weights for younger_than, weights in STATUS_BY_AGE if age < younger_than)


def _before_now(start: dt.datetime, delay: dt.timedelta, now: dt.datetime) -> dt.datetime:
    """`start + delay`, or a moment between start and now when that lies in the future."""
    moment = start + delay
    return moment if moment < now else start + (now - start) * 0.6
