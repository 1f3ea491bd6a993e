from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.test import Client

from balie.knowledge import services
from balie.knowledge.models import ArticleFeedback, ArticleStatus, ArticleTranslation
from balie.knowledge.tests.factories import article
from balie.tenancy.models import Shop, ShopDomain

HOME = "/s/pollepel/"


@pytest.fixture
def returns(shop: Shop) -> ArticleTranslation:
    dutch = article(shop, "retour", "Hoe stuur ik iets terug?", "Meld je **retour** aan.",
                    topic="retourneren")  # fmt: skip
    article(shop, "retour", "How do I return an item?", "Register your return.", locale="en")
    return dutch


def _json_ld(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found.group(1))


def test_an_article_page_has_canonical_hreflang_and_article_json_ld(
    client: Client, returns: ArticleTranslation
) -> None:
    # when
    response = client.get(f"{HOME}artikel/nl/hoe-stuur-ik-iets-terug/")
    html = response.content.decode()
    # then
    assert response.status_code == 200
    assert response["Content-Language"] == "nl"
    assert (
        '<link rel="canonical" href="http://testserver/s/pollepel/artikel/nl/hoe-stuur-ik-iets-terug/">'
        in html
    )
    assert (
        'hreflang="en" href="http://testserver/s/pollepel/artikel/en/how-do-i-return-an-item/"'
        in html
    )
    assert "<strong>retour</strong>" in html
    data = _json_ld(html)
    assert (data["@type"], data["headline"], data["inLanguage"]) == (
        "Article", "Hoe stuur ik iets terug?", "nl",
    )  # fmt: skip


def test_reading_an_article_counts_a_view(client: Client, returns: ArticleTranslation) -> None:
    # when
    client.get(f"{HOME}artikel/nl/hoe-stuur-ik-iets-terug/")
    # then
    returns.refresh_from_db()
    assert returns.view_count == 1


def test_script_in_an_article_is_shown_as_text_and_cannot_end_the_json_ld(
    client: Client, shop: Shop
) -> None:
    # given
    article(shop, "x", "Titel </script><script>alert(1)</script>", "<img src=x onerror=alert(1)>",
            )  # fmt: skip
    slug = ArticleTranslation.objects.get().slug
    # when
    html = client.get(f"{HOME}artikel/nl/{slug}/").content.decode()
    # then
    assert "<script>alert(1)</script>" not in html
    assert "<img" not in html.split("<main", 1)[1]
    assert _json_ld(html)["headline"].startswith("Titel </script>")


@pytest.mark.parametrize("kind", ["draft", "internal", "other_shop", "unknown"])
def test_drafts_internal_and_other_shops_articles_are_not_found(
    client: Client, shop: Shop, other_shop: Shop, kind: str
) -> None:
    # given
    if kind == "draft":
        article(shop, "x", "Verborgen", status=ArticleStatus.DRAFT)
    elif kind == "internal":
        article(shop, "x", "Verborgen", internal=True)
    elif kind == "other_shop":
        article(other_shop, "x", "Verborgen")
    # when
    response = client.get(f"{HOME}artikel/nl/verborgen/")
    # then
    assert response.status_code == 404


def test_a_topic_page_lists_its_questions_with_faq_json_ld(
    client: Client, returns: ArticleTranslation
) -> None:
    # when
    html = client.get(f"{HOME}onderwerp/retourneren/").content.decode()
    # then
    data = _json_ld(html)
    assert data["@type"] == "FAQPage"
    assert [q["name"] for q in data["mainEntity"]] == ["Hoe stuur ik iets terug?"]  # type: ignore[index,union-attr]  # parsed JSON
    assert data["mainEntity"][0]["acceptedAnswer"]["text"] == "Meld je retour aan."  # type: ignore[index]  # parsed JSON


