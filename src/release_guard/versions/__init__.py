"""Where a project keeps its version, and every file that carries it.

`detect` picks the version source from `[build-system]` and the config (one reader module per
build backend, from a table); `files` reads a version out of one kind of file (one module per
kind); `rules` judges them (RG1xx); `roll` sets a new version in all of them for `prepare`.
Every reader is static: TOML, INI and Python `ast`, never the project's code.

This module holds the shapes they all use and what the backend readers share, so that the
commit-time path imports one module for them (docs/design.md, start-up time).
"""

from __future__ import annotations

import posixpath

from release_guard.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from release_guard.source import Source


class VersionFile(Record):
    """A file that carries the version, and how to read it.

    kind: "python" (a variable read with ast), "pattern" (a regex with one group), "toml" (the
    string at `key`, a dotted table path, in a TOML file), "setup-cfg", "setup-py", "uv-lock",
    "citation", "sphinx"; "" means "python" without a pattern and "pattern" with one.
    """

    __slots__ = ("key", "kind", "path", "pattern", "required", "variable")

    def __init__(
        self,
        path: str,
        pattern: str | None = None,  # one group, or a group named "version"
        variable: str = "__version__",
        kind: str = "",
        key: str = "",  # kind-specific: a TOML table, the project name in uv.lock
        required: bool = True,  # False: detected, not configured; a file without a version is fine
    ) -> None:
        self.path = path
        self.pattern = pattern
        self.variable = variable
        self.kind = kind
        self.key = key
        self.required = required

    @property
    def reader(self) -> str:
        return self.kind or ("python" if self.pattern is None else "pattern")


class VersionSource(Record):
    """Where the version of truth lives.

    kind: "file" (the version is read from `file`), "vcs" (derived from git tags: nothing to
    keep in sync) or "missing" (`detail` says why, and which config key settles it).
    """

    __slots__ = ("detail", "file", "kind")

    def __init__(self, kind: str, file: VersionFile | None = None, detail: str = "") -> None:
        self.kind = kind
        self.file = file
        self.detail = detail


class Carried(Record):
    """One value a file carries: the version, a short X.Y form of it, or a release date."""

    __slots__ = ("line", "role", "start", "value")

    def __init__(self, value: str, line: int | None, start: int, role: str = "version") -> None:
        self.value = value
        self.line = line
        self.start = start  # offset of the value in the file's text (-1: not located)
        self.role = role  # "version", "short" (X.Y or the full version) or "date"


class Reading(Record):
    """What a reader found in a file that exists."""

    __slots__ = ("computed", "imported_from", "line", "problem", "values")

    def __init__(
        self,
        values: tuple[Carried, ...] = (),
        line: int | None = None,  # where the version is set, when computed or malformed
        computed: str | None = None,  # how it is computed at run time: nothing to sync
        imported_from: str | None = None,  # `from MODULE import __version__`
        problem: str | None = None,  # set, but not to a version string (RG101 for the truth)
    ) -> None:
        self.values = values
        self.line = line
        self.computed = computed
        self.imported_from = imported_from
        self.problem = problem

    @property
    def version(self) -> Carried | None:
        return next((value for value in self.values if value.role == "version"), None)


# -- what the version source readers (versions.sources) share ------------------------------
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
