"""meson-python: a dynamic version is the `version:` of meson.build's project() call."""

from __future__ import annotations

from release_guard.versions import Context, VersionFile, VersionSource

# the first project(...) call's version keyword, as a single-quoted meson string
PROJECT_VERSION = (
    r"""(?s)^project\s*\((?:[^()]|\([^()]*\))*?\bversion\s*:\s*'(?P<version>[^'\n]*)'"""
)


def detect(project: Context) -> VersionSource | None:
    return VersionSource("file", VersionFile("meson.build", PROJECT_VERSION))
