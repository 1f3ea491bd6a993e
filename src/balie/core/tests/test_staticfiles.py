from __future__ import annotations

import warnings
from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import AsyncClient, Client
from pytest_django.fixtures import Settings


def serve_from_finders(settings: Settings) -> None:
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


async def test_static_files_stream_asynchronously_under_asgi(settings: Settings) -> None:
    # given
    serve_from_finders(settings)
    on_disk = finders.find("admin/css/base.css")

    # when: Django warns when it has to buffer a synchronous body under ASGI
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        response = await AsyncClient().get("/static/admin/css/base.css")
        body = b"".join([chunk async for chunk in response.streaming_content])
    response.close()  # as the ASGI handler does after sending; closes the file

    # then
    assert response.status_code == 200
    assert response.is_async
    assert body == Path(on_disk).read_bytes()


def test_static_files_still_work_under_wsgi(settings: Settings) -> None:
    # given
    serve_from_finders(settings)

    # when
    response = Client().get("/static/admin/css/base.css")

    # then
    assert response.status_code == 200
    assert not response.is_async
    assert b"body" in b"".join(response.streaming_content)
