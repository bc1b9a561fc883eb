"""No changelog file: the notes are written elsewhere (GitHub Releases), `changelog = false`."""

from __future__ import annotations

from release_guard.changelog.model import Changelog
from release_guard.source import Source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMAT = "none"
NOTE = "changelog = false: no changelog rules apply (the notes are written elsewhere)"


def read(source: Source, pyproject: dict[str, Any], path: str, text: str | None) -> Changelog:
    return Changelog(path, FORMAT, "", [], [], [], {}, dated=False)
