"""The knowledge base in the agent app (/app/kennisbank/): the list, the editor with a live
Markdown preview, version history with a diff and restore. Viewers read; agents edit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balie.core import downloads
from balie.core.errors import DomainError
from balie.knowledge import markdown, selectors, services, versions
from balie.knowledge.forms import ArticleForm
from balie.knowledge.models import ArticleTranslation
from balie.tenancy.current import agent_required, request_membership
from balie.tenancy.models import Membership, Role

LIST_LIMIT = 500


@agent_required()
def article_list(request: HttpRequest) -> HttpResponse:
    shop = request_membership(request).shop
    topic = request.GET.get("onderwerp", "")[:60]
    status = request.GET.get("status", "")[:12]
    query = " ".join(request.GET.get("q", "").split())[:100].casefold()
    articles = list(selectors.article_list(shop=shop, topic=topic, status=status)[:LIST_LIMIT])
    if query:
        articles = [
            a for a in articles
            if query in a.key or any(query in t.title.casefold() for t in a.translations.all())
        ]  # fmt: skip
    return render(request, "knowledge/app/article_list.html", {
        "articles": articles, "topics": list(selectors.topic_list(shop=shop)),
        "topic": topic, "status": status, "query": query,
    })  # fmt: skip


@agent_required(Role.AGENT)
def article_create(request: HttpRequest) -> HttpResponse:
    membership = request_membership(request)
    form = _form(request, membership, translation=None)
    if not form.is_bound:
        # "Vertaling toevoegen" names the article; a knowledge gap suggests the title.
        form.initial.update(
            {
                "key": request.GET.get("artikel", "")[:80],
                "title": request.GET.get("titel", "")[:200],
            }
        )
    if form.is_bound and form.is_valid() and request.POST.get("action") != "preview":
        saved = _save(form, membership, key=form.cleaned_data["key"] or "")
        if saved is not None:
            return redirect(_edit_url(saved))
    return _form_page(request, form=form, translation=None)


@agent_required()
def article_edit(request: HttpRequest, article_key: str, locale: str) -> HttpResponse:
    membership = request_membership(request)
    translation = selectors.access_translation(shop=membership.shop, key=article_key, locale=locale)
    form = _form(request, membership, translation=translation)
    if form.is_bound and not membership.has_role(Role.AGENT):
        form.add_error(None, _("Als meekijker kun je artikelen niet wijzigen."))
    elif form.is_bound and form.is_valid() and request.POST.get("action") != "preview":
        saved = _save(form, membership, key=article_key, locale=locale)
        if saved is not None:
            messages.success(request, _("Het artikel is opgeslagen."))
            return redirect(_edit_url(saved))
    return _form_page(request, form=form, translation=translation)


@require_POST
@agent_required()
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The body as the help center will show it, while typing (htmx)."""
    html = markdown.render(request.POST.get("body", "")[:100_000])
    return render(request, "knowledge/app/_preview.html", {"html": html})


@agent_required()
def version_detail(
    request: HttpRequest, article_key: str, locale: str, number: int
) -> HttpResponse:
    """What version `number` changed against the one before it."""
    shop = request_membership(request).shop
    translation = selectors.access_translation(shop=shop, key=article_key, locale=locale)
    version = selectors.access_version(shop=shop, translation=translation, number=number)
    before = selectors.version_list(shop=shop, translation=translation).filter(number__lt=number)
    previous = before.order_by("-number").first()
    return render(request, "knowledge/app/version.html", {
        "translation": translation, "version": version,
        "diff": versions.diff(previous, version) if previous else None,
    })  # fmt: skip


@require_POST
@agent_required(Role.AGENT)
def version_restore(
    request: HttpRequest, article_key: str, locale: str, number: int
) -> HttpResponse:
    membership = request_membership(request)
    translation = selectors.access_translation(shop=membership.shop, key=article_key, locale=locale)
    restored = services.article_version_restore(
        shop=membership.shop, translation=translation, number=number, author=membership
    )
    messages.success(request, _("Versie %(number)s staat weer online als versie %(new)s.")
                     % {"number": number, "new": restored.version})  # fmt: skip
    return redirect(_edit_url(restored))


