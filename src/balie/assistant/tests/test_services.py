from __future__ import annotations

import pytest

from balie.assistant import services
from balie.assistant.models import Outcome, Session, Turn
from balie.inbox.models import Conversation, Message
from balie.knowledge.models import KnowledgeSettings
from balie.knowledge.tests.factories import article
from balie.orders.tests.factories import OrderFactory
from balie.tenancy.models import Shop


def _ask(shop: Shop, question: str, **kwargs: str) -> services.Answer:
    return services.assistant_answer(shop=shop, question=question, **kwargs)


def test_it_answers_from_the_article_that_fits(knowledge: Shop) -> None:
    # when
    answer = _ask(knowledge, "hoe kan ik mijn bestelling retourneren")
    # then
    reply = answer.reply
    assert reply.outcome == Outcome.ANSWERED
    assert [article.key for article in reply.articles] == ["retour"]
    assert reply.answer.startswith("Hoe stuur ik iets terug?")
    assert 0.5 <= reply.confidence <= 1
    assert reply.handoff is False


def test_it_answers_in_the_questions_language_where_a_translation_exists(knowledge: Shop) -> None:
    # when
    answer = _ask(knowledge, "how can I return my order")
    # then
    assert answer.language == "en"
    assert answer.reply.articles[0].locale == "en"
    assert answer.reply.answer.startswith("How do I return an item?")


def test_internal_articles_never_reach_shoppers(knowledge: Shop) -> None:
    # when
    answer = _ask(knowledge, "interne werkwijze retour zonder bon")
    # then
    assert "intern" not in [article.key for article in answer.reply.articles]


def test_out_of_scope_asks_once_then_hands_off_with_the_transcript(knowledge: Shop) -> None:
    # given
    first = _ask(knowledge, "wat is de hoofdstad van frankrijk")
    # when
    second = _ask(knowledge, "wie wint het wk voetbal", conversation_id=first.conversation_id)
    third = _ask(knowledge, "mijn adres is sanne@example.nl", conversation_id=first.conversation_id)
    # then
    assert first.reply.outcome == Outcome.CLARIFY
    assert first.reply.reason == "out_of_scope"
    assert second.reply.outcome == Outcome.CONTACT_NEEDED
    assert second.reply.handoff is True
    assert third.reply.outcome == Outcome.HANDOFF
    assert third.reply.action is not None
    assert third.reply.action["type"] == "handoff"
    conversation = Conversation.objects.get(shop=knowledge)
    message = Message.objects.get(conversation=conversation)
    assert conversation.customer.email == "sanne@example.nl"
    assert "Klant: wat is de hoofdstad van frankrijk" in message.text
    assert "Klant: mijn adres is sanne@example.nl" in message.text
    assert Session.objects.get().conversation == conversation


def test_a_request_for_a_person_hands_off_at_once_with_a_known_address(knowledge: Shop) -> None:
    # when
    answer = _ask(knowledge, "ik wil graag een medewerker spreken", email="Piet@Example.nl")
    # then
    assert answer.reply.outcome == Outcome.HANDOFF
    assert answer.reply.reason == "asked_for_person"
    assert answer.reply.action is not None
    assert answer.reply.action["expected_response"]
    assert Conversation.objects.get().customer.email == "piet@example.nl"


def test_asking_the_same_hand_off_twice_makes_one_conversation(knowledge: Shop) -> None:
    # given
    first = _ask(knowledge, "medewerker spreken", email="piet@example.nl")
    # when
    _ask(knowledge, "ik wil een mens spreken", conversation_id=first.conversation_id)
    # then
    assert Conversation.objects.count() == 1
    assert Message.objects.count() == 2


def test_a_close_call_offers_the_nearest_articles_to_choose_from(shop: Shop) -> None:
    # given: two articles that a short question fits equally well
    article(shop, "bezorgen-nl", "Bezorgen in Nederland", "Zo bezorgen we in Nederland.")
    article(shop, "bezorgen-be", "Bezorgen in België", "Zo bezorgen we in België.")
    article(shop, "betalen", "Betalen", "Je betaalt met iDEAL.")
    KnowledgeSettings.objects.filter(shop=shop).update(answer_threshold=0.99)
    # when
    answer = _ask(shop, "bezorgen")
    # then
    assert answer.reply.outcome == Outcome.CLARIFY
    assert answer.reply.action is not None
    assert answer.reply.action["type"] == "choose"
    assert sorted(o["title"] for o in answer.reply.action["options"]) == [
        "Bezorgen in België",
        "Bezorgen in Nederland",
    ]


def test_order_status_needs_the_order_number_and_email_or_postcode(knowledge: Shop) -> None:
    # given
    order = OrderFactory(shop=knowledge, number="DP24101", status="shipped", carrier="PostNL",
                         tracking_code="3SABC123", customer__email="anna@example.nl")  # fmt: skip
    # when
    asked = _ask(knowledge, "waar is mijn bestelling?")
    wrong = _ask(knowledge, "DP24101 en 9999 ZZ", conversation_id=asked.conversation_id)
    right = _ask(knowledge, "DP24101, 1234 AB", conversation_id=asked.conversation_id)
    # then
    assert asked.reply.outcome == Outcome.VERIFY
    assert asked.reply.action == {
        "type": "verify",
        "intent": "order_status",
        "fields": ["order_number", "email_or_postcode"],
    }
    assert wrong.reply.outcome == Outcome.VERIFY
    assert "3SABC123" not in wrong.reply.answer
    assert right.reply.outcome == Outcome.ACTION
    assert "PostNL" in right.reply.answer
    assert "3SABC123" in right.reply.answer
    assert right.reply.action is not None
    assert right.reply.action["order"]["number"] == order.number


