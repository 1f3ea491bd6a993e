"""The IMAP fetcher against a real dovecot (started by the `dovecot` fixture), no mocks."""

from __future__ import annotations

import random
import re
import socket
import ssl
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import SMTP

import pytest

from balie.channels.email import imap
from balie.channels.email.imap import FetchState, MailboxConfig, MailboxError, MailboxErrorCode
from balie.channels.email.tests.dovecot import UTF8_PASSWORD, UTF8_USERNAME, DovecotServer
from balie.core.tests import corpora

CORPUS = corpora.EMAILS


def corpus_email(name: str) -> bytes:
    return corpora.require(CORPUS / name).read_bytes()


def as_stored(raw: bytes) -> bytes:
    """What IMAP hands back for an APPENDed message: every line ending is CRLF."""
    return re.sub(rb"\r\n|\r|\n", b"\r\n", raw)


def config_for(dovecot: DovecotServer, **overrides: object) -> MailboxConfig:
    values: dict[str, object] = {
        "host": dovecot.host,
        "port": dovecot.port,
        "ssl": False,
        "username": dovecot.username,
        "password": dovecot.password,
        "timeout": 10.0,
    }
    values.update(overrides)
    return MailboxConfig(**values)  # type: ignore[arg-type]


def fetch_all(
    config: MailboxConfig, state: FetchState, **options: object
) -> tuple[list[imap.FetchedMessage], FetchState]:
    """A poll as the inbox will run it: store each message, then advance."""
    stored = []
    with imap.open_folder(config, state, **options) as folder:  # type: ignore[arg-type]
        for message in folder.new_messages():
            stored.append(message)
            folder.advance(message.uid)
        return stored, folder.state


THREE = ("talon--standard_replies_gmail.eml", "cpython--msg_15.txt", "flanker--iphone.eml")


@pytest.fixture
def three_messages(dovecot: DovecotServer) -> list[tuple[int, bytes]]:
    appended = []
    for name in THREE:
        raw = corpus_email(name)
        appended.append((dovecot.append(raw), as_stored(raw)))
    return appended


def test_it_fetches_appended_messages_in_uid_order(
    dovecot: DovecotServer, three_messages: list[tuple[int, bytes]]
) -> None:
    # given three messages in the INBOX and a mailbox never fetched before
    # when
    stored, state = fetch_all(config_for(dovecot), FetchState())

    # then
    assert [(message.uid, message.raw) for message in stored] == three_messages
    assert state == FetchState(uidvalidity=dovecot.uidvalidity(), last_uid=three_messages[-1][0])


def test_a_second_fetch_with_the_saved_state_finds_nothing(
    dovecot: DovecotServer, three_messages: list[tuple[int, bytes]]
) -> None:
    # given
    _stored, state = fetch_all(config_for(dovecot), FetchState())

    # when
    again, state_after = fetch_all(config_for(dovecot), state)

    # then
    assert again == []
    assert state_after == state


def test_it_fetches_only_the_messages_added_since_the_saved_state(
    dovecot: DovecotServer, three_messages: list[tuple[int, bytes]]
) -> None:
    # given
    _stored, state = fetch_all(config_for(dovecot), FetchState())
    later = [corpus_email("talon--standard_replies_yahoo.eml"), corpus_email("flanker--signed.eml")]
    uids = [dovecot.append(raw) for raw in later]

    # when
    stored, state_after = fetch_all(config_for(dovecot), state)

    # then
    assert [(message.uid, message.raw) for message in stored] == [
        (uid, as_stored(raw)) for uid, raw in zip(uids, later, strict=True)
    ]
    assert state_after.last_uid == uids[-1]


