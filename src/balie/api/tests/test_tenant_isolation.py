"""Shop A can never reach shop B: every URL and every API operation, walked automatically.

The walk finds every URL pattern Django knows (recursively through `get_resolver()`, the
ninja API's patterns included) and every operation in the OpenAPI schema, and calls each
as the owner of shop A (browser session) and with shop A's API key, asking for shop B's
objects: each path parameter gets the id of a shop-B object of its kind from `PARAMETERS`.
Answers must be 403/404/405 (or a redirect to sign in), never 2xx with B's data, never 5xx.
No answer may contain `MARKER`, which is planted in all of shop B's private rows, nor
`SHOP_MARKER` (shop B's name and address) unless it is B's own public page. Afterwards shop
B's rows must be exactly as before.

A route with a parameter name this file does not know fails the walk: register the
parameter in `PARAMETERS` (or, for a deliberately public route, in `PUBLIC_ROUTES` with the
reason), so every later route is covered the day it is added.

The Django admin (/admin/) is for installation staff only (`is_staff`), not for shops'
agents; it is walked too, and must send every agent to its sign-in page.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from balie.api.schema import openapi_schema
from balie.channels.models import Mailbox, RejectedEmail
from balie.customers.models import Customer, CustomerIdentity
from balie.customers.tests.factories import CustomerFactory
from balie.inbox import services as inbox_services
from balie.inbox.models import (
    Attachment,
    Conversation,
    ConversationEvent,
    InboxSettings,
    Macro,
    Message,
    SlaPolicy,
    Tag,
)
from balie.inbox.tests.factories import ConversationFactory, MessageFactory, TagFactory
from balie.knowledge import services as knowledge_services
from balie.knowledge.models import Article, ArticleFeedback, ArticleTranslation, ArticleVersion
from balie.orders.models import Order, Product
from balie.orders.tests.factories import OrderFactory, OrderLineFactory, ProductFactory
from balie.tenancy import services as tenancy_services
from balie.tenancy.models import (
    AgentWorkingHours,
    ApiKey,
    BusinessHours,
    ClosingDay,
    ContactOption,
    Membership,
    Role,
    Shop,
    Team,
)
from balie.tenancy.tests.factories import (
    ContactOptionFactory,
    MembershipFactory,
    ShopFactory,
    TeamFactory,
)
from balie.webhooks.models import WebhookDelivery, WebhookEndpoint
from balie.webhooks.tests.factories import WebhookDeliveryFactory, WebhookEndpointFactory

# Planted in every private row of shop B; must never show up in an answer to shop A.
MARKER = "qqlekvanbqq"
# Planted in shop B's public face (name, service address): only its public pages show it.
SHOP_MARKER = "qqwinkelbqq"


@dataclass
class World:
    shop_a: Shop
    owner_a: Membership
    key_a: str
    shop_b: Shop
    agent_b: Membership
    customer_b: Customer
    order_b: Order
    product_b: Product
    team_b: Team
    key_b: ApiKey
    conversation_b: Conversation
    message_b: Message
    attachment_b: Attachment
    tag_b: Tag
    macro_b: Macro
    webhook_b: WebhookEndpoint
    delivery_b: WebhookDelivery
    mailbox_b: Mailbox
    rejected_b: RejectedEmail
    policy_b: SlaPolicy
    closing_day_b: ClosingDay
    contact_option_b: ContactOption
    article_b: Article


# Path parameter name -> the value that names a shop-B object of the right kind.
PARAMETERS: dict[str, Callable[[World], object]] = {
    "customer_id": lambda world: world.customer_b.pk,
    "order_id": lambda world: world.order_b.pk,
    "product_id": lambda world: world.product_b.pk,
    "agent_id": lambda world: world.agent_b.pk,
    "team_id": lambda world: world.team_b.pk,
    "key_id": lambda world: world.key_b.pk,
    "conversation_id": lambda world: world.conversation_b.pk,
    "message_id": lambda world: world.message_b.pk,
    "attachment_id": lambda world: world.attachment_b.pk,
    "tag_id": lambda world: world.tag_b.pk,
    "macro_id": lambda world: world.macro_b.pk,
    "webhook_id": lambda world: world.webhook_b.pk,
    "delivery_id": lambda world: world.delivery_b.pk,
    "mailbox_id": lambda world: world.mailbox_b.pk,
    "rejected_id": lambda world: world.rejected_b.pk,
    "policy_id": lambda world: world.policy_b.pk,
    "closing_day_id": lambda world: world.closing_day_b.pk,
    "contact_option_id": lambda world: world.contact_option_b.pk,
    "article_key": lambda world: world.article_b.key,
    # With an article's key: the language of shop B's article, and its first version.
    "locale": lambda world: "nl",
    "number": lambda world: 1,
    # Help-center pages are public; their slugs need only be well-formed.
    "slug": lambda world: "geen-artikel",
    "topic_slug": lambda world: "geen-onderwerp",
    "filename": lambda world: "handleiding.pdf",
    # The knowledge search's words: shop B's article holds them, shop A must not find it.
    "q": lambda world: "artikel tekst",
    # Public by design (see PUBLIC_ROUTES): the help center of shop B may be read by anyone.
    "shop_slug": lambda world: world.shop_b.slug,
    # The password-reset link is authenticated by its token; a made-up one must be refused.
    "uidb64": lambda world: "MQ",
    "token": lambda world: "c0ffee-0123456789abcdef",
    # A satisfaction score in a survey link (the link's token above is made up: refused).
    "score": lambda world: "5",
    # The API's catch-all for paths no operation serves.
    "unmatched_path": lambda world: "v1/nothing-here",
}

# Parameters of Django admin URLs. Every admin view requires is_staff, which no agent has.
ADMIN_PARAMETERS: dict[str, str] = {
    "app_label": "customers",
    "object_id": "1",
    "content_type_id": "1",
    "pk": "1",
    "id": "1",
    "url": "nothing-here/",
}

# Routes anyone may call, by "namespace:name", with the reason. They are still walked: they
# must not fail (5xx) and, without parameters, must not show shop B's rows.
PUBLIC_ROUTES: dict[str, str] = {
    "healthz": "liveness for load balancers; no shop data",
    "readyz": "readiness for load balancers; no shop data",
    "set_language": "the language switch; only sets a cookie",
    "web:home": "redirects to the agent app, or shows the help center of the host's shop",
    "web:help_center": "a shop's public help center at /s/<slug>/ (public by design)",
    "web:csat_rate": "the customer's one-click rating; authenticated by the signed token",
    "web:login": "agent sign-in page",
    "web:login_code": "second sign-in step (two-factor code)",
    "web:logout": "signs the current user out",
    "web:password_reset": "asks for a reset email; answers the same for any address",
    "web:password_reset_done": "static confirmation page",
    "web:password_reset_confirm": "authenticated by the token in the link",
    "web:password_reset_complete": "static confirmation page",
    "admin:login": "staff sign-in page of the Django admin",
    "admin:logout": "signs the current user out",
    "api:openapi-json": "the API contract; no shop data",
    "api:openapi-view": "the API docs page; no shop data",
    "widget:session": "the shopper widget's new session (a signed token); public by design",
    "widget:answer": "the shopper widget's questions; authenticated by the widget session token",
    "widget:chat_messages": "a widget's live chat; needs the session token it was started in",
    "widget:chat_send": "a shopper's chat message; needs the session token it was started in",
    "widget:faq": "the questions placed on a shop page, for the widget; public by design",
    "widget:faq_html": "the same questions as a page for an <iframe>; public by design",
    # The help center's knowledge pages: a shop's published articles, public by design; each
    # shows only the shop named by the slug or the host (knowledge/tests/test_views.py).
    **{
        f"knowledge:{name}{where}": "a shop's public help center page (published articles)"
        for name in ("article", "feedback", "topic", "search", "sitemap", "attachment")
        for where in ("", "_on_domain")
    },
}

# Request bodies for API operations that take one, by operation id. Ids in bodies point at
# shop B where the body can hold ids, to prove they are refused.
EXAMPLE_BODIES: dict[str, Callable[[World], dict[str, Any]]] = {
    "team_create": lambda world: {"name": "Nieuw team", "member_ids": [world.agent_b.pk]},
    "customer_create": lambda world: {"email": "nieuw@example.nl", "first_name": "Nieuw"},
    "customer_update": lambda world: {"first_name": "Gewijzigd", "email": "ander@example.nl"},
    "conversation_update": lambda world: {
        "status": "closed",
        "assignee_id": world.agent_b.pk,
        "team_id": world.team_b.pk,
        "add_tags": [world.tag_b.name],
    },
    "note_create": lambda world: {"text": "Notitie", "author_id": world.agent_b.pk},
    "reply_create": lambda world: {"text": "Antwoord", "author_id": world.agent_b.pk},
    "tag_create": lambda world: {"name": "Nieuw label"},
    "tag_update": lambda world: {"name": "Hernoemd"},
    "macro_create": lambda world: {"name": "Nieuwe macro", "set_team_id": world.team_b.pk},
    "macro_update": lambda world: {"name": "Gewijzigd", "set_team_id": world.team_b.pk},
    "macro_render": lambda world: {"conversation_id": world.conversation_b.pk},
    "webhook_create": lambda world: {
        "url": "https://93.184.215.14/balie",
        "events": ["message.created"],
    },
    "webhook_update": lambda world: {"description": "Overgenomen", "is_active": False},
    "knowledge_translation_save": lambda world: {"title": "Overgenomen", "status": "published"},
    "knowledge_article_create": lambda world: {"key": "nieuw", "locale": "nl", "title": "Nieuw"},
    "knowledge_feedback_create": lambda world: {"helpful": False, "comment": "Overgenomen"},
    # Shop B's order number with its customer's address: shop A's assistant must not find it.
    "assistant_answer": lambda world: {
        "question": f"waar is mijn bestelling {world.order_b.number} {world.customer_b.email}",
    },
}

REFUSED = {403, 404, 405}
# Routes that answer 503 by design when a dependency is down (no task worker in tests).
MAY_BE_UNAVAILABLE = {"readyz"}


def _world() -> World:
    shop_a = ShopFactory(name="Kookwinkel De Pollepel", slug="pollepel")
    owner_a = MembershipFactory(shop=shop_a, role=Role.OWNER, user__email="eigenaar@pollepel.nl")
    _key, key_a = tenancy_services.api_key_create(shop=shop_a, name="Koppeling A")
    customer_a = CustomerFactory(shop=shop_a, email="klant@pollepel.nl")
    OrderFactory(shop=shop_a, customer=customer_a)
    ProductFactory(shop=shop_a)
    TeamFactory(shop=shop_a, name="Team A")

    shop_b = ShopFactory(
        name=f"Fietsenzaak {SHOP_MARKER}", slug="trapper", support_email=f"{SHOP_MARKER}@trapper.nl"
    )
    agent_b = MembershipFactory(
        shop=shop_b,
        role=Role.OWNER,
        user__email=f"{MARKER}-medewerker@trapper.nl",
        user__full_name=f"Bram {MARKER}",
        display_name=f"Bram {MARKER}",
    )
    customer_b = CustomerFactory(
        shop=shop_b,
        first_name=f"Klant {MARKER}",
        last_name=MARKER,
        email=f"{MARKER}-klant@trapper.nl",
        phone="+31612345678",
        notes=MARKER,
    )
    CustomerIdentity.objects.create(
        shop=shop_b, customer=customer_b, channel="email", value=customer_b.email
    )
    product_b = ProductFactory(shop=shop_b, name=f"Fiets {MARKER}", sku=f"{MARKER}-1")
    order_b = OrderFactory(
        shop=shop_b,
        customer=customer_b,
        number=f"{MARKER}-100",
        shipping_name=f"Klant {MARKER}",
        tracking_code=MARKER,
    )
    OrderLineFactory(order=order_b, product=product_b, name=f"Fiets {MARKER}")
    team_b = TeamFactory(shop=shop_b, name=f"Team {MARKER}")
    team_b.members.add(agent_b)
    key_b, _raw = tenancy_services.api_key_create(shop=shop_b, name=f"Koppeling {MARKER}")
    conversation_b = ConversationFactory(shop=shop_b, customer=customer_b, subject=MARKER)
    message_b = MessageFactory(conversation=conversation_b, text=MARKER, subject=MARKER)
    MessageFactory(conversation=conversation_b, text=f"Tweede {MARKER}")
    attachment_b = Attachment.objects.create(
        shop=shop_b,
        message=message_b,
        filename=f"{MARKER}.txt",
        content_type="text/plain",
        size=len(MARKER),
        file=ContentFile(MARKER.encode(), name="b.txt"),
    )
    Attachment.objects.create(
        shop=shop_b,
        message=message_b,
        filename=f"{MARKER}.pdf",
        content_type="application/pdf",
        rejected_reason=MARKER,
    )
    tag_b = TagFactory(shop=shop_b, name=f"label {MARKER}")
    conversation_b.tags.add(tag_b)
    inbox_services.note_add(shop=shop_b, conversation=conversation_b, author=agent_b, text=MARKER)
    macro_b = inbox_services.macro_create(
        shop=shop_b, name=f"Macro {MARKER}", body=MARKER, owner=None
    )
    inbox_services.macro_create(shop=shop_b, name=f"Eigen {MARKER}", owner=agent_b)
    webhook_b = WebhookEndpointFactory(shop=shop_b, description=MARKER)
    delivery_b = WebhookDeliveryFactory(
        endpoint=webhook_b, status="failed", payload={"data": MARKER}, response_body=MARKER
    )
    mailbox_b = Mailbox.objects.create(
        shop=shop_b,
        name=f"Mailbox {MARKER}",
        email_address=f"{MARKER}@trapper.nl",
        imap_host="127.0.0.1",
        imap_port=1,
        imap_username=MARKER,
        imap_password=MARKER,
        smtp_host="127.0.0.1",
        smtp_password=MARKER,
        last_error=MARKER,
        team=team_b,
    )
    rejected_b = RejectedEmail.objects.create(
        shop=shop_b,
        mailbox=mailbox_b,
        uid=7,
        raw=ContentFile(f"Subject: {MARKER}\r\n\r\n{MARKER}".encode(), name="b.eml"),
        reason=MARKER,
    )
    policy_b = inbox_services.sla_policy_create(
        shop=shop_b, name=f"SLA {MARKER}", first_response_minutes=60, resolution_minutes=480
    )
    # Closing days and contact options are public (the help center shows them).
    closing_day_b = ClosingDay.objects.create(
        shop=shop_b, date=dt.date(2030, 7, 1), reason=f"Uitje {SHOP_MARKER}"
    )
    contact_option_b = ContactOptionFactory(
        shop=shop_b, label=f"Bel {SHOP_MARKER}", value=f"{SHOP_MARKER}@trapper.nl"
    )
    return World(
        shop_a=shop_a,
        owner_a=owner_a,
        key_a=key_a,
        shop_b=shop_b,
        agent_b=agent_b,
        customer_b=customer_b,
        order_b=order_b,
        product_b=product_b,
        team_b=team_b,
        key_b=key_b,
        conversation_b=conversation_b,
        message_b=message_b,
        attachment_b=attachment_b,
        tag_b=tag_b,
        macro_b=macro_b,
        webhook_b=webhook_b,
        delivery_b=delivery_b,
        mailbox_b=mailbox_b,
        rejected_b=rejected_b,
        policy_b=policy_b,
        closing_day_b=closing_day_b,
        contact_option_b=contact_option_b,
        article_b=knowledge_services.article_save(
            shop=shop_b,
            data=knowledge_services.ArticleInput(
                key="artikel-van-b",  # a 404's problem JSON names the path: no marker here
                locale="nl",
                # Published, so part of shop B's public face (its help center shows it).
                title=f"Artikel {SHOP_MARKER}",
                body=f"Tekst {SHOP_MARKER}",
                slug="artikel-van-b",
                status="published",
            ),
        ).article,
    )


@pytest.fixture
def world(db: None) -> World:
    return _world()


def _snapshot_of_shop_b(world: World) -> dict[str, Any]:
    """Every row of shop B with every field, to prove the walk changed nothing there."""
    shop = world.shop_b
    return {
        "shop": list(Shop.objects.filter(pk=shop.pk).values()),
        "customers": list(Customer.objects.for_shop(shop).order_by("pk").values()),
        "identities": list(CustomerIdentity.objects.for_shop(shop).order_by("pk").values()),
        "orders": list(Order.objects.for_shop(shop).order_by("pk").values()),
        "articles": list(Article.objects.for_shop(shop).order_by("pk").values()),
        "translations": list(ArticleTranslation.objects.for_shop(shop).order_by("pk").values()),
        "versions": list(ArticleVersion.objects.for_shop(shop).order_by("pk").values()),
        "feedback": list(ArticleFeedback.objects.for_shop(shop).order_by("pk").values()),
        "products": list(Product.objects.for_shop(shop).order_by("pk").values()),
        "memberships": list(Membership.objects.for_shop(shop).order_by("pk").values()),
        "teams": [
            (
                team["id"],
                team["name"],
                sorted(Team.objects.get(pk=team["id"]).members.values_list("pk", flat=True)),
            )
            for team in Team.objects.for_shop(shop).order_by("pk").values("id", "name")
        ],
        "api_keys": list(ApiKey.objects.for_shop(shop).order_by("pk").values()),
        "conversations": list(Conversation.objects.for_shop(shop).order_by("pk").values()),
        "conversation_tags": sorted(
            Conversation.tags.through.objects.filter(tag__shop=shop).values_list(
                "conversation_id", "tag_id"
            )
        ),
        "messages": list(Message.objects.for_shop(shop).order_by("pk").values()),
        "attachments": list(Attachment.objects.for_shop(shop).order_by("pk").values()),
        "events": list(ConversationEvent.objects.for_shop(shop).order_by("pk").values()),
        "tags": list(Tag.objects.for_shop(shop).order_by("pk").values()),
        "macros": list(Macro.objects.for_shop(shop).order_by("pk").values()),
        "webhooks": list(WebhookEndpoint.objects.for_shop(shop).order_by("pk").values()),
        "deliveries": list(WebhookDelivery.objects.for_shop(shop).order_by("pk").values()),
        "mailboxes": list(Mailbox.objects.for_shop(shop).order_by("pk").values()),
        "rejected": list(RejectedEmail.objects.for_shop(shop).order_by("pk").values()),
        "sla_policies": list(SlaPolicy.objects.for_shop(shop).order_by("pk").values()),
        "closing_days": list(ClosingDay.objects.for_shop(shop).order_by("pk").values()),
        "contact_options": list(ContactOption.objects.for_shop(shop).order_by("pk").values()),
        "business_hours": list(BusinessHours.objects.for_shop(shop).order_by("pk").values()),
        "working_hours": list(AgentWorkingHours.objects.for_shop(shop).order_by("pk").values()),
        "inbox_settings": list(InboxSettings.objects.for_shop(shop).order_by("pk").values()),
        "team_count_a": Team.objects.for_shop(world.shop_a).count(),
    }


# --- the Django URL walk ------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route text for unnamed patterns
    route: str  # the pattern as text, for messages
    parameters: tuple[str, ...]
    build: Callable[[dict[str, object]], str]

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:") or self.route.startswith("admin/")

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")


def _parameter_names(pattern: RoutePattern | RegexPattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    return list(pattern.regex.groupindex)


def _route_text(parts: list[RoutePattern | RegexPattern], values: dict[str, object]) -> str:
    """The URL of an unnamed pattern: `<int:customer_id>` or `(?P<url>.*)` filled in."""
    url = ""
    for part in parts:
        text = str(part)
        if isinstance(part, RoutePattern):
            url += re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), text)
            continue
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), text)
        text = text.removeprefix("^").removesuffix("$")
        if re.search(r"[\\()\[\]*+?|^$]", text):
            raise AssertionError(f"Cannot build a URL for the unnamed pattern {part}; name it")
        url += text
    return "/" + url


def all_routes() -> Iterator[Route]:
    def walk(
        patterns: list[Any],
        parts: list[RoutePattern | RegexPattern],
        namespaces: list[str],
    ) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns,
                    [*parts, pattern.pattern],
                    [*namespaces, pattern.namespace] if pattern.namespace else namespaces,
                )
                continue
            assert isinstance(pattern, URLPattern)
            chain = [*parts, pattern.pattern]
            text = "".join(str(part) for part in chain)
            parameters = tuple(name for part in chain for name in _parameter_names(part))
            if pattern.name:
                name = ":".join([*namespaces, pattern.name])

                def build(values: dict[str, object], name: str = name) -> str:
                    return reverse(name, kwargs=values or None)

            else:
                name = text

                def build(values: dict[str, object], chain: list[Any] = chain) -> str:
                    return _route_text(chain, values)

            yield Route(name=name, route=text, parameters=parameters, build=build)

    yield from walk(get_resolver().url_patterns, [], [])


def _values(route: Route, world: World) -> dict[str, object]:
    values: dict[str, object] = {}
    for parameter in route.parameters:
        if route.is_admin and parameter in ADMIN_PARAMETERS:
            values[parameter] = ADMIN_PARAMETERS[parameter]
        elif parameter in PARAMETERS:
            values[parameter] = PARAMETERS[parameter](world)
        else:
            pytest.fail(
                f"URL {route.route!r} ({route.name}) has the path parameter {parameter!r}, which "
                "the tenant isolation walk does not know. Register it in PARAMETERS in "
                f"{__name__.replace('.', '/')}.py with a factory for a shop-B object of that "
                "kind (or list the route in PUBLIC_ROUTES with the reason it is public)."
            )
    return values


def _clients(world: World) -> dict[str, Callable[[], Client]]:
    def session() -> Client:
        client = Client()
        client.force_login(world.owner_a.user)
        return client

    def api_key() -> Client:
        return Client(headers={"Authorization": f"Bearer {world.key_a}"})

    return {"session": session, "api_key": api_key}


def _is_redirect_to_sign_in(response: HttpResponse) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith(reverse("web:login")) or location.startswith(reverse("admin:login"))
    )


def _is_missing_body(route: Route, method: str, response: HttpResponse) -> bool:
    """An API POST that needs a body, sent without one: refused as unparseable before any
    object is looked up, so the answer cannot tell shop B's ids apart (the operation walk
    below sends each such operation a body and must get 403/404)."""
    if not (route.is_api and method == "post" and response.status_code in (400, 422)):
        return False
    problem = json.loads(response.content)
    return problem["code"] == "malformed_body" or (
        problem["code"] == "validation_error"
        and all(error["in"] == "body" for error in problem.get("errors", []))
    )


def _check_route(route: Route, world: World, failures: list[str]) -> None:
    url = route.build(_values(route, world))
    public = route.name in PUBLIC_ROUTES
    for who, make_client in _clients(world).items():
        for method in ("get", "post"):
            response = getattr(make_client(), method)(url)
            where = f"{method.upper()} {url} ({route.name}) as shop A's {who}"
            if response.status_code >= 500 and not (
                response.status_code == 503 and route.name in MAY_BE_UNAVAILABLE
            ):
                failures.append(f"{where}: {response.status_code}")
                continue
            body = _body(response)
            if MARKER in body or (SHOP_MARKER in body and not (public and route.parameters)):
                failures.append(f"{where}: answer holds shop B's data")
            if public:
                continue
            if route.is_admin:
                if response.status_code not in REFUSED and not _is_redirect_to_sign_in(response):
                    failures.append(f"{where}: admin answered {response.status_code}")
            elif route.parameters and not (
                response.status_code in REFUSED
                or _is_redirect_to_sign_in(response)
                or _is_missing_body(route, method, response)
            ):
                failures.append(
                    f"{where}: {response.status_code} for shop B's object (expected 403/404)"
                )


def test_no_url_gives_shop_a_anything_of_shop_b(world: World) -> None:
    # given
    before = _snapshot_of_shop_b(world)
    routes = list(all_routes())
    failures: list[str] = []

    # when
    for route in routes:
        _check_route(route, world, failures)

    # then
    assert not failures, "\n".join(failures)
    assert _snapshot_of_shop_b(world) == before


def test_the_walk_covers_the_api_and_the_agent_app(world: World) -> None:
    # given
    names = {route.name for route in all_routes()}

    # then: a sample of what must be in the walk, so a broken walker cannot pass silently
    assert {
        "api:customer_get",
        "api:order_get",
        "api:team_create",
        "web:dashboard",
        "web:api_key_revoke",
        "web:help_center",
        "admin:index",
        "api:conversation_get",
        "api:attachment_download",
        "api:webhook_delivery_retry",
        "web:webhooks:retry",
        "web:mailboxes:rejected_download",
        "web:inbox_settings:sla_detail",
        "web:shop_settings:closing_day_delete",
        "web:shop_settings:contact_option_detail",
    } <= names


def test_a_route_with_an_unknown_parameter_fails_the_walk(world: World) -> None:
    # given: a route a later issue might add, with a parameter nobody registered
    route = Route(
        name="web:gadget",
        route="app/gadgets/<int:gadget_id>/",
        parameters=("gadget_id",),
        build=lambda values: "/",
    )

    # then
    with pytest.raises(pytest.fail.Exception, match="Register it in PARAMETERS"):
        _values(route, world)


def test_every_public_route_still_exists() -> None:
    # given
    names = {route.name for route in all_routes()}

    # then: a stale allow-list entry would hide nothing, but confuse the next reader
    assert set(PUBLIC_ROUTES) - names == set()


# --- the API operation walk ---------------------------------------------------------------


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in openapi_schema()["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _call_operation(
    client: Client, world: World, path: str, method: str, operation: dict[str, Any]
) -> tuple[str, HttpResponse]:
    query: dict[str, object] = {}
    for parameter in operation.get("parameters", []):
        name, where = parameter["name"], parameter["in"]
        if where == "path":
            if name not in PARAMETERS:
                pytest.fail(
                    f"API operation {operation['operationId']} has the path parameter {name!r}; "
                    f"register it in PARAMETERS in {__name__.replace('.', '/')}.py."
                )
            path = path.replace("{" + name + "}", str(PARAMETERS[name](world)))
        elif where == "query" and name in PARAMETERS:
            query[name] = PARAMETERS[name](world)
        elif where == "query" and parameter.get("required"):
            pytest.fail(
                f"API operation {operation['operationId']} needs the query parameter {name!r}; "
                "register it in PARAMETERS."
            )
    kwargs: dict[str, Any] = {}
    if "requestBody" in operation:
        body = EXAMPLE_BODIES.get(operation["operationId"])
        if body is None:
            pytest.fail(
                f"API operation {operation['operationId']} takes a body; add an example body "
                "(with shop-B ids wherever the body holds ids) to EXAMPLE_BODIES."
            )
        kwargs = {"data": json.dumps(body(world)), "content_type": "application/json"}
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path, getattr(client, method)(path, **kwargs)


def _body(response: HttpResponse) -> str:
    """The answer's text, also of a streamed one (an export)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")  # type: ignore[attr-defined]  # a StreamingHttpResponse
    return response.content.decode(errors="replace")


