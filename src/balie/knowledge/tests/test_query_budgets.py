"""Query budgets of the knowledge base's hot paths, once the shop's index is built: a search,
the FAQ of a page, an article page and an assistant answer cost a fixed number of queries
however many articles the shop has."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from balie.assistant import services as assistant_services
from balie.knowledge import index, selectors, services
from balie.knowledge.tests.factories import article
from balie.tenancy.models import Shop


def _shop_with(shop: Shop, count: int) -> None:
    for number in range(count):
        translation = article(shop, f"vraag-{number}", f"Retour vraag {number}",
                              f"Tekst over retourneren {number}.", topic="retourneren")  # fmt: skip
        services.placements_set(shop=shop, article=translation.article, page_types=["cart"])


@pytest.mark.parametrize("count", [3, 30])
def test_a_search_costs_one_query_once_the_index_is_built(
    shop: Shop, count: int, django_assert_num_queries: Callable[..., Any]
) -> None:
    # given
    _shop_with(shop, count)
    index.shop_index(shop=shop)
    # when / then: the version check only
    with django_assert_num_queries(1):
        index.shop_index(shop=shop).search("retourzending")


@pytest.mark.parametrize("count", [3, 30])
def test_the_faq_of_a_page_costs_two_queries(
    shop: Shop, count: int, django_assert_num_queries: Callable[..., Any]
) -> None:
    # given
    _shop_with(shop, count)
    # when / then: the placements, then their translations
    with django_assert_num_queries(2):
        selectors.faq_for_page(shop=shop, page=selectors.Page(page_type="cart"), locale="nl")


@pytest.mark.parametrize("count", [3, 30])
def test_an_article_page_has_a_fixed_query_budget(
    shop: Shop, count: int, client: Client, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    # given
    _shop_with(shop, count)
    # when / then
    with django_assert_max_num_queries(10):
        response = client.get("/s/pollepel/artikel/nl/retour-vraag-1/")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_an_assistant_answer_has_a_fixed_query_budget(
    shop: Shop, count: int, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    # given
    _shop_with(shop, count)
    index.shop_index(shop=shop)
    # when / then
    with django_assert_max_num_queries(10):
        assistant_services.assistant_answer(shop=shop, question="retour vraag 2")
