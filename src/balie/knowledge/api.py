"""/api/v1/knowledge: articles, versions, import/export, search and the FAQ for a page."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import AuthorizationError

from balie.api.auth import principal
from balie.api.fields import SingleLineText
from balie.api.pagination import paginated
from balie.knowledge import errors, index, selectors, services
from balie.knowledge.models import Article, ArticleVersion
from balie.knowledge.schemas import (
    ArticleCreateIn,
    ArticleOut,
    FaqOut,
    FeedbackIn,
    ImportOut,
    PageQuery,
    SearchHitOut,
    TranslationIn,
    TranslationOut,
    VersionOut,
)
from balie.tenancy.models import Role

router = Router(tags=["knowledge"])


def _editor(request: HttpRequest) -> Any:
    who = principal(request)
    if not who.can(Role.AGENT):
        raise AuthorizationError(message="Viewers cannot change the knowledge base.")
    return who


@router.get("articles", response=list[ArticleOut], operation_id="knowledge_article_list")
@paginated
def article_list(
    request: HttpRequest,
    topic: Annotated[SingleLineText, Query("", max_length=60)] = "",
    locale: Annotated[SingleLineText, Query("", max_length=8)] = "",
    status: Annotated[SingleLineText, Query("", max_length=12)] = "",
) -> QuerySet[Article]:
    """The shop's articles with their translations, by position and key."""
    return selectors.article_list(
        shop=principal(request).shop, topic=topic, locale=locale, status=status
    )


@router.post("articles", response={201: ArticleOut}, operation_id="knowledge_article_create")
def article_create(request: HttpRequest, payload: ArticleCreateIn) -> tuple[int, Article]:
    """A new article with its first translation; 409 when the shop has the key already."""
    who = _editor(request)
    data = payload.model_dump()
    key = data.pop("key")
    if selectors.article_list(shop=who.shop, key=key).exists():
        raise errors.ArticleKeyTaken(_("Er is al een artikel met deze sleutel."), field="key")
    services.article_save(
        shop=who.shop, data=services.ArticleInput(key=key, **data), author=who.membership
    )
    return 201, selectors.access_article(shop=who.shop, key=key)


@router.get("articles/{article_key}", response=ArticleOut, operation_id="knowledge_article_get")
def article_get(request: HttpRequest, article_key: str) -> Article:
    return selectors.access_article(shop=principal(request).shop, key=article_key)


@router.put(
    "articles/{article_key}/{locale}",
    response=TranslationOut,
    operation_id="knowledge_translation_save",
)
def translation_save(
    request: HttpRequest, article_key: str, locale: str, payload: TranslationIn
) -> Any:
    """Add or change one language of an existing article (a new version when anything
    changed); 404 for a key the shop does not have (create articles with POST)."""
    who = _editor(request)
    selectors.access_article(shop=who.shop, key=article_key)
    return services.article_save(
        shop=who.shop,
        data=services.ArticleInput(key=article_key, locale=locale, **payload.model_dump()),
        author=who.membership,
    )


@router.delete(
    "articles/{article_key}", response={204: None}, operation_id="knowledge_article_delete"
)
def article_delete(request: HttpRequest, article_key: str) -> tuple[int, None]:
    who = _editor(request)
    services.article_delete(
        shop=who.shop, article=selectors.access_article(shop=who.shop, key=article_key)
    )
    return 204, None


@router.get(
    "articles/{article_key}/{locale}/versions",
    response=list[VersionOut],
    operation_id="knowledge_version_list",
)
@paginated
def version_list(request: HttpRequest, article_key: str, locale: str) -> QuerySet[ArticleVersion]:
    """A translation's history, newest first."""
    shop = principal(request).shop
    translation = selectors.access_translation(shop=shop, key=article_key, locale=locale)
    return selectors.version_list(shop=shop, translation=translation)


