"""Bulk data for the inbox read-path benchmark: conversations over a year in a few shops.

`load(total)` tops the database up to `total` conversations (so 100k, measured, then 1M is
one load of 100k and one of 900k), with ~3 messages each, about one customer per 2.5
conversations, tags, assignees, teams, statuses and SLA clocks as a busy shop has them. One
shop ("groot") holds 60 % of everything; four smaller shops share the rest, interleaved, as in
a multi-tenant database. Rows go in with PostgreSQL COPY (psycopg 3), in chunks, then VACUUM
ANALYZE (as autovacuum would have done on a live database, so index-only scans work).

Shops, agents, teams and tags are made through Balie's services; the bulk rows bypass the ORM
and follow the models' columns. Conversation events are not generated (no read path here
reads them). Search: once `balie.inbox.search` exists, its `rebuild(shop=…)` is called for
each shop after loading, so the full-text column is filled the way Balie fills it.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection
from django.utils import timezone

from balie.inbox.models import Tag
from balie.tenancy import services as tenancy_services
from balie.tenancy.models import Membership, Shop, Team
from inboxbench import texts

SHOPS = (
    ("groot", 0.60, 25, 4),
    ("middel", 0.20, 8, 2),
    ("klein-1", 0.10, 4, 1),
    ("klein-2", 0.05, 3, 1),
    ("klein-3", 0.05, 3, 1),
)  # fmt: skip  (slug, share, agents, teams)
TAGS = ("retour", "bezorging", "betaling", "factuur", "garantie", "productvraag", "vip",
        "klacht", "spoed", "b2b", "ruilen", "beschadigd", "terugbetaling", "voorraad",
        "klarna", "ideal", "postnl", "dhl", "inductie", "vaatwasser")  # fmt: skip
CHUNK = 20_000
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# One in this many conversations is about a "theezeefje": the rare word searched for.
RARE_WORD_EVERY = 25_000
RARE_WORD = "theezeefje"
TOPIC_OF = dict(zip(texts.TOPICS, ("retour", "bezorging", "betaling", "factuur", "garantie",
                                   "productvraag"), strict=True))  # fmt: skip

CONVERSATION_COLUMNS = (
    "id", "created_at", "updated_at", "shop_id", "customer_id", "channel", "channel_account",
    "subject", "status", "priority", "assignee_id", "team_id", "topic", "language", "reference",
    "first_response_due_at", "resolution_due_at", "sla_first_response_state",
    "sla_resolution_state", "sla_due_at", "sla_next_check_at", "first_responded_at",
    "resolved_at", "last_message_at", "snoozed_until", "merged_into_id", "csat_requested_at",
    "csat_score", "csat_comment", "csat_rated_at",
)  # fmt: skip
MESSAGE_COLUMNS = (
    "id", "created_at", "updated_at", "shop_id", "conversation_id", "direction", "channel",
    "sender_address", "sender_name", "author_id", "subject", "text", "html", "external_id",
    "in_reply_to", "references", "recipients", "is_automated", "automated_reason", "language",
    "parse_warnings", "sent_at", "raw", "delivery_status", "delivery_error", "delivery_attempts",
)  # fmt: skip
CUSTOMER_COLUMNS = ("id", "created_at", "updated_at", "shop_id", "email", "phone", "first_name",
                    "last_name", "locale", "external_id", "notes")  # fmt: skip


def reference_of(conversation_id: int) -> str:
    # A bijection on 40 bits (odd multiplier): unique per conversation, random-looking.
    value = (conversation_id * 0x9E3779B1) % (1 << 40)
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in range(8))


class _Shop:
    def __init__(self, shop: Shop) -> None:
        self.shop = shop
        self.agents = list(Membership.objects.for_shop(shop).values_list("pk", flat=True))
        self.teams = list(Team.objects.for_shop(shop).values_list("pk", flat=True))
        self.tags = list(Tag.objects.for_shop(shop).values_list("pk", "name"))
        self.customers: list[tuple[int, str, str]] = []  # (id, first name, email)


def shops_ensure() -> list[_Shop]:
    """The benchmark's shops with their agents, teams and tags (made once)."""
    made = []
    for slug, _share, agents, teams in SHOPS:
        shop = Shop.objects.filter(slug=slug).first()
        if shop is None:
            shop = tenancy_services.shop_create(name=f"Webshop {slug}", slug=slug)
            members = [
                tenancy_services.agent_create(
                    shop=shop, email=f"agent{n}@{slug}.example", full_name=f"Agent {n} {slug}"
                )
                for n in range(agents)
            ]
            for n in range(teams):
                tenancy_services.team_create(
                    shop=shop, name=f"Team {n + 1}", members=members[n::teams]
                )
            Tag.objects.bulk_create(Tag(shop=shop, name=name) for name in TAGS)
        made.append(_Shop(shop))
    return made


