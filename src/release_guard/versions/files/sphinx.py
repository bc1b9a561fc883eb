"""Sphinx's docs/conf.py: `release` is the full version, `version` the full or the X.Y one."""

from __future__ import annotations

from release_guard.versions import Reading, VersionFile
from release_guard.versions.files.python import assignments, parse, reading


def read(text: str, version_file: VersionFile, where: str) -> Reading:
    found = assignments(parse(text, version_file.path, where), ("release", "version"))
    if "release" not in found or found["release"].value == "":
        return Reading()  # no release, or an empty one: nothing to keep in sync
    if found["release"].name == "version" and "version" in found:
        return reading(text, found["version"], "version")  # `release = version`
    release = reading(text, found["release"], "version")
    if "version" not in found or not release.values:
        return release
    short = reading(text, found["version"], "short")
    return Reading(release.values + short.values)
