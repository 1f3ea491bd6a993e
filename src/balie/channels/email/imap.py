"""Fetching new mail from one IMAP folder by UID, resumable after any failure.

The poller keeps `FetchState(uidvalidity, last_uid)` per mailbox and runs:

    with imap.open_folder(config, state) as folder:
        save(folder.state)                  # a new UIDVALIDITY starts at last_uid 0
        for message in folder.new_messages():
            store(message.raw)              # the inbox is idempotent on Message-ID
            folder.advance(message.uid)
            save(folder.state)

`last_uid` only moves when the caller says a message is stored, so a connection cut anywhere
loses nothing: the next fetch starts after the last stored UID and at worst fetches the message
that was being stored again. When the server's UIDVALIDITY differs from the saved one, the UIDs
mean other messages now: the fetch starts over from UID 0 and `folder.restarted` says so.

Read-only by construction: the folder is opened with EXAMINE and bodies are fetched with
BODY.PEEK[], so flags such as \\Seen stay as they were and nothing is ever deleted or expunged.
Memory stays bounded: messages come in batches of at most `batch_size` messages and about
`max_batch_bytes` (a larger single message comes alone).

Every failure reaches the caller as a `MailboxError` with a machine code and a Dutch message.
"""

from __future__ import annotations

import base64
import contextlib
import enum
import imaplib
import logging
import re
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from balie.core.errors import DomainError

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
MAX_BATCH_BYTES = 16 * 1024 * 1024
# UIDs listed per `UID FETCH a:b (RFC822.SIZE)`: bounds one response for huge folders.
UID_WINDOW = 5000

_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")
_BODY = re.compile(rb"\bBODY\[\] \{\d+\}")


@dataclass(frozen=True, slots=True, kw_only=True)
class MailboxConfig:
    host: str
    port: int = 993
    ssl: bool = True
    # Only for ssl=False: upgrade the plain connection with STARTTLS before logging in.
    starttls: bool = False
    username: str
    password: str = field(repr=False)
    folder: str = "INBOX"
    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class FetchState:
    """What the caller persists per mailbox: the folder's UIDVALIDITY and the last stored UID."""

    uidvalidity: int | None = None
    last_uid: int = 0


class FetchedMessage(NamedTuple):
    uid: int
    raw: bytes


class MailboxErrorCode(enum.StrEnum):
    UNREACHABLE = "imap_unreachable"
    TIMEOUT = "imap_timeout"
    TLS_FAILED = "imap_tls_failed"
    TLS_REQUIRED = "imap_tls_required"
    AUTH_FAILED = "imap_auth_failed"
    FOLDER_MISSING = "imap_folder_missing"
    CONNECTION_LOST = "imap_connection_lost"
    PROTOCOL = "imap_protocol_error"


