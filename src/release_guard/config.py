"""Read the project: its name and version source (release_guard.versions), and
[tool.release-guard] from pyproject.toml."""

from __future__ import annotations

import re
import sys

from release_guard.findings import input_error
from release_guard.record import Record
from release_guard.source import Source, read_text
from release_guard.versions import Context, VersionFile, VersionSource, clean_path, dig

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

PYPROJECT = "pyproject.toml"
CONFIG_TABLE = "tool.release-guard"
# a project without pyproject.toml is still a project when setuptools builds it from these
LEGACY_FILES = ("setup.cfg", "setup.py")

__all__ = ["PYPROJECT", "Config", "Project", "VersionFile", "VersionSource", "load_project"]


class PackageEntry(Record):
    """One `[[tool.release-guard.packages]]` table: a package of a workspace, its paths
    relative to the repository root (release_guard.workspace)."""

    __slots__ = ("changelog", "changelog_format", "path", "tag_format", "version_files")

    def __init__(
        self,
        path: str,
        tag_format: str | None = None,
        changelog: str | None = None,
        version_files: tuple[VersionFile, ...] | None = None,
        changelog_format: str | None = None,
    ) -> None:
        self.path = path
        self.tag_format = tag_format
        self.changelog = changelog
        self.version_files = version_files
        self.changelog_format = changelog_format


class Config(Record):
    __slots__ = (
        "changelog",
        "changelog_configured",
        "changelog_format",
        "ignore",
        "ignore_tags",
        "packages",
        "pre_releases",
        "release_branches",
        "sdist_files",
        "tag_format",
        "version_files",
        "version_files_configured",
        "version_scheme",
        "wheel_files",
    )

    def __init__(
        self,
        version_files: tuple[VersionFile, ...],
        version_files_configured: bool,
        changelog: str = "CHANGELOG.md",
        tag_format: str = "v{version}",
        version_scheme: str = "pep440",
        ignore: frozenset[str] = frozenset(),
        release_branches: tuple[str, ...] = (),
        wheel_files: tuple[str, ...] | None = None,
        sdist_files: tuple[str, ...] | None = None,
        ignore_tags: tuple[str, ...] = (),  # globs of tags that are never judged as releases
        packages: tuple[PackageEntry, ...] = (),  # declared workspace packages
        changelog_configured: bool = False,  # False: discovery finds it (changelog/discovery.py)
        changelog_format: str | None = None,  # None: detected
        pre_releases: str = "section",  # or "unreleased": see docs/changelogs.md
    ) -> None:
        self.version_files = version_files
        self.version_files_configured = version_files_configured
        self.changelog = changelog
        self.tag_format = tag_format
        self.version_scheme = version_scheme
        self.ignore = ignore
        self.release_branches = release_branches
        self.wheel_files = wheel_files
        self.sdist_files = sdist_files
        self.ignore_tags = ignore_tags
        self.packages = packages
        self.changelog_configured = changelog_configured
        self.changelog_format = changelog_format
        self.pre_releases = pre_releases

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


class Project(Record):
    __slots__ = ("config", "name", "pyproject", "pyproject_text", "version_source")

    def __init__(
        self,
        name: str | None,
        version_source: VersionSource,
        config: Config,
        pyproject_text: str,
        pyproject: dict[str, Any],
    ) -> None:
        self.name = name
        self.version_source = version_source
        self.config = config
        self.pyproject_text = pyproject_text
        self.pyproject = pyproject

    @property
    def is_workspace(self) -> bool:
        """Several packages: a uv workspace, or packages declared in [tool.release-guard]."""
        tool = self.pyproject.get("tool")
        uv = tool.get("uv") if isinstance(tool, dict) else None
        return bool(self.config.packages) or (isinstance(uv, dict) and "workspace" in uv)

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


