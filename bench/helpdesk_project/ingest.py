"""django-helpdesk 2.6.1's side of the ingest benchmark, run by `bench/inbox.py` in
`bench/.venv-helpdesk` with PYTHONPATH=bench and DJANGO_SETTINGS_MODULE=helpdesk_project.settings:

    ingest.py setup                 migrate, one Queue (as an admin would make it)
    ingest.py import MBOX           every message through helpdesk's own intake
    ingest.py check                 what the database holds, as JSON

`import` does per message what helpdesk's `get_email` command does for each mail it fetches
(`helpdesk.email.process_queue`, IMAP branch): `force_str(raw, errors="replace")`, then
`helpdesk.email.extract_email_metadata(message=…, queue=…, logger=…)`, which parses the mail,
finds or creates the ticket, stores the follow-up and attachments and renders the notification
mails. helpdesk's code is not changed. Where `get_email` would stop the whole queue run on an
unexpected exception, this counts the message as failed and goes on, so every message gets
its chance.
"""

from __future__ import annotations

import json
import logging
import mailbox
import sys
import time
from collections import Counter

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import encoding  # noqa: E402
from helpdesk import email as helpdesk_email  # noqa: E402
from helpdesk.exceptions import DeleteIgnoredTicketException, IgnoreTicketException  # noqa: E402
from helpdesk.models import FollowUp, FollowUpAttachment, Queue, Ticket  # noqa: E402

SLUG = "bench"


def setup() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    Queue.objects.create(
        title="Klantenservice",
        slug=SLUG,
        email_address="klantenservice@pollepel.example",
        allow_email_submission=True,
        email_box_type="local",
        email_box_local_dir="/nonexistent",  # the mails come from the mbox, not a directory
    )


def queue_logger(queue: Queue) -> logging.Logger:
    # As `process_email` sets it up for a queue without a logging type: logs go nowhere.
    logger = logging.getLogger("django.helpdesk.queue." + queue.slug)
    logger.handlers = []
    logger.propagate = False
    return logger


def ingest(path: str) -> dict[str, object]:
    queue = Queue.objects.get(slug=SLUG)
    logger = queue_logger(queue)
    counts: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    started = time.perf_counter()
    box = mailbox.mbox(path, create=False)
    for key in box.iterkeys():
        full_message = encoding.force_str(box.get_bytes(key), errors="replace")
        try:
            ticket = helpdesk_email.extract_email_metadata(
                message=full_message, queue=queue, logger=logger
            )
        except (IgnoreTicketException, DeleteIgnoredTicketException):
            counts["ignored"] += 1
        except Exception as error:  # counted: a figure of the benchmark
            counts["failed"] += 1
            errors[f"{type(error).__name__}: {str(error)[:160]}"] += 1
        else:
            counts["stored" if ticket else "not_stored"] += 1
    return {"seconds": time.perf_counter() - started, **counts, "errors": errors.most_common(8)}


def check() -> dict[str, object]:
    repeated = (
        FollowUp.objects.exclude(message_id__isnull=True)
        .exclude(message_id="")
        .values("message_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    return {
        "tickets": Ticket.objects.count(),
        "followups": FollowUp.objects.count(),
        "stored_twice": sum(row["n"] - 1 for row in repeated),
        "attachments": FollowUpAttachment.objects.count(),
    }


def main() -> None:
    step = sys.argv[1]
    if step == "setup":
        setup()
    elif step == "import":
        print(json.dumps(ingest(sys.argv[2])))
    else:
        print(json.dumps(check()))


if __name__ == "__main__":
    sys.exit(main())
