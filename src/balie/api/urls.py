"""One NinjaAPI assembling every app's router under /api/v1.

OpenAPI lives at /api/openapi.json and interactive docs at /api/docs. The docs page is
Swagger UI as bundled in the django-ninja wheel (served from our own static files, because
"ninja" is in INSTALLED_APPS), so it works without internet and no third-party code is
committed.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, path
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import OpenAPISchema

from balie.api import problems
from balie.api.auth import AUTH
from balie.assistant.api import router as assistant_router
from balie.customers.api import router as customers_router
from balie.inbox.api import (
    attachments_router,
    conversations_router,
    macros_router,
    tags_router,
)
from balie.knowledge.api import router as knowledge_router
from balie.orders.api import products_router
from balie.orders.api import router as orders_router
from balie.tenancy.api import router as tenancy_router
from balie.webhooks.api import router as webhooks_router


class BalieAPI(NinjaAPI):
    """NinjaAPI whose every answer under /api/, also 404 and 405, is problem JSON."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns: list[Any] = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = problems.wrap_view(pattern.callback)
        # Last, so it only catches what no operation matched.
        patterns.append(path("<path:unmatched_path>", problems.unknown_path, name="unknown"))
        return patterns

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """ninja's schema plus the problem JSON every operation may answer with."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        problem = problems.Problem.model_json_schema(
            ref_template="#/components/schemas/{model}", by_alias=True
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(problem.pop("$defs", {}))
        components["Problem"] = problem
        error_response = {
            "description": "An error as RFC 9457 problem JSON",
            "content": {
                problems.PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                operation["responses"].setdefault("default", error_response)
        return schema


api = BalieAPI(
    title="Balie API",
    version="1",
    description=(
        "Balie's REST API. Authenticate with a shop's API key (`Authorization: Bearer balie_…`) "
        'or an agent\'s session. Lists return `{"items": [...], "count": N}`; errors are '
        "RFC 9457 problem JSON (`application/problem+json`)."
    ),
    auth=AUTH,
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False}),
)
problems.install(api)
api.add_router("/v1/", tenancy_router)
api.add_router("/v1/customers", customers_router)
api.add_router("/v1/orders", orders_router)
api.add_router("/v1/products", products_router)
api.add_router("/v1/conversations", conversations_router)
api.add_router("/v1/attachments", attachments_router)
api.add_router("/v1/tags", tags_router)
api.add_router("/v1/macros", macros_router)
api.add_router("/v1/webhooks", webhooks_router)
api.add_router("/v1/assistant", assistant_router)
api.add_router("/v1/knowledge", knowledge_router)
