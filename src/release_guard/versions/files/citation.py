"""CITATION.cff: the top-level `version` and `date-released` scalars.

Read line by line rather than with a YAML library, whose import would cost the commit-time
check more than its whole budget: CFF keeps both keys as plain top-level scalars, and anything
this reader cannot follow is refused as an input error rather than guessed (docs/design.md).
"""

from __future__ import annotations

import re

from release_guard.findings import input_error
from release_guard.versions import Carried, Reading, VersionFile

_KEY = re.compile(r"([A-Za-z0-9_.-]+)[ \t]*:(?:[ \t]+|$)")
ROLES = {"version": "version", "date-released": "date"}


def read(text: str, version_file: VersionFile, where: str) -> Reading:
    def fail(message: str, line: int) -> Exception:
        return input_error("RG007", f"{where} {message}", version_file.path, line)

    values: dict[str, Carried] = {}
    offset = 0
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        start, offset = offset, offset + len(raw) + 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            continue
        if line[0] == "\t" or (line[0] == " " and "\t" in line[: len(line) - len(line.lstrip())]):
            raise fail("is not YAML: a tab in the indentation", number)
        if line[0] in " -":
            continue  # inside a top-level key's block
        key = _KEY.match(line)
        if key is None:
            raise fail(f"is not YAML: line {number} is no `key: value`", number)
        role = ROLES.get(key.group(1))
        if role is None:
            continue
        if key.group(1) in values:
            raise fail(f"sets {key.group(1)} twice", number)
        value, column = _scalar(line, key.end())
        if value is None:
            raise fail(f"{key.group(1)} must be a single value on its line", number)
        if role == "date" and not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            raise fail(f"date-released {value!r} is not a YYYY-MM-DD date", number)
        values[key.group(1)] = Carried(value, number, start + column, role)
    return Reading(tuple(values.values()))


def _scalar(line: str, column: int) -> tuple[str | None, int]:
    """A quoted or plain scalar starting at `column`, and where its text starts."""
    rest = line[column:]
    if rest[:1] in ("'", '"'):
        end = rest.find(rest[0], 1)
        if end < 0 or rest[end + 1 :].split("#")[0].strip():
            return None, column
        value = rest[1:end]
        return (None if "\\" in value or not value else value), column + 1
    value = rest.split(" #")[0].strip()
    if not value or value[0] in "[{|>&*!%@`":
        return None, column
    return value, column
