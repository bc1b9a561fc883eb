"""PEP 621: a static `[project].version`."""

from __future__ import annotations

from release_guard.versions.model import VersionFile, VersionSource
from release_guard.versions.sources import PYPROJECT, Context


def detect(project: Context) -> VersionSource | None:
    if "version" not in project.dig("project"):
        return None
    return VersionSource("file", VersionFile(PYPROJECT, kind="toml", key="project"))
