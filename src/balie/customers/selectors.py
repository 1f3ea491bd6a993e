"""Reads for customers."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from balie.customers.models import Customer
from balie.tenancy.models import Shop


def customer_list(*, shop: Shop, q: str = "", email: str = "") -> QuerySet[Customer]:
    customers = Customer.objects.for_shop(shop)
    if email:
        customers = customers.filter(email__iexact=email.strip())
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
