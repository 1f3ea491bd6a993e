"""Importing a mailbox's history from an mbox file (`balie import_mbox`).

Each message is parsed like polled mail (`parse_email`) and stored as history, a batch
(`batch_size`) at a time, through `inbox.services.messages_import`: the rows and threading
rules of the one intake path (`message_receive(history=True)`), looked up and written per
batch. An import is the past, so it never sends anything (no acknowledgement, no survey).
Mail from the shop's own addresses becomes the shop's outbound messages, so a shared
mailbox's sent folder threads with its inbox. A batch that cannot be stored whole (a race
with live mail) is stored message by message through `message_receive`. Importing the same
file again stores nothing twice (the Message-ID decides).

The file is memory-mapped and split where lines start with "From " (as `mailbox.mbox` splits
it), one message at a time, so memory does not grow with the file. Parsing, writing each
original and attachment to storage and preparing the rows' text run in worker processes
(`jobs`, default one per core; `Parsing`) while the main process stores an earlier batch;
the order of the messages is kept (a reply is stored after what it answers). After the
import, agents' open inbox tabs are told once to refresh.

A message that cannot be stored is not lost: its bytes go to `<PATH>.rejected.mbox` (an mbox
again, so it can be imported once the cause is fixed) and the reason, one line per message,
to `<PATH>.rejected.txt`. Files beside the input, not database rows: `RejectedEmail` belongs
to a polled mailbox and an IMAP UID, which an import has neither, and whoever runs the import
is the one who looks at what it refused.
"""

from __future__ import annotations

import dataclasses
import logging
import mailbox
import mmap
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from pathlib import Path

import django
from django.db import connections, transaction

from balie.channels import selectors
from balie.channels.email import services as email_services
from balie.channels.email.parser import parse_email
from balie.channels.models import Mailbox
from balie.inbox import services as inbox_services
from balie.inbox.inbound import InboundMessage
from balie.inbox.models import Message
from balie.tenancy.models import Shop
from balie.web import realtime

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
MESSAGE_MAX_BYTES = 50 * 1024 * 1024
# Messages per task handed to a parsing process: enough to make the hand-over cheap.
PARSE_CHUNK = 25
# Batches parsed ahead of the one being stored: with one, workers that finish early wait for
# the storing process (and it for them on the next batch); two keep both sides busy.
PARSE_AHEAD = 2
# PostgreSQL plans with table statistics that a big import outdates at once (a fresh
# database's plans assume empty tables: a lookup by Message-ID then scans every message);
# the import refreshes them after this many stored messages, and again at four times that.
ANALYZE_FIRST = 1_000
_ANALYZE_AT = (ANALYZE_FIRST, 4 * ANALYZE_FIRST)
_ANALYZED_TABLES = (
    "inbox_message",
    "inbox_conversation",
    "customers_customer",
    "customers_customeridentity",
)


class MessageTooLarge(ValueError):
    pass


def default_jobs() -> int:
    """Parsing processes: one per core, at most four. The storing process waits on them
    part of the time, so on two cores two parsers keep both busy (measured: one parser
    leaves the storing process waiting for it half the import)."""
    return max(1, min(os.cpu_count() or 1, 4))


