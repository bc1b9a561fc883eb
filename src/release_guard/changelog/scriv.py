"""scriv: fragments in `changelog.d/` (`[tool.scriv]` `fragment_directory`), collected into the
changelog (`output_file`, by default CHANGELOG.rst or .md after `format`) at release."""

from __future__ import annotations

from release_guard.changelog.fragments import read_fragments, with_fragments
from release_guard.changelog.model import Changelog
from release_guard.record import Record
from release_guard.source import Source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMAT = "scriv"


class Settings(Record):
    __slots__ = ("directory", "output_file")

    def __init__(
        self,
        directory: str,
        output_file: str,
    ) -> None:
        self.directory = directory
        self.output_file = output_file


def settings(source: Source, pyproject: dict[str, Any]) -> Settings | None:
    """scriv's settings when the project uses scriv: a [tool.scriv] table, or a
    changelog.d/scriv.ini."""
    config = pyproject.get("tool", {}).get("scriv")
    if not isinstance(config, dict):
        if source.read_bytes("changelog.d/scriv.ini") is None:
            return None
        config = {}
    directory = str(config.get("fragment_directory", "changelog.d")).strip("/")
    markup = str(config.get("format", "rst"))
    return Settings(directory, str(config.get("output_file", f"CHANGELOG.{markup}")))


def _ignored(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith(("readme", ".")) or lowered.endswith(".j2") or lowered == "scriv.ini"


def read(source: Source, pyproject: dict[str, Any], path: str, text: str | None) -> Changelog:
    from release_guard.changelog.towncrier import compiled_changelog

    found = settings(source, pyproject)
    directory = found.directory if found else "changelog.d"
    fragments = read_fragments(source, [directory], _ignored, lambda name, body: None)
    return with_fragments(
        compiled_changelog(path, text)._replace(format=FORMAT), directory, fragments
    )
