"""`balie import_mbox`: history in, threaded, nothing sent, nothing lost."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from pytest_django import Settings

from balie.channels.email.parser import parse_email
from balie.channels.email.tests.smtp_server import SmtpServer
from balie.channels.models import Mailbox
from balie.inbox import services
from balie.inbox.models import Conversation, DeliveryStatus, Direction, Message
from balie.tenancy.models import Shop

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def email(
    message_id: str,
    *,
    sender: str = "Jan de Boer <jan@example.nl>",
    to: str = "service@pollepel.nl",
    subject: str = "Waar is mijn pakket?",
    in_reply_to: str = "",
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{message_id}>"
    message["Date"] = "Mon, 23 Nov 2026 10:00:00 +0100"
    if in_reply_to:
        message["In-Reply-To"] = f"<{in_reply_to}>"
    message.set_content("Hoi, waar blijft bestelling NL100123?\n\nGroet")
    return message.as_bytes()


def write_mbox(path: Path, *messages: bytes) -> Path:
    box = mailbox.mbox(path)
    for raw in messages:
        box.add(raw)
    box.flush()
    box.close()
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_mbox", *args, stdout=out)
    return out.getvalue()


def test_it_imports_history_threaded_with_the_shops_own_mail_as_sent_and_sends_nothing(
    shop: Shop,
    smtp_mailbox: Mailbox,
    smtp_server: SmtpServer,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given a shared mailbox's history: a question, the shop's answer, the customer's reply,
    # another customer's question, and the first question delivered twice
    path = write_mbox(
        tmp_path / "historie.mbox",
        email("q1@example.nl"),
        email(
            "a1@pollepel.nl",
            sender="Klantenservice <service@pollepel.nl>",
            to="Jan de Boer <jan@example.nl>",
            subject="Re: Waar is mijn pakket?",
            in_reply_to="q1@example.nl",
        ),
        email("q2@example.nl", subject="Re: Waar is mijn pakket?", in_reply_to="a1@pollepel.nl"),
        email("q3@example.nl", sender="els@example.nl", subject="Retour"),
        email("q1@example.nl"),
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        output = run(str(path), "--shop", "pollepel")

    # then
    assert output.splitlines()[0].startswith("5 berichten gelezen in ")
    assert "4 opgeslagen, 1 dubbel, 0 geweigerd." in output
    conversations = Conversation.objects.for_shop(shop).order_by("pk")
    assert [c.messages.count() for c in conversations] == [3, 1]
    answer = Message.objects.for_shop(shop).get(external_id="a1@pollepel.nl")
    assert (answer.direction, answer.delivery_status) == (Direction.OUTBOUND, DeliveryStatus.SENT)
    assert conversations[0].first_responded_at is not None
    assert conversations[0].channel_account == "service@pollepel.nl"
    # history: no acknowledgement was queued or sent
    assert not DBTaskResult.objects.exists()
    assert smtp_server.received == []


def test_a_broken_message_in_the_middle_is_kept_and_the_rest_imported(
    shop: Shop, tmp_path: Path
) -> None:
    # given a damaged message (cut-off MIME, no headers to speak of) and one over the limit
    broken = (
        b'Subject: =?utf-8?B?kapot\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n'
        b"--x\r\nContent-Type: text/plain; charset=nonsense\r\n\r\n\xff\xfe half"
    )
    huge = email("groot@example.nl") + b"x" * (2 * 1024 * 1024)
    path = write_mbox(
        tmp_path / "mix.mbox", email("een@example.nl"), broken, huge, email("twee@example.nl")
    )

    # when
    output = run(str(path), "--shop", "pollepel", "--max-message-mb", "1")

    # then the damaged one is stored with what went wrong, the huge one kept aside
    assert "4 berichten gelezen" in output
    assert "3 opgeslagen, 0 dubbel, 1 geweigerd." in output
    stored = Message.objects.for_shop(shop)
    assert stored.count() == 3
    damaged = stored.exclude(external_id__in=["een@example.nl", "twee@example.nl"]).get()
    assert damaged.parse_warnings
    assert damaged.raw
    rejected = mailbox.mbox(tmp_path / "mix.mbox.rejected.mbox")
    assert [message["Message-ID"] for message in rejected] == ["<groot@example.nl>"]
    reasons = (tmp_path / "mix.mbox.rejected.txt").read_text().splitlines()
    [reason] = reasons
    assert reason.startswith("message 3: MessageTooLarge: 20974")
    assert reason.endswith("bytes; the limit is 1048576")
    assert "mix.mbox.rejected.mbox" in output


def test_a_dry_run_counts_and_stores_nothing(shop: Shop, tmp_path: Path) -> None:
    # given a file with a message that is already in the inbox and one twice
    path = write_mbox(
        tmp_path / "proef.mbox",
        email("al-binnen@example.nl"),
        email("nieuw@example.nl"),
        email("nieuw@example.nl"),
    )
    run(
        str(write_mbox(tmp_path / "eerder.mbox", email("al-binnen@example.nl"))),
        "--shop",
        "pollepel",
    )

    # when
    output = run(str(path), "--shop", "pollepel", "--dry-run")

    # then
    assert output.startswith("Proef: 3 berichten gelezen")
    assert "1 zouden worden opgeslagen, 2 dubbel, 0 geweigerd" in output
    assert Message.objects.for_shop(shop).count() == 1


def test_importing_the_same_file_again_stores_nothing_twice(shop: Shop, tmp_path: Path) -> None:
    # given
    path = write_mbox(tmp_path / "twee.mbox", email("x1@example.nl"), email("x2@example.nl"))
    run(str(path), "--shop", "pollepel")

    # when
    output = run(str(path), "--shop", "pollepel")

    # then
    assert "0 opgeslagen, 2 dubbel" in output
    assert Message.objects.for_shop(shop).count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/nergens/te/vinden.mbox", "--shop", "pollepel"], "Bestand niet gevonden"),
        (["{mbox}", "--shop", "bestaat-niet"], "Geen actieve winkel"),
    ],
)
def test_a_missing_file_or_unknown_shop_stops_with_exit_code_2(
    shop: Shop, tmp_path: Path, args: list[str], message: str
) -> None:
    # given
    mbox = write_mbox(tmp_path / "ok.mbox", email("ok@example.nl"))

    # when
    with pytest.raises(CommandError) as raised:
        run(*(arg.format(mbox=mbox) for arg in args))

    # then
    assert raised.value.returncode == 2
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_the_import_adds_no_queries_of_its_own_per_message(shop: Shop, tmp_path: Path) -> None:
    # given two batches of questions of one customer each, imported or received one by one
    def messages(prefix: str, count: int) -> list[bytes]:
        sender = f"{prefix}@example.nl"
        return [email(f"{prefix}-{n}@example.nl", sender=sender) for n in range(count)]

    def imported(prefix: str, count: int) -> int:
        path = write_mbox(tmp_path / f"{prefix}.mbox", *messages(prefix, count))
        with CaptureQueriesContext(connection) as captured:
            run(str(path), "--shop", "pollepel")
        return len(captured.captured_queries)

    def received(prefix: str, count: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            for raw in messages(prefix, count):
                services.message_receive(shop=shop, inbound=parse_email(raw), history=True)
        return len(captured.captured_queries)

    # when
    import_cost = imported("b", 20) - imported("a", 10)
    receive_cost = received("d", 20) - received("c", 10)

    # then ten more messages cost the import what they cost the intake path, nothing more
    assert import_cost <= receive_cost