@require_POST
@agent_required(Role.AGENT)
def attachment_add(request: HttpRequest, article_key: str, locale: str) -> HttpResponse:
    """Attach a file (a manual as PDF) to the article of this translation."""
    membership = request_membership(request)
    translation = selectors.access_translation(shop=membership.shop, key=article_key, locale=locale)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Kies een bestand."))
    elif upload.size is not None and upload.size > settings.BALIE_KB_ATTACHMENT_MAX_BYTES:
        messages.error(request, _("Het bestand is te groot."))
    else:
        try:
            services.article_attachment_add(
                shop=membership.shop,
                article=translation.article,
                filename=upload.name or "",
                content=upload.read(),
                declared_type=upload.content_type or "",
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Het bestand staat bij het artikel."))
    return redirect(_edit_url(translation))


@agent_required()
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    shop = request_membership(request).shop
    found = selectors.access_attachment(shop=shop, attachment_id=attachment_id, public=False)
    return downloads.file_response(
        file=found.file, filename=found.filename, content_type=found.content_type
    )


@require_POST
@agent_required(Role.AGENT)
def attachment_delete(request: HttpRequest, attachment_id: int) -> HttpResponse:
    shop = request_membership(request).shop
    found = selectors.access_attachment(shop=shop, attachment_id=attachment_id, public=False)
    translation = found.article.translations.order_by("locale").first()
    services.article_attachment_delete(shop=shop, attachment=found)
    messages.success(request, _("Het bestand is verwijderd."))
    return redirect(_edit_url(translation) if translation else reverse("web:knowledge_app:list"))


def _form(
    request: HttpRequest, membership: Membership, *, translation: ArticleTranslation | None
) -> ArticleForm:
    shop = membership.shop
    locales = [(code, str(name)) for code, name in settings.LANGUAGES]
    for extra in ("de", "fr"):
        if extra not in dict(locales):
            locales.append((extra, {"de": "Deutsch", "fr": "Français"}[extra]))
    if shop.default_locale in dict(locales):
        locales.sort(key=lambda item: item[0] != shop.default_locale)
    return ArticleForm(
        request.POST if request.method == "POST" else None,
        topics=list(selectors.topic_list(shop=shop)),
        locales=locales,
        translation=translation,
        preview_url=reverse("web:knowledge_app:preview"),
    )


def _save(
    form: ArticleForm, membership: Membership, *, key: str, locale: str | None = None
) -> ArticleTranslation | None:
    data = form.cleaned_data
    shop = membership.shop
    key = key or slugify(data["title"])[:80].strip("-")
    try:
        with transaction.atomic():
            saved = services.article_save(
                shop=shop,
                data=services.ArticleInput(
                    key=key,
                    locale=locale or data["locale"],
                    title=data["title"],
                    body=data["body"],
                    topic=form.topic_slug(),
                    tags=form.list_of("tags"),
                    questions=form.question_lines(),
                    status=data["status"],
                    is_internal=data["is_internal"],
                ),
                author=membership,
            )
            services.placements_set(
                shop=shop,
                article=saved.article,
                url_patterns=[
                    line for line in str(data["url_patterns"]).splitlines() if line.strip()
                ],
                page_types=data["page_types"],
                categories=form.list_of("categories"),
            )
            unknown = services.article_related_set(
                shop=shop, article=saved.article, keys=form.list_of("related")
            )
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None
    if unknown:
        form.add_error("related", _("Onbekende sleutels: %(keys)s") % {"keys": ", ".join(unknown)})
    return saved


def _form_page(
    request: HttpRequest, *, form: ArticleForm, translation: ArticleTranslation | None
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "translation": translation}
    body = form.data.get("body", "") if form.is_bound else form.initial.get("body", "")
    context["preview_html"] = markdown.render(str(body or ""))
    if translation is not None:
        shop = translation.shop
        context["versions"] = list(selectors.version_list(shop=shop, translation=translation)[:30])
        context["feedback"] = list(translation.feedback.all()[:10])
        context["attachments"] = list(translation.article.attachments.all())
        context["siblings"] = list(translation.article.translations.exclude(pk=translation.pk))
        context["help_url"] = (
            f"/s/{shop.slug}/artikel/{translation.locale}/{translation.slug}/"
            if translation.is_published and not translation.article.is_internal
            else ""
        )
    return render(request, "knowledge/app/article_form.html", context)


def _edit_url(translation: ArticleTranslation) -> str:
    return reverse(
        "web:knowledge_app:edit",
        kwargs={"article_key": translation.article.key, "locale": translation.locale},
    )
