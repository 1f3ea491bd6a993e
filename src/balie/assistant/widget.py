"""The shopper widget's public endpoints, under /s/<shop>/widget/ (see `widget_urls.py`).

A shop embeds `frontend/widget.js` on its own site. The script asks `sessie/` for a **widget
session**: a `django.core.signing` token (own salt) holding the shop id, a random session id
and the issue time, valid for `SESSION_SECONDS`. Questions go to `antwoord/` with that token in
the `X-Balie-Widget` header and get the API's answer (`api.answer_body`, plus each article's
address). `faq/` (JSON) and `faq.html` (for an `<iframe>`, no JavaScript) list the questions
placed on the shopper's page.

CORS: the JSON endpoints answer cross-origin requests, preflights included, only from the
shop's own origins (`allowed_origins`); any other origin gets no CORS headers, so its pages
cannot read the answers. `faq.html` may be framed by the same origins (`frame-ancestors`).

CSRF: the endpoints are exempt on purpose. CSRF protection is about credentials a browser
attaches by itself (cookies); these endpoints read none. They are either open (the FAQ, a new
session) or need the token in a custom header, which a browser never sends unasked and a
cross-site form cannot set. The shop's visitors hold no cookie here to forge requests with.

Questions and new sessions are throttled per shop and client address (a one-minute window in
the cache, shared by all replicas with REDIS_URL, as sign-in's counters are): 429 beyond it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import secrets
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import pydantic
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from balie.assistant import api as assistant_api
from balie.assistant.schemas import AssistantQuestionIn
from balie.knowledge import selectors as knowledge_selectors
from balie.knowledge.models import ArticleTranslation
from balie.knowledge.schemas import PageQuery
from balie.tenancy import selectors as tenancy_selectors
from balie.tenancy import throttle
from balie.tenancy.models import Shop, ShopDomain
from balie.web.brand import brand_palette

SESSION_HEADER = "X-Balie-Widget"
_SALT = "balie.assistant.widget.session"
SESSION_SECONDS = 12 * 60 * 60
CLOCK_SKEW = dt.timedelta(minutes=5)
QUESTIONS_PER_MINUTE = 30
SESSIONS_PER_MINUTE = 30
MAX_BODY_BYTES = 64 * 1024
PREFLIGHT_MAX_AGE = 600
_HOST = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?")
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}


# --- the widget session -------------------------------------------------------------------


def session_token(*, shop: Shop, now: dt.datetime | None = None) -> str:
    issued = int((now or timezone.now()).timestamp())
    return signing.Signer(salt=_SALT).sign_object([shop.pk, secrets.token_urlsafe(12), issued])


def session_verify(*, token: str, shop: Shop, now: dt.datetime | None = None) -> str | None:
    """The session id of a valid token for `shop`; None for one altered, made up, older than
    `SESSION_SECONDS` (or from the future) or issued for another shop."""
    now = now or timezone.now()
    try:
        shop_id, session_id, issued = signing.Signer(salt=_SALT).unsign_object(token[:500])
        issued_at = dt.datetime.fromtimestamp(int(issued), tz=dt.UTC)
    except (signing.BadSignature, ValueError, TypeError, OverflowError, OSError):
        return None
    if type(shop_id) is not int or shop_id != shop.pk or not isinstance(session_id, str):
        return None
    if not now - dt.timedelta(seconds=SESSION_SECONDS) <= issued_at <= now + CLOCK_SKEW:
        return None
    return session_id


# --- CORS and framing ---------------------------------------------------------------------


def _origin(scheme: str, host: str) -> str | None:
    """`scheme://host[:port]` as a browser sends it in `Origin`; None for anything else (so
    no stored value can put more than an origin in a header)."""
    if scheme not in _DEFAULT_PORTS:
        return None
    host = host.strip().lower().rstrip(".").removesuffix(_DEFAULT_PORTS[scheme])
    return f"{scheme}://{host}" if _HOST.fullmatch(host) else None


def allowed_origins(shop: Shop) -> set[str]:
    """Where the shop's pages live: the origin of its website as stored, and its website's
    host and each of its domains as https (and http while DEBUG); plus Balie's own origin."""
    balie = urlsplit(settings.BALIE_BASE_URL)
    website = urlsplit(shop.website_url)
    found = {_origin(balie.scheme, balie.netloc), _origin(website.scheme, website.netloc)}
    hosts = [website.netloc, *ShopDomain.objects.filter(shop=shop).values_list("domain", flat=True)]
    for scheme in ("https", "http") if settings.DEBUG else ("https",):
        found |= {_origin(scheme, host) for host in hosts if host}
    return {origin for origin in found if origin}


