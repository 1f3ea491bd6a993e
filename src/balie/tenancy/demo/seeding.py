"""Create, replace and describe the demo shop."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from balie.inbox import search
from balie.inbox.models import Conversation
from balie.orders.models import Order
from balie.tenancy.demo import catalogue, conversations, customers, knowledge, orders, shop
from balie.tenancy.demo.context import Demo, demo_context
from balie.tenancy.models import Membership, Shop, User

# Each step adds one context's demo data; later issues append theirs (see the package doc).
STEPS: list[Callable[[Demo], None]] = [
    customers.seed,
    catalogue.seed,
    orders.seed,
    conversations.seed,
    knowledge.seed,
]
LOGIN_FILE_NAME = "demo-login.txt"


@dataclass(frozen=True)
class SignIn:
    shop: Shop
    agents: list[Membership]
    password: str

    def text(self) -> str:
        base_url = settings.BALIE_BASE_URL
        port = base_url.rsplit(":", 1)[1] if base_url.count(":") == 2 else ""
        domain_url = f"http://{shop.DOMAIN}{':' + port if port else ''}/"
        lines = [
            f"Balie demo: {self.shop.name}",
            f"Sign in at {base_url}{reverse('web:login')} with password {self.password}",
            *(f"  {agent.user.email:<28} {agent.get_role_display()}" for agent in self.agents),
            f"Help center: {base_url}{reverse('web:help_center', args=[self.shop.slug])}"
            f" (or {domain_url})",
        ]
        return "\n".join(lines)


def demo_shop() -> Shop | None:
    return Shop.objects.filter(slug=shop.SLUG).first()


def demo_seed(*, now: dt.datetime, password: str) -> SignIn:
    """Create the demo shop and all its data, replacing an existing demo shop.

    Deterministic: the same `now` gives the same rows (seeded random and Faker).
    """
    with transaction.atomic():
        demo_remove()
        new_shop, agents = shop.shop_seed(now=now, password=password)
        demo = demo_context(shop=new_shop, now=now, agents=agents)
        for step in STEPS:
            step(demo)
    return SignIn(shop=new_shop, agents=agents, password=password)


def demo_remove() -> None:
    """Delete the demo shop, its data and the demo agents' accounts."""
    existing = demo_shop()
    if existing is None:
        return
    # Orders and conversations protect their customers; remove them first, the shop
    # cascades to the rest.
    Order.objects.for_shop(existing).delete()
    conversations = Conversation.objects.for_shop(existing)
    search.forget(conversations.values_list("pk", flat=True))
    conversations.delete()
    existing.delete()
    User.objects.filter(email__in=[agent.email for agent in shop.AGENTS]).delete()


def sign_in(*, shop_row: Shop, password: str) -> SignIn:
    agents = list(Membership.objects.for_shop(shop_row).select_related("user").order_by("id"))
    return SignIn(shop=shop_row, agents=agents, password=password)


def demo_password(*, var_dir: Path) -> str:
    """The demo password: the one saved at the first seed, or a new one saved now."""
    path = var_dir / LOGIN_FILE_NAME
    if path.exists():
        for line in path.read_text().splitlines():
            if line.startswith("password:"):
                return line.removeprefix("password:").strip()
    return secrets.token_urlsafe(12)


def save_sign_in(*, var_dir: Path, sign_in: SignIn) -> Path:
    """Write the sign-in details to var/ (git-ignored), readable by the owner only."""
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / LOGIN_FILE_NAME
    path.write_text(f"{sign_in.text()}\n\npassword: {sign_in.password}\n")
    path.chmod(0o600)
    return path
