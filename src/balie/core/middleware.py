"""Keep Django's whole middleware chain in one thread under ASGI.

Balie's views and middleware are synchronous. Under ASGI Django builds async-capable
middleware in async mode until it meets a sync-only one, and an async `MiddlewareMixin` runs
each `process_request`/`process_response` through `sync_to_async`: some 30 thread hops per
request (4.6 ms for /healthz against 0.4 ms under WSGI). A sync-only middleware at the inner
end of the chain makes Django build every middleware in sync mode, so a request crosses from
the event loop to a thread once. Websockets (Channels) are not affected.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase


class SyncChainMiddleware:
    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)
