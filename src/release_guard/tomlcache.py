"""Parsed TOML kept from one commit-time check to the next, in the clone's git directory.

Importing tomllib costs about 6 ms with the datetime module and the regular expressions it
compiles: a fifth of a commit-time check, most of what separates it from its 3x budget
(docs/design.md, "Start-up"). Most commits leave pyproject.toml as it was, so `check` keeps
what it parsed: a run finds an entry only for exactly the same text, so an entry can never be
stale, and writes back only the entries it used, so the file never grows. A cache that cannot
be read or written is no cache: the text is parsed.
"""

from __future__ import annotations

import marshal
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import TracebackType
    from typing import Any, Callable

FILE_NAME = "release-guard-toml.cache"
# marshal's format is the interpreter's; a file from another one, or another layout, is ignored
_STAMP = ("release-guard toml cache", 1, tuple(sys.version_info[:2]))


ACTIVE: TomlCache | None = None  # the cache of the running check (release_guard.config)


class keeping_parsed_toml:  # named as the function it stands for, used in `with`
    """While the block runs, TOML texts are looked up in the clone's cache first (a class, not
    contextlib's decorator: contextlib is one more module at every start)."""

    def __init__(self, git_dir: str | None) -> None:
        self.git_dir = git_dir

    def __enter__(self) -> None:
        global ACTIVE
        if self.git_dir is not None:
            ACTIVE = TomlCache(os.path.join(self.git_dir, FILE_NAME))

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        global ACTIVE
        if ACTIVE is not None:
            ACTIVE.save()
            ACTIVE = None


class TomlCache:
    def __init__(self, path: str) -> None:
        self.path = path
        self.stored = _load(path)
        self.used: dict[str, bytes] = {}  # text -> its data, marshalled

    def parse(self, text: str, parse: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
        packed = self.stored.get(text)
        if packed is None:
            data = parse(text)
            try:
                packed = marshal.dumps(data)
            except ValueError:  # a TOML date or time: not kept
                return data
        self.used[text] = packed
        unpacked: dict[str, Any] = marshal.loads(packed)  # each caller gets its own copy
        return unpacked

    def save(self) -> None:
        """Keep what this run used, when it differs from what was stored."""
        if self.used == self.stored:
            return
        temporary = f"{self.path}.{os.getpid()}.tmp"
        try:
            with open(temporary, "wb") as handle:
                handle.write(marshal.dumps((_STAMP, self.used)))
            os.replace(temporary, self.path)
        except OSError:
            from contextlib import suppress  # lazy: only a failed write gets here

            with suppress(OSError):
                os.unlink(temporary)


def _load(path: str) -> dict[str, bytes]:
    try:
        with open(path, "rb") as handle:
            stamp, entries = marshal.loads(handle.read())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if stamp != _STAMP or not isinstance(entries, dict):
        return {}
    return {
        text: packed
        for text, packed in entries.items()
        if isinstance(text, str) and isinstance(packed, bytes)
    }
