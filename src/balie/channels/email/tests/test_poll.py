"""Reading a mailbox into the inbox, against the real dovecot of `conftest.py`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.utils import timezone
from pytest_django import Settings

from balie.channels import tasks
from balie.channels.email import services
from balie.channels.email.tests.dovecot import DovecotServer
from balie.channels.models import Mailbox, RejectedEmail
from balie.core import scheduler
from balie.core.tests import corpora
from balie.inbox.models import Conversation, Message
from balie.tenancy.models import Shop

CORPUS = corpora.EMAILS


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def mailbox(shop: Shop, dovecot: DovecotServer) -> Mailbox:
    return Mailbox.objects.create(
        shop=shop,
        name="Klantenservice",
        email_address="service@pollepel.nl",
        imap_host=dovecot.host,
        imap_port=dovecot.port,
        imap_ssl=False,
        imap_username=dovecot.username,
        imap_password=dovecot.password,
    )


def email(
    message_id: str, subject: str, *, sender: str = "jan@example.nl", in_reply_to: str = ""
) -> bytes:
    message = EmailMessage()
    message["From"] = f"Jan de Boer <{sender}>"
    message["To"] = "service@pollepel.nl"
    message["Subject"] = subject
    message["Message-ID"] = f"<{message_id}>"
    message["Date"] = "Mon, 23 Nov 2026 10:00:00 +0100"
    if in_reply_to:
        message["In-Reply-To"] = f"<{in_reply_to}>"
    message.set_content("Hoi, waar blijft mijn bestelling NL100123?\n\nGroet, Jan")
    return message.as_bytes()


def test_new_mail_lands_once_in_the_right_threads(mailbox: Mailbox, dovecot: DovecotServer) -> None:
    # given two questions and a reply to the first
    uids = [
        dovecot.append(email("a@example.nl", "Waar is mijn pakket?")),
        dovecot.append(email("b@example.nl", "Retour", sender="els@example.nl")),
        dovecot.append(
            email("c@example.nl", "Re: Waar is mijn pakket?", in_reply_to="a@example.nl")
        ),
    ]

    # when the mailbox is read twice
    first = services.mailbox_poll(mailbox=mailbox)
    second = services.mailbox_poll(mailbox=mailbox)

    # then every message is stored once, threaded, and the position is saved
    assert (first.received, first.duplicates, first.rejected) == (3, 0, 0)
    assert second.received == 0
    assert Message.objects.for_shop(mailbox.shop).count() == 3
    assert Conversation.objects.for_shop(mailbox.shop).count() == 2
    mailbox.refresh_from_db()
    assert mailbox.last_uid == max(uids)
    assert mailbox.uidvalidity is not None
    assert mailbox.last_error == ""


def test_the_same_message_delivered_twice_is_stored_once(
    mailbox: Mailbox, dovecot: DovecotServer
) -> None:
    # given
    dovecot.append(email("twee@example.nl", "Dubbel"))
    dovecot.append(email("twee@example.nl", "Dubbel"))

    # when
    result = services.mailbox_poll(mailbox=mailbox)

    # then
    assert (result.received, result.duplicates) == (1, 1)
    assert Message.objects.for_shop(mailbox.shop).count() == 1


def test_a_wrong_password_is_recorded_on_the_mailbox_not_raised(
    mailbox: Mailbox, dovecot: DovecotServer
) -> None:
    # given
    mailbox.imap_password = "fout"  # a wrong password on purpose
    mailbox.save()

    # when
    result = services.mailbox_poll(mailbox=mailbox)

    # then
    mailbox.refresh_from_db()
    assert result.error_code == "imap_auth_failed"
    assert mailbox.last_error_code == "imap_auth_failed"
    assert mailbox.last_error
    assert mailbox.polling_until is None


def test_a_mailbox_being_read_by_another_worker_is_skipped(
    mailbox: Mailbox, dovecot: DovecotServer
) -> None:
    # given another poll holds the mailbox
    dovecot.append(email("bezet@example.nl", "Bezet"))
    Mailbox.objects.filter(pk=mailbox.pk).update(
        polling_until=timezone.now() + dt.timedelta(minutes=5)
    )

    # when
    result = services.mailbox_poll(mailbox=mailbox)

    # then nothing is read twice at the same time
    assert result.skipped
    assert Message.objects.for_shop(mailbox.shop).count() == 0


def test_every_hard_email_of_the_corpus_is_stored_or_kept_with_a_reason(
    mailbox: Mailbox, dovecot: DovecotServer
) -> None:
    # given the public corpus of malformed, bounced, encoded and odd emails
    corpora.require(CORPUS)
    files = sorted(path for path in CORPUS.iterdir() if path.suffix in {".eml", ".txt", ".msg"})
    uids = [dovecot.append(path.read_bytes()) for path in files]

    # when
    result = services.mailbox_poll(mailbox=mailbox)

    # then the poller got through all of them and lost none
    assert result.error_code == ""
    assert result.received + result.duplicates + result.rejected == len(files)
    assert RejectedEmail.objects.count() == result.rejected
    mailbox.refresh_from_db()
    assert mailbox.last_uid == max(uids)


def test_the_scheduled_job_queues_a_poll_per_active_mailbox_and_the_worker_reads_it(
    mailbox: Mailbox, dovecot: DovecotServer, run_tasks: Callable[[], int]
) -> None:
    # given an active and an inactive mailbox, and one new email
    Mailbox.objects.create(
        shop=mailbox.shop,
        name="Oud",
        email_address="oud@pollepel.nl",
        imap_host="127.0.0.1",
        imap_username="x",
        imap_password="x",
        is_active=False,
    )
    dovecot.append(email("taak@example.nl", "Via de worker"))

    # when the periodic job runs and the worker picks up what it queued
    queued = tasks.mailboxes_poll.call()
    ran = run_tasks()

    # then
    assert queued == 1
    assert ran == 1
    assert Message.objects.for_shop(mailbox.shop).filter(external_id="taak@example.nl").exists()


def test_the_mailbox_poll_is_a_registered_periodic_job() -> None:
    assert "balie.channels.tasks.mailboxes_poll" in [
        job.name for job in scheduler.registered_jobs()
    ]
