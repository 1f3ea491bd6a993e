"""`balie import_mbox`: history in, threaded, nothing sent, nothing lost."""

from __future__ import annotations

import mailbox
import tempfile
from email.message import EmailMessage
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_django import Settings

from balie.channels.email import mbox_import
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


def test_more_messages_in_a_batch_cost_no_more_queries(shop: Shop, tmp_path: Path) -> None:
    # given questions of three customers, in one batch each time
    def imported(prefix: str, count: int) -> int:
        path = write_mbox(
            tmp_path / f"{prefix}.mbox",
            *(email(f"{prefix}-{n}@example.nl", sender=f"{prefix}-{n % 3}@example.nl")
              for n in range(count)),
        )  # fmt: skip
        with CaptureQueriesContext(connection) as captured:
            run(str(path), "--shop", "pollepel", "--jobs", "0")
        return len(captured.captured_queries)

    imported("warm", 3)  # the shop's inbox settings are read once, then cached

    # when / then
    assert imported("b", 60) == imported("a", 6)


def test_the_stored_files_are_the_stored_messages_files(
    shop: Shop, tmp_path: Path, settings: Settings
) -> None:
    # given a file with a repeat, a message with an attachment and a refused one
    with_file = EmailMessage()
    with_file["From"], with_file["Message-ID"] = "fien@example.nl", "<f1@example.nl>"
    with_file.set_content("De bon zit erbij.")
    with_file.add_attachment(
        b"%PDF-1.4 bon", maintype="application", subtype="pdf", filename="bon.pdf"
    )
    path = write_mbox(
        tmp_path / "bestanden.mbox",
        email("een@example.nl"),
        email("een@example.nl"),
        with_file.as_bytes(),
        email("groot@example.nl") + b"x" * (2 * 1024 * 1024),
    )

    # when
    output = run(str(path), "--shop", "pollepel", "--max-message-mb", "1")

    # then every file in storage belongs to a stored message, and each stored file is there
    assert "2 opgeslagen, 1 dubbel, 1 geweigerd." in output
    media = Path(settings.MEDIA_ROOT)
    on_disk = {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}
    named = {m.raw.name for m in Message.objects.for_shop(shop)} | {
        a.file.name for m in Message.objects.for_shop(shop) for a in m.attachments.all()
    }
    assert on_disk == named
    assert len(named) == 3


def test_a_batch_that_fails_is_stored_message_by_message(
    shop: Shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a batch path that loses a race with live mail (the database refuses its rows)
    def raced(**kwargs: object) -> list[bool]:
        raise IntegrityError("UNIQUE constraint failed: customers_customeridentity")

    monkeypatch.setattr(services, "messages_import", raced)
    path = write_mbox(
        tmp_path / "race.mbox",
        email("r1@example.nl"),
        email("r2@example.nl", in_reply_to="r1@example.nl"),
        email("r1@example.nl"),
    )

    # when
    output = run(str(path), "--shop", "pollepel")

    # then the intake path stored them one by one, threaded as ever
    assert "2 opgeslagen, 1 dubbel, 0 geweigerd." in output
    (conversation,) = Conversation.objects.for_shop(shop)
    assert conversation.messages.count() == 2


@pytest.mark.parametrize("jobs", [1, 2])
def test_parse_workers_give_what_this_process_gives(tmp_path: Path, jobs: int) -> None:
    # given
    raws = [email(f"w{n}@example.nl") for n in range(7)] + [b"\xff kapot", b"x" * 2_000]
    parsing = mbox_import.Parsing(limit=1_000, shop_id=None)

    # when
    here = list(mbox_import._parsed(iter([raws[:4], raws[4:]]), jobs=0, parsing=parsing))
    workers = list(mbox_import._parsed(iter([raws[:4], raws[4:]]), jobs=jobs, parsing=parsing))

    # then (a refusal is an exception, which compares by identity: compared by its text)
    def comparable(batches: list[mbox_import.Parsed]) -> list[object]:
        return [(raw, str(parsed) if isinstance(parsed, Exception) else parsed)
                for batch in batches for raw, parsed in batch]  # fmt: skip

    assert comparable(workers) == comparable(here)
    assert isinstance(here[-1][-1][1], mbox_import.MessageTooLarge)
    assert here[0][0][1].inbound.raw == raws[0]  # type: ignore[union-attr]  # given back its bytes


_LINES = st.sampled_from(
    [b"From a@b Mon Nov 23 10:00:00 2026\n", b"\n", b"tekst\n", b">From x\n", b"\r\n",
     b"From ", b"geen regeleinde", b"From x\r\n", b"\n\n"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=14))
def test_the_mbox_is_split_as_pythons_mailbox_splits_it(lines: list[bytes]) -> None:
    # given
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.mbox"
        path.write_bytes(b"".join(lines))
        box = mailbox.mbox(path, create=False)
        expected = [box.get_bytes(key) for key in box.iterkeys()]
        box.close()

        # when
        split = list(mbox_import._messages(path))

    # then
    assert split == expected
