"""A URLconf for tests only: the real API plus a second API, with the same problem handlers,
whose one operation fails unexpectedly, to see what a client gets from a bug."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import path

from balie.api import problems
from balie.api.urls import BalieAPI, api

broken_api = BalieAPI(title="Broken", urls_namespace="broken-api", auth=None, docs_url=None)
problems.install(broken_api)

SECRET = "db-password-hunter2"


@broken_api.get("/boom", operation_id="boom")
def boom(request: HttpRequest) -> dict[str, str]:
    raise RuntimeError(f"a bug whose message holds a secret: {SECRET}")


urlpatterns = [
    path("api/", api.urls),
    path("broken/", broken_api.urls),
]
