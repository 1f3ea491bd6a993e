"""A private dovecot IMAP server for tests: Debian's `dovecot-imapd`, never the system service.

`start_dovecot(root)` writes a config into `root` (maildir, passwd-file with one user, logs,
runtime sockets, a self-signed certificate), runs `dovecot -F -c root/dovecot.conf` on two free
ports of 127.0.0.1 (plain IMAP with cleartext login allowed, and IMAPS) and waits for the
greeting. The handle appends raw messages, empties the mailbox between tests and stops the
server. Standard library only, so it also runs outside pytest for debugging:
`python -m balie.channels.email.tests.dovecot /tmp/dc`.

Dovecot refuses to run its login processes or mail processes as root. As root, mail belongs
to `nobody` and the login processes run as `dovenull` (created by the package) in their
default chroot; as any other user everything runs as that user, without chroots.
"""

from __future__ import annotations

import contextlib
import grp
import imaplib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DOVECOT = Path(os.environ.get("BALIE_DOVECOT") or "/usr/sbin/dovecot")
USERNAME = "balie"
PASSWORD = "geheim-wachtwoord"
# A second user whose password LOGIN cannot carry (not ASCII).
UTF8_USERNAME = "zoe"
UTF8_PASSWORD = "geheim-€-wachtwoord-ë"
START_TIMEOUT = 15.0
_APPENDUID = re.compile(rb"\[APPENDUID (\d+) (\d+)\]")


class DovecotUnavailable(RuntimeError):
    """dovecot is not installed here (the test is skipped, or fails when it is required)."""


