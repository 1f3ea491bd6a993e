"""Reads for customers."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404

from balie.customers.models import Customer
from balie.tenancy.models import Shop


def customers_with_email(*, shop: Shop, email: str) -> QuerySet[Customer]:
    """The shop's customer with this address, in any case, by the unique index on
    lower(email) (its condition repeated, so SQLite uses the partial index too)."""
    customers: QuerySet[Customer] = (
        Customer.objects.for_shop(shop)
        .alias(email_lower=Lower("email"))
        .filter(email_lower=email.strip().lower())
        .exclude(email="")
    )
    return customers


def customer_list(*, shop: Shop, q: str = "", email: str = "") -> QuerySet[Customer]:
    customers: QuerySet[Customer] = Customer.objects.for_shop(shop)
    if email:
        customers = customers_with_email(shop=shop, email=email)
    if q:
        for word in q.split()[:5]:
            customers = customers.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(phone__icontains=word)
            )
    return customers


def access_customer(*, shop: Shop, customer_id: int) -> Customer:
    customer: Customer | None = Customer.objects.for_shop(shop).filter(pk=customer_id).first()
    if customer is None:
        raise Http404
    return customer
