from __future__ import annotations

import pytest

from balie.knowledge import errors, services
from balie.knowledge.models import (
    ArticleFeedback,
    ArticleStatus,
    ArticleTranslation,
    ArticleVersion,
    KnowledgeSettings,
)
from balie.knowledge.tests.factories import article
from balie.tenancy.models import Shop


def _version(shop: Shop) -> int:
    return KnowledgeSettings.objects.get(shop=shop).index_version


def test_saving_an_article_renders_its_markdown_safely_and_records_version_one(shop: Shop) -> None:
    # when
    translation = article(
        shop, "retour", "Hoe stuur ik iets terug?", "Ga naar **Mijn account**.<script>x()</script>"
    )
    # then
    assert translation.body_html == (
        "<p>Ga naar <strong>Mijn account</strong>.&lt;script&gt;x()&lt;/script&gt;</p>\n"
    )
    assert translation.slug == "hoe-stuur-ik-iets-terug"
    assert [v.number for v in translation.versions.all()] == [1]
    assert translation.published_at is not None


def test_saving_the_same_text_again_makes_no_new_version_or_index_change(shop: Shop) -> None:
    # given
    article(shop, "retour", "Terugsturen", "Tekst", tags=["retour"])
    version = _version(shop)
    # when
    translation = article(shop, "retour", "Terugsturen", "Tekst", tags=["Retour "])
    # then
    assert translation.version == 1
    assert _version(shop) == version


def test_a_change_is_a_new_version_and_tells_the_index(shop: Shop) -> None:
    # given
    article(shop, "retour", "Terugsturen", "Oude tekst")
    version = _version(shop)
    # when
    translation = article(shop, "retour", "Terugsturen", "Nieuwe tekst")
    # then
    assert translation.version == 2
    assert _version(shop) == version + 1
    assert list(translation.versions.values_list("body", flat=True)) == [
        "Nieuwe tekst",
        "Oude tekst",
    ]


def test_restoring_an_old_version_adds_a_version_and_keeps_history(shop: Shop) -> None:
    # given
    translation = article(shop, "retour", "Eerste titel", "Eerste tekst")
    article(shop, "retour", "Tweede titel", "Tweede tekst")
    # when
    restored = services.article_version_restore(shop=shop, translation=translation, number=1)
    # then
    assert (restored.title, restored.body, restored.version) == ("Eerste titel", "Eerste tekst", 3)
    notes = list(restored.versions.values_list("number", "note"))
    assert notes == [(3, "Hersteld van versie 1"), (2, ""), (1, "")]


def test_restoring_a_version_that_does_not_exist_is_a_clear_error(shop: Shop) -> None:
    # given
    translation = article(shop, "retour", "Titel", "Tekst")
    # when / then
    with pytest.raises(errors.VersionNotFound):
        services.article_version_restore(shop=shop, translation=translation, number=7)


def test_publishing_and_withdrawing_are_versions_of_their_own(shop: Shop) -> None:
    # given
    translation = article(shop, "retour", "Titel", "Tekst", status=ArticleStatus.DRAFT)
    # when
    published = services.article_status_set(
        shop=shop, translation=translation, status=ArticleStatus.PUBLISHED
    )
    withdrawn = services.article_status_set(
        shop=shop, translation=published, status=ArticleStatus.DRAFT
    )
    # then
    assert withdrawn.status == ArticleStatus.DRAFT
    assert list(withdrawn.versions.values_list("note", flat=True)) == [
        "Teruggezet naar concept",
        "Gepubliceerd",
        "",
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("key", "Niet Goed!"),
        ("locale", "nederlands"),
        ("title", "   "),
        ("title", "x" * 201),
        ("body", "x" * 100_001),
        ("status", "live"),
        ("slug", "Met Spaties"),
    ],
)
def test_invalid_input_is_refused_with_a_message_and_stores_nothing(
    shop: Shop, field: str, value: str
) -> None:
    # given
    values = {"key": "retour", "locale": "nl", "title": "Titel", "body": "", "status": "draft"}
    values[field] = value
    # when / then
    with pytest.raises(errors.ArticleInvalid):
        services.article_save(shop=shop, data=services.ArticleInput(**values))
    assert not ArticleTranslation.objects.exists()


