"""poetry-core: `[tool.poetry].version` (Poetry 1, and Poetry 2 with a dynamic [project]
version), unless poetry-dynamic-versioning derives it from git tags."""

from __future__ import annotations

from release_guard.versions import PYPROJECT, Context, VersionFile, VersionSource


def detect(project: Context) -> VersionSource | None:
    plugin = project.dig("tool", "poetry-dynamic-versioning")
    if plugin.get("enable") is True:
        return VersionSource("vcs", detail="poetry-dynamic-versioning")
    if "version" not in project.dig("tool", "poetry"):
        return None
    return VersionSource("file", VersionFile(PYPROJECT, kind="toml", key="tool.poetry"))
