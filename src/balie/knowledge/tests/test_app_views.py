from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from balie.inbox.models import Direction
from balie.inbox.tests.factories import ConversationFactory, MessageFactory
from balie.knowledge import index, services
from balie.knowledge.models import (
    ArticleAttachment,
    ArticleStatus,
    ArticleTranslation,
    KnowledgeSettings,
    Topic,
)
from balie.knowledge.services import drafts
from balie.knowledge.tests.factories import article
from balie.tenancy.models import Membership, Role, Shop
from balie.tenancy.tests.factories import MembershipFactory

BASE = "/app/kennisbank/"


@pytest.fixture
def signed_in(agent: Membership) -> Client:
    client = Client()
    client.force_login(agent.user)
    return client


def test_an_agent_writes_an_article_with_placements(shop: Shop, signed_in: Client) -> None:
    # when
    response = signed_in.post(f"{BASE}nieuw/", {
        "title": "Hoe lang duurt de bezorging?", "locale": "nl", "topic": "__new__",
        "new_topic": "bezorgen", "body": "Binnen **twee** werkdagen.", "status": "published",
        "questions": "wanneer komt mijn pakket\nlevertijd?", "tags": "bezorgen, levertijd",
        "url_patterns": "/afrekenen*", "page_types": ["checkout"], "categories": "Pannen",
    })  # fmt: skip
    # then
    saved = ArticleTranslation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}hoe-lang-duurt-de-bezorging/nl/"
    assert saved.questions == ["wanneer komt mijn pakket", "levertijd?"]
    assert saved.article.topic is not None
    assert saved.article.topic.slug == "bezorgen"
    assert sorted(str(p) for p in saved.article.placements.all()) == [
        "/afrekenen*", "Pannen", "checkout",
    ]  # fmt: skip


def test_the_preview_renders_markdown_safely(shop: Shop, signed_in: Client) -> None:
    # when
    html = signed_in.post(f"{BASE}voorbeeld/", {"body": "**vet** <script>x</script>"})
    # then
    assert "<strong>vet</strong> &lt;script&gt;x&lt;/script&gt;" in html.content.decode()


def test_editing_makes_a_version_that_shows_its_diff_and_can_be_restored(
    shop: Shop, signed_in: Client
) -> None:
    # given
    article(shop, "retour", "Retour", "Oude regel")
    edit = f"{BASE}retour/nl/"
    signed_in.post(edit, {"title": "Retour", "body": "Nieuwe regel", "status": "published",
                          "locale": "nl"})  # fmt: skip
    # when
    diff = signed_in.get(f"{edit}versies/2/").content.decode()
    restored = signed_in.post(f"{edit}versies/1/terugzetten/")
    # then
    assert "<del>− Oude regel</del>" in diff
    assert "<ins>+ Nieuwe regel</ins>" in diff
    assert restored.status_code == 302
    translation = ArticleTranslation.objects.get()
    assert (translation.body, translation.version) == ("Oude regel", 3)


def test_viewers_read_but_cannot_save(shop: Shop) -> None:
    # given
    article(shop, "retour", "Retour", "Tekst")
    viewer = MembershipFactory(shop=shop, role=Role.VIEWER)
    client = Client()
    client.force_login(viewer.user)
    # when
    listed = client.get(BASE)
    saved = client.post(f"{BASE}retour/nl/", {"title": "Gewijzigd", "status": "draft",
                                               "locale": "nl"})  # fmt: skip
    # then
    assert "Retour" in listed.content.decode()
    assert saved.status_code == 200
    assert ArticleTranslation.objects.get().title == "Retour"


def test_another_shops_article_is_not_found(
    shop: Shop, other_shop: Shop, signed_in: Client
) -> None:
    # given
    article(other_shop, "geheim", "Geheim")
    # when / then
    assert signed_in.get(f"{BASE}geheim/nl/").status_code == 404


def test_an_agents_answer_becomes_a_draft_article(shop: Shop, agent: Membership,
                                                   signed_in: Client) -> None:  # fmt: skip
    # given
    conversation = ConversationFactory(shop=shop, subject="Vraag")
    MessageFactory(conversation=conversation, text="Kan ik mijn pan ook in België laten bezorgen? "
                   "Ik woon in Gent.\n\n> eerdere mail")  # fmt: skip
    answer = MessageFactory(conversation=conversation, direction=Direction.OUTBOUND, author=agent,
                            text="Hoi Els,\n\nJa, we bezorgen ook in België.\nDat kost € 6,95.\n\n"
                                 "Groet,\nSanne")  # fmt: skip
    # when
    response = signed_in.post(f"/app/inbox/{conversation.pk}/messages/{answer.pk}/artikel/")
    # then
    draft = ArticleTranslation.objects.get()
    assert response["Location"] == f"{BASE}{draft.article.key}/nl/"
    assert draft.title == "Kan ik mijn pan ook in België laten bezorgen?"
    assert draft.body == "Ja, we bezorgen ook in België.\nDat kost € 6,95."
    assert draft.status == ArticleStatus.DRAFT
    assert (
        draft.versions.get().note
        == f"Gemaakt van een antwoord in gesprek #{conversation.reference}"
    )


