"""A TOML file: the `version` string of one table ([project], [tool.poetry], Cargo's [package])."""

from __future__ import annotations

from release_guard.versions import Carried, Reading, VersionFile
from release_guard.versions.files import line_start

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def read(text: str, version_file: VersionFile, where: str) -> Reading:
    from release_guard.config import parse_toml

    return read_parsed(text, parse_toml(text, where, version_file.path), version_file.key)


def read_parsed(text: str, data: dict[str, Any], table: str) -> Reading:
    node: Any = data
    for part in table.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, dict) or "version" not in node:
        return Reading()
    from release_guard.config import _line_of

    line = _line_of(text, r"^\s*version\s*=", table)
    value = node["version"]
    if not isinstance(value, str):
        return Reading(line=line, problem=f"[{table}].version must be a string")
    start = text.find(value, line_start(text, line)) if line is not None else -1
    return Reading((Carried(value, line, start),))