def test_an_unknown_order_number_answers_like_a_wrong_combination(knowledge: Shop) -> None:
    # given
    OrderFactory(shop=knowledge, number="DP24101", customer__email="anna@example.nl")
    asked = _ask(knowledge, "where is my order")
    # when
    unknown = _ask(knowledge, "DP99999 anna@example.nl", conversation_id=asked.conversation_id)
    wrong = _ask(knowledge, "DP24101 bob@example.nl", conversation_id=asked.conversation_id)
    # then
    assert unknown.reply.answer == wrong.reply.answer


def test_three_wrong_tries_hand_off(knowledge: Shop) -> None:
    # given
    asked = _ask(knowledge, "waar blijft mijn pakket", email="anna@example.nl")
    # when
    for _attempt in range(3):
        last = _ask(knowledge, "DP10000 1111 AA", conversation_id=asked.conversation_id)
    # then
    assert last.reply.outcome == Outcome.HANDOFF
    assert last.reply.reason == "verification_failed"


def test_another_shops_order_is_never_found(knowledge: Shop, other_shop: Shop) -> None:
    # given
    OrderFactory(shop=other_shop, number="TR555", customer__email="anna@example.nl")
    asked = _ask(knowledge, "waar is mijn bestelling")
    # when
    answer = _ask(knowledge, "TR555 anna@example.nl", conversation_id=asked.conversation_id)
    # then
    assert answer.reply.outcome == Outcome.VERIFY


def test_another_shops_conversation_id_starts_a_new_conversation(
    knowledge: Shop, other_shop: Shop
) -> None:
    # given
    theirs = _ask(other_shop, "hallo", email="geheim@example.nl")
    # when
    ours = _ask(knowledge, "medewerker spreken", conversation_id=theirs.conversation_id)
    # then
    assert ours.conversation_id != theirs.conversation_id
    assert ours.reply.outcome == Outcome.CONTACT_NEEDED


@pytest.mark.parametrize(
    "question",
    [
        "",
        "   ",
        "x" * 20_000,
        "retour " * 3_000,
        "😀😀😀🙈",
        "<script>alert('x')</script>",
        "'; DROP TABLE knowledge_article; --",
        "Hallo, I want to retourneren my bestelling please, wo ist mein Paket?",
        "\x00\x01 nul",
        "\ud800 eenzame surrogaat",
    ],
)
def test_bad_input_gets_a_safe_reply(knowledge: Shop, question: str) -> None:
    # when
    answer = _ask(knowledge, question)
    # then
    assert answer.reply.outcome in set(Outcome)
    assert "<script>" not in answer.reply.answer
    assert Turn.objects.count() == 1


@pytest.mark.parametrize("question", ["medewerker", "Medewerker!", "een mens", "human"])
def test_the_word_the_tip_suggests_hands_off(knowledge: Shop, question: str) -> None:
    # when
    answer = _ask(knowledge, question)
    # then
    assert answer.reply.reason == "asked_for_person"


@pytest.mark.parametrize(
    ("question", "intent", "request_line"),
    [
        ("ik wil mijn bestelling annuleren", "order_cancel", "Verzoek: Bestelling annuleren"),
        ("graag het bezorgadres wijzigen", "address_change", "Verzoek: Bezorgadres wijzigen"),
        ("stuur me de factuur opnieuw", "invoice_resend", "Verzoek: Factuur opnieuw sturen"),
        ("please cancel my order", "order_cancel", "Verzoek: Bestelling annuleren"),
    ],
)
def test_a_request_is_verified_then_handed_to_a_person_with_the_order(
    knowledge: Shop, question: str, intent: str, request_line: str
) -> None:
    # given
    OrderFactory(shop=knowledge, number="DP24101", customer__email="anna@example.nl")
    asked = _ask(knowledge, question)
    # when
    done = _ask(knowledge, "DP24101 anna@example.nl", conversation_id=asked.conversation_id)
    # then
    assert asked.reply.outcome == Outcome.VERIFY
    assert asked.reply.intent == intent
    assert done.reply.outcome == Outcome.HANDOFF
    assert done.reply.reason == "action_request"
    assert done.reply.action is not None
    assert done.reply.action["intent"] == intent
    assert "DP24101" in done.reply.answer
    message = Message.objects.get()
    assert request_line in message.text
    assert message.conversation.customer.email == "anna@example.nl"


def test_asking_how_to_cancel_is_answered_from_the_knowledge_base(knowledge: Shop) -> None:
    # when
    answer = _ask(knowledge, "hoe annuleer ik een bestelling")
    # then
    assert answer.reply.intent == ""


@pytest.mark.parametrize(
    ("question", "starts"),
    [("hoi!", "Hoi!"), ("bedankt", "Graag gedaan!"), ("ben jij een robot?", "Hoi!"),
     ("doei", "Fijne dag!"), ("thank you so much", "You're welcome!")],
)  # fmt: skip
def test_small_talk_gets_a_friendly_reply_not_an_article(
    knowledge: Shop, question: str, starts: str
) -> None:
    # when
    answer = _ask(knowledge, question)
    # then
    assert answer.reply.reason == "small_talk"
    assert answer.reply.articles == []
    assert answer.reply.answer.startswith(starts)


def test_a_greeting_with_a_question_is_answered_as_the_question(knowledge: Shop) -> None:
    # when
    answer = _ask(knowledge, "hoi, hoe kan ik mijn bestelling retourneren?")
    # then
    assert answer.reply.outcome == Outcome.ANSWERED