class MailboxError(DomainError):
    """The mail server could not be reached, refused us, or broke off; `code` says which.

    `message` is for the shop's admin (Dutch); `detail` is the technical cause, for logs.
    """

    status = 502

    def __init__(self, message: str, *, code: MailboxErrorCode, detail: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.detail = detail


class UnacknowledgedMessage(RuntimeError):
    """A programming error: the next message was requested before `advance(uid)`."""


class ImapFolder:
    """One opened (EXAMINEd) folder; see the module docstring for the calling pattern."""

    def __init__(
        self,
        connection: imaplib.IMAP4,
        config: MailboxConfig,
        *,
        state: FetchState,
        uidvalidity: int,
        uidnext: int | None,
        batch_size: int,
        max_batch_bytes: int,
    ) -> None:
        self._connection = connection
        self._config = config
        self._uidnext = uidnext
        self._batch_size = batch_size
        self._max_batch_bytes = max_batch_bytes
        self.previous_uidvalidity = state.uidvalidity
        self.restarted = state.uidvalidity is not None and state.uidvalidity != uidvalidity
        last_uid = 0 if self.restarted else state.last_uid
        self._state = FetchState(uidvalidity=uidvalidity, last_uid=last_uid)
        if self.restarted:
            logger.warning(
                "IMAP UIDVALIDITY changed; fetching the folder from the start",
                extra=self._log_context(old_uidvalidity=state.uidvalidity, uidvalidity=uidvalidity),
            )
        elif uidnext is not None and last_uid >= uidnext:
            # UIDs only grow while UIDVALIDITY stays; a server that breaks this renumbered its
            # folder. Nothing newer can be found safely, so say it loudly instead of guessing.
            logger.warning(
                "IMAP last UID is beyond the folder's UIDNEXT with an unchanged UIDVALIDITY",
                extra=self._log_context(last_uid=last_uid, uidnext=uidnext),
            )

    @property
    def state(self) -> FetchState:
        """The state to persist: UIDVALIDITY of this session and the last advanced UID."""
        return self._state

    def advance(self, uid: int) -> None:
        """Marks every message up to `uid` as stored by the caller."""
        if uid < self._state.last_uid:
            raise ValueError(f"UID {uid} is before the last stored UID {self._state.last_uid}")
        self._state = FetchState(uidvalidity=self._state.uidvalidity, last_uid=uid)

    def new_messages(self) -> Iterator[FetchedMessage]:
        """Messages after the last stored UID, in UID order, up to the UIDNEXT seen on opening.

        Each message must be `advance`d before the next one is requested; mail arriving
        meanwhile is left for the next fetch.
        """
        start = self._state.last_uid + 1
        while self._uidnext is None or start < self._uidnext:
            end = start + UID_WINDOW - 1
            if self._uidnext is not None:
                end = min(end, self._uidnext - 1)
            sizes = self._sizes(start, None if self._uidnext is None else end)
            for batch in _batches(sizes, self._batch_size, self._max_batch_bytes):
                for message in self._bodies(batch):
                    yield message
                    if self._state.last_uid < message.uid:
                        raise UnacknowledgedMessage(
                            f"advance({message.uid}) must follow storing UID {message.uid}"
                        )
            if self._uidnext is None:
                return
            start = end + 1

    def _sizes(self, start: int, end: int | None) -> list[tuple[int, int]]:
        """(uid, size) of the messages with start ≤ UID ≤ end (end None: no upper bound)."""
        # `UID FETCH n:*` also answers with the last message when n is beyond it: filter.
        uid_range = f"{start}:{'*' if end is None else end}"
        data = self._command(lambda: self._connection.uid("FETCH", uid_range, "(UID RFC822.SIZE)"))
        sizes: dict[int, int] = {}
        for item in data:
            line = item[0] if isinstance(item, tuple) else item
            if not isinstance(line, bytes):
                continue
            uid, size = _UID.search(line), _SIZE.search(line)
            if uid is None or size is None:
                continue  # an unsolicited FLAGS update
            number = int(uid.group(1))
            if start <= number and (end is None or number <= end):
                sizes[number] = int(size.group(1))
        return sorted(sizes.items())

    def _bodies(self, uids: list[int]) -> list[FetchedMessage]:
        uid_set = ",".join(str(uid) for uid in uids)
        data = self._command(lambda: self._connection.uid("FETCH", uid_set, "(UID BODY.PEEK[])"))
        found: dict[int, bytes] = {}
        for index, item in enumerate(data):
            if not (isinstance(item, tuple) and _BODY.search(item[0])):
                continue  # the closing ")" of a response, or an unrelated FLAGS update
            uid = _UID.search(item[0])
            if uid is None and index + 1 < len(data) and isinstance(data[index + 1], bytes):
                uid = _UID.search(data[index + 1])  # servers may send UID after the body
            if uid is not None:
                found[int(uid.group(1))] = item[1]
        missing = [uid for uid in uids if uid not in found]
        if missing:  # expunged by someone else between listing and fetching: nothing to store
            logger.info(
                "IMAP messages vanished before fetching", extra=self._log_context(uids=missing)
            )
        return [FetchedMessage(uid, found[uid]) for uid in uids if uid in found]

    def _command(self, command: Callable[[], tuple[str, list[Any]]]) -> list[Any]:
        status, data = _guarded(command, self._config)
        if status != "OK":
            raise _error(MailboxErrorCode.PROTOCOL, self._config, detail=_text(data))
        return data

    def _log_context(self, **fields: object) -> dict[str, object]:
        return {"imap_host": self._config.host, "imap_folder": self._config.folder, **fields}


@contextlib.contextmanager
def open_folder(
    config: MailboxConfig,
    state: FetchState,
    *,
    ssl_context: ssl.SSLContext | None = None,
    batch_size: int = BATCH_SIZE,
    max_batch_bytes: int = MAX_BATCH_BYTES,
) -> Iterator[ImapFolder]:
    """Connects, signs in and EXAMINEs `config.folder`; logs out afterwards.

    Raises `MailboxError` for every failure of the server or the network.
    """
    connection = _connect(config, ssl_context)
    try:
        _login(connection, config)
        uidvalidity, uidnext = _examine(connection, config)
        yield ImapFolder(
            connection,
            config,
            state=state,
            uidvalidity=uidvalidity,
            uidnext=uidnext,
            batch_size=batch_size,
            max_batch_bytes=max_batch_bytes,
        )
    except BaseException:
        # After a failure the session's state is unknown: drop the socket, do not talk more.
        with contextlib.suppress(OSError):
            connection.shutdown()
        raise
    with contextlib.suppress(imaplib.IMAP4.error, OSError):
        connection.logout()


@dataclass(frozen=True, slots=True)
class FolderStatus:
    """How far a folder reaches: a reader that wants new mail only starts at
    `FetchState(uidvalidity, uidnext - 1)`."""

    uidvalidity: int
    uidnext: int
    messages: int


def folder_status(
    config: MailboxConfig, *, ssl_context: ssl.SSLContext | None = None
) -> FolderStatus:
    """Connects, signs in, EXAMINEs `config.folder` and logs out; reads nothing else.

    Raises `MailboxError` as `open_folder` does. For the settings' connection test and for
    starting a new mailbox at the mail that arrives from now on.
    """
    connection = _connect(config, ssl_context)
    try:
        _login(connection, config)
        uidvalidity, uidnext = _examine(connection, config)
        messages = _number(connection.response("EXISTS")[1]) or 0
        if uidnext is None:  # RFC 3501 requires UIDNEXT; a server without it: ask for UIDs
            data = _guarded(lambda: connection.uid("SEARCH", "ALL"), config)[1]
            uids = [int(uid) for uid in b" ".join(d for d in data if d).split() if uid.isdigit()]
            uidnext = max(uids, default=0) + 1
    except BaseException:
        with contextlib.suppress(OSError):
            connection.shutdown()
        raise
    with contextlib.suppress(imaplib.IMAP4.error, OSError):
        connection.logout()
    return FolderStatus(uidvalidity=uidvalidity, uidnext=uidnext, messages=messages)


def _connect(config: MailboxConfig, ssl_context: ssl.SSLContext | None) -> imaplib.IMAP4:
    context = ssl_context or ssl.create_default_context()
    connection: imaplib.IMAP4 | None = None
    try:
        if config.ssl:
            return imaplib.IMAP4_SSL(
                config.host, config.port, ssl_context=context, timeout=config.timeout
            )
        connection = imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
        if config.starttls:
            connection.starttls(ssl_context=context)
        return connection
    except ssl.SSLError as error:  # before OSError: SSLError is one
        _shutdown(connection)
        raise _error(MailboxErrorCode.TLS_FAILED, config, detail=str(error)) from error
    except TimeoutError as error:
        _shutdown(connection)
        raise _error(MailboxErrorCode.TIMEOUT, config, detail=str(error)) from error
    except OSError as error:  # refused, no route, unknown host
        _shutdown(connection)
        raise _error(MailboxErrorCode.UNREACHABLE, config, detail=str(error)) from error
    except imaplib.IMAP4.error as error:  # no IMAP greeting, or STARTTLS not offered
        _shutdown(connection)
        code = MailboxErrorCode.TLS_FAILED if config.starttls else MailboxErrorCode.UNREACHABLE
        raise _error(code, config, detail=str(error)) from error


def _login(connection: imaplib.IMAP4, config: MailboxConfig) -> None:
    if "LOGINDISABLED" in connection.capabilities:
        raise _error(MailboxErrorCode.TLS_REQUIRED, config)
    credentials = config.username + config.password
    try:
        if credentials.isascii():
            _guarded(lambda: connection.login(config.username, config.password), config)
        else:  # LOGIN only takes ASCII; SASL PLAIN carries UTF-8
            plain = f"\0{config.username}\0{config.password}".encode()
            _guarded(lambda: connection.authenticate("PLAIN", lambda _challenge: plain), config)
    except MailboxError:
        raise
    except imaplib.IMAP4.error as error:  # NO/BAD to LOGIN: wrong name or password
        detail = str(error)
        if "PRIVACYREQUIRED" in detail:
            raise _error(MailboxErrorCode.TLS_REQUIRED, config, detail=detail) from error
        raise _error(MailboxErrorCode.AUTH_FAILED, config, detail=detail) from error


def _examine(connection: imaplib.IMAP4, config: MailboxConfig) -> tuple[int, int | None]:
    """EXAMINEs the folder and returns its UIDVALIDITY and UIDNEXT (when the server says)."""
    status, data = _guarded(
        lambda: connection.select(encode_folder(config.folder), readonly=True), config
    )
    if status != "OK":
        raise _error(MailboxErrorCode.FOLDER_MISSING, config, detail=_text(data))
    uidvalidity = _number(connection.response("UIDVALIDITY")[1])
    uidnext = _number(connection.response("UIDNEXT")[1])
    if uidvalidity is None:
        raise _error(MailboxErrorCode.PROTOCOL, config, detail="EXAMINE gave no UIDVALIDITY")
    return uidvalidity, uidnext


def _guarded[T](command: Callable[[], T], config: MailboxConfig) -> T:
    """Runs one IMAP command; network failures become `MailboxError`, NO/BAD pass through."""
    try:
        return command()
    except imaplib.IMAP4.abort as error:  # BYE, EOF, or garbage: the session is over
        raise _error(MailboxErrorCode.CONNECTION_LOST, config, detail=str(error)) from error
    except TimeoutError as error:
        raise _error(MailboxErrorCode.TIMEOUT, config, detail=str(error)) from error
    except OSError as error:  # reset, broken pipe, TLS failure mid-session
        raise _error(MailboxErrorCode.CONNECTION_LOST, config, detail=str(error)) from error


def encode_folder(name: str) -> str:
    """A folder name as an IMAP quoted string in modified UTF-7 (RFC 3501 §5.1.3)."""
    encoded: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            utf16 = "".join(pending).encode("utf-16-be")
            encoded.append(
                "&" + base64.b64encode(utf16).decode().rstrip("=").replace("/", ",") + "-"
            )
            pending.clear()

    for char in name:
        if " " <= char <= "~":
            flush()
            encoded.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return '"' + "".join(encoded).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _batches(sizes: list[tuple[int, int]], batch_size: int, max_bytes: int) -> Iterator[list[int]]:
    batch: list[int] = []
    total = 0
    for uid, size in sizes:
        if batch and (len(batch) >= batch_size or total + size > max_bytes):
            yield batch
            batch, total = [], 0
        batch.append(uid)
        total += size
    if batch:
        yield batch


def _error(code: MailboxErrorCode, config: MailboxConfig, *, detail: str = "") -> MailboxError:
    server = f"{config.host}:{config.port}"
    messages = {
        MailboxErrorCode.UNREACHABLE: _(
            "De mailserver %(server)s is niet bereikbaar. Controleer de servernaam en de poort."
        ),
        MailboxErrorCode.TIMEOUT: _(
            "De mailserver %(server)s reageert niet op tijd. We proberen het straks opnieuw."
        ),
        MailboxErrorCode.TLS_FAILED: _(
            "Er kon geen beveiligde verbinding met %(server)s worden gemaakt. "
            "Controleer de poort en de SSL-instelling."
        ),
        MailboxErrorCode.TLS_REQUIRED: _(
            "De mailserver %(server)s laat je alleen inloggen over een beveiligde verbinding. "
            "Zet SSL of STARTTLS aan."
        ),
        MailboxErrorCode.AUTH_FAILED: _(
            "Inloggen op %(server)s is mislukt. Controleer de gebruikersnaam en het wachtwoord."
        ),
        MailboxErrorCode.FOLDER_MISSING: _("De map %(folder)s bestaat niet op %(server)s."),
        MailboxErrorCode.CONNECTION_LOST: _(
            "De verbinding met %(server)s is verbroken. "
            "Bij de volgende ronde gaan we verder waar we gebleven waren."
        ),
        MailboxErrorCode.PROTOCOL: _("De mailserver %(server)s gaf een onverwacht antwoord."),
    }
    message = messages[code] % {"server": server, "folder": config.folder}
    return MailboxError(message, code=code, detail=detail)


def _number(data: list[Any]) -> int | None:
    value = data[0] if data else None
    if isinstance(value, bytes) and value.strip().isdigit():
        return int(value)
    return None


def _text(data: list[Any]) -> str:
    return " ".join(
        item.decode(errors="replace") if isinstance(item, bytes) else str(item) for item in data
    )


def _shutdown(connection: imaplib.IMAP4 | None) -> None:
    if connection is not None:
        with contextlib.suppress(OSError):
            connection.shutdown()