def test_search_works_without_javascript_and_as_an_htmx_partial(
    client: Client, returns: ArticleTranslation
) -> None:
    # when
    page = client.get(f"{HOME}zoeken/", {"q": "retourzending"}).content.decode()
    partial = client.get(f"{HOME}zoeken/", {"q": "retou"}, headers={"HX-Request": "true"})
    # then
    assert "Hoe stuur ik iets terug?" in page
    assert "<html" in page
    assert "<html" not in partial.content.decode()
    assert "Hoe stuur ik iets terug?" in partial.content.decode()


def test_a_search_without_results_says_so(client: Client, returns: ArticleTranslation) -> None:
    # when
    html = client.get(f"{HOME}zoeken/", {"q": "<b>fietsband</b>"}).content.decode()
    # then
    assert "Geen artikelen gevonden voor “&lt;b&gt;fietsband&lt;/b&gt;”" in html


def test_the_sitemap_lists_published_articles_with_their_languages(
    client: Client, returns: ArticleTranslation, shop: Shop
) -> None:
    # given
    article(shop, "concept", "Concept", status=ArticleStatus.DRAFT)
    # when
    response = client.get(f"{HOME}sitemap.xml")
    xml = response.content.decode()
    # then
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert xml.count("<url>") == 1 + 1 + 2  # the home, one topic, two translations
    assert (
        'hreflang="en" href="http://testserver/s/pollepel/artikel/en/how-do-i-return-an-item/"'
        in xml
    )
    assert "concept" not in xml


def test_feedback_from_the_form_is_recorded_and_thanked(
    returns: ArticleTranslation,
) -> None:
    # given
    client = Client(enforce_csrf_checks=True)
    url = f"{HOME}artikel/nl/hoe-stuur-ik-iets-terug/"
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content.decode()
    )
    assert token is not None
    # when
    response = client.post(f"{url}feedback/", {"helpful": "nee", "comment": "Onduidelijk",
                                                "csrfmiddlewaretoken": token.group(1)})  # fmt: skip
    # then
    assert response.status_code == 302
    assert response["Location"] == f"{url}?bedankt=1#feedback"
    assert ArticleFeedback.objects.get().comment == "Onduidelijk"
    assert "Bedankt voor je reactie!" in client.get(response["Location"]).content.decode()


def test_the_pages_work_on_the_shops_own_domain(client: Client, returns: ArticleTranslation,
                                                shop: Shop) -> None:  # fmt: skip
    # given
    ShopDomain.objects.create(shop=shop, domain="help.pollepel.localhost", is_primary=True)
    # when
    response = client.get(
        "/artikel/nl/hoe-stuur-ik-iets-terug/", HTTP_HOST="help.pollepel.localhost"
    )
    elsewhere = client.get("/artikel/nl/hoe-stuur-ik-iets-terug/", HTTP_HOST="testserver")
    # then
    assert response.status_code == 200
    assert '<a class="hc-header__brand" href="/">' in response.content.decode()
    assert elsewhere.status_code == 404


def test_the_help_center_home_shows_topics_and_popular_questions(
    client: Client, returns: ArticleTranslation, shop: Shop
) -> None:
    # given
    services.article_view_record(shop=shop, translation=returns)
    # when
    html = client.get(HOME).content.decode()
    # then
    assert 'href="/s/pollepel/onderwerp/retourneren/"' in html
    assert 'href="/s/pollepel/artikel/nl/hoe-stuur-ik-iets-terug/"' in html


def test_regional_translations_show_on_the_languages_pages(client: Client, shop: Shop) -> None:
    # given: an English article as a Zendesk import writes it
    article(shop, "retour", "Returning an item", "Register your return.", locale="en-US",
            topic="retourneren")  # fmt: skip
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # when
    home = client.get(HOME).content.decode()
    topic = client.get(f"{HOME}onderwerp/retourneren/")
    # then
    assert f"{HOME}artikel/en-US/returning-an-item/" in home
    assert "Returning an item" in topic.content.decode()
