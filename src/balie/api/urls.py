"""One NinjaAPI assembling every app's router under /api/v1.

OpenAPI lives at /api/openapi.json and interactive docs at /api/docs.
"""

from __future__ import annotations

from ninja import NinjaAPI

from balie.api import problems
from balie.api.auth import AUTH
from balie.customers.api import router as customers_router
from balie.orders.api import products_router
from balie.orders.api import router as orders_router
from balie.tenancy.api import router as tenancy_router

api = NinjaAPI(
    title="Balie API",
    version="1",
    description=(
        "Balie's REST API. Authenticate with a shop's API key (`Authorization: Bearer balie_…`) "
        'or an agent\'s session. Lists return `{"items": [...], "count": N}`; errors are '
        "RFC 9457 problem JSON."
    ),
    auth=AUTH,
    urls_namespace="api",
)
problems.install(api)
api.add_router("/v1/", tenancy_router)
api.add_router("/v1/customers", customers_router)
api.add_router("/v1/orders", orders_router)
api.add_router("/v1/products", products_router)