@dataclasses.dataclass
class ImportResult:
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    seconds: float = 0.0
    rejected_path: Path | None = None
    reasons_path: Path | None = None

    @property
    def rate(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0


def default_account(*, shop: Shop) -> str:
    """The address imported mail counts as received at: the shop's first active mailbox,
    else the support address it publishes."""
    first = (
        Mailbox.objects.for_shop(shop)
        .filter(is_active=True)
        .order_by("name", "pk")
        .values_list("email_address", flat=True)
        .first()
    )
    return (first or shop.support_email or "").lower()


def mbox_import(
    *,
    shop: Shop,
    path: Path,
    account: str = "",
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    max_message_bytes: int = MESSAGE_MAX_BYTES,
    jobs: int = 0,
) -> ImportResult:
    """Store every message of the mbox at `path` in `shop`'s inbox; see the module doc.
    With `dry_run` everything is parsed and counted, nothing is written. `jobs` worker
    processes parse (0: this process does; `balie import_mbox` uses `default_jobs()`)."""
    started = time.monotonic()
    account = (account or default_account(shop=shop)).lower()
    own = selectors.shop_addresses(shop=shop) | ({account} if account else set())
    result = ImportResult()
    rejected = _Rejected(path, dry_run=dry_run)
    seen: set[str] = set()
    try:
        batches = _batches(_messages(path), batch_size)
        ahead = not dry_run and (jobs <= 0 or _forks())
        parsing = Parsing(limit=max_message_bytes, shop_id=shop.pk if ahead else None)
        for batch in _parsed(batches, jobs=jobs, parsing=parsing):
            ready = []
            for raw, parsed in batch:
                result.read += 1
                read = _received(
                    number=result.read, raw=raw, parsed=parsed, account=account, own=own,
                    result=result, rejected=rejected,
                )  # fmt: skip
                if read is not None:
                    ready.append((result.read, raw, read))
            if dry_run:
                _count_only(ready, result=result, seen=seen)
            else:
                before = result.stored
                _store(shop=shop, ready=ready, result=result, rejected=rejected)
                if any(before < mark <= result.stored for mark in _ANALYZE_AT):
                    _analyze()
        if dry_run:
            already = _already_stored(shop=shop, external_ids=seen)
            result.duplicates += already
            result.stored -= already
    finally:
        rejected.close()
    result.seconds = time.monotonic() - started
    result.rejected_path, result.reasons_path = rejected.paths if result.rejected else (None, None)
    if result.stored and not dry_run:
        # One refresh for the agents' open tabs instead of a live update per old message.
        with transaction.atomic():
            realtime.publish_on_commit(
                shop_id=shop.pk, payload={"type": "conversations.imported", "count": result.stored}
            )
    return result


def _analyze() -> None:
    if connections["default"].vendor != "postgresql":
        return  # SQLite plans by its indexes, not by row counts
    with connections["default"].cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(_ANALYZED_TABLES))


@dataclasses.dataclass(frozen=True)
class Parsing:
    """How a worker treats each message: refused above `limit` bytes; with `shop_id`, its
    original and attachments are written to storage right away (`intake.files_store_ahead`)
    so their bytes need not travel back to the storing process. Only this process and its
    forks do that: a fresh interpreter reads the settings from the environment, not from
    this process (a test's MEDIA_ROOT), so it could write them elsewhere."""

    limit: int
    shop_id: int | None


@dataclasses.dataclass(frozen=True)
class Read:
    """One message as a worker read it: as the intake takes it, and what its row holds that
    depends on it alone (`inbox.services.prepare`; None in a dry run, which stores nothing)."""

    inbound: InboundMessage
    prepared: inbox_services.Prepared | None


def parse_for_import(raw: bytes, *, parsing: Parsing) -> Read | MessageTooLarge:
    """One message read, or why it is refused (runs in a worker process)."""
    if len(raw) > parsing.limit:
        return MessageTooLarge(f"{len(raw)} bytes; the limit is {parsing.limit}")
    parsed = parse_email(raw)
    if parsing.shop_id is None:
        # The original goes back without its bytes: the storing process has them already.
        return Read(dataclasses.replace(parsed, raw=None), prepared=None)
    prepared = inbox_services.prepare(parsed)
    prepared.document  # noqa: B018  (made here, in the worker, and sent along)
    return Read(inbox_services.files_store_ahead(parsed, shop_id=parsing.shop_id), prepared)


def _with_raw(raw: bytes, read: Read | MessageTooLarge) -> Read | MessageTooLarge:
    """The message with its original again, unless that is in storage already."""
    if isinstance(read, Read) and not read.inbound.raw_stored_as:
        return dataclasses.replace(read, inbound=dataclasses.replace(read.inbound, raw=raw))
    return read


