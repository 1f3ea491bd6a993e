"""Conversation search: words in subjects, messages and customers, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balie.core.tests.corpora import CORPORA, require
from balie.customers import services as customers_services
from balie.customers.tests.factories import CustomerFactory
from balie.inbox import search, selectors, services
from balie.inbox.models import Message
from balie.inbox.tests.factories import ConversationFactory, MessageFactory, inbound_email
from balie.tenancy.models import Membership, Shop

pytestmark = pytest.mark.django_db


def found(shop: Shop, q: str) -> set[int]:
    return set(selectors.conversation_list(shop=shop, q=q).values_list("pk", flat=True))


def test_a_word_in_a_message_finds_its_conversation_as_a_prefix(shop: Shop) -> None:
    # given
    received = services.message_receive(
        shop=shop,
        inbound=inbound_email(subject="Vraag", text="Mijn retourzending is nog niet verwerkt."),
    )
    services.message_receive(shop=shop, inbound=inbound_email(subject="Iets anders"))

    # when / then
    assert found(shop, "retourzending") == {received.conversation.pk}
    assert found(shop, "retour") == {received.conversation.pk}
    assert found(shop, "RETOURZENDING verwerkt") == {received.conversation.pk}
    assert found(shop, "retourzending betaald") == set()


def test_every_word_must_match_but_may_match_different_messages(shop: Shop) -> None:
    # given
    first = services.message_receive(
        shop=shop, inbound=inbound_email(subject="Pollepel", text="De pollepel is gebroken.")
    )
    services.message_receive(
        shop=shop,
        inbound=inbound_email(
            in_reply_to=first.message.external_id, text="Ik stuur een foto van de barst."
        ),
    )

    # when / then: subject, first and second message together
    assert found(shop, "pollepel gebroken barst") == {first.conversation.pk}


def test_quoted_history_is_not_indexed_again(shop: Shop) -> None:
    # given: a reply that quotes a message of another conversation's words
    received = services.message_receive(
        shop=shop,
        inbound=inbound_email(
            subject="Re: levering",
            text="Dank je!\n\nOp 1 dec. 2026 om 10:00 schreef Winkel <w@x.nl>:\n> vergiet\n",
        ),
    )

    # when / then
    assert found(shop, "dank") == {received.conversation.pk}
    assert found(shop, "vergiet") == set()


def test_accents_do_not_matter_either_way(shop: Shop) -> None:
    # given
    received = services.message_receive(
        shop=shop, inbound=inbound_email(subject="Crème brûlée-brander", text="Geïnteresseerd")
    )

    # when / then
    assert found(shop, "creme brulee") == {received.conversation.pk}
    assert found(shop, "geinteresseerd") == {received.conversation.pk}
    assert found(shop, "Crème") == {received.conversation.pk}


def test_postgresql_stems_dutch_words_and_sqlite_matches_prefixes(shop: Shop) -> None:
    # given
    received = services.message_receive(
        shop=shop, inbound=inbound_email(subject="Vraag", text="Mijn bestelling is kwijt")
    )

    # when
    plural = found(shop, "bestellingen")

    # then: "bestelling" and "bestellingen" share the stem "bestell" (Snowball, PostgreSQL);
    # SQLite's FTS5 has no Dutch stemmer, only prefixes ("bestel" finds both)
    assert plural == ({received.conversation.pk} if connection.vendor == "postgresql" else set())
    assert found(shop, "bestel") == {received.conversation.pk}


def test_a_customer_is_found_by_name_and_email_also_after_a_rename(shop: Shop) -> None:
    # given
    customer = CustomerFactory(shop=shop, first_name="Fenna", last_name="Bakker")
    conversation = ConversationFactory(shop=shop, customer=customer, subject="Vraag")
    ConversationFactory(shop=shop, subject="Andere vraag")

    # when
    customers_services.customer_update(shop=shop, customer=customer, last_name="Visser")

    # then
    assert found(shop, "fen viss") == {conversation.pk}
    assert found(shop, customer.email.split("@")[0]) == {conversation.pk}
    assert found(shop, customer.email.upper()) == {conversation.pk}
    assert found(shop, "bakker") == set()


def test_a_reference_finds_exactly_that_conversation(shop: Shop) -> None:
    # given
    conversation = ConversationFactory(shop=shop, reference="K7M2QX9A")
    ConversationFactory(shop=shop, subject="K7M2QX9A staat in het onderwerp")

    # when / then
    for query in ("#K7M2QX9A", "[#k7m2qx9a]", "k7m2qx9a"):
        assert found(shop, query) == {conversation.pk}


def test_notes_are_searchable_for_agents(shop: Shop, agent: Membership) -> None:
    # given
    conversation = ConversationFactory(shop=shop)

    # when
    services.note_add(
        shop=shop, conversation=conversation, author=agent, text="Teruggebeld, pakket komt"
    )

    # then
    assert found(shop, "teruggebeld") == {conversation.pk}


def test_another_shops_conversations_are_never_found(shop: Shop, other_shop: Shop) -> None:
    # given
    services.message_receive(shop=other_shop, inbound=inbound_email(text="geheimewoord"))
    other_customer = CustomerFactory(shop=other_shop, first_name="Geheimewoord")
    ConversationFactory(shop=other_shop, customer=other_customer)

    # when / then
    assert found(shop, "geheimewoord") == set()


def test_a_stop_word_neither_breaks_nor_empties_the_search(shop: Shop) -> None:
    # given
    received = services.message_receive(
        shop=shop, inbound=inbound_email(subject="De vergiet", text="Het vergiet lekt")
    )

    # when / then
    assert found(shop, "de vergiet") == {received.conversation.pk}
    assert found(shop, "het") == {received.conversation.pk}


def test_reindexing_follows_messages_that_moved(shop: Shop) -> None:
    # given
    source = ConversationFactory(shop=shop)
    target = ConversationFactory(shop=shop)
    MessageFactory(conversation=source, text="Zeef met een deuk")

    # when: the message moves (as merge does), and both documents are rebuilt
    Message.objects.filter(conversation=source).update(conversation=target)
    search.conversations_reindex([source.pk, target.pk])

    # then
    assert found(shop, "deuk") == {target.pk}


def test_rebuild_restores_every_document_of_the_shop(shop: Shop) -> None:
    # given
    conversation = ConversationFactory(shop=shop, subject="Garantie op de mixer")
    MessageFactory(conversation=conversation, text="Motor maakt herrie")
    search.forget([conversation.pk])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE inbox_conversation SET search_vector = ''::tsvector")

    # when
    rebuilt = search.rebuild(shop=shop)

    # then
    assert rebuilt == 1
    assert found(shop, "mixer herrie") == {conversation.pk}


def test_naughty_queries_are_answered_without_errors(shop: Shop) -> None:
    # given
    ConversationFactory(shop=shop, subject="Vraag")
    lines = (
        require(CORPORA / "naughty-strings" / "blns.txt")
        .read_text(encoding="utf-8", errors="replace")
        .splitlines()
    )
    queries = [line for line in lines if line and not line.startswith("#")]

    # when / then: every query runs (no SQL, FTS5 or tsquery syntax error), none finds
    # more than the shop has
    for query in [*queries, '"', "'", "*", "a:*", "NEAR(a b)", "x AND OR NOT", "(", "\\"]:
        assert len(found(shop, query)) <= 1, query


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=60))
def test_any_text_is_a_valid_query(shop: Shop, query: str) -> None:
    # when / then
    list(selectors.conversation_list(shop=shop, q=query)[:5])


def test_a_search_answers_the_same_with_few_or_many_matches(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: three conversations about a colander, one about a whisk
    for number in range(3):
        services.message_receive(
            shop=shop,
            inbound=inbound_email(sender_address=f"{number}@x.nl", text="Het vergiet is kapot"),
        )
    services.message_receive(shop=shop, inbound=inbound_email(text="De garde is zoek"))
    as_list = found(shop, "vergiet")

    # when: "few" means at most one, so the search keeps its condition (PostgreSQL)
    monkeypatch.setattr(search, "FEW_MATCHES", 1)
    as_condition = found(shop, "vergiet")

    # then
    assert len(as_list) == 3
    assert as_condition == as_list
