"""One reader per build backend: where that backend takes a dynamic version from.

Each module has `detect(project: Context) -> VersionSource | None` (None: the backend's
config names no version source); `release_guard.versions.detect` picks the module.
"""
