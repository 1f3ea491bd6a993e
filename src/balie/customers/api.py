"""/api/v1/customers"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.errors import AuthorizationError
from ninja.pagination import paginate

from balie.api.auth import principal
from balie.api.pagination import LimitOffset
from balie.customers import selectors, services
from balie.customers.models import Customer
from balie.customers.schemas import CustomerIn, CustomerOut
from balie.tenancy.models import Role

router = Router(tags=["customers"])


@router.get("", response=list[CustomerOut], operation_id="customer_list")
@paginate(LimitOffset)
def customer_list(request: HttpRequest, q: str = "", email: str = ""):  # type: ignore[no-untyped-def]
    return selectors.customer_list(shop=principal(request).shop, q=q, email=email)


@router.get("{customer_id}", response=CustomerOut, operation_id="customer_get")
def customer_get(request: HttpRequest, customer_id: int) -> Customer:
    return selectors.access_customer(shop=principal(request).shop, customer_id=customer_id)


@router.post("", response={201: CustomerOut}, operation_id="customer_create")
def customer_create(request: HttpRequest, payload: CustomerIn) -> tuple[int, Customer]:
    who = principal(request)
    if not who.can(Role.AGENT):
        raise AuthorizationError("Viewers cannot create customers.")
    data = payload.model_dump()
    data["email"] = data["email"] or ""
    return 201, services.customer_create(shop=who.shop, **data)
