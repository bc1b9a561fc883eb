"""maturin: a dynamic version is the Rust crate's, in Cargo.toml's [package] (or the
workspace's [workspace.package] when the crate says `version.workspace = true`)."""

from __future__ import annotations

import posixpath

from release_guard.source import read_text
from release_guard.versions import Context, VersionFile, VersionSource, clean_path, dig


def detect(project: Context) -> VersionSource | None:
    manifest = project.dig("tool", "maturin").get("manifest-path", "Cargo.toml")
    if not isinstance(manifest, str):
        return None
    manifest = clean_path(manifest, "[tool.maturin] manifest-path")
    text = read_text(project.source, manifest)
    if text is None:
        return VersionSource("file", VersionFile(manifest, kind="toml", key="package"))
    from release_guard.config import parse_toml

    version = dig(parse_toml(text, project.source.describe(manifest), manifest), "package").get(
        "version"
    )
    if isinstance(version, dict) and version.get("workspace") is True:
        # the workspace root: this manifest itself, else the top-level Cargo.toml
        root = manifest if posixpath.dirname(manifest) == "" else "Cargo.toml"
        return VersionSource("file", VersionFile(root, kind="toml", key="workspace.package"))
    return VersionSource("file", VersionFile(manifest, kind="toml", key="package"))