def _forks() -> bool:
    """Whether parse workers are forks of this process: on Linux, in a process of one
    thread (as `balie import_mbox` is). Elsewhere (macOS forks badly; a fork of a threaded
    process may deadlock) they are fresh interpreters."""
    # The kernel's count: threads started outside `threading` (execnet's, say) count too.
    return sys.platform == "linux" and len(os.listdir("/proc/self/task")) == 1


def _parse_chunk(raws: list[bytes], parsing: Parsing) -> list[Read | MessageTooLarge]:
    return [parse_for_import(raw, parsing=parsing) for raw in raws]


Parsed = list[tuple[bytes, Read | MessageTooLarge]]


def _parsed(batches: Iterator[list[bytes]], *, jobs: int, parsing: Parsing) -> Iterator[Parsed]:
    """The batches with each message parsed, in order. With workers, the next batches
    (`PARSE_AHEAD`) are parsed while the caller stores this one."""
    if jobs <= 0:
        for batch in batches:
            yield [(raw, _with_raw(raw, parse_for_import(raw, parsing=parsing))) for raw in batch]
        return
    # Forks have Django set up and the modules imported (a fresh interpreter spends 1.4 s of
    # CPU on that, each). They only parse and write files: they never use the database
    # connections they inherit, and multiprocessing ends them with os._exit, so nothing of
    # those connections is closed or sent from a child.
    fork = _forks()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=None if fork else django.setup
    ) as pool:
        pending: deque[tuple[list[bytes], list[Future[list[Read | MessageTooLarge]]]]]
        pending = deque()
        for batch in batches:
            submitted = [
                pool.submit(partial(_parse_chunk, parsing=parsing), batch[i : i + PARSE_CHUNK])
                for i in range(0, len(batch), PARSE_CHUNK)
            ]
            pending.append((batch, submitted))
            if len(pending) > PARSE_AHEAD:
                yield _collected(*pending.popleft())
        while pending:
            yield _collected(*pending.popleft())


def _collected(batch: list[bytes], futures: list[Future[list[Read | MessageTooLarge]]]) -> Parsed:
    results = [item for future in futures for item in future.result()]
    return [(raw, _with_raw(raw, parsed)) for raw, parsed in zip(batch, results, strict=True)]


Ready = list[tuple[int, bytes, Read]]  # (number in the file, bytes, message)


def _received(
    *,
    number: int,
    raw: bytes,
    parsed: Read | MessageTooLarge,
    account: str,
    own: frozenset[str],
    result: ImportResult,
    rejected: _Rejected,
) -> Read | None:
    """The message as the inbox takes it, or None when it is refused (and kept aside)."""
    try:
        if isinstance(parsed, MessageTooLarge):
            raise parsed
        inbound = email_services.as_received(parsed.inbound, account=account, own_addresses=own)
    except Exception as error:  # one bad message must not stop the import
        if isinstance(parsed, Read):
            inbox_services.files_remove(inbox_services.files_stored_ahead(parsed.inbound))
        _refuse(number=number, raw=raw, error=error, result=result, rejected=rejected)
        return None
    return dataclasses.replace(parsed, inbound=inbound)


def _count_only(ready: Ready, *, result: ImportResult, seen: set[str]) -> None:
    for _number, _raw, read in ready:
        external_id = inbox_services.normalize_external_id(read.inbound.external_id)
        if external_id in seen:
            result.duplicates += 1
        else:
            seen.add(external_id)
            result.stored += 1