def test_a_message_expunged_at_the_end_is_not_mistaken_for_a_new_one(
    dovecot: DovecotServer, three_messages: list[tuple[int, bytes]]
) -> None:
    # given the last message is fetched, then a newer one comes and goes before the next poll
    _stored, state = fetch_all(config_for(dovecot), FetchState())
    dovecot.expunge(dovecot.append(corpus_email("flanker--signed.eml")))

    # when
    stored, state_after = fetch_all(config_for(dovecot), state)

    # then
    assert stored == []
    assert state_after == state


def test_it_starts_over_when_the_folder_gets_a_new_uidvalidity(dovecot: DovecotServer) -> None:
    # given a fetched folder that is then recreated with two new messages (UIDs 1 and 2 again)
    dovecot.create_folder("Support")
    for name in THREE[:2]:
        dovecot.append(corpus_email(name), folder="Support")
    config = config_for(dovecot, folder="Support")
    _stored, state = fetch_all(config, FetchState())
    dovecot.recreate_folder("Support")
    newer = [corpus_email("talon--standard_replies_yahoo.eml"), corpus_email("flanker--signed.eml")]
    uids = [dovecot.append(raw, folder="Support") for raw in newer]

    # when
    with imap.open_folder(config, state) as folder:
        restarted, previous = folder.restarted, folder.previous_uidvalidity
        stored = []
        for message in folder.new_messages():
            stored.append(message)
            folder.advance(message.uid)
        state_after = folder.state

    # then
    assert restarted
    assert previous == state.uidvalidity
    assert uids == [1, 2]
    assert [message.raw for message in stored] == [as_stored(raw) for raw in newer]
    assert state_after == FetchState(uidvalidity=dovecot.uidvalidity("Support"), last_uid=2)
    assert state_after.uidvalidity != state.uidvalidity


def test_an_unchanged_uidvalidity_is_not_a_restart(
    dovecot: DovecotServer, three_messages: list[tuple[int, bytes]]
) -> None:
    # given
    _stored, state = fetch_all(config_for(dovecot), FetchState())

    # when
    with imap.open_folder(config_for(dovecot), state) as folder:
        restarted = folder.restarted

    # then
    assert not restarted


class Store:
    """The caller's side of a poll: what it stored and the state it saved after each message."""

    def __init__(self) -> None:
        self.messages: list[imap.FetchedMessage] = []
        self.state = FetchState()

    def poll_one_then(self, config: MailboxConfig, stop: Callable[[], None]) -> None:
        """Stores the first message, runs `stop`, then asks for the next message."""
        with imap.open_folder(config, self.state, batch_size=1) as folder:
            self.state = folder.state
            messages = folder.new_messages()
            first = next(messages)
            self.messages.append(first)
            folder.advance(first.uid)
            self.state = folder.state
            stop()
            next(messages)


@pytest.mark.parametrize("cut", ["kill", "kick"])
def test_a_connection_cut_mid_fetch_resumes_after_the_last_stored_message(
    dovecot: DovecotServer, three_messages: list[tuple[int, bytes]], cut: str
) -> None:
    # given a poll that stored the first message when the server's end went away
    # ("kill": the IMAP process dies, the socket just closes; "kick": the server says BYE)
    config = config_for(dovecot)
    store = Store()
    with pytest.raises(MailboxError) as cut_off:
        store.poll_one_then(config, dovecot.kill_sessions if cut == "kill" else dovecot.kick)

    # when the next poll runs from the saved state
    resumed, _state = fetch_all(config, store.state)

    # then nothing is lost and nothing comes twice
    assert cut_off.value.code == MailboxErrorCode.CONNECTION_LOST
    assert [(message.uid, message.raw) for message in store.messages + resumed] == three_messages


def test_a_message_that_was_not_stored_before_a_crash_comes_again(
    dovecot: DovecotServer, three_messages: list[tuple[int, bytes]]
) -> None:
    # given a worker that received the first message and died, with the connection, while
    # storing it (its state was saved on opening only)
    config = config_for(dovecot)
    saved: list[FetchState] = []

    def crash() -> None:
        with imap.open_folder(config, FetchState(), batch_size=1) as folder:
            saved.append(folder.state)
            next(folder.new_messages())
            dovecot.kill_sessions()
            raise RuntimeError("worker died while storing")

    with pytest.raises(RuntimeError, match="worker died"):
        crash()

    # when
    resumed, _state = fetch_all(config, saved[-1])

    # then
    assert [(message.uid, message.raw) for message in resumed] == three_messages