def test_no_api_operation_gives_shop_a_anything_of_shop_b(world: World) -> None:
    # given
    before = _snapshot_of_shop_b(world)
    failures: list[str] = []
    operations = list(_operations())
    assert len(operations) >= 14

    # when
    for who, make_client in _clients(world).items():
        for path, method, operation in operations:
            url, response = _call_operation(make_client(), world, path, method, operation)
            where = f"{method.upper()} {url} ({operation['operationId']}) as shop A's {who}"
            has_path_id = "{" in path
            if response.status_code >= 500:
                failures.append(f"{where}: {response.status_code}")
            elif any(marker in _body(response) for marker in (MARKER, SHOP_MARKER)):
                failures.append(f"{where}: answer holds shop B's data")
            elif has_path_id and response.status_code not in REFUSED:
                failures.append(f"{where}: {response.status_code} (expected 403/404)")

    # then
    assert not failures, "\n".join(failures)
    assert _snapshot_of_shop_b(world) == before


# --- ids of shop B in bodies and filters --------------------------------------------------


def test_a_team_cannot_get_members_from_another_shop(world: World) -> None:
    # given
    client = Client(headers={"Authorization": f"Bearer {world.key_a}"})

    # when
    response = client.post(
        "/api/v1/teams",
        {"name": "Avonddienst", "member_ids": [world.owner_a.pk, world.agent_b.pk]},
        content_type="application/json",
    )

    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "member_ids.1"
    assert not Team.objects.filter(name="Avonddienst").exists()
    assert list(world.agent_b.teams.all()) == [world.team_b]


