"""Full-text search over conversations, built into the database: no search server to run.

Each conversation has one search document: its subject (ranked first) and the new part of
every message in it (quoted history and signatures left out: they repeat other messages).
On PostgreSQL the document is a `tsvector` column `inbox_conversation.search_vector` with a
GIN index, analysed with the `dutch` configuration (Snowball stemming: "bestellingen" finds
"bestelling"); ANALYZE keeps word frequencies, so the planner walks the recency index for
common words and the GIN index for rare ones. On SQLite it is a row of the FTS5 table
`inbox_conversation_fts` (rowid = conversation id) with accent folding. Both created by
migration `0004_search`; the Django model does not know the column or the table.

Words match as prefixes ("retour" finds "retourneren"), every word must match (in the
document, or in the customer's name or email address, which are matched on the customer
table so a renamed customer is found by the new name). Services keep the documents current:
`conversation_indexed` for a new conversation, `message_indexed` for each new message (an
append), `conversations_reindex` after messages moved (merge, split) and `rebuild` for a
whole shop.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower

from balie.customers.models import Customer
from balie.inbox.models import Conversation, Message
from balie.inbox.text import split_reply
from balie.tenancy.models import Shop

# Per message at most this much text is indexed; a conversation stops growing its document
# at about this many characters (FTS5) or distinct words (PostgreSQL), far past any thread.
MESSAGE_MAX_CHARS = 20_000
DOCUMENT_MAX_CHARS = 400_000
DOCUMENT_MAX_LEXEMES = 60_000
MAX_WORDS = 8
REINDEX_BATCH = 1_000
# A search word names at most this many customers (their conversations match too).
CUSTOMERS_PER_WORD = 200
# Up to this many matches a search is answered from a list of their ids (see `_narrowed`).
FEW_MATCHES = 2_000
_WORD = re.compile(r"\w+", re.UNICODE)
FTS_TABLE = "inbox_conversation_fts"
POSTGRES_CONFIG = "dutch"


def fold(text: str) -> str:
    """Lower case without accents ("Crème brûlée" -> "creme brulee"), for documents and
    queries alike: PostgreSQL's `dutch` configuration does not fold accents by itself."""
    lower = text.lower()
    if lower.isascii():
        return lower  # nothing to decompose (most mail): no pass over each character
    decomposed = unicodedata.normalize("NFKD", lower)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(query: str) -> list[str]:
    """The query's search words: letters and digits only, folded, at most MAX_WORDS."""
    return _WORD.findall(fold(query))[:MAX_WORDS]


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def document_text(text: str) -> str:
    """What of a message's text its conversation's document holds: the new part (quoted
    history and signature left out), folded."""
    return fold(split_reply(text)[0][:MESSAGE_MAX_CHARS])


def conversation_indexed(conversation: Conversation, *, text: str = "") -> None:
    """Start the search document of a new conversation: its subject and, when given, the
    text of its first message (one statement instead of two)."""
    documents_extend(started=[(conversation, [document_text(text)])], continued={})


def message_indexed(message: Message) -> None:
    """Add a new message's own text to its conversation's search document."""
    documents_extend(started=[], continued={message.conversation_id: [document_text(message.text)]})


def documents_extend(
    *, started: list[tuple[Conversation, list[str]]], continued: dict[int, list[str]]
) -> None:
    """New words for many documents in one statement of each kind (an import's batch): each
    conversation `started` gets its document from its subject and its messages'
    `document_text`s; each one `continued` (by id) gets theirs appended."""
    new = [
        (conversation, "\n".join(part for part in parts if part.strip()))
        for conversation, parts in started
    ]
    appended = [
        (conversation_id, text)
        for conversation_id, parts in continued.items()
        if (text := "\n".join(part for part in parts if part.strip()))
    ]
    postgres = _postgres()
    with connection.cursor() as cursor:
        if new and postgres:
            cursor.executemany(
                "UPDATE inbox_conversation SET search_vector ="
                f" setweight(to_tsvector('{POSTGRES_CONFIG}', %s), 'A') ||"
                f" setweight(to_tsvector('{POSTGRES_CONFIG}', %s), 'B') WHERE id = %s",
                [(fold(c.subject), body, c.pk) for c, body in new],
            )
        elif new:
            cursor.executemany(
                f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, subject, body, shop_id)"
                " VALUES (%s, %s, %s, %s)",
                [(c.pk, fold(c.subject), body, c.shop_id) for c, body in new],
            )
        if appended and postgres:
            cursor.executemany(
                "UPDATE inbox_conversation SET search_vector = search_vector ||"
                f" setweight(to_tsvector('{POSTGRES_CONFIG}', %s), 'B')"
                " WHERE id = %s AND length(search_vector) < %s",
                [(text, pk, DOCUMENT_MAX_LEXEMES) for pk, text in appended],
            )
        elif appended:
            cursor.executemany(
                f"UPDATE {FTS_TABLE} SET body = body || char(10) || %s"
                " WHERE rowid = %s AND length(body) < %s",
                [(text, pk, DOCUMENT_MAX_CHARS) for pk, text in appended],
            )
            if cursor.rowcount < len(appended):
                # Full documents are not grown, and conversations from before search
                # existed have none yet: those are built whole.
                _documents_complete([pk for pk, _text in appended])


