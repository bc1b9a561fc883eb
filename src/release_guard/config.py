"""Read pyproject.toml: the project's name and version source, and [tool.release-guard]."""

from __future__ import annotations

import posixpath
import re
import sys
from typing import Any, NamedTuple

from release_guard.findings import input_error
from release_guard.source import Source, read_text

PYPROJECT = "pyproject.toml"
CONFIG_TABLE = "tool.release-guard"


class VersionFile(NamedTuple):
    """A file that carries the version: a Python variable read with ast, or a regex."""

    path: str
    pattern: str | None = None  # one group, or a group named "version"; None: Python variable
    variable: str = "__version__"


class Config(NamedTuple):
    version_files: tuple[VersionFile, ...]
    version_files_configured: bool
    changelog: str = "CHANGELOG.md"
    tag_format: str = "v{version}"
    version_scheme: str = "pep440"
    ignore: frozenset[str] = frozenset()
    release_branches: tuple[str, ...] = ()
    wheel_files: tuple[str, ...] | None = None
    sdist_files: tuple[str, ...] | None = None
    changelog_configured: bool = False  # False: discovery finds it (changelog/discovery.py)
    changelog_format: str | None = None  # None: detected
    pre_releases: str = "section"  # or "unreleased": see docs/changelogs.md

    def tag_for(self, version: str) -> str:
        return self.tag_format.replace("{version}", version)

    def version_in_tag(self, tag: str) -> str | None:
        """The version a release tag names under tag-format; None when it is no release tag.

        A release tag follows tag-format and its version part starts with a digit:
        `vendor-drop` is no release tag under "v{version}"; `v1.2.x` is, and is judged.
        """
        prefix, _, suffix = self.tag_format.partition("{version}")
        if len(tag) > len(prefix) + len(suffix) and tag.startswith(prefix) and tag.endswith(suffix):
            version = tag[len(prefix) : len(tag) - len(suffix)]
            if version[0].isdigit():
                return version
        return None


class VersionSource(NamedTuple):
    """Where the version of truth lives.

    kind: "static" ([project].version), "file" (a dynamic version read from a file),
    "vcs" (derived from git tags: nothing to keep in sync) or "missing".
    """

    kind: str
    file: VersionFile | None = None
    static_version: object = None  # the raw [project].version value, checked by versions.py
    detail: str = ""


class Project(NamedTuple):
    name: str | None
    version_source: VersionSource
    config: Config
    pyproject_text: str
    pyproject: dict[str, Any]

    def line_of(self, pattern: str, table: str | None = None) -> int | None:
        """1-based line of the first line matching `pattern`, inside `[table]` when given."""
        return _line_of(self.pyproject_text, pattern, table)

    def own_files(self) -> tuple[str, ...]:
        """The files release-guard reads the project from: never to be written over by output."""
        truth = self.version_source.file
        return (
            PYPROJECT,
            self.config.changelog,
            *((truth.path,) if truth else ()),
            *(version_file.path for version_file in self.config.version_files),
        )


def load_project(source: Source) -> Project:
    text = read_text(source, PYPROJECT)
    if text is None:
        raise input_error("RG001", f"no {PYPROJECT} found", PYPROJECT)
    data = parse_toml(text, source.describe(PYPROJECT))
    project_table = _table(data, "project", text)
    name = project_table.get("name")
    try:
        version_source = _version_source(data, project_table, source)
    except ValueError as error:
        raise input_error("RG004", str(error), PYPROJECT) from None
    config = _read_config(
        data, text, source, name if isinstance(name, str) else None, version_source
    )
    return Project(name if isinstance(name, str) else None, version_source, config, text, data)


