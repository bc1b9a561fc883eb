"""Where a project keeps its version, and every file that carries it.

`detect` picks the version source from `[build-system]` and the config (one reader module per
build backend, from a table); `files` reads a version out of one kind of file (one module per
kind); `rules` judges them (RG1xx); `roll` sets a new version in all of them for `prepare`.
Every reader is static: TOML, INI and Python `ast`, never the project's code.
"""

from __future__ import annotations

from typing import NamedTuple


class VersionFile(NamedTuple):
    """A file that carries the version, and how to read it.

    kind: "python" (a variable read with ast), "pattern" (a regex with one group), "toml" (the
    string at `key`, a dotted table path, in a TOML file), "setup-cfg", "setup-py", "uv-lock",
    "citation", "sphinx"; "" means "python" without a pattern and "pattern" with one.
    """

    path: str
    pattern: str | None = None  # one group, or a group named "version"
    variable: str = "__version__"
    kind: str = ""
    key: str = ""  # kind-specific: a TOML table, the project name in uv.lock
    required: bool = True  # False: detected, not configured; a file without a version is fine

    @property
    def reader(self) -> str:
        return self.kind or ("python" if self.pattern is None else "pattern")


class VersionSource(NamedTuple):
    """Where the version of truth lives.

    kind: "file" (the version is read from `file`), "vcs" (derived from git tags: nothing to
    keep in sync) or "missing" (`detail` says why, and which config key settles it).
    """

    kind: str
    file: VersionFile | None = None
    detail: str = ""


class Carried(NamedTuple):
    """One value a file carries: the version, a short X.Y form of it, or a release date."""

    value: str
    line: int | None
    start: int  # offset of the value in the file's text (-1: not located): prepare's span
    role: str = "version"  # "version", "short" (X.Y or the full version) or "date"


class Reading(NamedTuple):
    """What a reader found in a file that exists."""

    values: tuple[Carried, ...] = ()
    line: int | None = None  # where the version is set, when it is computed or malformed
    computed: str | None = None  # how it is computed at run time: nothing to keep in sync
    imported_from: str | None = None  # `from MODULE import __version__`
    problem: str | None = None  # set, but not to a version string (RG101 for the truth)

    @property
    def version(self) -> Carried | None:
        return next((value for value in self.values if value.role == "version"), None)
