"""Balie's side of the ingest benchmark, run by `bench/inbox.py` in Balie's venv, one process per
step, against the database in DATABASE_URL (or the SQLite file under BALIE_VAR_DIR):

    balie_ingest.py setup --shop SLUG              one shop (after `balie migrate`)
    balie_ingest.py import MBOX --shop SLUG        the same arguments as `balie import_mbox`
    balie_ingest.py check --shop SLUG --truth F    what the database holds, as JSON

`import` is not what the benchmark times (that is `balie import_mbox` itself): it drives live
mail's path for comparison, message by message, the email channel's parser and then
`message_receive`, each message in its own transaction, as mailbox polling does. A message
that raises is counted and the import goes on.
"""

from __future__ import annotations

import argparse
import json
import mailbox
import os
import sys
import time
from collections import Counter, defaultdict

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.settings")
django.setup()

from django.db.models import Count  # noqa: E402  (Django is set up first)

from balie.channels.email.parser import parse_email  # noqa: E402
from balie.customers.models import Customer  # noqa: E402
from balie.inbox import services as inbox_services  # noqa: E402
from balie.inbox.models import Attachment, Conversation, Message  # noqa: E402
from balie.tenancy import services as tenancy_services  # noqa: E402
from balie.tenancy.models import Shop  # noqa: E402

FILE_TYPES = ("application/pdf", "image/jpeg", "image/png")


def setup(slug: str) -> None:
    tenancy_services.shop_create(
        name="Kookwinkel De Pollepel (benchmark)",
        slug=slug,
        support_email="klantenservice@pollepel.example",
    )


def ingest(path: str, slug: str) -> dict[str, object]:
    shop = Shop.objects.get(slug=slug)
    counts: Counter[str] = Counter()
    errors: list[str] = []
    parsing = 0.0  # of the total: where the time goes, for docs/benchmarks.md
    started = time.perf_counter()
    box = mailbox.mbox(path, create=False)
    for key in box.iterkeys():
        raw = box.get_bytes(key)
        try:
            before = time.perf_counter()
            inbound = parse_email(raw)
            parsing += time.perf_counter() - before
            received = inbox_services.message_receive(shop=shop, inbound=inbound)
        except Exception as error:  # one bad message must not stop the import
            counts["failed"] += 1
            errors.append(f"{type(error).__name__}: {error}"[:300])
            continue
        counts["stored" if received.created else "duplicate"] += 1
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "parse_seconds": parsing, **counts, "errors": errors[:10]}


def check(slug: str, truth_path: str) -> dict[str, object]:
    with open(truth_path, encoding="utf-8") as handle:
        thread_of: dict[str, int] = json.load(handle)["thread_of"]
    shop = Shop.objects.get(slug=slug)
    messages = Message.objects.for_shop(shop)
    rows = list(messages.values_list("external_id", "conversation_id"))
    conversations_of_thread: defaultdict[int, set[int]] = defaultdict(set)
    threads_of_conversation: defaultdict[int, set[int]] = defaultdict(set)
    for external_id, conversation_id in rows:
        if external_id in thread_of:
            conversations_of_thread[thread_of[external_id]].add(conversation_id)
            threads_of_conversation[conversation_id].add(thread_of[external_id])
    stored_ids = {external_id for external_id, _ in rows}
    attachments = Attachment.objects.for_shop(shop)
    return {
        "messages": len(rows),
        "distinct_ids": len(stored_ids),
        "unknown_ids": len(stored_ids - thread_of.keys()),
        "missing_ids": len(thread_of.keys() - stored_ids),
        "conversations": Conversation.objects.for_shop(shop).count(),
        "threads_split": sum(len(c) > 1 for c in conversations_of_thread.values()),
        "conversations_mixed": sum(len(t) > 1 for t in threads_of_conversation.values()),
        "customers": Customer.objects.for_shop(shop).count(),
        "automated": messages.filter(is_automated=True).count(),
        "with_parse_warnings": messages.exclude(parse_warnings=[]).count(),
        "file_attachments": attachments.filter(
            content_type__in=FILE_TYPES, rejected_reason=""
        ).count(),
        "attachments": attachments.count(),
        "attachments_rejected": attachments.exclude(rejected_reason="").count(),
        "largest_conversation": (
            Conversation.objects.for_shop(shop)
            .annotate(n=Count("messages"))
            .order_by("-n")
            .values_list("n", flat=True)
            .first()
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["setup", "import", "check"])
    parser.add_argument("mbox", nargs="?")
    parser.add_argument("--shop", required=True)
    parser.add_argument("--truth")
    args = parser.parse_args()
    if args.step == "setup":
        setup(args.shop)
    elif args.step == "import":
        print(json.dumps(ingest(args.mbox, args.shop)))
    else:
        print(json.dumps(check(args.shop, args.truth)))


if __name__ == "__main__":
    sys.exit(main())
