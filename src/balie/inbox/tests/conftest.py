from __future__ import annotations

from balie.channels.email.tests.smtp_server import (  # noqa: F401  # fixtures
    smtp_mailbox,
    smtp_server,
    smtp_server_session,
)