def _documents_complete(conversation_ids: list[int]) -> None:
    if not conversation_ids or _postgres():
        return  # PostgreSQL's document is a column of the row: it always exists
    having: set[int] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(conversation_ids), 500):
            batch = conversation_ids[start : start + 500]
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE rowid IN ({marks})", batch)
            having.update(row[0] for row in cursor.fetchall())
    conversations_reindex(pk for pk in conversation_ids if pk not in having)


def conversations_reindex(
    conversation_ids: Iterable[int],
    *,
    conversation_model: type[Conversation] = Conversation,
    message_model: type[Message] = Message,
) -> int:
    """Rebuild these conversations' documents from what is stored now; how many were done.

    A migration passes its historical models.
    """
    ids = sorted(set(conversation_ids))
    done = 0
    for start in range(0, len(ids), REINDEX_BATCH):
        batch = ids[start : start + REINDEX_BATCH]
        rows = list(
            conversation_model.objects.filter(pk__in=batch).values_list("pk", "subject", "shop_id")
        )
        subjects = {pk: fold(subject) for pk, subject, _shop_id in rows}
        shops = {pk: shop_id for pk, _subject, shop_id in rows}
        bodies: dict[int, list[str]] = {pk: [] for pk in subjects}
        for conversation_id, text in (
            message_model.objects.filter(conversation_id__in=batch)
            .order_by("conversation_id", "created_at", "id")
            .values_list("conversation_id", "text")
            .iterator()
        ):
            part = document_text(text)
            if part.strip():
                bodies[conversation_id].append(part)
        documents = [
            (pk, subject, "\n".join(bodies[pk])[:DOCUMENT_MAX_CHARS], shops[pk])
            for pk, subject in subjects.items()
        ]
        with connection.cursor() as cursor:
            # One round trip per batch (psycopg pipelines executemany).
            if _postgres():
                cursor.executemany(
                    "UPDATE inbox_conversation SET search_vector ="
                    f" setweight(to_tsvector('{POSTGRES_CONFIG}', %s), 'A') ||"
                    f" setweight(to_tsvector('{POSTGRES_CONFIG}', %s), 'B') WHERE id = %s",
                    [(subject, body, pk) for pk, subject, body, _shop in documents],
                )
            else:
                cursor.executemany(
                    f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, subject, body, shop_id)"
                    " VALUES (%s, %s, %s, %s)",
                    documents,
                )
        done += len(documents)
    return done


def rebuild(*, shop: Shop) -> int:
    """Rebuild every search document of the shop (after an import, or to repair)."""
    ids = Conversation.objects.for_shop(shop).values_list("pk", flat=True).iterator()
    return conversations_reindex(ids)


def forget(conversation_ids: Iterable[int]) -> None:
    """Drop deleted conversations' documents (PostgreSQL drops them with the row)."""
    if _postgres():
        return
    ids = list(conversation_ids)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", batch)


def matching(*, shop: Shop, query: str) -> Q:
    """A filter on the shop's conversations for `query`: every word matches, as a prefix,
    the search document or the customer's name or email address. Empty query: no filter.

    The customers a word names are looked up first (at most CUSTOMERS_PER_WORD; by prefix
    indexes on their lower-cased names and address on PostgreSQL, migration
    customers.0003) and their ids given as a list: `customer_id IN (subquery)` beside the
    document match would make PostgreSQL test every conversation of the shop instead of
    combining two index scans.
    """
    condition = Q()
    for word in words(query):
        named = list(
            Customer.objects.for_shop(shop)
            .alias(first=Lower("first_name"), last=Lower("last_name"), mail=Lower("email"))
            .filter(Q(first__startswith=word) | Q(last__startswith=word) | Q(mail__startswith=word))
            .order_by()
            .values_list("pk", flat=True)[:CUSTOMERS_PER_WORD]
        )
        word_condition = _document_has(shop=shop, word=word)
        if named:
            word_condition |= Q(customer_id__in=named)
        condition &= word_condition
    if _postgres() and condition:
        return _narrowed(shop=shop, condition=condition)
    return condition


def _narrowed(*, shop: Shop, condition: Q) -> Q:
    """The matches as a list of ids when there are few, else the condition itself.

    PostgreSQL estimates a prefix search ("retour:*") at 0.5 % of the rows at least, so for
    a rare word it walks the whole shop's recency index looking for 50 matches (seconds at a
    million conversations) where the GIN index has the few matches at once. One probe tells:
    few matches (found by the GIN index in milliseconds) become an id list; many (a common
    word: found as quickly by walking the recency index) keep the condition and its plans.
    """
    found = list(
        Conversation.objects.for_shop(shop)
        .filter(condition)
        .order_by()
        .values_list("pk", flat=True)[: FEW_MATCHES + 1]
    )
    return Q(pk__in=found) if len(found) <= FEW_MATCHES else condition


def _document_has(*, shop: Shop, word: str) -> Q:
    """The conversation's document has a word starting with `word` (letters and digits)."""
    if _postgres():
        # On the row itself, so the planner weighs it against the recency index. A stop word
        # ("de", "het") stems to nothing (numnode 0) and then matches rather than excludes.
        query = f"to_tsquery('{POSTGRES_CONFIG}', %s)"
        return Q(
            RawSQL(
                f'(numnode({query}) = 0 OR "inbox_conversation"."search_vector" @@ {query})',
                [f"{word}:*", f"{word}:*"],
                output_field=BooleanField(),
            )
        )
    return Q(
        pk__in=RawSQL(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND shop_id = %s",
            [f'"{word}"*', shop.pk],
        )
    )
