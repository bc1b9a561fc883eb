"""One reader per build backend: where that backend takes a dynamic version from.

Each module has `detect(project: Context) -> VersionSource | None` (None: the backend's
config names no version source); `release_guard.versions.detect` picks the module.
"""

from __future__ import annotations

import posixpath
from typing import Any

from release_guard.source import Source

PYPROJECT = "pyproject.toml"


class Context:
    """What a reader may look at: pyproject.toml, parsed, and the project's files.

    A plain class: a NamedTuple costs a tenth of a millisecond to create at every start."""

    __slots__ = ("data", "name", "source")

    def __init__(self, data: dict[str, Any], source: Source, name: str | None) -> None:
        self.data = data
        self.source = source
        self.name = name  # the distribution name, when known

    def dig(self, *keys: str) -> dict[str, Any]:
        """A nested table, {} when absent or not a table: other tools' tables are theirs to
        validate; release-guard only reads what it can use."""
        return dig(self.data, *keys)

    def exists(self, path: str) -> bool:
        return self.source.read_bytes(path) is not None


def dig(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    node: Any = data
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def import_name(name: str) -> str:
    """The import name a distribution name suggests: runs of -, _ and . become one _."""
    parts = name.lower().replace("-", ".").replace("_", ".").split(".")
    return "_".join(part for part in parts if part)


def clean_path(value: str, key: str) -> str:
    """A normalized POSIX path inside the repository; ValueError otherwise."""
    normalized = posixpath.normpath(value.replace("\\", "/"))
    if (
        posixpath.isabs(normalized)
        or normalized[1:2] == ":"  # a Windows drive, C:
        or normalized.split("/")[0] == ".."
    ):
        raise ValueError(f"{key}: path {value!r} is outside the repository")
    if normalized == ".":
        raise ValueError(f"{key}: path {value!r} names the repository itself, not a file")
    return normalized


def module_file(project: Context, module: str, roots: list[str]) -> str:
    """The file of a dotted module under the first root that has it (else under the first
    root, as a package: RG102 then names the file that is missing)."""
    stems = [posixpath.join(root, *module.split(".")) for root in roots]
    for stem in stems:
        for candidate in (f"{stem}/__init__.py", f"{stem}.py"):
            if project.exists(candidate):
                return candidate
    return f"{stems[0]}/__init__.py"


def package_root(data: dict[str, Any]) -> str:
    tool = data.get("tool")
    setuptools = tool.get("setuptools") if isinstance(tool, dict) else None
    package_dir = setuptools.get("package-dir") if isinstance(setuptools, dict) else None
    root = package_dir.get("", "") if isinstance(package_dir, dict) else ""
    return root if isinstance(root, str) else ""
