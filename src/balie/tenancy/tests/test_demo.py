from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Sum
from django.test import Client
from pytest_django import Settings

from balie.customers.models import Customer
from balie.orders.models import Order, OrderLine, OrderStatus, Product
from balie.tenancy.models import Membership, Shop, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def var_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    settings.PRODUCTION = False
    return tmp_path


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "shops": Shop.objects.count(),
        "agents": Membership.objects.count(),
        "teams": Team.objects.count(),
        "customers": Customer.objects.count(),
        "products": Product.objects.count(),
        "orders": Order.objects.count(),
        "lines": OrderLine.objects.count(),
    }


def first_customers() -> list[str]:
    return [c.full_name for c in Customer.objects.order_by("external_id")[:5]]


def test_seeding_twice_gives_the_same_shop(var_dir: Path) -> None:
    # given
    seed()
    first_counts, first_names = counts(), first_customers()

    # when
    seed()

    # then
    assert counts() == first_counts
    assert first_customers() == first_names
    assert first_counts["agents"] == 3
    assert first_counts["teams"] == 2
    assert 180 <= first_counts["customers"] <= 220
    assert 90 <= first_counts["products"] <= 110
    assert 900 <= first_counts["orders"] <= 1_100


def test_every_order_total_is_its_lines_plus_shipping(var_dir: Path) -> None:
    # given
    seed()

    # when
    mismatched = (
        Order.objects.annotate(lines_cents=Sum(F("lines__quantity") * F("lines__unit_price_cents")))
        .exclude(total_cents=F("lines_cents") + F("shipping_cents"))
        .count()
    )

    # then
    assert mismatched == 0
    assert not Order.objects.filter(lines__isnull=True).exists()


def test_orders_come_in_every_status_with_consistent_dates(var_dir: Path) -> None:
    # given
    seed()
    orders = Order.objects.all()

    # then
    assert set(orders.values_list("status", flat=True)) == set(OrderStatus.values)
    shipped = orders.filter(status__in=["shipped", "delivered", "returned"])
    assert not shipped.filter(shipped_at__isnull=True).exists()
    assert not shipped.filter(tracking_code="").exists()
    assert not shipped.filter(shipped_at__lte=F("placed_at")).exists()
    assert not orders.filter(delivered_at__lte=F("shipped_at")).exists()
    assert (
        not orders.filter(status__in=["pending", "paid", "processing", "cancelled"])
        .exclude(shipped_at=None)
        .exists()
    )
    assert set(shipped.values_list("carrier", flat=True)) == {"PostNL", "DHL", "DPD"}
    assert orders.filter(payment_method="pay_after_delivery").count() > 100


def test_it_writes_the_sign_in_and_the_agents_can_use_it(var_dir: Path) -> None:
    # when
    output = seed()

    # then
    login = (var_dir / "demo-login.txt").read_text()
    password = login.rsplit("password:", 1)[1].strip()
    assert password in output
    assert "marloes@pollepel.example" in output
    assert "/app/login/" in output
    assert Client().login(username="daan@pollepel.example", password=password)


def test_it_keeps_the_password_of_the_first_seed(var_dir: Path) -> None:
    # given
    seed()
    first = (var_dir / "demo-login.txt").read_text()

    # when
    seed()

    # then
    assert (var_dir / "demo-login.txt").read_text() == first


def test_if_empty_leaves_an_existing_demo_alone(var_dir: Path) -> None:
    # given
    seed()
    Customer.objects.filter(pk=Customer.objects.order_by("pk").first().pk).update(notes="bewaard")

    # when
    output = seed("--if-empty")

    # then
    assert Customer.objects.filter(notes="bewaard").exists()
    assert "marloes@pollepel.example" in output


def test_it_refuses_in_production(var_dir: Path, settings: Settings) -> None:
    # given
    settings.PRODUCTION = True

    # when, then
    with pytest.raises(CommandError, match="production"):
        seed()
    assert not Shop.objects.exists()


def test_it_seeds_in_production_when_forced(var_dir: Path, settings: Settings) -> None:
    # given
    settings.PRODUCTION = True

    # when
    seed("--force")

    # then
    assert Shop.objects.filter(slug="pollepel").exists()
