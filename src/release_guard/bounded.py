"""Bounded text output: a few findings per rule per tag, then how many more and where to see
them all. A refused push of hundreds of tags must stay readable; JSON keeps every finding."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Union

from release_guard.findings import Finding

PER_RULE = 5  # findings shown per rule code (per tag, for the tag guard)

Line = Union[Finding, str]  # a finding to print, or a line saying how many were left out


def bounded(findings: Sequence[Finding], command: str) -> list[Line]:
    """The findings to print, in their order, each group cut after PER_RULE with a line
    after its last shown finding."""
    counts: dict[tuple[str, str], int] = {}
    for finding in findings:
        key = _group(finding, command)
        counts[key] = counts.get(key, 0) + 1
    lines: list[Line] = []
    shown: dict[tuple[str, str], int] = {}
    for finding in findings:
        key = _group(finding, command)
        seen = shown.get(key, 0) + 1
        shown[key] = seen
        if seen <= PER_RULE:
            lines.append(finding)
        if seen == PER_RULE and counts[key] > PER_RULE:
            lines.append(_more(key, counts[key] - PER_RULE, command))
    return lines


def _group(finding: Finding, command: str) -> tuple[str, str]:
    """(code, tag): the tag guard locates findings as `TAG:path`."""
    tag = (finding.path or "").split(":", 1)[0] if command == "tag-guard" else ""
    return finding.code, tag


def _more(key: tuple[str, str], count: int, command: str) -> str:
    code, tag = key
    every = (
        f"`release-guard check --tag {tag} --format json` in a checkout of {tag}"
        if tag
        else f"`release-guard {command} --format json`"
    )
    return f"... and {count} more {code} finding{'s' if count != 1 else ''} not shown: {every} lists all"
