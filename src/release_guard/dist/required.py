"""Required files (wheel-files, sdist-files): paths or glob patterns that must each match.

`*`, `?` and `[...]` stay inside one path segment, `**` spans any number of segments;
matching is case-sensitive.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from fnmatch import fnmatchcase


def missing_required(patterns: Iterable[str], files: Collection[str]) -> list[str]:
    """The patterns that match none of `files` (paths, or a dict keyed by them)."""
    missing = []
    split_files: list[list[str]] | None = None
    for pattern in patterns:
        if not _has_glob(pattern):
            if pattern not in files:
                missing.append(pattern)
            continue
        if split_files is None:
            split_files = [name.split("/") for name in files]
        pattern_parts = pattern.split("/")
        if not any(_glob_match(parts, pattern_parts) for parts in split_files):
            missing.append(pattern)
    return missing


def _has_glob(pattern: str) -> bool:
    return any(char in pattern for char in "*?[")


def _glob_match(parts: Sequence[str], pattern: Sequence[str]) -> bool:
    """Path segments against pattern segments: `*` stays inside a segment, `**` spans any."""
    if not pattern:
        return not parts
    if pattern[0] == "**":
        return any(_glob_match(parts[skip:], pattern[1:]) for skip in range(len(parts) + 1))
    return bool(parts) and fnmatchcase(parts[0], pattern[0]) and _glob_match(parts[1:], pattern[1:])