def load_project(source: Source, inherited: dict[str, Any] | None = None) -> Project:
    """The project in `source`; `inherited`: the [tool.release-guard] table to use when the
    tree has none (the tag guard judging a commit made before the project adopted it)."""
    text = read_text(source, PYPROJECT)
    if text is None:
        if not any(source.read_bytes(name) is not None for name in LEGACY_FILES):
            raise input_error(
                "RG001", f"no {PYPROJECT} found (nor setup.cfg or setup.py)", PYPROJECT
            )
        text = ""
    data = parse_toml(text, source.describe(PYPROJECT)) if text else {}
    _table(data, "project", text)  # a [project] that is not a table is an input error
    table = _table(data, CONFIG_TABLE, text)
    configured = data
    if inherited is not None and not has_config_table(data):
        configured = {**data, "tool": {**dig(data, "tool"), "release-guard": inherited}}
        table = inherited
    from release_guard.versions.detect import project_name, version_source

    # a workspace root without [project] releases nothing itself: nothing to detect
    virtual = is_virtual_root(data, table)
    name = None if virtual else project_name(data, source)
    context = Context(data, source, name)
    try:
        if virtual:
            origin = VersionSource("missing", detail="a virtual workspace root has no version")
        elif "version-source" in table:
            from release_guard.versions.detect import parse_version_source

            origin = parse_version_source(table["version-source"])
        else:
            origin = version_source(context)
    except ValueError as error:
        if "version-source" not in table:
            raise input_error("RG004", str(error), PYPROJECT) from None
        line = _line_of(text, r"^\s*[\"']?version-source", CONFIG_TABLE)
        raise input_error("RG004", f"[{CONFIG_TABLE}] {error}", PYPROJECT, line) from None
    config = _read_config(configured, text, context, origin)
    return Project(name, origin, config, text, data)


def is_virtual_root(data: dict[str, Any], table: dict[str, Any]) -> bool:
    """A workspace root that releases nothing."""
    workspace = "packages" in table or "workspace" in dig(data, "tool", "uv")
    return workspace and builds_nothing(data)


def builds_nothing(data: dict[str, Any]) -> bool:
    """A pyproject.toml with no [project] table, or one uv is told not to build (`[tool.uv]
    package = false`, opentelemetry-python's root)."""
    return not dig(data, "project") or dig(data, "tool", "uv").get("package") is False


def has_config_table(data: dict[str, Any]) -> bool:
    return "release-guard" in dig(data, "tool")


def parse_toml(text: str, where: str, path: str = PYPROJECT) -> dict[str, Any]:
    from release_guard import tomlcache

    if tomlcache.ACTIVE is not None:
        return tomlcache.ACTIVE.parse(text, lambda text: _parse_toml(text, where, path))
    return _parse_toml(text, where, path)


