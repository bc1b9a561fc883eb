"""PEP 440 versions for the commit-time checks: packaging's, except for plain releases.

A plain release (`1.2.3`: numbers without leading zeros, joined by dots) is valid, already in
normal form, final, and orders as its numbers with trailing zeros dropped, exactly as
packaging orders it. Most commits of most projects carry nothing else, and recognizing it
without importing packaging.version saves about 1.2 ms of a 30 ms commit-time check
(bench/bench_check.py). Every other version is parsed by packaging.

`parse_versions` parses a group of versions that will be compared with each other: either all
are plain releases, or all are packaging Versions. Never compare results of two calls.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_PLAIN = re.compile(r"(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))*\Z")


if TYPE_CHECKING:  # a Protocol class costs ~0.3 ms to create: for the type checker only
    from typing import Protocol

    class ParsedVersion(Protocol):
        """What the checks use of a version: its ordering and whether it is a pre-release."""

        @property
        def is_prerelease(self) -> bool: ...

        def __lt__(self, other: Any, /) -> bool: ...

        def __le__(self, other: Any, /) -> bool: ...

        def __gt__(self, other: Any, /) -> bool: ...

        def __ge__(self, other: Any, /) -> bool: ...


class PlainRelease:
    """A plain release, compared with other plain releases only."""

    __slots__ = ("_key", "_text")

    def __init__(self, text: str) -> None:
        numbers = [int(part) for part in text.split(".")]
        while len(numbers) > 1 and numbers[-1] == 0:
            numbers.pop()  # PEP 440: 1.0 and 1.0.0 are the same version
        self._text = text
        self._key = tuple(numbers)

    @property
    def is_prerelease(self) -> bool:
        return False

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"<PlainRelease({self._text!r})>"

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainRelease) and self._key == other._key

    def __lt__(self, other: PlainRelease) -> bool:
        return self._key < other._key

    def __le__(self, other: PlainRelease) -> bool:
        return self._key <= other._key

    def __gt__(self, other: PlainRelease) -> bool:
        return self._key > other._key

    def __ge__(self, other: PlainRelease) -> bool:
        return self._key >= other._key


def parse_versions(texts: Sequence[str]) -> list[ParsedVersion | None]:
    """Each text parsed (None when it is not a valid PEP 440 version), comparable together."""
    if all(_PLAIN.match(text) for text in texts):
        try:
            return [PlainRelease(text) for text in texts]
        except ValueError:  # a number past Python's int-string limit: packaging says invalid
            pass
    from packaging.version import Version

    parsed: list[ParsedVersion | None] = []
    for text in texts:
        try:
            parsed.append(Version(text))
        except ValueError:  # InvalidVersion, or a number past Python's int-string limit
            parsed.append(None)
    return parsed


def parse_version(text: str) -> ParsedVersion | None:
    return parse_versions([text])[0]
