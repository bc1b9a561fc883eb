"""hatchling: `[tool.hatch.version]`, a `path` read by its regex (or `code`) source, or a
version source plugin such as hatch-vcs."""

from __future__ import annotations

import re

from release_guard.versions import Context, VersionFile, VersionSource, clean_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

WHERE = "[tool.hatch.version]"
# hatch's own default for its regex version source (hatchling.version.core.DEFAULT_PATTERN):
# the version of truth is what hatch reads, so the same pattern, not a kinder one
DEFAULT_PATTERN = r"""(?i)^(__version__|VERSION) *= *(['"])v?(?P<version>.+?)\2"""
# hatch's plugins that derive the version from git tags, by their `source` name
VCS_SOURCES = ("vcs", "uv-dynamic-versioning", "versioningit", "vcs-versioning")


def detect(project: Context) -> VersionSource | None:
    table = project.dig("tool", "hatch", "version")
    source = table.get("source", "regex")
    if source in VCS_SOURCES:
        return VersionSource("vcs", detail="hatch-vcs" if source == "vcs" else str(source))
    path = table.get("path")
    if not isinstance(path, str):
        return None
    path = clean_path(path, f"{WHERE} path")
    if source == "code":
        # hatch imports the file and evaluates `expression`: a plain name is read with ast
        expression = table.get("expression", "__version__")
        if isinstance(expression, str) and expression.isidentifier():
            return VersionSource("file", VersionFile(path, variable=expression))
        return VersionSource(
            "missing",
            detail=f"{WHERE} computes the version with the expression {expression!r} of {path}, "
            "which cannot be read without running it: name the file that carries the version in "
            '[tool.release-guard] version-source = "..."',
        )
    if source != "regex":
        return VersionSource(
            "missing",
            detail=f"{WHERE} source {source!r} is a plugin release-guard does not know: set "
            '[tool.release-guard] version-source = "vcs" (from git tags) or the file it reads',
        )
    return VersionSource("file", VersionFile(path, _pattern(table)))


def _pattern(table: dict[str, Any]) -> str:
    pattern = table.get("pattern", True)
    if pattern is True or pattern is False:
        return DEFAULT_PATTERN
    if not isinstance(pattern, str):
        raise ValueError(f"{WHERE} pattern must be a string or true")
    if "version" not in check_pattern(pattern, f"{WHERE} pattern").groupindex:
        raise ValueError(
            f"{WHERE} pattern {pattern!r} needs a group named 'version', as hatch does"
        )
    return pattern


def check_pattern(pattern: str, where: str) -> re.Pattern[str]:
    """Compile a version regex: one group, or a group named 'version'; ValueError otherwise."""
    try:
        compiled = re.compile(pattern, re.MULTILINE)
    except re.error as error:
        raise ValueError(f"{where} {pattern!r} is not a valid regex: {error}") from None
    if compiled.groups != 1 and "version" not in compiled.groupindex:
        raise ValueError(f"{where} {pattern!r} needs exactly one group (or one named 'version')")
    return compiled