def _parse_toml(text: str, where: str, path: str) -> dict[str, Any]:
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
            "RG003", f"{where} is not valid TOML: {message}", path, line, column
        ) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively
        raise input_error(
            "RG003", f"{where} is not valid TOML: values nested too deeply", path
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


# Each character of the name has one way to match (plain, or inside one quoted key): linear
# time, even on a line `[` + 100,000 spaces in a multi-line string. _table_name strips spaces.
_TABLE_HEADER = re.compile(r"""^\s*\[\[?([^\]"'#]*(?:(?:"[^"]*"|'[^']*')[^\]"'#]*)*)\]""")


def _table_name(header: str) -> str:
    """A table header's name as a dotted path, without quotes or spaces around the dots."""
    return ".".join(part.strip().strip("\"'") for part in header.split("."))


# -- [tool.release-guard] ----------------------------------------------------------------------

_KEYS = {
    "version-files",
    "version-source",
    "changelog",
    "tag-format",
    "version-scheme",
    "ignore",
    "release-branches",
    "wheel-files",
    "sdist-files",
    "ignore-tags",
    "packages",
    "changelog-format",
    "pre-releases",
}
_PACKAGE_KEYS = {"path", "tag-format", "changelog", "changelog-format", "version-files"}
CHANGELOG_FORMATS = ("keep-a-changelog", "markdown", "rst", "towncrier", "scriv", "none")
PRE_RELEASE_MODES = ("section", "unreleased")


def _read_config(
    data: dict[str, Any],
    text: str,
    project: Context,
    version_source: VersionSource,
    detect_files: bool = True,
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
            return clean_path(value, key)
        except ValueError as error:
            raise fail(str(error), key) from None

    def valid_tag_format(tag_format: str) -> str:
        if tag_format.count("{version}") != 1 or any(
            brace in tag_format.replace("{version}", "") for brace in "{}"
        ):
            raise fail(
                "tag-format must contain {version} exactly once and no other braces: "
                f"{tag_format!r}",
                "tag-format",
            )
        if any(char.isspace() or char in "~^:?*[\\" for char in tag_format):
            raise fail(f"tag-format {tag_format!r} cannot be a git tag name", "tag-format")
        return tag_format

    def version_files_of(raw: object) -> tuple[VersionFile, ...]:
        if not isinstance(raw, list):
            raise fail("version-files must be a list", "version-files")
        return tuple(_version_file(entry, fail, path, project.name) for entry in raw)

    def changelog_format_of(value: object, where: str = "") -> str | None:
        if value is not None and value not in CHANGELOG_FORMATS:
            raise fail(
                f"{where}changelog-format must be one of {', '.join(CHANGELOG_FORMATS)}, "
                f"not {value!r}",
                "changelog-format",
            )
        return value

    changelog_format = changelog_format_of(table.get("changelog-format"))
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
    tag_format = valid_tag_format(string("tag-format", "v{version}"))
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

    packages = []
    raw_packages = table.get("packages", [])
    if not isinstance(raw_packages, list):
        raise fail("packages must be a list of tables ([[tool.release-guard.packages]])")
    for entry in raw_packages:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise fail('packages entries are tables with a path: path = "packages/name"')
        unknown = sorted(set(entry) - _PACKAGE_KEYS)
        if unknown:
            raise fail(
                f"packages entry has unknown key {unknown[0]!r} (known: "
                f"{', '.join(sorted(_PACKAGE_KEYS))})"
            )
        entry_format = entry.get("tag-format")
        entry_changelog = entry.get("changelog")
        if entry_format is not None and not isinstance(entry_format, str):
            raise fail("packages tag-format must be a string")
        if entry_changelog is not None and not isinstance(entry_changelog, str):
            raise fail("packages changelog must be a string")
        packages.append(
            PackageEntry(
                entry["path"],
                valid_tag_format(entry_format) if entry_format is not None else None,
                path(entry_changelog, "changelog") if entry_changelog is not None else None,
                version_files_of(entry["version-files"]) if "version-files" in entry else None,
                changelog_format_of(entry.get("changelog-format"), "packages "),
            )
        )

    if "version-files" in table:
        version_files = version_files_of(table["version-files"])
        configured = True
    elif detect_files:
        from release_guard.versions.detect import detected_version_files

        version_files = detected_version_files(project)
        configured = False
    else:
        version_files, configured = (), False
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
        ignore_tags=strings("ignore-tags") or (),
        packages=tuple(packages),
        changelog_configured="changelog" in table and changelog_format != "none",
        changelog_format=changelog_format,
        pre_releases=pre_releases,
    )


def _version_file(entry: object, fail: Any, path: Any, name: str | None) -> VersionFile:
    from release_guard.versions.detect import canonical_name
    from release_guard.versions.files import kind_for_path
    from release_guard.versions.sources.hatch import check_pattern

    if isinstance(entry, dict) and set(entry) == {"path"}:
        entry = entry["path"]
    if isinstance(entry, str):
        kind = kind_for_path(entry)
        if kind is None:
            raise fail(
                f"version-files entry {entry!r} is no file release-guard knows (a .py file, "
                'uv.lock, CITATION.cff, conf.py): give it a pattern, { path = "...", pattern = "..." }',
                "version-files",
            )
        key = canonical_name(name) if kind == "uv-lock" and name else ""
        return VersionFile(
            path(entry, "version-files"), kind="" if kind == "python" else kind, key=key
        )
    if (
        isinstance(entry, dict)
        and set(entry) == {"path", "pattern"}
        and isinstance(entry.get("path"), str)
    ):
        pattern = entry["pattern"]
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