def test_a_customers_message_cannot_become_an_article(shop: Shop, signed_in: Client) -> None:
    # given
    conversation = ConversationFactory(shop=shop)
    question = MessageFactory(conversation=conversation)
    # when
    response = signed_in.post(f"/app/inbox/{conversation.pk}/messages/{question.pk}/artikel/")
    # then
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("answer", "body"),
    [
        ("Beste meneer Jansen,\nDat kan.\nMet vriendelijke groet,\nPiet", "Dat kan."),
        ("Dat kan gewoon.", "Dat kan gewoon."),
        ("Hi Tom!\nSure.\nKind regards\nAnn", "Sure."),
    ],
)
def test_greetings_and_sign_offs_are_left_out(answer: str, body: str) -> None:
    assert drafts.answer_body(answer) == body


def test_an_admin_sets_synonyms_and_the_threshold(shop: Shop, admin_agent: Membership) -> None:
    # given
    client = Client()
    client.force_login(admin_agent.user)
    article(shop, "retour", "Retour aanmelden", "Zo meld je een retour aan.")
    # when
    response = client.post("/app/instellingen/kennisbank/", {
        "synonyms": "terugbrengen, retour\n\n", "answer_threshold": "70",
    })  # fmt: skip
    # then
    assert response.status_code == 302
    row = KnowledgeSettings.objects.get(shop=shop)
    assert (row.synonyms, row.answer_threshold) == ("terugbrengen, retour", 0.7)
    found = index.shop_index(shop=shop).search("terugbrengen")
    assert [f.entry.key for f in found] == ["retour"]
    assert "Antwoordt vanaf 70% zekerheid" in client.get("/app/instellingen/").content.decode()


def test_agents_cannot_change_the_knowledge_settings(shop: Shop, signed_in: Client) -> None:
    # when
    response = signed_in.post("/app/instellingen/kennisbank/", {"answer_threshold": "10"})
    # then
    assert response.status_code == 403


def test_a_manual_is_uploaded_downloaded_from_the_help_center_and_deleted(
    shop: Shop, signed_in: Client
) -> None:
    # given
    article(shop, "handleiding", "Handleiding snelkookpan", "Zie de pdf.")
    upload = SimpleUploadedFile("handleiding één.pdf", b"%PDF-1.7\nbytes", "application/pdf")
    # when
    signed_in.post(f"{BASE}handleiding/nl/bijlagen/", {"file": upload})
    saved = ArticleAttachment.objects.get()
    page = Client().get("/s/pollepel/artikel/nl/handleiding-snelkookpan/").content.decode()
    download = Client().get(f"/s/pollepel/bijlage/{saved.pk}/handleiding.pdf")
    deleted = signed_in.post(f"{BASE}bijlagen/{saved.pk}/verwijderen/")
    # then
    assert f"/s/pollepel/bijlage/{saved.pk}/" in page
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7\nbytes"  # type: ignore[attr-defined]  # a FileResponse
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith('attachment; filename="handleiding een.pdf"')
    assert download["X-Content-Type-Options"] == "nosniff"
    assert deleted.status_code == 302
    assert not ArticleAttachment.objects.exists()


def test_an_html_file_is_refused_as_an_attachment(shop: Shop, signed_in: Client) -> None:
    # given
    article(shop, "x", "X")
    upload = SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    # when
    signed_in.post(f"{BASE}x/nl/bijlagen/", {"file": upload})
    # then
    assert not ArticleAttachment.objects.exists()


@pytest.mark.parametrize("kind", ["internal", "draft", "other_shop"])
def test_files_of_internal_draft_or_other_shops_articles_are_not_public(
    shop: Shop, other_shop: Shop, kind: str
) -> None:
    # given
    owner = other_shop if kind == "other_shop" else shop
    translation = article(owner, "x", "X", internal=kind == "internal",
                          status=ArticleStatus.DRAFT if kind == "draft" else ArticleStatus.PUBLISHED)  # fmt: skip
    saved = services.article_attachment_add(
        shop=owner, article=translation.article, filename="a.pdf", content=b"%PDF-1.7"
    )
    # when
    response = Client().get(f"/s/pollepel/bijlage/{saved.pk}/a.pdf")
    # then
    assert response.status_code == 404


def test_an_admin_names_a_topic_in_dutch_and_english(shop: Shop, admin_agent: Membership) -> None:
    # given
    client = Client()
    client.force_login(admin_agent.user)
    article(shop, "retour", "Retour", topic="retourneren")
    # when
    client.post("/app/instellingen/kennisbank/onderwerpen/", {
        "slug": "retourneren", "name": "Retourneren en ruilen", "name_en": "Returns",
        "description": "Terugsturen en ruilen", "position": "1",
    })  # fmt: skip
    page = client.get("/app/instellingen/kennisbank/").content.decode()
    # then
    topic = Topic.objects.get(shop=shop)
    assert (topic.name, topic.names, topic.position) == (
        "Retourneren en ruilen",
        {"en": "Returns"},
        1,
    )
    assert 'value="Retourneren en ruilen"' in page
