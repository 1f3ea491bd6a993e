"""/api/v1/customers"""

from __future__ import annotations

from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import AuthorizationError

from balie.api.auth import principal
from balie.api.fields import SingleLineText
from balie.api.pagination import paginated
from balie.customers import selectors, services
from balie.customers.models import Customer
from balie.customers.schemas import CustomerIn, CustomerOut, CustomerPatch
from balie.tenancy.models import Role

router = Router(tags=["customers"])


@router.get("", response=list[CustomerOut], operation_id="customer_list")
@paginated
def customer_list(
    request: HttpRequest,
    q: Annotated[
        SingleLineText, Query("", max_length=200, description="Words in name, email or phone")
    ] = "",
    email: Annotated[
        SingleLineText, Query("", max_length=254, description="Exact email address")
    ] = "",
) -> QuerySet[Customer]:
    """The shop's customers, by name; `q` matches every word, `email` one address."""
    return selectors.customer_list(shop=principal(request).shop, q=q, email=email)


@router.get("{customer_id}", response=CustomerOut, operation_id="customer_get")
def customer_get(request: HttpRequest, customer_id: int) -> Customer:
    """One customer of the shop."""
    return selectors.access_customer(shop=principal(request).shop, customer_id=customer_id)


@router.post("", response={201: CustomerOut}, operation_id="customer_create")
def customer_create(request: HttpRequest, payload: CustomerIn) -> Status[Customer]:
    """A new customer with an email address or phone number. 409 when the address is taken."""
    who = principal(request)
    if not who.can(Role.AGENT):
        raise AuthorizationError(message="Viewers cannot create customers.")
    data = payload.model_dump()
    data["email"] = data["email"] or ""
    return Status(201, services.customer_create(shop=who.shop, **data))


@router.patch("{customer_id}", response=CustomerOut, operation_id="customer_update")
def customer_update(request: HttpRequest, customer_id: int, payload: CustomerPatch) -> Customer:
    """Change the fields sent; `email: null` removes the address if a phone number is left."""
    who = principal(request)
    customer = selectors.access_customer(shop=who.shop, customer_id=customer_id)
    if not who.can(Role.AGENT):
        raise AuthorizationError(message="Viewers cannot change customers.")
    changes = payload.model_dump(exclude_unset=True)
    if "email" in changes:
        changes["email"] = changes["email"] or ""  # null removes the address
    return services.customer_update(shop=who.shop, customer=customer, **changes)