def test_fetching_leaves_flags_alone_and_deletes_nothing(
    dovecot: DovecotServer, three_messages: list[tuple[int, bytes]]
) -> None:
    # given
    flags_before = dovecot.flags()

    # when
    fetch_all(config_for(dovecot), FetchState())

    # then
    assert dovecot.flags() == flags_before
    assert set(flags_before) == {uid for uid, _raw in three_messages}
    assert not any("Seen" in flags or "Deleted" in flags for flags in flags_before.values())


def test_a_5_mb_message_round_trips_byte_exact(dovecot: DovecotServer) -> None:
    # given a reply with a 5 MB attachment between two small messages, and 1 MB batches
    message = EmailMessage(policy=SMTP)
    message["From"] = "Sanne de Vries <sanne@example.nl>"
    message["To"] = "klantenservice@pollepel.nl"
    message["Subject"] = "Foto's van de beschadigde pan"
    message["Message-ID"] = "<groot-1@example.nl>"
    message.set_content("Hallo,\n\nIn de bijlage de foto's.\n\nGroet, Sanne\n")
    payload = random.Random(5).randbytes(5 * 1024 * 1024)  # noqa: S311  # test data
    message.add_attachment(
        payload, maintype="application", subtype="octet-stream", filename="pan.bin"
    )
    big = message.as_bytes()
    small = corpus_email("talon--standard_replies_gmail.eml")
    uids = [dovecot.append(small), dovecot.append(big), dovecot.append(small)]

    # when
    stored, _state = fetch_all(config_for(dovecot), FetchState(), max_batch_bytes=1024 * 1024)

    # then
    assert len(big) > 5 * 1024 * 1024
    assert [message.uid for message in stored] == uids
    assert stored[1].raw == big
    assert stored[0].raw == stored[2].raw == as_stored(small)


@pytest.mark.parametrize(
    "name",
    [
        "rubymail--error_emails_invalid_subject_characters.eml",  # Windows-1252 bytes in Subject
        "mailparser--mail_test_12.eml",  # raw UTF-8 in To, LF line ends
        "flanker--spam_broken-headers.eml",
    ],
)
def test_raw_8bit_headers_round_trip(dovecot: DovecotServer, name: str) -> None:
    # given
    raw = corpus_email(name)
    uid = dovecot.append(raw)

    # when
    stored, _state = fetch_all(config_for(dovecot), FetchState())

    # then
    assert any(byte > 127 for byte in raw.split(b"\n\n")[0].split(b"\r\n\r\n")[0])
    assert [(message.uid, message.raw) for message in stored] == [(uid, as_stored(raw))]


def test_a_folder_with_a_non_ascii_name_is_fetched(dovecot: DovecotServer) -> None:
    # given "Entwürfe" as the server spells it in modified UTF-7
    dovecot.create_folder("Entw&APw-rfe")
    uid = dovecot.append(corpus_email("flanker--iphone.eml"), folder="Entw&APw-rfe")

    # when
    stored, _state = fetch_all(config_for(dovecot, folder="Entwürfe"), FetchState())

    # then
    assert [message.uid for message in stored] == [uid]


def test_it_fetches_over_imaps(
    dovecot: DovecotServer, three_messages: list[tuple[int, bytes]]
) -> None:
    # given the server's self-signed certificate as the trusted one
    context = ssl.create_default_context(cafile=str(dovecot.cafile))
    config = config_for(dovecot, port=dovecot.tls_port, ssl=True)

    # when
    stored, _state = fetch_all(config, FetchState(), ssl_context=context)

    # then
    assert [(message.uid, message.raw) for message in stored] == three_messages


