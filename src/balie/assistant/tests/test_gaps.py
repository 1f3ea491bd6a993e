from __future__ import annotations

from django.test import Client

from balie.assistant import gaps, services
from balie.assistant.models import Turn
from balie.tenancy.models import Membership, Shop


def _unanswered(shop: Shop, *questions: str) -> None:
    for question in questions:
        services.assistant_answer(shop=shop, question=question)


def test_unanswered_questions_are_grouped_with_counts_and_a_title(knowledge: Shop) -> None:
    # given
    _unanswered(
        knowledge,
        "kan ik bij jullie een cadeaukaart kopen",
        "verkopen jullie cadeaukaarten?",
        "cadeaukaart kopen voor mijn moeder",
        "wat is de hoofdstad van frankrijk",
    )
    # when
    found = gaps.gap_list(shop=knowledge)
    # then
    assert [gap.count for gap in found] == [3, 1]
    assert "cadeaukaart" in found[0].title.lower()
    assert found[0].title[0].isupper()
    assert len(found[0].examples) == 3


def test_answered_questions_are_no_gap(knowledge: Shop) -> None:
    # given
    services.assistant_answer(shop=knowledge, question="hoe kan ik mijn bestelling retourneren")
    # when / then
    assert gaps.gap_list(shop=knowledge) == []


def test_gaps_are_the_shops_own(knowledge: Shop, other_shop: Shop) -> None:
    # given
    _unanswered(other_shop, "verkopen jullie fietsbanden")
    # when / then
    assert gaps.gap_list(shop=knowledge) == []


def test_the_gaps_page_lists_them_for_agents(knowledge: Shop, agent: Membership) -> None:
    # given
    _unanswered(knowledge, "verkopen jullie cadeaukaarten?")
    client = Client()
    client.force_login(agent.user)
    # when
    html = client.get("/app/kennisbank/lacunes/").content.decode()
    # then
    assert "Verkopen jullie cadeaukaarten?" in html
    assert "/app/kennisbank/nieuw/?titel=Verkopen" in html


def test_the_outcomes_of_a_period_are_counted(knowledge: Shop) -> None:
    # given
    services.assistant_answer(shop=knowledge, question="hoe kan ik mijn bestelling retourneren")
    services.assistant_answer(shop=knowledge, question="ik wil een medewerker spreken")
    _unanswered(knowledge, "verkopen jullie fietsbanden")
    # when
    counted = gaps.outcome_counts(shop=knowledge)
    # then
    assert (counted.total, counted.settled, counted.handed_off) == (3, 1, 1)


def test_trying_the_assistant_shows_what_it_would_do_and_stores_nothing(
    knowledge: Shop, agent: Membership
) -> None:
    # given
    client = Client()
    client.force_login(agent.user)
    # when
    html = client.get("/app/kennisbank/assistent/", {"vraag": "hoe kan ik retourneren"})
    # then
    text = html.content.decode()
    assert "Hij antwoordt met het eerste artikel." in text
    assert "Hoe stuur ik iets terug?" in text
    assert not Turn.objects.exists()
