from __future__ import annotations

from django.test import Client

from balie.assistant import gaps, services
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