@router.post(
    "articles/{article_key}/{locale}/versions/{number}/restore",
    response=TranslationOut,
    operation_id="knowledge_version_restore",
)
def version_restore(request: HttpRequest, article_key: str, locale: str, number: int) -> Any:
    """Make an old version current again (as a new version)."""
    who = _editor(request)
    translation = selectors.access_translation(shop=who.shop, key=article_key, locale=locale)
    return services.article_version_restore(
        shop=who.shop, translation=translation, number=number, author=who.membership
    )


@router.post(
    "articles/{article_key}/{locale}/feedback",
    response={204: None},
    operation_id="knowledge_feedback_create",
)
def feedback_create(
    request: HttpRequest, article_key: str, locale: str, payload: FeedbackIn
) -> tuple[int, None]:
    """Record "Heeft dit je geholpen?" for a published article (as a widget would)."""
    shop = principal(request).shop
    translation = selectors.access_translation(shop=shop, key=article_key, locale=locale)
    services.article_feedback_record(
        shop=shop, translation=translation, helpful=payload.helpful, comment=payload.comment
    )
    return 204, None


@router.post("import", response=ImportOut, operation_id="knowledge_import")
def knowledge_import(
    request: HttpRequest,
    format: Literal["jsonl", "csv", "zendesk", "freshdesk"] = "jsonl",  # the query parameter's name
    valid_only: bool = False,
) -> Any:
    """Import JSON Lines, CSV or a Zendesk Guide or Freshdesk export (their API's JSON) sent
    as the request body (see `balie import_kb`). With a bad line or article nothing changes
    and the 422 lists each, unless `valid_only=true`."""
    who = _editor(request)
    return services.knowledge_import(
        shop=who.shop,
        content=request.body,
        file_format=format,
        valid_only=valid_only,
        author=who.membership,
    )


@router.get("export", operation_id="knowledge_export")
def knowledge_export(
    request: HttpRequest,
    format: Literal["jsonl", "csv"] = "jsonl",  # the query parameter's name
) -> StreamingHttpResponse:
    """The whole knowledge base in the import's format."""
    shop = principal(request).shop
    response = StreamingHttpResponse(
        services.knowledge_export(shop=shop, file_format=format),
        content_type="text/csv; charset=utf-8" if format == "csv" else "application/x-ndjson",
    )
    response["Content-Disposition"] = f'attachment; filename="kennisbank-{shop.slug}.{format}"'
    return response


@router.get("search", response=list[SearchHitOut], operation_id="knowledge_search")
def knowledge_search(
    request: HttpRequest,
    q: Annotated[SingleLineText, Query(max_length=500)],
    locale: Annotated[SingleLineText, Query("", max_length=8)] = "",
    limit: Annotated[int, Query(10, ge=1, le=50)] = 10,
    internal: bool = False,
) -> list[dict[str, Any]]:
    """Published articles for words typed so far; `internal=true` adds agents' articles."""
    who = principal(request)
    audience = (
        index.Audience.AGENTS if internal and who.can(Role.VIEWER) else index.Audience.SHOPPERS
    )
    found = index.shop_index(shop=who.shop, audience=audience).search(
        q, locale=locale or None, limit=limit
    )
    return [
        {
            "article_id": f.entry.article_id,
            "key": f.entry.key,
            "locale": f.entry.locale,
            "title": f.entry.title,
            "slug": f.entry.slug,
            "topic": f.entry.topic_slug,
            "snippet": f.entry.snippet,
            "score": round(f.hit.normalised_score, 4),
        }
        for f in found
    ]


@router.get("faq", response=list[FaqOut], operation_id="knowledge_faq")
def knowledge_faq(request: HttpRequest, page: Query[PageQuery]) -> list[dict[str, Any]]:
    """The 3–5 questions placed on the page a shopper is on."""
    found = selectors.faq_for_page(
        shop=principal(request).shop,
        page=selectors.Page(url=page.page_url, page_type=page.page_type, category=page.category),
        locale=page.locale,
    )
    return [
        {"article_id": t.article_id, "key": t.article.key, "locale": t.locale, "title": t.title,
         "slug": t.slug}
        for t in found
    ]  # fmt: skip
