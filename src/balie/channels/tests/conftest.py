"""The channels' settings tests sign in to the same real servers as the email tests: dovecot
(IMAP) and aiosmtpd (SMTP)."""

from __future__ import annotations

from balie.channels.email.tests.conftest import dovecot, dovecot_server  # noqa: F401  # fixtures
from balie.channels.email.tests.smtp_server import (  # noqa: F401  # fixtures
    smtp_mailbox,
    smtp_server,
    smtp_server_session,
)