def _cors(response: HttpResponse, request: HttpRequest, origins: set[str]) -> HttpResponse:
    patch_vary_headers(response, ["Origin"])
    origin = request.headers.get("Origin", "")
    if origin in origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "Retry-After"
    return response


def _preflight(request: HttpRequest, origins: set[str], methods: Iterable[str]) -> HttpResponse:
    response = HttpResponse(status=204)
    asked = request.headers.get("Access-Control-Request-Method", "")
    if request.headers.get("Origin", "") in origins and asked in methods:
        response.headers["Access-Control-Allow-Methods"] = ", ".join(methods)
        response.headers["Access-Control-Allow-Headers"] = f"Content-Type, {SESSION_HEADER}"
        response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return response


# --- throttling ---------------------------------------------------------------------------


def allowed(scope: str, *, shop: Shop, request: HttpRequest, limit: int) -> bool:
    """Count one request of this client at this shop; False beyond `limit` a minute."""
    # Hashed, as sign-in's counters are: no client address in cache keys or Redis dumps.
    client = hashlib.sha256(throttle.client_ip(request).encode()).hexdigest()[:32]
    key = f"balie:widget:{scope}:{shop.pk}:{client}"
    cache.add(key, 0, timeout=60)  # the window starts at the first request
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request starts a new window
        cache.set(key, 1, timeout=60)
        count = 1
    return count <= limit


# --- the endpoints ------------------------------------------------------------------------

WidgetView = Callable[[HttpRequest, Shop], HttpResponse]


def error(status: int, code: str, detail: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": code, "detail": detail, **extra}, status=status)


def endpoint(*methods: str) -> Callable[[WidgetView], Callable[[HttpRequest, str], HttpResponse]]:
    """The shop from the path, CORS (preflight included) and JSON errors around a view."""

    def decorate(view: WidgetView) -> Callable[[HttpRequest, str], HttpResponse]:
        @csrf_exempt
        @functools.wraps(view)
        def wrapped(request: HttpRequest, shop_slug: str) -> HttpResponse:
            try:
                shop = tenancy_selectors.access_shop_by_slug(slug=shop_slug)
            except Http404:
                return error(404, "not_found", "No such shop.")
            origins = allowed_origins(shop)
            if request.method == "OPTIONS":
                return _cors(_preflight(request, origins, methods), request, origins)
            response: HttpResponse
            if request.method in methods:
                response = view(request, shop)
            else:
                response = error(405, "method_not_allowed", "Method not allowed.")
                response.headers["Allow"] = ", ".join((*methods, "OPTIONS"))
            return _cors(response, request, origins)

        return wrapped

    return decorate


@endpoint("POST")
def session(request: HttpRequest, shop: Shop) -> HttpResponse:
    if not allowed("session", shop=shop, request=request, limit=SESSIONS_PER_MINUTE):
        return throttled()
    return JsonResponse({"token": session_token(shop=shop), "expires_in": SESSION_SECONDS})


def client_key(request: HttpRequest, shop: Shop) -> str | None:
    """The key binding assistant sessions to this widget (a hash of the token's session id:
    the database never holds a token's secret part); None without a valid token."""
    session_id = session_verify(token=request.headers.get(SESSION_HEADER, ""), shop=shop)
    if session_id is None:
        return None
    return hashlib.sha256(f"{_SALT}:{session_id}".encode()).hexdigest()


def session_counted(
    request: HttpRequest, shop: Shop, *, scope: str, limit: int
) -> str | JsonResponse:
    """The widget's `client_key`, with this request counted against `limit` a minute; else
    the 401 (no valid token) or 429 to answer instead."""
    key = client_key(request, shop)
    if key is None:
        return error(401, "invalid_session", f"Missing, expired or invalid {SESSION_HEADER}.")
    if not allowed(scope, shop=shop, request=request, limit=limit):
        return throttled()
    return key


@endpoint("POST")
def answer(request: HttpRequest, shop: Shop) -> HttpResponse:
    key = session_counted(request, shop, scope="answer", limit=QUESTIONS_PER_MINUTE)
    if isinstance(key, JsonResponse):
        return key
    payload = body_as(request, AssistantQuestionIn)
    if isinstance(payload, JsonResponse):
        return payload
    answered = assistant_api.answer_for(
        shop=shop, payload=payload, channel="widget", client_key=key
    )
    reply = _with_article_urls(request, shop, assistant_api.answer_body(answered))
    return JsonResponse(reply, json_dumps_params={"ensure_ascii": False})


@endpoint("GET", "HEAD")
def faq(request: HttpRequest, shop: Shop) -> HttpResponse:
    found = _faq(request, shop)
    if isinstance(found, pydantic.ValidationError):
        return invalid(found)
    items = [
        {"title": row.title, "url": _article_url(request, shop, row), "locale": row.locale}
        for row in found[1]
    ]
    response = JsonResponse({"items": items}, json_dumps_params={"ensure_ascii": False})
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@xframe_options_exempt  # framing is governed by the CSP's frame-ancestors below
@require_safe
def faq_html(request: HttpRequest, shop_slug: str) -> HttpResponse:
    shop = tenancy_selectors.access_shop_by_slug(slug=shop_slug)
    found = _faq(request, shop)
    if isinstance(found, pydantic.ValidationError):
        return HttpResponse("Invalid query.", status=400, content_type="text/plain")
    language, rows = found
    items = [
        {"title": row.title, "url": _article_url(request, shop, row), "locale": row.locale}
        for row in rows
    ]
    ui = _ui_language(language, shop)
    with translation.override(ui):
        response = render(
            request,
            "assistant/widget/faq.html",
            {
                "shop": shop,
                "items": items,
                "language": ui,
                "palette": brand_palette(shop.brand_colour),
            },
        )
    ancestors = " ".join(["'self'", *sorted(allowed_origins(shop))])
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
        f"frame-ancestors {ancestors}"
    )
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _faq(
    request: HttpRequest, shop: Shop
) -> tuple[str, list[ArticleTranslation]] | pydantic.ValidationError:
    query = {key: request.GET.get(key, "") for key in PageQuery.model_fields}
    query["locale"] = query["locale"] or shop.default_locale
    try:
        page = PageQuery.model_validate(query)
    except pydantic.ValidationError as error:
        return error
    rows = knowledge_selectors.faq_for_page(
        shop=shop,
        page=knowledge_selectors.Page(
            url=page.page_url, page_type=page.page_type, category=page.category
        ),
        locale=page.locale,
    )
    return page.locale, rows


