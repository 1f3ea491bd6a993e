"""Where the shared bad-input corpora are (naughty strings, XSS payloads, hard emails).

They live in `shared/corpora/` beside the repository (CI clones it so) or where BALIE_CORPORA
points. A test that needs one skips without it, and fails instead under
BALIE_REQUIRE_CORPORA=1, as CI runs, so a missing corpus never passes silently.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

CORPORA = Path(os.environ.get("BALIE_CORPORA") or settings.PROJECT_DIR.parent / "shared/corpora")
EMAILS = CORPORA / "emails"


def require(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("BALIE_REQUIRE_CORPORA") == "1":
            pytest.fail(f"bad-input corpus not found at {path} and BALIE_REQUIRE_CORPORA=1")
        pytest.skip(f"bad-input corpus not found at {path} (set BALIE_CORPORA)")
    return path
