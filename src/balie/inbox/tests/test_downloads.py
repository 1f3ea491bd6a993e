"""Attachments are served as downloads only, whatever the customer sent."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from balie.inbox import downloads
from balie.inbox.models import Attachment
from balie.inbox.tests.factories import MessageFactory
from balie.tenancy.models import Shop

pytestmark = pytest.mark.django_db


def _attachment(shop: Shop, *, filename: str, content_type: str, content: bytes) -> Attachment:
    attachment = Attachment(
        shop=shop,
        message=MessageFactory(conversation__shop=shop),
        filename=filename,
        content_type=content_type,
        size=len(content),
    )
    attachment.file.save("attachment", ContentFile(content), save=True)
    return attachment


def test_a_pdf_downloads_with_every_safeguard_header(api_client: Client, shop: Shop) -> None:
    # given
    attachment = _attachment(
        shop, filename="factuur 2026.pdf", content_type="application/pdf", content=b"%PDF-1.7"
    )

    # when
    response = api_client.get(f"/api/v1/attachments/{attachment.pk}/download")

    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7"  # type: ignore[attr-defined]
    response.close()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="factuur 2026.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        ("bestelling.html", "text/html"),
        ("logo.svg", "image/svg+xml"),
        ("data.xml", "application/xml"),
        ("script.js", "application/javascript"),
        ("onschuldig.txt", "text/html; charset=utf-8"),
        ("plaatje.png", "image/svg+xml"),
        ("pagina.htm", "text/plain"),
    ],
)
def test_anything_a_browser_could_run_is_sent_as_octet_stream(
    api_client: Client, shop: Shop, filename: str, content_type: str
) -> None:
    # given
    attachment = _attachment(
        shop, filename=filename, content_type=content_type, content=b"<script>alert(1)</script>"
    )

    # when
    response = api_client.get(f"/api/v1/attachments/{attachment.pk}/download")

    # then
    response.close()
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("filename", "header"),
    [
        ("bon.pdf", 'attachment; filename="bon.pdf"'),
        (
            "Factuur één.pdf",
            "attachment; filename=\"Factuur een.pdf\"; filename*=UTF-8''Factuur%20%C3%A9%C3%A9n.pdf",
        ),
        (
            "日本語.pdf",
            "attachment; filename=\"bijlage.pdf\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E.pdf",
        ),
        (
            'a"b\\c;d%.txt',
            "attachment; filename=\"a_b_c_d_.txt\"; filename*=UTF-8''a%22b%5Cc%3Bd%25.txt",
        ),
        ("regel\r\nX-Evil: 1.txt", 'attachment; filename="regelX-Evil: 1.txt"'),
        ("", 'attachment; filename="bijlage"'),
    ],
)
def test_the_filename_is_encoded_for_old_and_new_clients(filename: str, header: str) -> None:
    assert downloads.content_disposition(filename) == header


def test_a_refused_attachment_is_a_404_with_the_reason(api_client: Client, shop: Shop) -> None:
    # given
    refused = Attachment.objects.create(
        shop=shop,
        message=MessageFactory(conversation__shop=shop),
        filename="groot.zip",
        content_type="application/zip",
        size=30_000_000,
        rejected_reason="too large: 30000000 bytes",
    )

    # when
    response = api_client.get(f"/api/v1/attachments/{refused.pk}/download")

    # then
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "attachment_unavailable"
    assert "too large" in response.json()["detail"]


def test_a_file_gone_from_storage_is_a_404(api_client: Client, shop: Shop) -> None:
    # given
    attachment = _attachment(shop, filename="a.txt", content_type="text/plain", content=b"a")
    attachment.file.storage.delete(attachment.file.name)

    # when
    response = api_client.get(f"/api/v1/attachments/{attachment.pk}/download")

    # then
    assert (response.status_code, response.json()["code"]) == (404, "attachment_unavailable")


def test_another_shops_attachment_is_not_found(api_client: Client, other_shop: Shop) -> None:
    # given
    theirs = _attachment(other_shop, filename="a.txt", content_type="text/plain", content=b"a")

    # when
    response = api_client.get(f"/api/v1/attachments/{theirs.pk}/download")

    # then
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