def _ui_language(language: str, shop: Shop) -> str:
    """The page's language when Balie speaks it, else the shop's, else Balie's own."""
    available = dict(settings.LANGUAGES)
    for code in (language.split("-")[0], shop.default_locale):
        if code in available:
            return code
    return str(settings.LANGUAGE_CODE)


def _article_url(request: HttpRequest, shop: Shop, row: ArticleTranslation) -> str:
    path = reverse(
        "knowledge:article", kwargs={"shop_slug": shop.slug, "locale": row.locale, "slug": row.slug}
    )
    return request.build_absolute_uri(path)


def body_as[T: pydantic.BaseModel](request: HttpRequest, schema: type[T]) -> T | JsonResponse:
    """The JSON body as `schema`, or the 413/422 answer to send instead."""
    try:
        body = request.body
        if len(body) > MAX_BODY_BYTES:
            raise RequestDataTooBig
        return schema.model_validate_json(body)
    except RequestDataTooBig:
        return error(413, "payload_too_large", "The request body is too large.")
    except pydantic.ValidationError as problem:
        return invalid(problem)


def _with_article_urls(request: HttpRequest, shop: Shop, reply: dict[str, Any]) -> dict[str, Any]:
    """Each article of the answer with its help-center address (`url`): in the answer's
    language, else its first published translation; None when none is public."""
    ids = [article["id"] for article in reply["articles"]]
    rows = knowledge_selectors.published_translations_any_locale(shop=shop, article_ids=ids)
    urls: dict[tuple[int, str], str] = {}
    for row in rows.order_by("locale") if ids else ():
        url = _article_url(request, shop, row)
        urls[(row.article_id, row.locale)] = url
        urls.setdefault((row.article_id, ""), url)
    for article in reply["articles"]:
        key = (article["id"], article["locale"])
        article["url"] = urls.get(key, urls.get((article["id"], "")))
    return reply


def invalid(problem: pydantic.ValidationError) -> JsonResponse:
    fields = [
        {
            "field": ".".join(str(part) for part in item["loc"]) or "body",
            "message": item["msg"],
            "type": item["type"],
        }
        for item in problem.errors(include_url=False, include_input=False)
    ]
    return error(422, "validation_error", "Invalid request.", errors=fields)


def throttled() -> JsonResponse:
    response = error(429, "throttled", "Too many requests; try again in a minute.")
    response.headers["Retry-After"] = "60"
    return response
