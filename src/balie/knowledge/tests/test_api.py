from __future__ import annotations

import json

from django.test import Client

from balie.knowledge.models import ArticleFeedback, ArticleTranslation
from balie.knowledge.tests.factories import article
from balie.tenancy.models import Role, Shop
from balie.tenancy.tests.factories import MembershipFactory

BASE = "/api/v1/knowledge"


def _json(client: Client, method: str, url: str, body: object) -> tuple[int, dict[str, object]]:
    response = getattr(client, method)(url, data=json.dumps(body), content_type="application/json")
    return response.status_code, response.json() if response.content else {}


def test_an_article_is_created_translated_and_read_back(shop: Shop, api_client: Client) -> None:
    # when
    status, created = _json(api_client, "post", f"{BASE}/articles", {
        "key": "retour", "title": "Hoe stuur ik iets terug?", "body": "Via **Mijn account**.",
        "topic": "retourneren", "tags": ["retour"], "status": "published",
    })  # fmt: skip
    translated, _body = _json(api_client, "put", f"{BASE}/articles/retour/en", {
        "title": "How do I return an item?", "status": "draft",
    })  # fmt: skip
    read = api_client.get(f"{BASE}/articles/retour").json()
    # then
    assert (status, translated) == (201, 200)
    assert created["topic"] == "retourneren"
    assert [t["locale"] for t in read["translations"]] == ["en", "nl"]
    assert read["translations"][1]["body_html"] == ("<p>Via <strong>Mijn account</strong>.</p>\n")


def test_creating_a_key_twice_is_a_conflict(shop: Shop, api_client: Client) -> None:
    # given
    article(shop, "retour", "Retour")
    # when
    status, problem = _json(api_client, "post", f"{BASE}/articles", {"key": "retour", "title": "X"})
    # then
    assert status == 409
    assert problem["code"] == "article_key_taken"


def test_versions_are_listed_and_restored(shop: Shop, api_client: Client) -> None:
    # given
    article(shop, "retour", "Eerste", "Een")
    article(shop, "retour", "Tweede", "Twee")
    # when
    versions = api_client.get(f"{BASE}/articles/retour/nl/versions").json()["items"]
    status, restored = _json(
        api_client, "post", f"{BASE}/articles/retour/nl/versions/1/restore", {}
    )
    # then
    assert [v["number"] for v in versions] == [2, 1]
    assert status == 200
    assert (restored["title"], restored["version"]) == ("Eerste", 3)


def test_an_import_with_a_bad_line_lists_it_and_changes_nothing(
    shop: Shop, api_client: Client
) -> None:
    # given
    content = b'{"id": "retour", "title": "Retour", "locale": "nl"}\n{"id": "x"\n'
    # when
    response = api_client.post(f"{BASE}/import", data=content, content_type="application/x-ndjson")
    # then
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "knowledge_import_invalid"
    assert problem["errors"][0]["message"].startswith("Regel 2:")
    assert not ArticleTranslation.objects.exists()


def test_import_then_export_gives_the_same_rows(shop: Shop, api_client: Client) -> None:
    # given
    content = (
        b'{"id": "retour", "title": "Retour", "body": "Tekst", "topic": "retourneren", '
        b'"locale": "nl", "tags": ["retour"], "url_patterns": ["/retour*"]}\n'
    )
    imported = api_client.post(
        f"{BASE}/import?valid_only=true", data=content, content_type="application/x-ndjson"
    ).json()
    # when
    response = api_client.get(f"{BASE}/export")
    exported = json.loads(b"".join(response.streaming_content))
    # then
    assert imported == {"created": 1, "updated": 0, "unchanged": 0, "problems": []}
    assert response["Content-Disposition"] == 'attachment; filename="kennisbank-pollepel.jsonl"'
    assert (exported["id"], exported["url_patterns"]) == ("retour", ["/retour*"])


def test_search_finds_published_articles_and_internal_ones_only_when_asked(
    shop: Shop, api_client: Client
) -> None:
    # given
    article(shop, "retour", "Retour aanmelden", "Zo meld je een retour aan.")
    article(shop, "intern", "Retour zonder bon", "Interne werkwijze voor retour.", internal=True)
    # when
    public = api_client.get(f"{BASE}/search", {"q": "retourzending"}).json()
    agents = api_client.get(f"{BASE}/search", {"q": "retour", "internal": "true"}).json()
    # then
    assert [hit["key"] for hit in public] == ["retour"]
    assert sorted(hit["key"] for hit in agents) == ["intern", "retour"]


def test_faq_for_a_page(shop: Shop, api_client: Client) -> None:
    # given
    api_client.post(
        f"{BASE}/import",
        data=b'{"id": "betalen", "title": "Betalen", "locale": "nl", "page_types": ["checkout"]}\n',
        content_type="application/x-ndjson",
    )
    # when
    faq = api_client.get(f"{BASE}/faq", {"page_type": "checkout", "locale": "nl"}).json()
    # then
    assert [item["key"] for item in faq] == ["betalen"]


def test_feedback_is_recorded(shop: Shop, api_client: Client) -> None:
    # given
    article(shop, "retour", "Retour")
    # when
    status, _body = _json(api_client, "post", f"{BASE}/articles/retour/nl/feedback",
                          {"helpful": False, "comment": "<script>x</script>"})  # fmt: skip
    # then
    assert status == 204
    assert ArticleFeedback.objects.get().comment == "<script>x</script>"


def test_viewers_cannot_change_articles(shop: Shop) -> None:
    # given
    viewer = MembershipFactory(shop=shop, role=Role.VIEWER)
    client = Client(enforce_csrf_checks=False)
    client.force_login(viewer.user)
    # when
    status, _problem = _json(client, "post", f"{BASE}/articles", {"key": "x", "title": "X"})
    # then
    assert status == 403
