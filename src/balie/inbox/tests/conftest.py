from __future__ import annotations

from balie.channels.email.tests.smtp_server import (  # noqa: F401  # fixtures
    smtp_mailbox,
    smtp_server,
    smtp_server_session,
)
from balie.core.tests.conftest import scratch_database  # noqa: F401  # for subprocess tests