def test_it_fetches_after_starttls(
    dovecot: DovecotServer, three_messages: list[tuple[int, bytes]]
) -> None:
    # given
    context = ssl.create_default_context(cafile=str(dovecot.cafile))
    config = config_for(dovecot, starttls=True)

    # when
    stored, _state = fetch_all(config, FetchState(), ssl_context=context)

    # then
    assert [message.uid for message in stored] == [uid for uid, _raw in three_messages]


def test_an_untrusted_certificate_is_imap_tls_failed(dovecot: DovecotServer) -> None:
    # given the system's trust store, which does not know the test certificate
    config = config_for(dovecot, port=dovecot.tls_port, ssl=True)

    # when
    with pytest.raises(MailboxError) as error:
        fetch_all(config, FetchState())

    # then
    assert error.value.code == MailboxErrorCode.TLS_FAILED


def test_a_wrong_password_is_imap_auth_failed(dovecot: DovecotServer) -> None:
    # given
    config = config_for(dovecot, password="fout-wachtwoord")

    # when
    with pytest.raises(MailboxError) as error:
        fetch_all(config, FetchState())

    # then
    assert error.value.code == MailboxErrorCode.AUTH_FAILED
    assert "wachtwoord" in error.value.message
    assert "fout-wachtwoord" not in str(error.value)


def test_a_password_that_is_not_ascii_signs_in(dovecot: DovecotServer) -> None:
    # given
    config = config_for(dovecot, username=UTF8_USERNAME, password=UTF8_PASSWORD)

    # when
    with imap.open_folder(config, FetchState()) as folder:
        state = folder.state

    # then
    assert state.uidvalidity is not None


def test_a_missing_folder_is_imap_folder_missing(dovecot: DovecotServer) -> None:
    # when
    with pytest.raises(MailboxError) as error:
        fetch_all(config_for(dovecot, folder="Bestaat niet"), FetchState())

    # then
    assert error.value.code == MailboxErrorCode.FOLDER_MISSING


def test_a_refused_port_is_imap_unreachable() -> None:
    # given a port that is taken but not listening, so connecting is refused
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        config = MailboxConfig(
            host="127.0.0.1", port=taken.getsockname()[1], ssl=False, username="a", password="b"
        )

        # when
        with pytest.raises(MailboxError) as error:
            fetch_all(config, FetchState())

    # then
    assert error.value.code == MailboxErrorCode.UNREACHABLE
    assert error.value.detail


def test_a_server_that_never_greets_is_imap_timeout() -> None:
    # given a socket that accepts connections (in the backlog) but never says anything
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        config = MailboxConfig(
            host="127.0.0.1",
            port=silent.getsockname()[1],
            ssl=False,
            username="a",
            password="b",
            timeout=0.5,
        )

        # when
        with pytest.raises(MailboxError) as error:
            fetch_all(config, FetchState())

    # then
    assert error.value.code == MailboxErrorCode.TIMEOUT


def test_asking_for_the_next_message_before_advancing_is_refused(
    dovecot: DovecotServer, three_messages: list[tuple[int, bytes]]
) -> None:
    # given
    with imap.open_folder(config_for(dovecot), FetchState()) as folder:
        messages = folder.new_messages()
        next(messages)

        # when / then: skipping `advance` would lose the message on the next save
        with pytest.raises(imap.UnacknowledgedMessage):
            next(messages)


@pytest.mark.parametrize(
    ("name", "encoded"),
    [
        ("INBOX", '"INBOX"'),
        ("Entwürfe", '"Entw&APw-rfe"'),
        ("Retour & ruil", '"Retour &- ruil"'),
        ('a"b', r'"a\"b"'),
    ],
)
def test_folder_names_are_quoted_in_modified_utf7(name: str, encoded: str) -> None:
    assert imap.encode_folder(name) == encoded