@dataclass
class DovecotServer:
    root: Path
    port: int
    tls_port: int
    cafile: Path
    process: subprocess.Popen[bytes]
    host: str = "127.0.0.1"
    username: str = USERNAME
    password: str = PASSWORD

    @contextlib.contextmanager
    def imap(self) -> Iterator[imaplib.IMAP4]:
        """A signed-in connection for arranging a test (not the code under test)."""
        connection = imaplib.IMAP4(self.host, self.port, timeout=10)
        try:
            connection.login(self.username, self.password)
            yield connection
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                connection.logout()

    def append(self, raw: bytes, *, folder: str = "INBOX") -> int:
        """APPENDs one raw message (imaplib turns bare LF/CR into CRLF); returns its UID."""
        with self.imap() as connection:
            status, data = connection.append(_quote(folder), None, None, raw)
        found = _APPENDUID.search(data[0] or b"") if status == "OK" else None
        if found is None:
            raise RuntimeError(f"APPEND to {folder} failed: {status} {data!r}")
        return int(found.group(2))

    def uidvalidity(self, folder: str = "INBOX") -> int:
        with self.imap() as connection:
            _status, data = connection.status(_quote(folder), "(UIDVALIDITY)")
        found = re.search(rb"UIDVALIDITY (\d+)", data[0] or b"")
        if found is None:
            raise RuntimeError(f"STATUS {folder} gave no UIDVALIDITY: {data!r}")
        return int(found.group(1))

    def create_folder(self, folder: str) -> None:
        with self.imap() as connection:
            _check(connection.create(_quote(folder)), f"CREATE {folder}")

    def recreate_folder(self, folder: str) -> None:
        """Deletes and creates `folder`: its messages are gone and it gets a new UIDVALIDITY."""
        before = self.uidvalidity(folder)
        with self.imap() as connection:
            _check(connection.delete(_quote(folder)), f"DELETE {folder}")
            _check(connection.create(_quote(folder)), f"CREATE {folder}")
        if self.uidvalidity(folder) == before:
            raise RuntimeError(f"recreating {folder} kept UIDVALIDITY {before}")

    def expunge(self, uid: int, *, folder: str = "INBOX") -> None:
        with self.imap() as connection:
            _check(connection.select(_quote(folder)), f"SELECT {folder}")
            _check(connection.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)"), "STORE")
            _check(connection.expunge(), "EXPUNGE")

    def flags(self, *, folder: str = "INBOX") -> dict[int, str]:
        """UID -> the FLAGS list, read without changing anything."""
        with self.imap() as connection:
            _check(connection.select(_quote(folder), readonly=True), f"EXAMINE {folder}")
            _status, data = connection.uid("FETCH", "1:*", "(UID FLAGS)")
        found = (re.search(rb"UID (\d+) FLAGS \((.*?)\)", line or b"") for line in data)
        return {int(match.group(1)): match.group(2).decode() for match in found if match}

    def kick(self) -> None:
        """Ends every session of the test user the polite way: the server says BYE."""
        self._doveadm("kick", self.username)

    def kill_sessions(self) -> None:
        """Kills the test user's IMAP processes: the client sees the connection drop (EOF)."""
        listing = self._doveadm("who", "-1", self.username)
        pids = [int(line.split()[2]) for line in listing.splitlines()[1:] if line.strip()]
        if not pids:
            raise RuntimeError(f"no IMAP session of {self.username} to kill:\n{listing}")
        for pid in pids:
            os.kill(pid, signal.SIGKILL)

    def _doveadm(self, *args: str) -> str:
        doveadm = DOVECOT.parent.parent / "bin" / "doveadm"
        return subprocess.run(  # noqa: S603  # our own fixed binary and config
            [str(doveadm), "-c", str(self.root / "dovecot.conf"), *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout

    def reset(self) -> None:
        """An empty INBOX and no other folders (UIDs in INBOX keep counting up, as in real life)."""
        with self.imap() as connection:
            _status, listing = connection.list()
            for line in listing:
                name = _folder_name(line) if isinstance(line, bytes) else None
                if name is not None and name.upper() != "INBOX":
                    _check(connection.delete(_quote(name)), f"DELETE {name}")
            selected = connection.select("INBOX")
            _check(selected, "SELECT INBOX")
            if selected[1][0] != b"0":  # STORE 1:* is BAD in an empty folder
                _check(connection.store("1:*", "+FLAGS.SILENT", r"(\Deleted)"), "STORE")
                _check(connection.expunge(), "EXPUNGE")

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def dovecot_version() -> tuple[int, int]:
    if not DOVECOT.exists():
        raise DovecotUnavailable(
            f"{DOVECOT} not found: install Debian's dovecot-imapd (or set BALIE_DOVECOT)"
        )
    output = subprocess.run(  # noqa: S603  # our own fixed binary
        [str(DOVECOT), "--version"], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    found = re.match(r"(\d+)\.(\d+)", output.strip())
    if found is None:
        raise DovecotUnavailable(f"cannot read the dovecot version from {output!r}")
    return int(found.group(1)), int(found.group(2))


def start_dovecot(root: Path) -> DovecotServer:
    """Starts a private dovecot with its files under `root` (an empty directory)."""
    version = dovecot_version()
    root.mkdir(parents=True, exist_ok=True)
    # As root, the mail and login users must be able to pass through `root` (not list it).
    root.chmod(0o711)
    users = _users()
    home = root / "mail"
    home.mkdir()
    os.chown(home, users.mail_uid, users.mail_gid)
    passwd = root / "passwd"
    second_home = root / "mail-utf8"
    second_home.mkdir()
    os.chown(second_home, users.mail_uid, users.mail_gid)
    passwd.write_text(
        f"{USERNAME}:{{PLAIN}}{PASSWORD}:{users.mail_uid}:{users.mail_gid}::{home}::\n"
        f"{UTF8_USERNAME}:{{PLAIN}}{UTF8_PASSWORD}:{users.mail_uid}:{users.mail_gid}::{second_home}::\n",
        encoding="utf-8",
    )
    passwd.chmod(0o644)
    cert, key = _self_signed_certificate(root)
    port, tls_port = _free_port(), _free_port()
    settings = _settings_24 if version >= (2, 4) else _settings_23
    config = root / "dovecot.conf"
    config.write_text(
        settings(root=root, users=users, passwd=passwd, cert=cert, key=key)
        + _services(users=users, port=port, tls_port=tls_port)
    )
    process = subprocess.Popen(  # noqa: S603  # our own fixed binary and config
        [str(DOVECOT), "-F", "-c", str(config)],
        stdin=subprocess.DEVNULL,
        stdout=(root / "stdout.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    server = DovecotServer(root=root, port=port, tls_port=tls_port, cafile=cert, process=process)
    try:
        _wait_until_serving(server)
    except BaseException:
        server.stop()
        raise
    return server


@dataclass(frozen=True)
class _Users:
    internal: str
    login: str
    mail_uid: int
    mail_gid: int
    root: bool


def _users() -> _Users:
    me = pwd.getpwuid(os.getuid())
    if os.getuid() != 0:
        return _Users(me.pw_name, me.pw_name, me.pw_uid, me.pw_gid, root=False)
    nobody = pwd.getpwnam("nobody")
    try:
        login = pwd.getpwnam("dovenull").pw_name
    except KeyError:
        login = nobody.pw_name
    return _Users("root", login, nobody.pw_uid, nobody.pw_gid, root=True)


def _settings_23(*, root: Path, users: _Users, passwd: Path, cert: Path, key: Path) -> str:
    return f"""\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
instance_name = balie-test-{os.getpid()}
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = no
auth_mechanisms = plain login
# A wrong password answers at once (the next login from 127.0.0.1 still waits ~4 s).
auth_failure_delay = 0
default_internal_user = {users.internal}
default_login_user = {users.login}
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = {passwd}
}}
userdb {{
  driver = passwd-file
  args = {passwd}
}}
"""


def _settings_24(*, root: Path, users: _Users, passwd: Path, cert: Path, key: Path) -> str:
    # Written from the 2.3 → 2.4 upgrade guide; Debian 12's CI image runs 2.3.
    return f"""\
dovecot_config_version = 2.4.0
dovecot_storage_version = 2.4.0
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
instance_name = balie-test-{os.getpid()}
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
ssl = yes
ssl_server_cert_file = {cert}
ssl_server_key_file = {key}
auth_allow_cleartext = yes
auth_mechanisms = plain login
# A wrong password answers at once (the next login from 127.0.0.1 still waits ~4 s).
auth_failure_delay = 0
default_internal_user = {users.internal}
default_login_user = {users.login}
first_valid_uid = 1
mail_driver = maildir
mail_path = ~/Maildir
passdb passwd-file {{
  passwd_file_path = {passwd}
}}
userdb passwd-file {{
  passwd_file_path = {passwd}
}}
"""


def _services(*, users: _Users, port: int, tls_port: int) -> str:
    services = f"""\
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {tls_port}
    ssl = yes
  }}
}}
"""
    if users.root:
        return services
    # Without root there is no chroot and no switching to another user.
    unprivileged = "".join(
        f"service {name} {{\n  chroot =\n}}\n" for name in ("imap-login", "anvil", "stats", "ipc")
    )
    group = grp.getgrgid(os.getgid()).gr_name
    return (
        f"default_internal_group = {group}\n"
        + services
        + unprivileged
        + "service auth-worker {\n  user = $default_internal_user\n}\n"
    )


def _self_signed_certificate(root: Path) -> tuple[Path, Path]:
    cert, key = root / "cert.pem", root / "key.pem"
    openssl = shutil.which("openssl")
    if openssl is None:  # dovecot-core depends on openssl, so this means a broken install
        raise DovecotUnavailable("openssl not found (dovecot-core depends on it)")
    subprocess.run(  # noqa: S603  # fixed arguments
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        capture_output=True,
        check=True,
        timeout=60,
    )
    key.chmod(0o600)
    return cert, key


def _wait_until_serving(server: DovecotServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"dovecot exited with {server.process.returncode}:\n"
                f"{(server.root / 'stdout.log').read_text(errors='replace')}\n{server.log()}"
            )
        try:
            with server.imap():
                return
        except (OSError, imaplib.IMAP4.error) as error:
            if time.monotonic() > deadline:
                raise RuntimeError(f"dovecot did not serve IMAP: {error}\n{server.log()}") from None
            time.sleep(0.1)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _folder_name(line: bytes) -> str | None:
    found = re.match(rb'\(.*?\) (?:"."|NIL) "?(.*?)"?$', line)
    return found.group(1).decode() if found else None


def _check(response: tuple[str, list[bytes | None]], what: str) -> None:
    status, data = response
    if status != "OK":
        raise RuntimeError(f"{what} failed: {status} {data!r}")


if __name__ == "__main__":  # debugging aid: start one and keep it running until Ctrl-C
    dovecot = start_dovecot(Path(sys.argv[1]))
    sys.stdout.write(
        f"dovecot on {dovecot.host}:{dovecot.port} (TLS {dovecot.tls_port}), "
        f"{USERNAME}/{PASSWORD}\n"
    )
    try:
        dovecot.process.wait()
    except KeyboardInterrupt:
        dovecot.stop()
