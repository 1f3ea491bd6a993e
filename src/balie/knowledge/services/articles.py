"""Writing articles: save a translation (a new version each time it changes), publish,
restore an old version, relate, place and delete. Every write that the search index reads
raises the shop's `index_version` in the same transaction (`index_changed`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from balie.knowledge import errors, markdown
from balie.knowledge.models import (
    Article,
    ArticleStatus,
    ArticleTranslation,
    ArticleVersion,
    KnowledgeSettings,
    PageType,
    Placement,
    Topic,
)
from balie.tenancy.models import Membership, Shop

MAX_BODY_CHARS = 100_000
MAX_TAGS = 20
MAX_QUESTIONS = 30
MAX_PLACEMENTS = 50
_LOCALE = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def index_changed(*, shop: Shop) -> None:
    """Tell every process that its index of this shop is stale (they compare versions)."""
    KnowledgeSettings.objects.get_or_create(shop=shop)
    KnowledgeSettings.objects.filter(shop=shop).update(index_version=F("index_version") + 1)


MAX_SYNONYMS_CHARS = 20_000


@transaction.atomic
def knowledge_settings_update(
    *, shop: Shop, synonyms: str, answer_threshold: float
) -> KnowledgeSettings:
    """The shop's synonyms and the assistant's threshold (0..1); the index is rebuilt."""
    if not 0 <= answer_threshold <= 1:
        raise errors.ArticleInvalid(_("De drempel ligt tussen 0 en 1."), field="answer_threshold")
    if len(synonyms) > MAX_SYNONYMS_CHARS:
        raise errors.ArticleInvalid(
            _("De synoniemen mogen samen maximaal 20.000 tekens zijn."), field="synonyms"
        )
    row, _created = KnowledgeSettings.objects.get_or_create(shop=shop)
    row.synonyms = "\n".join(line.strip() for line in synonyms.splitlines() if line.strip())
    row.answer_threshold = answer_threshold
    row.save(update_fields=["synonyms", "answer_threshold", "updated_at"])
    index_changed(shop=shop)
    row.refresh_from_db()
    return row


@dataclass(frozen=True)
class ArticleInput:
    """One translation of an article as an editor, an import or the API gives it."""

    key: str
    locale: str
    title: str
    body: str = ""
    topic: str = ""  # a topic's slug; created when the shop does not have it yet
    tags: Sequence[str] = ()
    questions: Sequence[str] = ()  # other ways shoppers ask for it
    status: str = ArticleStatus.DRAFT
    is_internal: bool | None = None  # None: leave the article as it is (new: public)
    slug: str = ""


def article_input_problems(data: ArticleInput) -> list[str]:
    """What is wrong with an input, in words for the person who typed it; [] when fine."""
    problems = []
    if not _KEY.match(data.key) or len(data.key) > 80:
        problems.append(
            _("De sleutel mag alleen kleine letters, cijfers en streepjes bevatten (max. 80).")
        )
    if not _LOCALE.match(data.locale):
        problems.append(_("Onbekende taalcode: gebruik bijvoorbeeld nl, en of nl-BE."))
    if not data.title.strip():
        problems.append(_("Geef het artikel een titel."))
    elif len(data.title) > 200:
        problems.append(_("De titel mag maximaal 200 tekens zijn."))
    if len(data.body) > MAX_BODY_CHARS:
        problems.append(_("De tekst mag maximaal 100.000 tekens zijn."))
    if data.status not in ArticleStatus.values:
        problems.append(_("De status is concept of gepubliceerd."))
    if len(data.tags) > MAX_TAGS or any(len(tag) > 60 for tag in data.tags):
        problems.append(_("Maximaal 20 trefwoorden van elk maximaal 60 tekens."))
    if len(data.questions) > MAX_QUESTIONS or any(len(q) > 300 for q in data.questions):
        problems.append(_("Maximaal 30 andere vragen van elk maximaal 300 tekens."))
    if data.topic and (not slugify(data.topic) or len(data.topic) > 60):
        problems.append(_("Het onderwerp is ongeldig."))
    if data.slug and (slugify(data.slug) != data.slug or len(data.slug) > 120):
        problems.append(_("Het adres mag alleen kleine letters, cijfers en streepjes bevatten."))
    return problems


@transaction.atomic
def article_save(
    *, shop: Shop, data: ArticleInput, author: Membership | None = None, note: str = ""
) -> ArticleTranslation:
    """Create or change one translation of the article `data.key` (the article too when new).

    A change of title, body, tags or status is a new version; saving the same again is not.
    Raises ArticleInvalid with every problem, ArticleSlugTaken when the address is in use.
    """
    problems = article_input_problems(data)
    if problems:
        raise errors.ArticleInvalid(" ".join(problems))
    topic = topic_for_slug(shop=shop, slug=data.topic) if data.topic else None
    article, created = Article.objects.for_shop(shop).get_or_create(
        shop=shop, key=data.key, defaults={"topic": topic, "is_internal": bool(data.is_internal)}
    )
    if not created:
        changed = []
        if data.topic and article.topic_id != (topic.pk if topic else None):
            article.topic = topic
            changed.append("topic")
        if data.is_internal is not None and article.is_internal != data.is_internal:
            article.is_internal = data.is_internal
            changed.append("is_internal")
        if changed:
            article.save(update_fields=[*changed, "updated_at"])
    translation: ArticleTranslation | None = (
        ArticleTranslation.objects.for_shop(shop)
        .select_for_update()
        .filter(article=article, locale=data.locale)
        .first()
    )
    tags = _clean_tags(data.tags)
    questions = list(dict.fromkeys(q.strip() for q in data.questions if q.strip()))
    title = data.title.strip()
    if translation is None:
        translation = ArticleTranslation(
            shop=shop,
            article=article,
            locale=data.locale,
            slug=_free_slug(shop=shop, locale=data.locale, wanted=data.slug or slugify(title)),
            version=0,
        )
    elif (
        translation.title,
        translation.body,
        translation.tags,
        translation.questions,
        translation.status,
    ) == (title, data.body, tags, questions, data.status) and (
        not data.slug or data.slug == translation.slug
    ):
        return translation
    elif data.slug and data.slug != translation.slug:
        if _slug_in_use(shop=shop, locale=data.locale, slug=data.slug, exclude=translation.pk):
            raise errors.ArticleSlugTaken(_("Dit adres is al in gebruik."), field="slug")
        translation.slug = data.slug
    return _version_write(
        translation=translation,
        title=title,
        body=data.body,
        tags=tags,
        questions=questions,
        status=data.status,
        author=author,
        note=note,
    )


@transaction.atomic
def article_status_set(
    *, shop: Shop, translation: ArticleTranslation, status: str, author: Membership | None = None
) -> ArticleTranslation:
    """Publish or withdraw a translation (a version of its own, so history shows when)."""
    translation = _locked(shop=shop, translation=translation)
    if status not in ArticleStatus.values:
        raise errors.ArticleInvalid(_("De status is concept of gepubliceerd."), field="status")
    if translation.status == status:
        return translation
    note = _("Gepubliceerd") if status == ArticleStatus.PUBLISHED else _("Teruggezet naar concept")
    return _version_write(
        translation=translation,
        title=translation.title,
        body=translation.body,
        tags=translation.tags,
        questions=translation.questions,
        status=status,
        author=author,
        note=note,
    )


@transaction.atomic
def article_version_restore(
    *, shop: Shop, translation: ArticleTranslation, number: int, author: Membership | None = None
) -> ArticleTranslation:
    """Make an old version's title, body and tags current again, as a new version (history is
    never rewritten). The status stays as it is now."""
    translation = _locked(shop=shop, translation=translation)
    old = ArticleVersion.objects.for_shop(shop).filter(translation=translation, number=number)
    version = old.first()
    if version is None:
        raise errors.VersionNotFound(_("Deze versie bestaat niet."), field="number")
    return _version_write(
        translation=translation,
        title=version.title,
        body=version.body,
        tags=list(version.tags),
        questions=list(version.questions),
        status=translation.status,
        author=author,
        note=_("Hersteld van versie %(number)s") % {"number": number},
    )


def _version_write(
    *,
    translation: ArticleTranslation,
    title: str,
    body: str,
    tags: list[str],
    questions: list[str],
    status: str,
    author: Membership | None,
    note: str,
) -> ArticleTranslation:
    translation.title = title
    translation.body = body
    translation.body_html = markdown.render(body)
    translation.tags = tags
    translation.questions = questions
    if status == ArticleStatus.PUBLISHED and translation.status != ArticleStatus.PUBLISHED:
        translation.published_at = timezone.now()
    translation.status = status
    translation.version += 1
    translation.save()
    ArticleVersion.objects.create(
        shop=translation.shop,
        translation=translation,
        number=translation.version,
        title=title,
        body=body,
        tags=tags,
        questions=questions,
        status=status,
        author=author,
        note=note[:200],
    )
    index_changed(shop=translation.shop)
    return translation


@transaction.atomic
def article_delete(*, shop: Shop, article: Article) -> None:
    """Remove an article with its translations, versions, files, feedback and placements."""
    files = [attachment.file.name for attachment in article.attachments.all()]
    Article.objects.for_shop(shop).filter(pk=article.pk).delete()
    index_changed(shop=shop)
    if files:

        def remove() -> None:
            for name in files:
                default_storage.delete(name)

        transaction.on_commit(remove)


@transaction.atomic
def article_related_set(*, shop: Shop, article: Article, keys: Iterable[str]) -> list[str]:
    """Point the article at these others (by key, the shop's own only, never itself); keys
    the shop does not have are returned, not stored."""
    wanted = [key for key in dict.fromkeys(keys) if key != article.key]
    found = dict(Article.objects.for_shop(shop).filter(key__in=wanted).values_list("key", "pk"))
    article.related.set([found[key] for key in wanted if key in found])
    return [key for key in wanted if key not in found]


@transaction.atomic
def placements_set(
    *,
    shop: Shop,
    article: Article,
    url_patterns: Iterable[str] = (),
    page_types: Iterable[str] = (),
    categories: Iterable[str] = (),
) -> list[Placement]:
    """Replace where the article shows as a frequently asked question."""
    rules = [("url_pattern", _clean_pattern(value)) for value in url_patterns]
    rules += [("page_type", value.strip()) for value in page_types]
    rules += [("category", value.strip()[:120]) for value in categories]
    rules = [rule for rule in dict.fromkeys(rules) if rule[1]]
    unknown = [value for field, value in rules if field == "page_type" and value not in PageType]
    if unknown:
        raise errors.ArticleInvalid(
            _("Onbekende soort pagina: %(names)s.") % {"names": ", ".join(unknown)},
            field="page_types",
        )
    if len(rules) > MAX_PLACEMENTS:
        raise errors.ArticleInvalid(_("Maximaal 50 plaatsingen per artikel."), field="placements")
    Placement.objects.for_shop(shop).filter(article=article).delete()
    placements = Placement.objects.bulk_create(
        Placement(shop=shop, article=article, position=position, **{field: value})
        for position, (field, value) in enumerate(rules)
    )
    index_changed(shop=shop)
    return placements


def topic_for_slug(*, shop: Shop, slug: str) -> Topic:
    """The shop's topic with this slug, created with the slug as its name when new."""
    slug = slugify(slug)[:60]
    topic: Topic
    topic, _created = Topic.objects.for_shop(shop).get_or_create(
        shop=shop, slug=slug, defaults={"name": slug.replace("-", " ").capitalize()}
    )
    return topic


@transaction.atomic
def topic_save(
    *,
    shop: Shop,
    slug: str,
    name: str,
    names: dict[str, str] | None = None,
    description: str = "",
    position: int = 0,
) -> Topic:
    """Create or change the topic with this slug."""
    if not slugify(slug) or not name.strip():
        raise errors.ArticleInvalid(_("Een onderwerp heeft een naam en korte naam."), field="name")
    topic: Topic
    topic, _created = Topic.objects.for_shop(shop).update_or_create(
        shop=shop,
        slug=slugify(slug)[:60],
        defaults={
            "name": name.strip()[:80],
            "names": {locale: value[:80] for locale, value in (names or {}).items() if value},
            "description": description.strip()[:200],
            "position": position,
        },
    )
    index_changed(shop=shop)
    return topic


def _locked(*, shop: Shop, translation: ArticleTranslation) -> ArticleTranslation:
    locked: ArticleTranslation = (
        ArticleTranslation.objects.for_shop(shop)
        .select_for_update()
        .select_related("article")
        .get(pk=translation.pk)
    )
    return locked


def _clean_tags(tags: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(tag.strip().lower() for tag in tags if tag.strip()))


def _clean_pattern(pattern: str) -> str:
    """A path pattern as the matcher reads it: starting with "/", without host or query."""
    pattern = pattern.strip()[:200]
    if not pattern:
        return ""
    return pattern if pattern.startswith("/") else "/" + pattern


def _slug_in_use(*, shop: Shop, locale: str, slug: str, exclude: int | None = None) -> bool:
    taken = ArticleTranslation.objects.for_shop(shop).filter(locale=locale, slug=slug)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    return taken.exists()


def _free_slug(*, shop: Shop, locale: str, wanted: str) -> str:
    base = (wanted or "artikel")[:110].strip("-") or "artikel"
    slug, number = base, 1
    while _slug_in_use(shop=shop, locale=locale, slug=slug):
        number += 1
        slug = f"{base}-{number}"
    return slug
