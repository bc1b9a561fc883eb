"""The JSON Schema of `[tool.release-guard]`, shipped in the package (config-schema.json).

Editors and SchemaStore read the file; validate-pyproject loads it through the
`validate_pyproject.tool_schema` entry point, which calls `tool_schema`. release-guard itself
validates with its own code (config.py): the schema describes the same rules, and a test keeps
both in step on every documented example.
"""

from __future__ import annotations

import json
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SCHEMA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "config-schema.json")


def tool_schema(tool_name: str = "release-guard") -> dict[str, Any]:
    """validate-pyproject's plugin protocol: the schema of `[tool.<tool_name>]`."""
    with open(SCHEMA_FILE, encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema
