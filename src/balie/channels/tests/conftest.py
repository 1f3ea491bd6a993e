"""The channels' settings tests sign in to the same real servers as the email tests: dovecot
(IMAP) and aiosmtpd (SMTP), both on 127.0.0.1, which a shop's admin may reach only when the
installation allows mail servers in its own network."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from balie.channels.email.tests.conftest import dovecot, dovecot_server  # noqa: F401  # fixtures
from balie.channels.email.tests.smtp_server import (  # noqa: F401  # fixtures
    smtp_mailbox,
    smtp_server,
    smtp_server_session,
)


@pytest.fixture(autouse=True)
def mail_servers_on_this_machine(settings: Settings) -> None:
    settings.BALIE_MAILBOX_ALLOW_PRIVATE = True