def parse_toml(text: str, where: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        line: int | None = None
        column: int | None = None
        place = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if place:
            line, column = int(place.group(1)), int(place.group(2))
            message = message[: place.start()].rstrip()
        elif message.endswith("(at end of document)"):
            line = text.count("\n") + (not text.endswith("\n"))
        raise input_error(
            "RG003", f"{where} is not valid TOML: {message}", PYPROJECT, line, column
        ) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively
        raise input_error(
            "RG003", f"{where} is not valid TOML: values nested too deeply", PYPROJECT
        ) from None
    return data


def _table(data: dict[str, Any], dotted: str, text: str) -> dict[str, Any]:
    """The table at a dotted path, {} when absent; an input error when it is not a table."""
    node: Any = data
    for key in dotted.split("."):
        node = node.get(key, {})
        if not isinstance(node, dict):
            raise input_error(
                "RG004", f"[{dotted}] must be a table", PYPROJECT, _line_of(text, re.escape(key))
            )
    result: dict[str, Any] = node
    return result


def _dig(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    """A nested table of a build backend's config, {} when absent or not a table.

    Other tools' tables are theirs to validate: release-guard only reads what it can use.
    """
    node: Any = data
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def _line_of(text: str, pattern: str, table: str | None = None) -> int | None:
    regex = re.compile(pattern)
    inside = table is None
    # split on "\n" only: str.splitlines() also breaks on characters a TOML string may hold
    for number, line in enumerate(text.split("\n"), 1):
        header = _TABLE_HEADER.match(line) if table is not None else None
        if header:
            inside = _table_name(header.group(1)) == table
            continue
        if inside and regex.search(line):
            return number
    return None


_TABLE_HEADER = re.compile(r"""^\s*\[\[?\s*((?:[^\]"'#]|"[^"]*"|'[^']*')+?)\s*\]""")


def _table_name(header: str) -> str:
    """A table header's name as a dotted path, without quotes or spaces around the dots."""
    return ".".join(part.strip().strip("\"'") for part in header.split("."))


# -- where the version lives ---------------------------------------------------------------


def _version_source(data: dict[str, Any], project: dict[str, Any], source: Source) -> VersionSource:
    dynamic = project.get("dynamic", [])
    if "version" in project and isinstance(dynamic, list) and "version" in dynamic:
        # PEP 621 forbids it, and build backends refuse to build it
        return VersionSource(
            "missing", detail="[project] sets version and also lists it as dynamic: keep one"
        )
    if "version" in project or not (isinstance(dynamic, list) and "version" in dynamic):
        kind = "static" if "version" in project else "missing"
        return VersionSource(kind, static_version=project.get("version"))
    hatch_version = _dig(data, "tool", "hatch", "version")
    hatch_source = hatch_version.get("source", "regex")
    if hatch_source == "vcs":
        return VersionSource("vcs", detail="hatch-vcs")
    path = hatch_version.get("path")
    if isinstance(path, str):
        return VersionSource("file", _hatch_version_file(path, hatch_source, hatch_version))
    spec = _dig(data, "tool", "setuptools", "dynamic").get("version")
    if isinstance(spec, dict) and isinstance(spec.get("attr"), str):
        return _setuptools_attr(spec["attr"], data, source)
    if isinstance(spec, dict) and isinstance(spec.get("file"), (str, list)) and spec["file"]:
        first = spec["file"] if isinstance(spec["file"], str) else spec["file"][0]
        return VersionSource(
            "file", VersionFile(_clean_path(str(first), "version file"), r"\A\s*(\S+)\s*\Z")
        )
    tool = _dig(data, "tool")
    if "setuptools_scm" in tool or "setuptools-scm" in tool or _requires_vcs_plugin(data):
        return VersionSource("vcs", detail="setuptools-scm")
    return VersionSource(
        "missing", detail="[project] lists version as dynamic, but no source resolves"
    )


# hatch's own default for its regex version source (hatchling.version.core.DEFAULT_PATTERN):
# the version of truth is what hatch reads, so the same pattern, not a kinder one
HATCH_DEFAULT_PATTERN = r"""(?i)^(__version__|VERSION) *= *(['"])v?(?P<version>.+?)\2"""


def _hatch_version_file(path: str, hatch_source: object, table: dict[str, Any]) -> VersionFile:
    where = "[tool.hatch.version]"
    path = _clean_path(path, f"{where} path")
    if hatch_source == "code":
        # hatch imports the file and evaluates `expression`: a plain name is read with ast
        expression = table.get("expression", "__version__")
        if isinstance(expression, str) and expression.isidentifier():
            return VersionFile(path, variable=expression)
        return VersionFile(path)
    pattern = table.get("pattern", True)
    if pattern is True or pattern is False:
        return VersionFile(path, HATCH_DEFAULT_PATTERN)
    if not isinstance(pattern, str):
        raise ValueError(f"{where} pattern must be a string or true")
    if "version" not in check_pattern(pattern, f"{where} pattern").groupindex:
        raise ValueError(
            f"{where} pattern {pattern!r} needs a group named 'version', as hatch does"
        )
    return VersionFile(path, pattern)


def check_pattern(pattern: str, where: str) -> re.Pattern[str]:
    """Compile a version regex: one group, or a group named 'version'; ValueError otherwise."""
    try:
        compiled = re.compile(pattern, re.MULTILINE)
    except re.error as error:
        raise ValueError(f"{where} {pattern!r} is not a valid regex: {error}") from None
    if compiled.groups != 1 and "version" not in compiled.groupindex:
        raise ValueError(f"{where} {pattern!r} needs exactly one group (or one named 'version')")
    return compiled


def _requires_vcs_plugin(data: dict[str, Any]) -> bool:
    requires = _dig(data, "build-system").get("requires", [])
    return isinstance(requires, list) and any(
        isinstance(item, str)
        and re.match(r"(hatch-vcs|setuptools[-_]scm|setuptools-git-versioning)\b", item)
        for item in requires
    )


def _setuptools_attr(attr: str, data: dict[str, Any], source: Source) -> VersionSource:
    module, _, variable = attr.rpartition(".")
    if not module:
        return VersionSource("missing", detail=f"cannot resolve attr {attr!r}")
    stems = [posixpath.join(root, *module.split(".")) for root in _setuptools_roots(data)]
    for stem in stems:
        for candidate in (f"{stem}/__init__.py", f"{stem}.py"):
            if source.read_bytes(candidate) is not None:
                return VersionSource("file", VersionFile(candidate, variable=variable))
    return VersionSource("file", VersionFile(f"{stems[0]}/__init__.py", variable=variable))


def _setuptools_roots(data: dict[str, Any]) -> list[str]:
    """Where setuptools looks for packages: package-dir, else find's `where`, else the
    project top and src/ (its automatic discovery covers both layouts)."""
    configured = _setuptools_package_root(data)
    if configured:
        return [configured]
    where = _dig(data, "tool", "setuptools", "packages", "find").get("where")
    if isinstance(where, list) and where and all(isinstance(w, str) for w in where):
        return [w.strip("/") or "" for w in where]
    return ["", "src"]


def _setuptools_package_root(data: dict[str, Any]) -> str:
    root = _dig(data, "tool", "setuptools", "package-dir").get("", "")
    return root if isinstance(root, str) else ""


# -- which files must carry the version ------------------------------------------------------


def detect_package_init(data: dict[str, Any], name: str | None, source: Source) -> str | None:
    """The package's __init__.py: from the build backend's config, else the single package
    under src/, else the package named after the project."""
    wanted = _import_name(name) if name else None
    configured = [
        package
        for package in _configured_packages(data)
        if source.read_bytes(f"{package}/__init__.py") is not None
    ]
    named = [package for package in configured if posixpath.basename(package) == wanted]
    if named or configured:
        return f"{(named or configured)[0]}/__init__.py"
    under_src = [
        entry
        for entry, is_dir in (source.list_dir("src") or [])
        if is_dir and source.read_bytes(f"src/{entry}/__init__.py") is not None
    ]
    if len(under_src) == 1:
        return f"src/{under_src[0]}/__init__.py"
    if wanted:
        for candidate in (f"src/{wanted}/__init__.py", f"{wanted}/__init__.py"):
            if source.read_bytes(candidate) is not None:
                return candidate
    return None


def _configured_packages(data: dict[str, Any]) -> list[str]:
    """Top-level package directories named in hatch's or setuptools' config."""
    found: list[str] = []
    for table in (
        _dig(data, "tool", "hatch", "build", "targets", "wheel"),
        _dig(data, "tool", "hatch", "build"),
    ):
        packages = table.get("packages")
        if isinstance(packages, list):
            found += [p.strip("/") for p in packages if isinstance(p, str)]
    packages = _dig(data, "tool", "setuptools").get("packages")
    if isinstance(packages, list):
        root = _setuptools_package_root(data)
        found += [posixpath.join(root, p) for p in packages if isinstance(p, str) and "." not in p]
    return found


def _import_name(name: str) -> str:
    """The import name a distribution name suggests: runs of -, _ and . become one _."""
    parts = name.lower().replace("-", ".").replace("_", ".").split(".")
    return "_".join(part for part in parts if part)


# -- [tool.release-guard] ----------------------------------------------------------------------

_KEYS = {
    "version-files",
    "changelog",
    "tag-format",
    "version-scheme",
    "ignore",
    "release-branches",
    "wheel-files",
    "sdist-files",
    "changelog-format",
    "pre-releases",
}
CHANGELOG_FORMATS = ("keep-a-changelog", "markdown", "rst", "towncrier", "scriv", "none")
PRE_RELEASE_MODES = ("section", "unreleased")


def _read_config(
    data: dict[str, Any], text: str, source: Source, name: str | None, version_source: VersionSource
) -> Config:
    table = _table(data, CONFIG_TABLE, text)

    def fail(message: str, key: str | None = None) -> Exception:
        """RG004 at the offending key's line when it can be found, else at the table's."""
        key_line = (
            _line_of(text, rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", CONFIG_TABLE) if key else None
        )
        line = key_line or _line_of(text, r"^\s*\[\s*tool\s*\.\s*[\"']?release-guard")
        return input_error("RG004", f"[{CONFIG_TABLE}] {message}", PYPROJECT, line)

    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise fail(
            f"has unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})", unknown[0]
        )

    def string(key: str, default: str) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or not value:
            raise fail(f"{key} must be a non-empty string", key)
        return value

    def strings(key: str) -> tuple[str, ...] | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise fail(f"{key} must be a list of non-empty strings", key)
        return tuple(value)

    def path(value: str, key: str) -> str:
        try:
            return _clean_path(value, key)
        except ValueError as error:
            raise fail(str(error), key) from None

    changelog_format = table.get("changelog-format")
    if changelog_format is not None and changelog_format not in CHANGELOG_FORMATS:
        raise fail(
            f"changelog-format must be one of {', '.join(CHANGELOG_FORMATS)}, not {changelog_format!r}",
            "changelog-format",
        )
    if table.get("changelog") is False:  # the notes live elsewhere (GitHub Releases)
        changelog_format = "none"
        changelog = "CHANGELOG.md"
    else:
        changelog = path(string("changelog", "CHANGELOG.md"), "changelog")
    pre_releases = string("pre-releases", "section")
    if pre_releases not in PRE_RELEASE_MODES:
        raise fail(
            f"pre-releases must be 'section' or 'unreleased', not {pre_releases!r}", "pre-releases"
        )
    tag_format = string("tag-format", "v{version}")
    if tag_format.count("{version}") != 1 or any(
        brace in tag_format.replace("{version}", "") for brace in "{}"
    ):
        raise fail(
            f"tag-format must contain {{version}} exactly once and no other braces: {tag_format!r}",
            "tag-format",
        )
    if any(char.isspace() or char in "~^:?*[\\" for char in tag_format):
        raise fail(f"tag-format {tag_format!r} cannot be a git tag name", "tag-format")
    scheme = string("version-scheme", "pep440")
    if scheme not in ("pep440", "semver"):
        raise fail(f"version-scheme must be 'pep440' or 'semver', not {scheme!r}", "version-scheme")
    ignore = strings("ignore") or ()
    for code in ignore:
        from release_guard.rules import RULES  # only a config that ignores something needs it

        if code not in RULES:
            raise fail(
                f"ignore names an unknown rule {code!r} (see: release-guard rules)", "ignore"
            )
        if RULES[code].fatal:
            raise fail(f"ignore cannot silence {code}: input errors always stop the run", "ignore")

    if "version-files" in table:
        raw = table["version-files"]
        if not isinstance(raw, list):
            raise fail("version-files must be a list", "version-files")
        version_files = tuple(_version_file(entry, fail, path) for entry in raw)
        configured = True
    else:
        detected = detect_package_init(data, name, source)
        version_files = (VersionFile(detected),) if detected else ()
        configured = False
    truth = version_source.file.path if version_source.file else None
    version_files = tuple(vf for vf in version_files if vf.path != truth)

    return Config(
        version_files=version_files,
        version_files_configured=configured,
        changelog=changelog,
        tag_format=tag_format,
        version_scheme=scheme,
        ignore=frozenset(ignore),
        release_branches=strings("release-branches") or (),
        wheel_files=strings("wheel-files"),
        sdist_files=strings("sdist-files"),
        changelog_configured="changelog" in table and changelog_format != "none",
        changelog_format=changelog_format,
        pre_releases=pre_releases,
    )


def _version_file(entry: object, fail: Any, path: Any) -> VersionFile:
    if isinstance(entry, str) or (isinstance(entry, dict) and set(entry) == {"path"}):
        name = entry if isinstance(entry, str) else entry["path"]
        if isinstance(name, str) and not name.endswith(".py"):
            raise fail(
                f"version-files entry {name!r} is not a Python file: give it a pattern, "
                '{ path = "...", pattern = "..." }',
                "version-files",
            )
    if isinstance(entry, str):
        return VersionFile(path(entry, "version-files"))
    if (
        isinstance(entry, dict)
        and set(entry) <= {"path", "pattern"}
        and isinstance(entry.get("path"), str)
    ):
        pattern = entry.get("pattern")
        if pattern is None:
            return VersionFile(path(entry["path"], "version-files"))
        if not isinstance(pattern, str):
            raise fail("version-files pattern must be a string", "version-files")
        try:
            check_pattern(pattern, "version-files pattern")
        except ValueError as error:
            raise fail(str(error), "version-files") from None
        return VersionFile(path(entry["path"], "version-files"), pattern)
    raise fail(
        'version-files entries are paths or {path = "...", pattern = "..."} tables', "version-files"
    )


def _clean_path(value: str, key: str) -> str:
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
