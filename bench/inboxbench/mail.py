"""A deterministic mbox of a Dutch webshop's incoming customer email, and its ground truth.

`generate(count, seed)` plans threads first (who writes, when, how each reply finds its
thread), then renders every message to raw RFC 5322 bytes the way the usual mail programs do
(Gmail, Outlook, Apple Mail, old webmail in Latin-1 or Windows-1252), delivers about 3 % of them
twice, and returns the mbox bytes with a `Truth`: what a correct import must end up with.

Threads are planned so that the right answer is unambiguous under Balie's threading rules
(In-Reply-To/References, then a "[#REF]" token, then the customer's open conversation of the
last 72 hours): replies without thread headers come within 60 hours, and a customer's next
question starts at least 5 days after their previous thread went quiet. A "[#REF]" token is
one the shop's previous system would have sent: unknown to both importers.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from inboxbench import render, texts

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
START = dt.datetime(2026, 4, 1, 8, 0, tzinfo=AMSTERDAM)
PERIOD_DAYS = 180
DUPLICATE_SHARE = 0.03
REUSE_GAP = dt.timedelta(days=5)
LANGUAGES = (("nl", 0.85), ("en", 0.10), ("de", 0.05))
# How a customer's reply finds its thread: its headers name the shop's answer (and the root),
# or the customer's own previous mail; only a "[#REF]" token; or nothing at all.
REPLY_STYLES = (("headers", 0.52), ("own", 0.12), ("token", 0.18), ("plain", 0.18))
THREAD_SIZES = ((1, 0.40), (2, 0.25), (3, 0.17), (4, 0.10), (5, 0.04), (6, 0.02), (8, 0.02))


@dataclass
class Customer:
    name: str
    address: str
    language: str
    busy_until: dt.datetime = START


@dataclass
class Planned:
    """One unique message before it is rendered."""

    thread: int
    position: int  # within the thread
    at: dt.datetime
    kind: str  # "first", a REPLY_STYLES name, "auto_reply", "bounce", "malformed:<what>"
    topic: str = "product"
    customer: Customer | None = None
    message_id: str = ""
    subject: str = ""
    order: str = ""
    product: str = ""


@dataclass
class Truth:
    """What a correct import of the mbox makes of it."""

    deliveries: int = 0
    duplicates: int = 0
    conversations: int = 0
    without_id: int = 0  # messages with no Message-ID: the importer names them itself
    automated: int = 0
    file_attachments: int = 0  # PDF, JPEG and PNG parts (inline images included)
    thread_of: dict[str, int] = field(default_factory=dict)  # Message-ID -> thread number
    composition: Counter[str] = field(default_factory=Counter)
    mbox_bytes: int = 0

    @property
    def unique(self) -> int:
        return self.deliveries - self.duplicates


def _pick[T](rng: random.Random, weighted: tuple[tuple[T, float], ...]) -> T:
    return rng.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]


class _Planner:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.customers: list[Customer] = []
        self.addresses: set[str] = set()
        self.threads = 0

    def customer(self, start: dt.datetime) -> Customer:
        rng = self.rng
        if self.customers and rng.random() < 0.2:
            for candidate in rng.sample(self.customers, min(5, len(self.customers))):
                if candidate.busy_until + REUSE_GAP < start:
                    return candidate
        first, last = rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
        local = re.sub(r"[^a-z0-9.]", "", _ascii(f"{first}.{last}").lower().replace(" ", ""))
        address = f"{local}@{rng.choice(texts.PROVIDERS)}"
        while address in self.addresses:
            address = f"{local}{rng.randrange(10, 9999)}@{rng.choice(texts.PROVIDERS)}"
        self.addresses.add(address)
        customer = Customer(f"{first} {last}", address, _pick(rng, LANGUAGES))
        self.customers.append(customer)
        return customer

    def thread(self, size: int) -> list[Planned]:
        rng = self.rng
        self.threads += 1
        start = START + dt.timedelta(seconds=rng.uniform(0, (PERIOD_DAYS - 10) * 86_400))
        start = start.replace(hour=rng.choice((7, 8, 9, 10, 11, 13, 14, 15, 16, 19, 20, 21, 22)))
        topic = rng.choice(texts.TOPICS)
        planned = [Planned(self.threads, 0, start, "first", topic)]
        for position in range(1, size):
            style = _pick(rng, REPLY_STYLES)
            hours = rng.uniform(1, 60) if style in ("token", "plain") else rng.uniform(1, 190)
            at = planned[-1].at + dt.timedelta(hours=hours)
            planned.append(Planned(self.threads, position, at, style, topic))
        customer = self.customer(start)
        customer.busy_until = planned[-1].at
        order, product = str(rng.randrange(100_000, 190_000)), rng.choice(texts.PRODUCTS)
        for message in planned:
            message.customer, message.order, message.product = customer, order, product
        return planned


def _ascii(value: str) -> str:
    normal = unicodedata.normalize("NFKD", value)
    return "".join(char for char in normal if not unicodedata.combining(char))


def plan(count: int, rng: random.Random) -> list[Planned]:
    """The unique messages (`count` minus the duplicates to come), in delivery order."""
    unique = count - round(count * DUPLICATE_SHARE)
    bounces = max(2, round(unique * 0.005))
    malformed = len(render.MALFORMED) * max(1, round(unique * 0.006 / len(render.MALFORMED)))
    auto_replies = max(2, round(unique * 0.01))
    planner = _Planner(rng)
    planned: list[Planned] = []
    # Auto-replies answer the shop's reply within a thread, so they are set aside from it.
    ordinary = unique - bounces - malformed - auto_replies
    while len(planned) < ordinary:
        size = min(_pick(rng, THREAD_SIZES), ordinary - len(planned))
        planned.extend(planner.thread(size))
    threads_with_reply = [m for m in planned if m.position == 0]
    for first in rng.sample(threads_with_reply, auto_replies):
        at = first.at + dt.timedelta(minutes=rng.uniform(30, 240))
        planned.append(
            Planned(first.thread, 99, at, "auto_reply", first.topic, first.customer,
                    order=first.order, product=first.product)
        )  # fmt: skip
    for kind in [f"malformed:{what}" for what in render.MALFORMED] * (
        malformed // len(render.MALFORMED)
    ):
        first = planner.thread(1)[0]
        first.kind = kind
        if kind == "malformed:no_from":  # all of these are "(onbekend)": keep them apart
            first.at = START + dt.timedelta(days=3 + 20 * sum(
                m.kind == kind for m in planned))  # fmt: skip
        planned.append(first)
    hosts: dict[str, dt.datetime] = {}
    for number in range(bounces):
        planner.threads += 1
        at = START + dt.timedelta(seconds=rng.uniform(0, PERIOD_DAYS * 86_400))
        host = f"mx{number % 7 + 1}.{rng.choice(texts.PROVIDERS)}"
        # A mail server's bounces more than 3 days apart: each is a conversation of its own.
        while host in hosts and abs(hosts[host] - at) < REUSE_GAP:
            host = f"mx{rng.randrange(10, 99)}.{rng.choice(texts.PROVIDERS)}"
        hosts[host] = at
        sender = Customer("Mail Delivery System", f"MAILER-DAEMON@{host}", "en")
        planned.append(Planned(planner.threads, 0, at, "bounce", "delivery", sender))
    planned.sort(key=lambda m: (m.at, m.thread, m.position))
    return planned


def generate(count: int, seed: int) -> tuple[bytes, Truth]:
    rng = random.Random(seed)
    planned = plan(count, rng)
    renderer = render.Renderer(rng)
    truth = Truth()
    deliveries: list[bytes] = []
    for message in planned:
        raw, features = renderer.message(message)
        deliveries.append(raw)
        if message.message_id:
            truth.thread_of[message.message_id] = message.thread
        else:
            truth.without_id += 1
        truth.composition.update(features)
        truth.file_attachments += features["file attachment"]
        truth.automated += message.kind in ("auto_reply", "bounce")
    truth.conversations = len({m.thread for m in planned})
    # The same Message-ID delivered again a little later (a second address, a retried fetch).
    repeat = [i for i, m in enumerate(planned) if m.message_id]
    for index in sorted(rng.sample(repeat, count - len(planned)), reverse=True):
        again = deliveries[index]
        if rng.random() < 0.5:  # delivered to a second address of the shop
            again = again.replace(b"Delivered-To: klantenservice@", b"Delivered-To: info@", 1)
        deliveries.insert(min(len(deliveries), index + rng.randrange(1, 40)), again)
    truth.deliveries = len(deliveries)
    truth.duplicates = truth.deliveries - len(planned)
    mbox = b"".join(_mbox_entry(raw) for raw in deliveries)
    truth.mbox_bytes = len(mbox)
    return mbox, truth


_FROM_LINE = re.compile(rb"^(>*From )", re.MULTILINE)


def _mbox_entry(raw: bytes) -> bytes:
    # mboxrd: a body line starting with "From " gets one more ">" so it cannot start a mail.
    body = _FROM_LINE.sub(rb">\1", raw)
    if not body.endswith(b"\n"):
        body += b"\n"
    return b"From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n" + body + b"\n"
