"""towncrier: news fragments in a directory, compiled into the changelog at release.

The configuration is read as towncrier reads it (`towncrier.toml` before pyproject's
`[tool.towncrier]`; `directory`, else `{package_dir}/{package}/newsfragments`; `filename`,
`start_string`, `types` as an array or `[tool.towncrier.fragment.*]` tables, `ignore`,
`orphan_prefix`), fragments are named as towncrier parses them
(`<issue>.<type>[.<counter>][.ext]`). The compiled file is read by the Markdown or RST reader.
"""

from __future__ import annotations

import posixpath

from release_guard.changelog.fragments import read_fragments, with_fragments
from release_guard.changelog.model import Changelog
from release_guard.findings import input_error
from release_guard.source import Source, read_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMAT = "towncrier"
CONFIG_FILE = "towncrier.toml"
DEFAULT_TYPES = {"feature": True, "bugfix": True, "doc": True, "removal": True, "misc": False}
ALWAYS_IGNORED = (".gitignore", ".gitkeep", ".keep", "readme", "readme.md", "readme.rst")


class Settings:
    """towncrier's configuration, as far as release-guard reads it (a plain class: this runs
    at every commit of a towncrier project)."""

    __slots__ = ("config_file", "directories", "filename", "ignore", "issue_format", "types")

    def __init__(
        self,
        config_file: str,
        filename: str,
        directories: list[str],
        types: dict[str, bool],
        ignore: tuple[str, ...],
        issue_format: str | None,
    ) -> None:
        self.config_file = config_file
        self.filename = filename
        self.directories = directories  # one per [[tool.towncrier.section]]
        self.types = types  # type -> whether its content is shown (so must not be empty)
        self.ignore = ignore  # lower-cased fnmatch patterns
        self.issue_format = issue_format


def table(source: Source, pyproject: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """(file, [tool.towncrier]) where towncrier would find it, None without one."""
    text = read_text(source, CONFIG_FILE)
    if text is not None:
        from release_guard.config import parse_toml

        found = parse_toml(text, source.describe(CONFIG_FILE)).get("tool", {}).get("towncrier")
        return (CONFIG_FILE, found) if isinstance(found, dict) else (CONFIG_FILE, {})
    found = pyproject.get("tool", {}).get("towncrier")
    return ("pyproject.toml", found) if isinstance(found, dict) else None


def settings(source: Source, pyproject: dict[str, Any]) -> Settings | None:
    located = table(source, pyproject)
    if located is None:
        return None
    where, config = located

    def text(key: str, default: str) -> str:
        value = config.get(key, default)
        if not isinstance(value, str):
            raise input_error("RG004", f"[tool.towncrier] {key} must be a string", where)
        return value

    package = text("package", "") or str(pyproject.get("project", {}).get("name", ""))
    directory = config.get("directory")
    if directory is None:
        base = posixpath.join(text("package_dir", "."), package, "newsfragments")
    elif isinstance(directory, str):
        base = directory
    else:
        raise input_error("RG004", "[tool.towncrier] directory must be a string", where)
    sections = config.get("section")
    paths = (
        [s.get("path", "") for s in sections if isinstance(s, dict)]
        if isinstance(sections, list)
        else [""]
    )
    directories = [posixpath.normpath(posixpath.join(base, str(p))) for p in paths or [""]]
    ignore = [*ALWAYS_IGNORED]
    template = config.get("template")
    if isinstance(template, str) and ":" not in template:
        ignore.append(posixpath.basename(template).lower())
    extra = config.get("ignore")
    if isinstance(extra, list):
        ignore += [str(name).lower() for name in extra]
    issue_format = config.get("issue_format")
    return Settings(
        where,
        posixpath.normpath(text("filename", "NEWS.rst")),
        directories,
        _types(config),
        tuple(ignore),
        issue_format if isinstance(issue_format, str) else None,
    )


def _types(config: dict[str, Any]) -> dict[str, bool]:
    tables = config.get("fragment")
    if isinstance(tables, dict) and tables:
        return {
            str(name): bool(options.get("showcontent", True)) if isinstance(options, dict) else True
            for name, options in tables.items()
        }
    array = config.get("type")
    if isinstance(array, list) and array:
        types = {}
        for entry in array:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                key = entry.get("directory", entry["name"].lower())
                types[str(key)] = bool(entry.get("showcontent", True))
        return types
    return dict(DEFAULT_TYPES)


def fragment_type(name: str, types: dict[str, bool]) -> str | None:
    """The type towncrier reads in a fragment's name: the last known type after the first part."""
    parts = name.split(".")
    for index in range(len(parts) - 1, 0, -1):
        if parts[index] in types:
            return parts[index]
    return None


def read(source: Source, pyproject: dict[str, Any], path: str, text: str | None) -> Changelog:
    found = settings(source, pyproject)
    assert found is not None  # discovery chose this format from the configuration
    names = {pattern for pattern in found.ignore if not any(c in pattern for c in "*?[")}
    globs = [pattern for pattern in found.ignore if pattern not in names]

    # a missing fragment directory holds no fragments: git keeps no empty directory
    def ignored(name: str) -> bool:
        lowered = name.lower()
        if lowered in names:
            return True
        if not globs:
            return False
        from fnmatch import fnmatch  # only for configured glob patterns

        return any(fnmatch(lowered, pattern) for pattern in globs)

    def judge(name: str, body: str) -> str | None:
        kind = fragment_type(name, found.types)
        if kind is None:
            known = ", ".join(found.types)
            return f"has no known type in its name (towncrier skips it; types: {known})"
        if found.types[kind] and not body.strip():
            return f"is empty: the {kind} entry would say nothing"
        return None

    fragments = read_fragments(source, found.directories, ignored, judge)
    compiled = compiled_changelog(path, text)
    return with_fragments(compiled, found.directories[0], fragments)


def compiled_changelog(path: str, text: str | None) -> Changelog:
    """The file towncrier writes into, read by the reader of its markup."""
    if path.lower().endswith((".md", ".markdown")):
        from release_guard.changelog import markdown as reader
    else:
        from release_guard.changelog import rst as reader  # type: ignore[no-redef]
    if text is None:
        return reader.parse("", path, FORMAT)._replace(lines=[])
    return reader.parse(text, path, FORMAT)
