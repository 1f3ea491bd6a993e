from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from balie.core.tests.conftest import scratch_database  # noqa: F401  # for subprocess tests


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    """Attachments and raw originals go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
