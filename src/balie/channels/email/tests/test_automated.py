from __future__ import annotations

import pytest

from balie.channels.email.automated import automated_reason


def _reason(
    headers: dict[str, str] | None = None,
    *,
    sender: str = "klant@voorbeeld.nl",
    subject: str = "Vraag",
    content_type: str = "text/plain",
) -> str:
    return automated_reason(
        headers=headers or {}, sender=sender, subject=subject, content_type=content_type
    )


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        (
            {"auto-submitted": "auto-replied"},
            "automatisch verzonden (Auto-Submitted: auto-replied)",
        ),
        (
            {"auto-submitted": "Auto-Generated; owner-email=x@y.nl"},
            "automatisch verzonden (Auto-Submitted: auto-generated)",
        ),
        ({"precedence": "bulk"}, "automatisch verzonden (Precedence: bulk)"),
        ({"precedence": "junk"}, "automatisch verzonden (Precedence: junk)"),
        ({"precedence": "list"}, "automatisch verzonden (Precedence: list)"),
        ({"precedence": "auto_reply"}, "automatisch verzonden (Precedence: auto_reply)"),
        ({"x-autoreply": "yes"}, "automatisch antwoord (X-Autoreply)"),
        ({"x-autorespond": ""}, "automatisch antwoord (X-Autorespond)"),
        (
            {"x-auto-response-suppress": "DR, OOF, AutoReply"},
            "automatisch verzonden (X-Auto-Response-Suppress)",
        ),
        ({"x-auto-response-suppress": "All"}, "automatisch verzonden (X-Auto-Response-Suppress)"),
        ({"list-id": "<nieuws.pollepel.nl>"}, "mailinglijst"),
        ({"list-unsubscribe": "<mailto:uit@pollepel.nl>"}, "mailinglijst"),
        ({"return-path": "<>"}, "automatisch verzonden (lege Return-Path)"),
    ],
)
def test_machine_headers_make_a_mail_automated(headers: dict[str, str], reason: str) -> None:
    # when / then
    assert _reason(headers) == reason


@pytest.mark.parametrize(
    "headers",
    [
        {"auto-submitted": "no"},
        {"precedence": "first-class"},
        {"x-auto-response-suppress": "DR, RN"},
        {"x-autoreply": "no"},
        {"return-path": "<klant@voorbeeld.nl>"},
    ],
)
def test_harmless_values_of_those_headers_do_not(headers: dict[str, str]) -> None:
    # when / then
    assert _reason(headers) == ""


@pytest.mark.parametrize(
    "sender",
    ["MAILER-DAEMON@mx.voorbeeld.nl", "MAILER-DAEMON", "postmaster@voorbeeld.nl", "noreply@bol.example",
     "no-reply+123@shop.example", "no_reply@x.nl", "do-not-reply@x.nl", "donotreply@x.nl"],
)  # fmt: skip
def test_machine_senders_make_a_mail_automated(sender: str) -> None:
    # when / then
    assert _reason(sender=sender).startswith("automatische afzender (")


def test_people_whose_name_starts_like_a_machine_are_not_automated() -> None:
    # when / then
    assert _reason(sender="noreen@voorbeeld.nl") == ""
    assert _reason(sender="postmaster-jan@voorbeeld.nl") == "automatische afzender (postmaster-jan)"


@pytest.mark.parametrize(
    "subject",
    [
        "Automatisch antwoord: Uw bestelling 1043",
        "Afwezig",
        "Afwezig: retour",
        "Afwezigheidsmelding",
        "Out of Office: Re: factuur",
        "Automatic reply: Order 55",
        "Abwesenheitsnotiz: Bestellung",
        "Réponse automatique : commande",
        "Undelivered Mail Returned to Sender",
        "Delivery Status Notification (Failure)",
        "Undeliverable: Vraag",
    ],
)
def test_machine_subjects_make_a_mail_automated(subject: str) -> None:
    # when / then
    assert _reason(subject=subject).startswith("automatisch bericht (onderwerp:")


@pytest.mark.parametrize(
    "subject",
    ["Afwezig bij bezorging, wat nu?", "Re: Automatisch antwoord klopt niet", "Out of stock?"],
)
def test_people_writing_about_absence_are_not_automated(subject: str) -> None:
    # when / then
    assert _reason(subject=subject) == ""


@pytest.mark.parametrize("content_type", ["multipart/report", "message/delivery-status"])
def test_a_delivery_report_is_automated_whatever_else_it_says(content_type: str) -> None:
    # when / then
    assert _reason(content_type=content_type) == f"bounce of afleverbericht ({content_type})"
