"""The public help center's knowledge pages: article, topic, search and sitemap.

Each page is served under `/s/<shop>/…` and, on a shop's own domain, at the root (`/artikel/…`),
readable without JavaScript; search answers a plain GET form and, asked by htmx while typing,
just the results. An article's address names its language (`/artikel/nl/<slug>/`), so each
translation has one canonical URL and the others are its hreflang alternates.
"""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_POST

from balie.core import downloads
from balie.knowledge import pages, selectors, services
from balie.knowledge.index import shop_index
from balie.knowledge.models import ArticleTranslation
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy.current import shopper_language
from balie.tenancy.models import Shop
from balie.web.brand import brand_palette

SEARCH_RESULTS = 10


def _shop(request: HttpRequest, shop_slug: str | None) -> Shop:
    if shop_slug is not None:
        return tenancy_selectors.access_shop_by_slug(slug=shop_slug)
    shop = tenancy_selectors.shop_by_domain(host=request.get_host())
    if shop is None:
        raise Http404("no help center on this host")
    return shop


def help_home(shop: Shop, shop_slug: str | None) -> str:
    return f"/s/{shop.slug}/" if shop_slug is not None else "/"


def article_url(home: str, translation_row: ArticleTranslation) -> str:
    return f"{home}artikel/{translation_row.locale}/{translation_row.slug}/"


def _render(
    request: HttpRequest, shop: Shop, shop_slug: str | None, template: str, context: dict[str, object],
    *, language: str,
) -> HttpResponse:  # fmt: skip
    home = help_home(shop, shop_slug)
    ui = language if language in dict(settings.LANGUAGES) else shop.default_locale
    with translation.override(ui):
        response = render(
            request,
            template,
            {"shop": shop, "palette": brand_palette(shop.brand_colour), "help_home": home,
             **context},
        )  # fmt: skip
    response.headers["Content-Language"] = language
    return response


@require_GET
def article(
    request: HttpRequest, locale: str, slug: str, shop_slug: str | None = None
) -> HttpResponse:
    shop = _shop(request, shop_slug)
    page = pages.article_page(shop=shop, locale=locale, slug=slug)
    home = help_home(shop, shop_slug)
    url = request.build_absolute_uri(article_url(home, page.translation))
    alternates = {
        code: request.build_absolute_uri(f"{home}artikel/{code}/{other}/")
        for code, other in page.alternates.items()
    }
    if request.method == "GET":
        services.article_view_record(shop=shop, translation=page.translation)
    return _render(request, shop, shop_slug, "knowledge/help/article.html", {
        "page": page, "canonical": url, "alternates": alternates,
        "related": [(t, article_url(home, t)) for t in page.related],
        "json_ld": pages.article_json_ld(page, url=url, publisher=shop.name),
        "thanks": request.GET.get("bedankt") == "1",
    }, language=locale)  # fmt: skip


@require_POST
def feedback(
    request: HttpRequest, locale: str, slug: str, shop_slug: str | None = None
) -> HttpResponse:
    """ "Heeft dit je geholpen?" from the form under an article; back to it with thanks."""
    shop = _shop(request, shop_slug)
    found = selectors.public_translation(shop=shop, locale=locale, slug=slug)
    helpful = request.POST.get("helpful")
    if helpful in ("ja", "nee"):
        services.article_feedback_record(
            shop=shop,
            translation=found,
            helpful=helpful == "ja",
            comment=request.POST.get("comment", "")[:2_000],
        )
    return redirect(article_url(help_home(shop, shop_slug), found) + "?bedankt=1#feedback")


@require_GET
def attachment(
    request: HttpRequest, attachment_id: int, filename: str, shop_slug: str | None = None
) -> FileResponse:
    """A published article's file (a manual), always as a download."""
    shop = _shop(request, shop_slug)
    found = selectors.access_attachment(shop=shop, attachment_id=attachment_id, public=True)
    return downloads.file_response(
        file=found.file, filename=found.filename, content_type=found.content_type, private=False
    )


@require_GET
def topic(request: HttpRequest, topic_slug: str, shop_slug: str | None = None) -> HttpResponse:
    shop = _shop(request, shop_slug)
    language = shopper_language(request, shop)
    found = selectors.access_topic(shop=shop, slug=topic_slug)
    articles = pages.topic_articles(shop=shop, topic=found, locale=language)
    home = help_home(shop, shop_slug)
    urls = {t.pk: request.build_absolute_uri(article_url(home, t)) for t in articles}
    return _render(request, shop, shop_slug, "knowledge/help/topic.html", {
        "topic": found, "topic_name": found.name_in(language),
        "articles": [(t, article_url(home, t)) for t in articles],
        "canonical": request.build_absolute_uri(f"{home}onderwerp/{found.slug}/"),
        "json_ld": pages.faq_json_ld(articles, urls=urls) if articles else "",
    }, language=language)  # fmt: skip


@require_GET
def search(request: HttpRequest, shop_slug: str | None = None) -> HttpResponse:
    shop = _shop(request, shop_slug)
    language = shopper_language(request, shop)
    query = " ".join(request.GET.get("q", "").split())[:200]
    home = help_home(shop, shop_slug)
    hits = []
    if query:
        for found in shop_index(shop=shop).search(query, limit=SEARCH_RESULTS):
            entry = found.entry
            hits.append({"entry": entry, "url": f"{home}artikel/{entry.locale}/{entry.slug}/"})
    template = (
        "knowledge/help/_results.html"
        if request.headers.get("HX-Request") == "true"
        else "knowledge/help/search.html"
    )
    response = _render(
        request, shop, shop_slug, template, {"query": query, "hits": hits}, language=language
    )
    response.headers["Vary"] = "HX-Request"
    return response


@require_GET
def sitemap(request: HttpRequest, shop_slug: str | None = None) -> HttpResponse:
    shop = _shop(request, shop_slug)
    home = help_home(shop, shop_slug)
    rows = (
        selectors.published_translations_all(shop=shop)
        .only("locale", "slug", "updated_at", "article_id")
        .order_by("article_id", "locale")
    )
    by_article: dict[int, list[ArticleTranslation]] = {}
    for row in rows:
        by_article.setdefault(row.article_id, []).append(row)
    entries = [
        {
            "url": request.build_absolute_uri(article_url(home, row)),
            "updated": row.updated_at,
            "alternates": [
                (other.locale, request.build_absolute_uri(article_url(home, other)))
                for other in group
            ],
        }
        for group in by_article.values()
        for row in group
    ]
    topics = [
        request.build_absolute_uri(f"{home}onderwerp/{t.slug}/")
        for t in selectors.topic_list(shop=shop)
    ]
    return render(
        request,
        "knowledge/help/sitemap.xml",
        {"entries": entries, "topics": topics, "home": request.build_absolute_uri(home)},
        content_type="application/xml; charset=utf-8",
    )