def test_two_articles_with_the_same_title_get_distinct_addresses(shop: Shop) -> None:
    # when
    first = article(shop, "retour-1", "Retourneren")
    second = article(shop, "retour-2", "Retourneren")
    # then
    assert (first.slug, second.slug) == ("retourneren", "retourneren-2")


def test_translations_share_the_article_and_its_topic(shop: Shop) -> None:
    # when
    dutch = article(shop, "retour", "Terugsturen", topic="retourneren")
    english = article(shop, "retour", "Returning an item", locale="en")
    # then
    assert dutch.article_id == english.article_id
    assert english.article.topic is not None
    assert english.article.topic.slug == "retourneren"


def test_an_english_row_without_internal_keeps_the_article_internal(shop: Shop) -> None:
    # given
    article(shop, "werkwijze", "Interne werkwijze", internal=True)
    # when
    english = article(shop, "werkwijze", "Internal procedure", locale="en")
    # then
    assert english.article.is_internal is True


def test_related_articles_are_the_shops_own_and_unknown_keys_are_returned(
    shop: Shop, other_shop: Shop
) -> None:
    # given
    retour = article(shop, "retour", "Retour").article
    article(shop, "ruilen", "Ruilen")
    article(other_shop, "geheim", "Van een andere winkel")
    # when
    unknown = services.article_related_set(
        shop=shop, article=retour, keys=["ruilen", "geheim", "retour"]
    )
    # then
    assert unknown == ["geheim"]
    assert [related.key for related in retour.related.all()] == ["ruilen"]


def test_placements_replace_the_old_ones_and_refuse_unknown_page_types(shop: Shop) -> None:
    # given
    retour = article(shop, "retour", "Retour").article
    services.placements_set(shop=shop, article=retour, url_patterns=["checkout*"])
    # when
    services.placements_set(shop=shop, article=retour, page_types=["cart"], categories=["Pannen"])
    # then
    assert sorted(str(placement) for placement in retour.placements.all()) == ["Pannen", "cart"]
    with pytest.raises(errors.ArticleInvalid):
        services.placements_set(shop=shop, article=retour, page_types=["homepage"])


def test_feedback_counts_votes_and_keeps_the_comment_as_text(shop: Shop) -> None:
    # given
    translation = article(shop, "retour", "Retour")
    # when
    services.article_feedback_record(
        shop=shop, translation=translation, helpful=False, comment="<b>Niet</b> duidelijk\x00"
    )
    services.article_feedback_record(shop=shop, translation=translation, helpful=True)
    services.article_view_record(shop=shop, translation=translation)
    # then
    translation.refresh_from_db()
    assert (translation.helpful_count, translation.unhelpful_count, translation.view_count) == (
        1,
        1,
        1,
    )
    assert ArticleFeedback.objects.filter(helpful=False).get().comment == "<b>Niet</b> duidelijk"


def test_deleting_an_article_removes_its_versions(shop: Shop) -> None:
    # given
    translation = article(shop, "retour", "Retour")
    # when
    services.article_delete(shop=shop, article=translation.article)
    # then
    assert not ArticleVersion.objects.exists()


def test_attachments_take_their_type_from_the_bytes_and_refuse_html(shop: Shop) -> None:
    # given
    retour = article(shop, "handleiding", "Handleiding").article
    # when
    pdf = services.article_attachment_add(
        shop=shop, article=retour, filename="handleiding.pdf", content=b"%PDF-1.7\n..."
    )
    # then
    assert pdf.content_type == "application/pdf"
    assert pdf.file.read() == b"%PDF-1.7\n..."
    with pytest.raises(errors.AttachmentRefused):
        services.article_attachment_add(
            shop=shop, article=retour, filename="x.pdf", content=b"<html><script>1</script>"
        )
    with pytest.raises(errors.AttachmentRefused):
        services.article_attachment_add(shop=shop, article=retour, filename="leeg.pdf", content=b"")


def test_an_attachment_over_the_limit_is_refused(shop: Shop, settings: object) -> None:
    # given
    settings.BALIE_KB_ATTACHMENT_MAX_BYTES = 10  # type: ignore[attr-defined]  # pytest-django settings
    retour = article(shop, "handleiding", "Handleiding").article
    # when / then
    with pytest.raises(errors.AttachmentRefused):
        services.article_attachment_add(
            shop=shop, article=retour, filename="groot.pdf", content=b"%PDF-" + b"x" * 10
        )
