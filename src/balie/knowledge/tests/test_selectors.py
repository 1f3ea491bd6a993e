from __future__ import annotations

from balie.knowledge import selectors, services
from balie.knowledge.models import ArticleStatus
from balie.knowledge.selectors import Page
from balie.knowledge.tests.factories import article
from balie.tenancy.models import Shop


def _place(shop: Shop, key: str, title: str, **rules: list[str]) -> None:
    translation = article(shop, key, title)
    services.placements_set(shop=shop, article=translation.article, **rules)


def test_faq_for_a_page_puts_the_most_specific_rule_first(shop: Shop) -> None:
    # given
    _place(shop, "betalen", "Betaalmethoden", page_types=["checkout"])
    _place(shop, "achteraf", "Achteraf betalen", url_patterns=["/checkout/*"])
    _place(shop, "bezorgen", "Bezorgtijd", url_patterns=["/checkout*"])
    _place(shop, "pannen", "Inductie", categories=["Pannen"])
    # when
    found = selectors.faq_for_page(
        shop=shop,
        page=Page(url="https://shop.example/checkout/stap-2?x=1", page_type="checkout"),
        locale="nl",
    )
    # then
    assert [t.article.key for t in found] == ["achteraf", "bezorgen", "betalen"]


def test_faq_for_a_product_page_follows_its_category(shop: Shop) -> None:
    # given
    _place(shop, "inductie", "Inductie", categories=["Pannen"])
    _place(shop, "slijpen", "Messen slijpen", categories=["Messen"])
    # when
    found = selectors.faq_for_page(
        shop=shop, page=Page(url="/product/koekenpan", category="pannen"), locale="nl"
    )
    # then
    assert [t.article.key for t in found] == ["inductie"]


def test_faq_shows_the_shoppers_language_and_falls_back_to_the_shops(shop: Shop) -> None:
    # given
    _place(shop, "retour", "Retour aanmelden", page_types=["cart"])
    article(shop, "retour", "Returning an item", locale="en")
    _place(shop, "bezorgen", "Bezorgtijd", page_types=["cart"])
    # when
    found = selectors.faq_for_page(shop=shop, page=Page(page_type="cart"), locale="en")
    # then
    assert sorted(t.title for t in found) == ["Bezorgtijd", "Returning an item"]


def test_faq_leaves_out_drafts_internal_articles_and_other_shops(
    shop: Shop, other_shop: Shop
) -> None:
    # given
    translation = article(shop, "concept", "Concept", status=ArticleStatus.DRAFT)
    services.placements_set(shop=shop, article=translation.article, page_types=["cart"])
    internal = article(shop, "intern", "Intern", internal=True)
    services.placements_set(shop=shop, article=internal.article, page_types=["cart"])
    _place(other_shop, "ander", "Andere winkel", page_types=["cart"])
    # when
    found = selectors.faq_for_page(shop=shop, page=Page(page_type="cart"), locale="nl")
    # then
    assert found == []


def test_faq_is_limited(shop: Shop) -> None:
    # given
    for number in range(7):
        _place(shop, f"vraag-{number}", f"Vraag {number}", page_types=["cart"])
    # when
    found = selectors.faq_for_page(shop=shop, page=Page(page_type="cart"), locale="nl", limit=3)
    # then
    assert len(found) == 3
