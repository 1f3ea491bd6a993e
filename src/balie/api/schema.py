"""The OpenAPI document as text, one way for `export_openapi` and the snapshot test."""

from __future__ import annotations

import json
from typing import Any

from balie.api.urls import api


def openapi_schema() -> dict[str, Any]:
    return dict(api.get_openapi_schema())


def openapi_json() -> str:
    """Indented, key order as ninja builds it, non-ASCII kept, one trailing newline."""
    return json.dumps(openapi_schema(), indent=2, ensure_ascii=False) + "\n"
