"""Static files over ASGI: WhiteNoise, streaming from disk without blocking the event loop.

WhiteNoise (6.x) is synchronous: its file responses iterate the file synchronously, and
Django's ASGI handler then reads the whole file into memory in a thread, warning on every
request. Under ASGI this middleware hands Django an asynchronous iterator that reads the file
in chunks in a worker thread instead. Under WSGI (and the test client) nothing changes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import IO

from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponseBase
from whitenoise.middleware import (  # type: ignore[import-untyped]  # no stubs exist
    WhiteNoiseFileResponse,
)
from whitenoise.middleware import WhiteNoiseMiddleware as BaseWhiteNoiseMiddleware


class WhiteNoiseMiddleware(BaseWhiteNoiseMiddleware):  # type: ignore[misc]  # base is untyped
    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase = super().__call__(request)
        if isinstance(request, ASGIRequest) and isinstance(response, WhiteNoiseFileResponse):
            file = response.file_to_stream
            if file is not None:
                # The file stays registered in the response's closers: Django closes it.
                response.streaming_content = _read_in_chunks(file, response.block_size)
        return response


async def _read_in_chunks(file: IO[bytes], size: int) -> AsyncIterator[bytes]:
    while chunk := await asyncio.to_thread(file.read, size):
        yield chunk