def _dsn() -> str:
    database = settings.DATABASES["default"]
    return psycopg.conninfo.make_conninfo(
        dbname=database["NAME"], user=database["USER"] or "postgres",
        host=database["HOST"] or "127.0.0.1", port=str(database["PORT"] or 5432),
    )  # fmt: skip


def _max_id(cursor: psycopg.Cursor[Any], table: str) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
    row = cursor.fetchone()
    return int(row[0]) if row else 0


class _Rows:
    """One chunk's rows for every table, drawn from a Random seeded with the chunk."""

    def __init__(self, rng: random.Random, now: dt.datetime) -> None:
        self.rng, self.now = rng, now
        self.conversations: list[tuple[Any, ...]] = []
        self.messages: list[tuple[Any, ...]] = []
        self.customers: list[tuple[Any, ...]] = []
        self.tags: list[tuple[int, int]] = []

    def customer(self, shop: _Shop, customer_id: int) -> tuple[int, str, str]:
        rng = self.rng
        if shop.customers and rng.random() < 0.6:
            return rng.choice(shop.customers)
        first, last = rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
        local = "".join(
            c for c in f"{first}.{last}".lower() if c.isascii() and (c.isalnum() or c == ".")
        )
        email = f"{local}.{customer_id}@{rng.choice(texts.PROVIDERS)}"
        created = self.now - dt.timedelta(days=rng.uniform(0, 700))
        self.customers.append((customer_id, created, created, shop.shop.pk, email, "", first, last,
                               "nl", "", ""))  # fmt: skip
        shop.customers.append((customer_id, first, email))
        return customer_id, first, email

    def conversation(self, shop: _Shop, conversation_id: int, customer: tuple[int, str, str],
                     message_id: int) -> int:  # fmt: skip
        """Adds one conversation and its messages; returns the next free message id."""
        rng, now = self.rng, self.now
        last = now - dt.timedelta(seconds=rng.uniform(0, 365 * 86_400))
        age_days = (now - last).days
        if age_days < 14:
            status = rng.choices(("open", "pending", "snoozed", "resolved"), (45, 20, 5, 30))[0]
        else:
            status = rng.choices(("open", "resolved", "closed"), (2, 20, 78))[0]
        active = status in ("open", "pending", "snoozed")
        topic = rng.choice(texts.TOPICS)
        order, product = rng.randrange(100_000, 999_999), rng.choice(texts.PRODUCTS)
        subject = rng.choice(texts.SUBJECTS["nl"][topic]).format(order=order, product=product)
        if conversation_id % RARE_WORD_EVERY == 7:
            subject = f"Vraag over het {RARE_WORD} bij de theepot"
        assigned = rng.random() < (0.7 if active else 0.9)
        assignee = rng.choice(shop.agents) if assigned else None
        team = rng.choice(shop.teams) if rng.random() < 0.7 else None
        created = last - dt.timedelta(hours=rng.uniform(0, 240))
        due = last + dt.timedelta(hours=rng.uniform(-12, 48)) if active else None
        clock = ("breached" if due < now else "warning" if due < now + dt.timedelta(hours=2)
                 else "running") if due else rng.choice(("met", "met", "met", "breached"))  # fmt: skip
        resolved_at = last if status in ("resolved", "closed") else None
        score = rng.choice((3, 4, 5, 5, 5, 1, 2)) if resolved_at and rng.random() < 0.2 else None
        self.conversations.append((
            conversation_id, created, last, shop.shop.pk, customer[0],
            "email" if rng.random() < 0.85 else rng.choice(("chat", "form", "whatsapp")), "",
            subject, status, rng.choices(("normal", "high", "low", "urgent"), (85, 10, 3, 2))[0],
            assignee, team, TOPIC_OF[topic], "nl", reference_of(conversation_id),
            due, due + dt.timedelta(days=2) if due else None, clock, clock if active else "",
            due, due - dt.timedelta(hours=1) if due and due > now else None,
            created + dt.timedelta(hours=rng.uniform(0.2, 20)) if rng.random() < 0.85 else None,
            resolved_at, last,
            now + dt.timedelta(days=rng.uniform(1, 5)) if status == "snoozed" else None, None,
            resolved_at + dt.timedelta(hours=1) if score else None, score, "", last if score else None,
        ))  # fmt: skip
        for tag in rng.sample(shop.tags, rng.choice((0, 1, 1, 1, 2, 2, 3))):
            self.tags.append((conversation_id, tag[0]))
        count = rng.choices((1, 2, 3, 4, 5, 6), (15, 20, 30, 20, 10, 5))[0]
        step = (last - created) / count
        for n in range(count):
            direction = "in" if n % 2 == 0 else rng.choice(("out", "out", "out", "note"))
            at = created + step * (n + 1)
            if direction == "in":
                pool = texts.SENTENCES["nl"][topic] if n == 0 else texts.FOLLOW_UPS["nl"]
                body = " ".join(rng.sample(pool, min(len(pool), 2))).format(
                    order=order, product=product, amount="34,95"
                )
                text = f"Hoi,\n\n{body}\n\nGroetjes,\n{customer[1]}"
                if subject.startswith("Vraag over het " + RARE_WORD):
                    text += f"\n\nIk zoek een {RARE_WORD} dat in de theepot past."
            else:
                text = rng.choice(texts.SHOP_REPLIES).format(first=customer[1])
            author = rng.choice(shop.agents) if direction != "in" else None
            external = f"bulk-{message_id}@bench.example" if direction != "note" else ""
            self.messages.append((
                message_id, at, at, shop.shop.pk, conversation_id, direction,
                "email" if direction != "note" else "", "" if author else customer[2],
                "", author, subject if n == 0 else f"Re: {subject}", text, "", external, "", "",
                "[]", False, "", "nl", "[]", at, "", "sent" if direction == "out" else "", "",
                1 if direction == "out" else 0,
            ))  # fmt: skip
            message_id += 1
        return message_id


