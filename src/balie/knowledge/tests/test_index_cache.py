from __future__ import annotations

import pytest

from balie.knowledge import index, services
from balie.knowledge.index import Audience
from balie.knowledge.models import ArticleStatus
from balie.knowledge.tests.factories import article
from balie.tenancy.models import Shop


def test_the_index_holds_published_public_translations_only(shop: Shop) -> None:
    # given
    article(shop, "retour", "Hoe stuur ik iets terug?", "Meld je retour aan.")
    article(shop, "concept", "Retour concept", status=ArticleStatus.DRAFT)
    article(shop, "intern", "Retour zonder bon", "Interne werkwijze", internal=True)
    # when
    shoppers = index.shop_index(shop=shop)
    agents = index.shop_index(shop=shop, audience=Audience.AGENTS)
    # then
    assert sorted(e.key for e in shoppers.entries.values()) == ["retour"]
    assert sorted(e.key for e in agents.entries.values()) == ["intern", "retour"]


def test_a_search_finds_the_article_by_a_compound_word(shop: Shop) -> None:
    # given
    article(shop, "retour", "Retour aanmelden", "Zo meld je een retour aan.", topic="retourneren")
    article(shop, "bezorging", "Bezorgtijd", "We bezorgen binnen twee werkdagen.")
    # when
    found = index.shop_index(shop=shop).search("retourzending")
    # then
    assert [f.entry.key for f in found][:1] == ["retour"]
    assert found[0].entry.topic_slug == "retourneren"


def test_the_cached_index_is_used_until_the_articles_change(
    shop: Shop, django_assert_num_queries: object
) -> None:
    # given
    article(shop, "retour", "Retour aanmelden")
    first = index.shop_index(shop=shop)
    # when
    with django_assert_num_queries(1):  # type: ignore[operator]  # the fixture is a context manager factory
        again = index.shop_index(shop=shop)
    article(shop, "ruilen", "Ruilen")
    changed = index.shop_index(shop=shop)
    # then
    assert again is first
    assert changed is not first
    assert len(changed) == 2


def test_an_index_older_than_the_maximum_age_is_rebuilt(shop: Shop, settings: object) -> None:
    # given
    article(shop, "retour", "Retour aanmelden")
    first = index.shop_index(shop=shop)
    settings.BALIE_KB_INDEX_MAX_AGE_SECONDS = -1  # type: ignore[attr-defined]  # pytest-django settings
    # when
    again = index.shop_index(shop=shop)
    # then
    assert again is not first


def test_each_shop_gets_its_own_index(shop: Shop, other_shop: Shop) -> None:
    # given
    article(shop, "retour", "Retour aanmelden")
    article(other_shop, "fiets", "Fiets retour aanmelden")
    # when
    found = index.shop_index(shop=other_shop).search("retour")
    # then
    assert [f.entry.key for f in found] == ["fiets"]


def test_shop_synonyms_reach_the_index(shop: Shop) -> None:
    # given
    article(shop, "retour", "Retour aanmelden", "Zo meld je een retour aan.")
    settings_row = index.KnowledgeSettings.objects.get(shop=shop)
    settings_row.synonyms = "terugbrengen, retour"
    settings_row.save()
    services.index_changed(shop=shop)
    # when
    found = index.shop_index(shop=shop).search("terugbrengen")
    # then
    assert [f.entry.key for f in found] == ["retour"]


def test_the_translation_in_a_language_is_found_by_its_article(shop: Shop) -> None:
    # given
    dutch = article(shop, "retour", "Retour aanmelden")
    article(shop, "retour", "Returning an item", locale="en")
    shop_index = index.shop_index(shop=shop)
    # when
    english = shop_index.translation(dutch.article_id, "en-GB")
    # then
    assert english is not None
    assert english.title == "Returning an item"
    assert shop_index.translation(dutch.article_id, "de") is None


@pytest.mark.parametrize(
    ("views", "helpful", "unhelpful", "expected"),
    [(0, 0, 0, 0.25), (100, 0, 0, 0.75), (100, 50, 0, pytest.approx(0.98, abs=0.01))],
)
def test_popularity_blends_reads_and_votes(
    views: int, helpful: int, unhelpful: int, expected: float
) -> None:
    assert (
        index.popularity(views=views, most_views=100, helpful=helpful, unhelpful=unhelpful)
        == expected
    )