def _store(*, shop: Shop, ready: Ready, result: ImportResult, rejected: _Rejected) -> None:
    """The batch in one go (`messages_import`); if that fails, one message at a time
    through `message_receive`, so only the message at fault is refused. The files a worker
    wrote ahead for a message that is not stored (a repeat, a refusal) are removed."""
    created: list[bool | None]  # per message: stored, a repeat, or None: refused
    try:
        with transaction.atomic():
            prepared = [read.prepared for _n, _r, read in ready if read.prepared is not None]
            created = list(
                inbox_services.messages_import(
                    shop=shop,
                    inbounds=[read.inbound for _number, _raw, read in ready],
                    prepared=prepared if len(prepared) == len(ready) else None,
                )
            )
    except Exception:  # a race with live mail or one refused row: find it message by message
        logger.warning("mbox batch stored one message at a time", exc_info=True)
        created = []
        with transaction.atomic():
            for number, raw, read in ready:
                try:
                    received = inbox_services.message_receive(
                        shop=shop, inbound=read.inbound, history=True
                    )
                except Exception as error:  # one bad message must not stop the import
                    _refuse(number=number, raw=raw, error=error, result=result, rejected=rejected)
                    created.append(None)
                    continue
                created.append(received.created)
    for (_number, _raw, read), was_created in zip(ready, created, strict=True):
        if was_created is not None:
            _count(result, created=was_created)
        if not was_created:
            inbox_services.files_remove(inbox_services.files_stored_ahead(read.inbound))


def _count(result: ImportResult, *, created: bool) -> None:
    if created:
        result.stored += 1
    else:
        result.duplicates += 1


def _refuse(
    *, number: int, raw: bytes, error: Exception, result: ImportResult, rejected: _Rejected
) -> None:
    logger.warning("mbox message rejected", extra={"number": number}, exc_info=error)
    rejected.add(number=number, raw=raw, reason=f"{type(error).__name__}: {error}")
    result.rejected += 1


def _messages(path: Path) -> Iterator[bytes]:
    """Each message's bytes, as `mailbox.mbox(path).get_bytes` gives them (the "From " line
    left off, the blank line before the next one too), found with one scan of a memory map
    instead of `mailbox`'s line-by-line reading (2 s for 143 MB, a sixth of an import)."""
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            starts = list(_from_lines(data))
            stops = [*starts[1:], len(data)] if starts else []
            for start, stop in zip(starts, stops, strict=True):
                body = data.find(b"\n", start, stop) + 1 or stop
                # A blank last line separates it from the next message (the "From " line's
                # own line break may be the one before it).
                if stop - 1 >= body and data[stop - 2 : stop] == b"\n\n":
                    stop -= 1
                yield data[body:stop]


def _from_lines(data: mmap.mmap) -> Iterator[int]:
    """Where each line that starts with "From " starts (bytes.find: a fast scan)."""
    if data[:5] == b"From ":
        yield 0
    found = data.find(b"\nFrom ")
    while found >= 0:
        yield found + 1
        found = data.find(b"\nFrom ", found + 1)


def _batches(messages: Iterator[bytes], size: int) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    for raw in messages:
        batch.append(raw)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _already_stored(*, shop: Shop, external_ids: set[str]) -> int:
    ids = list(external_ids)
    found = 0
    for start in range(0, len(ids), 500):
        found += (
            Message.objects.for_shop(shop)
            .filter(channel="email", external_id__in=ids[start : start + 500])
            .count()
        )
    return found


class _Rejected:
    """Refused messages and their reasons, in files beside the input, opened on first use."""

    def __init__(self, path: Path, *, dry_run: bool) -> None:
        self.paths = (
            path.with_name(path.name + ".rejected.mbox"),
            path.with_name(path.name + ".rejected.txt"),
        )
        self.dry_run = dry_run
        self._box: mailbox.mbox | None = None

    def add(self, *, number: int, raw: bytes, reason: str) -> None:
        if self.dry_run:
            return
        if self._box is None:
            self._box = mailbox.mbox(self.paths[0])
        self._box.add(raw)
        line = " ".join(reason.split())[:1000]
        with self.paths[1].open("a", encoding="utf-8") as reasons:
            reasons.write(f"message {number}: {line}\n")

    def close(self) -> None:
        if self._box is not None:
            self._box.flush()
            self._box.close()
