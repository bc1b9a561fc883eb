"""Versions derived from git tags, by whichever plugin: the tag is the version."""

from __future__ import annotations

import re

from release_guard.versions import Context, VersionSource

# distribution names of the build requirements that derive the version from git tags
PLUGINS = re.compile(
    r"\s*(hatch[-_]vcs|setuptools[-_]scm|setuptools[-_]git[-_]versioning|versioneer|"
    r"poetry[-_]dynamic[-_]versioning|uv[-_]dynamic[-_]versioning|dunamai|versioningit|"
    r"flit[-_]scm|vcs[-_]versioning|pbr)\b",
    re.IGNORECASE,
)
# tool tables whose presence turns such a plugin on
TABLES = ("setuptools_scm", "setuptools-scm", "versioningit", "uv-dynamic-versioning")


def detect(project: Context) -> VersionSource | None:
    requires = project.dig("build-system").get("requires", [])
    for item in requires if isinstance(requires, list) else []:
        match = PLUGINS.match(item) if isinstance(item, str) else None
        if match:
            return VersionSource("vcs", detail=match.group(1).lower().replace("_", "-"))
    tool = project.dig("tool")
    plugin = next((table for table in TABLES if table in tool), None)
    return VersionSource("vcs", detail=plugin) if plugin else None