def test_changing_a_customer_of_another_shop_is_not_found_and_changes_nothing(
    world: World,
) -> None:
    # given
    client = Client()
    client.force_login(world.owner_a.user)

    # when
    response = client.patch(
        f"/api/v1/customers/{world.customer_b.pk}",
        {"first_name": "Overgenomen"},
        content_type="application/json",
    )

    # then
    assert response.status_code == 404
    world.customer_b.refresh_from_db()
    assert world.customer_b.first_name == f"Klant {MARKER}"


def test_filtering_orders_by_another_shops_customer_finds_nothing(world: World) -> None:
    # given
    client = Client(headers={"Authorization": f"Bearer {world.key_a}"})

    # when
    response = client.get("/api/v1/orders", {"customer_id": world.customer_b.pk})

    # then
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0, "count_exact": True}


def test_switching_to_a_shop_the_agent_does_not_work_for_is_not_found(world: World) -> None:
    # given
    client = Client()
    client.force_login(world.owner_a.user)

    # when
    response = client.post(reverse("web:shop_switch"), {"shop": world.shop_b.pk})
    shop = client.get("/api/v1/shop").json()

    # then
    assert response.status_code == 404
    assert shop["id"] == world.shop_a.pk


def test_an_api_key_of_shop_a_only_ever_sees_shop_a(world: World) -> None:
    # given
    client = Client(headers={"Authorization": f"Bearer {world.key_a}"})

    # when
    customers = client.get("/api/v1/customers").json()
    shop = client.get("/api/v1/shop").json()

    # then
    assert shop["slug"] == "pollepel"
    assert [customer["email"] for customer in customers["items"]] == ["klant@pollepel.nl"]