def load(total: int, seed: int = 7) -> dict[str, float]:
    """Top the database up to `total` conversations; returns rows and seconds per step."""
    started = time.perf_counter()
    shops = shops_ensure()
    weights = [share for _slug, share, _agents, _teams in SHOPS]
    now = timezone.now()
    with psycopg.connect(_dsn(), autocommit=True) as db, db.cursor() as cursor:
        have = _max_id(cursor, "inbox_conversation")
        conversation_id, message_id = have + 1, _max_id(cursor, "inbox_message") + 1
        customer_id = _max_id(cursor, "customers_customer") + 1
        for shop in shops:  # customers already loaded can write again
            cursor.execute("SELECT id, first_name, email FROM customers_customer WHERE shop_id = %s",
                           (shop.shop.pk,))  # fmt: skip
            shop.customers = [(int(r[0]), str(r[1]), str(r[2])) for r in cursor.fetchall()]
        totals = {"conversations": 0, "messages": 0, "customers": 0, "tags": 0}
        while conversation_id <= total:
            rows = _Rows(random.Random(seed * 1_000_003 + conversation_id), now)
            for _ in range(min(CHUNK, total - conversation_id + 1)):
                shop = rows.rng.choices(shops, weights)[0]
                customer = rows.customer(shop, customer_id)
                if customer[0] == customer_id:
                    customer_id += 1
                message_id = rows.conversation(shop, conversation_id, customer, message_id)
                conversation_id += 1
            for table, columns, data in (
                ("customers_customer", CUSTOMER_COLUMNS, rows.customers),
                ("inbox_conversation", CONVERSATION_COLUMNS, rows.conversations),
                ("inbox_conversation_tags", ("conversation_id", "tag_id"), rows.tags),
                ("inbox_message", MESSAGE_COLUMNS, rows.messages),
            ):
                quoted = ", ".join(f'"{column}"' for column in columns)
                with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:  # type: ignore[arg-type]
                    for row in data:
                        copy.write_row(row)
            totals["conversations"] += len(rows.conversations)
            totals["messages"] += len(rows.messages)
            totals["customers"] += len(rows.customers)
            totals["tags"] += len(rows.tags)
        for table in ("customers_customer", "inbox_conversation", "inbox_message",
                      "inbox_conversation_tags"):  # fmt: skip
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT coalesce(max(id), 1) FROM {table}))")  # fmt: skip
        loaded = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
    vacuumed = time.perf_counter()
    search_seconds = _search_rebuild([shop.shop for shop in shops])
    return {**totals, "load_seconds": loaded - started, "vacuum_seconds": vacuumed - loaded,
            "search_rebuild_seconds": search_seconds}  # fmt: skip


def _search_rebuild(shops: list[Shop]) -> float:
    """Fills the full-text column through Balie's own code once it exists; -1 until then."""
    try:
        from balie.inbox import search  # type: ignore[attr-defined]  # lands with the workspace
    except ImportError:
        return -1.0
    rebuild = getattr(search, "rebuild", None)
    if rebuild is None:
        raise SystemExit(
            "balie.inbox.search has no rebuild(shop=…): update bench/inboxbench/scale_load.py"
        )
    started = time.perf_counter()
    for shop in shops:
        rebuild(shop=shop)
    connection.cursor().execute("ANALYZE inbox_conversation")
    return time.perf_counter() - started
