"""The widget's questions for a page: as JSON for widget.js and as a page for an iframe."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from balie.assistant.tests.conftest import WEBSITE
from balie.knowledge import services as knowledge_services
from balie.knowledge.models import ArticleTranslation
from balie.knowledge.tests.factories import article
from balie.tenancy.models import Shop

FAQ = "/s/pollepel/widget/faq/"
FAQ_HTML = "/s/pollepel/widget/faq.html"


def _place(shop: Shop, translation: ArticleTranslation, **rules: list[str]) -> None:
    knowledge_services.placements_set(shop=shop, article=translation.article, **rules)


# --- the questions for a page ---------------------------------------------------------------


@pytest.fixture
def placed(knowledge: Shop) -> Shop:
    rows = {row.article.key: row for row in ArticleTranslation.objects.for_shop(knowledge)}
    _place(knowledge, rows["retour"], page_types=["product"])
    _place(knowledge, rows["levertijd"], categories=["Pannen"])
    _place(knowledge, rows["betalen"], page_types=["checkout"])
    _place(knowledge, rows["intern"], page_types=["product"])
    return knowledge


def test_the_faq_lists_the_questions_for_the_page(
    placed: Shop, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    # when
    with django_assert_num_queries(4):  # shop, its domains (CORS), placements, translations
        response = Client().get(
            FAQ,
            {"page_url": "https://www.pollepel.nl/koekenpan", "page_type": "product",
             "category": "pannen"},
        )  # fmt: skip
    # then
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {"title": "Wanneer wordt mijn bestelling bezorgd?", "locale": "nl",
             "url": "http://testserver/s/pollepel/artikel/nl/wanneer-wordt-mijn-bestelling-bezorgd/"},
            {"title": "Hoe stuur ik iets terug?", "locale": "nl",
             "url": "http://testserver/s/pollepel/artikel/nl/hoe-stuur-ik-iets-terug/"},
        ]
    }  # fmt: skip


def test_the_faq_speaks_the_shoppers_language_where_it_can(placed: Shop) -> None:
    # when
    response = Client().get(FAQ, {"page_type": "product", "category": "Pannen", "locale": "en"})
    # then
    assert [(item["title"], item["locale"]) for item in response.json()["items"]] == [
        ("Wanneer wordt mijn bestelling bezorgd?", "nl"),
        ("How do I return an item?", "en"),
    ]


def test_the_faq_shows_at_most_five_questions(shop: Shop) -> None:
    # given
    for number in range(7):
        _place(shop, article(shop, f"vraag-{number}", f"Vraag {number}"), page_types=["cart"])
    # when
    response = Client().get(FAQ, {"page_type": "cart"})
    # then
    assert len(response.json()["items"]) == 5


def test_an_invalid_faq_query_gets_field_errors(shop: Shop) -> None:
    # when
    response = Client().get(FAQ, {"locale": "Nederlands", "page_type": "x" * 21})
    # then
    assert response.status_code == 422
    assert {error["field"] for error in response.json()["errors"]} == {"locale", "page_type"}


def test_the_faq_page_lists_the_questions_for_an_iframe(placed: Shop) -> None:
    # when
    response = Client().get(FAQ_HTML, {"page_type": "product"})
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "<h1" in html
    assert "Veelgestelde vragen" in html
    assert (
        '<a href="http://testserver/s/pollepel/artikel/nl/hoe-stuur-ik-iets-terug/" lang="nl" '
        'target="_blank" rel="noopener">Hoe stuur ik iets terug?'
    ) in html
    assert "Interne werkwijze" not in html
    assert "<script" not in html


def test_the_faq_page_may_be_framed_by_the_shops_origins_only(site: Shop) -> None:
    # when
    response = Client().get(FAQ_HTML)
    # then
    policy = response["Content-Security-Policy"]
    ancestors = next(part for part in policy.split("; ") if part.startswith("frame-ancestors"))
    assert set(ancestors.split()[1:]) == {
        "'self'",
        "http://127.0.0.1:8000",
        WEBSITE,
        "https://klantenservice.pollepel.nl",
    }
    assert "default-src 'none'" in policy
    assert "X-Frame-Options" not in response


def test_the_faq_page_escapes_titles_and_speaks_english_for_english_pages(shop: Shop) -> None:
    # given
    row = article(shop, "html", '<b onmouseover="x()">Vet</b> & "cursief"', locale="en")
    _place(shop, row, page_types=["cart"])
    # when
    response = Client().get(FAQ_HTML, {"page_type": "cart", "locale": "en"})
    # then
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "&lt;b onmouseover=&quot;x()&quot;&gt;Vet&lt;/b&gt; &amp; &quot;cursief&quot;" in html
    assert "<b onmouseover" not in html


def test_the_faq_page_of_an_unknown_shop_is_not_found(db: None) -> None:
    # when
    response = Client().get("/s/bestaat-niet/widget/faq.html")
    # then
    assert response.status_code == 404
