"""Version rules: the version of truth is valid, and every version file carries it."""

from __future__ import annotations

import re
from typing import NamedTuple

from release_guard.config import HATCH_DEFAULT_PATTERN, PYPROJECT, Project, VersionFile
from release_guard.findings import Finding, input_error
from release_guard.pep440 import parse_version
from release_guard.source import Source, read_text

# compiled on first use (re caches it): only projects with version-scheme = semver need it
_SEMVER = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"


class FoundVersion(NamedTuple):
    value: str | None  # None: the file exists but carries no version
    line: int | None
    computed: bool = False  # the variable is computed at run time: nothing to keep in sync
    imported_from: str | None = None  # computed by `from MODULE import __version__`


class VersionReport(NamedTuple):
    version: str | None  # the version of truth, None when there is none to judge
    path: str  # where the version of truth lives
    line: int | None
    findings: list[Finding]
    notes: list[str]


def read_version_file(source: Source, version_file: VersionFile) -> FoundVersion | None:
    """The version a file carries; None when the file does not exist."""
    # an empty __init__.py is a common, valid module: it carries no version (RG103)
    text = read_text(source, version_file.path, allow_empty=True)
    if text is None:
        return None
    if version_file.pattern is None:
        return _python_variable(text, version_file, source.describe(version_file.path))
    match = re.search(version_file.pattern, text, re.MULTILINE)
    if match is None:
        return FoundVersion(None, None)
    group = "version" if "version" in match.re.groupindex else 1
    return FoundVersion(match.group(group), text.count("\n", 0, match.start(group)) + 1)


def _python_variable(text: str, version_file: VersionFile, where: str) -> FoundVersion:
    import ast

    try:
        module = ast.parse(text, filename=where)
    except SyntaxError as error:
        raise input_error(
            "RG005",
            f"{where} is not valid Python: {error.msg}",
            version_file.path,
            error.lineno,
            error.offset,
        ) from None
    except (ValueError, RecursionError, MemoryError) as error:
        # ValueError: a NUL byte (Python < 3.11.4); the others: absurdly deep nesting
        reason = str(error) or "nested too deeply"
        raise input_error(
            "RG005", f"{where} is not valid Python: {reason}", version_file.path
        ) from None
    found = FoundVersion(None, None)
    for node in module.body:  # the last top-level assignment is the one importers see
        if isinstance(node, ast.ImportFrom):
            if any((a.asname or a.name) == version_file.variable for a in node.names):
                origin = "." * node.level + (node.module or "")
                found = FoundVersion(None, node.lineno, computed=True, imported_from=origin)
            continue
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == version_file.variable for t in targets):
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found = FoundVersion(value.value, node.lineno)
            else:
                found = FoundVersion(None, node.lineno, computed=True)
    return found


def check_versions(project: Project, source: Source) -> VersionReport:
    findings: list[Finding] = []
    notes: list[str] = []
    origin = project.version_source
    if origin.kind == "vcs":
        notes.append(
            f"the version is derived from git tags ({origin.detail}): "
            "there is no version file to keep in sync"
        )
        return VersionReport(None, PYPROJECT, None, findings, notes)
    if origin.kind == "missing":
        message = "no version: [project].version is missing"
        if origin.detail:
            message = f"no version: {origin.detail}"
        findings.append(Finding("RG101", message, PYPROJECT, project.line_of(r"^\s*\[project\]")))
        return VersionReport(None, PYPROJECT, None, findings, notes)

    if origin.kind == "static":
        path, line = PYPROJECT, project.line_of(r"^\s*version\s*=", "project")
        if not isinstance(origin.static_version, str):
            findings.append(Finding("RG101", "[project].version must be a string", path, line))
            return VersionReport(None, path, line, findings, notes)
        version: str | None = origin.static_version
    else:
        assert origin.file is not None
        path = origin.file.path
        found = read_version_file(source, origin.file)
        if found is None:
            findings.append(_missing_file(origin.file, "the dynamic version source"))
            return VersionReport(None, path, None, findings, notes)
        version, line = found.value, found.line
        if version is None:
            findings.append(_no_version(origin.file, found))
            return VersionReport(None, path, line, findings, notes)

    assert version is not None
    findings += _validate(version, project.config.version_scheme, path, line)
    for version_file in project.config.version_files:
        findings += _compare(source, version_file, version, path, notes)
    config = project.config
    if origin.kind == "static" and not config.version_files and not config.version_files_configured:
        notes.append(
            f"found no package __init__.py to keep in sync with {PYPROJECT} (looked for the "
            "build backend's packages, a single package under src/, then one named after the "
            "project); list the files in [tool.release-guard] version-files"
        )
    return VersionReport(version, path, line, findings, notes)


def _validate(version: str, scheme: str, path: str, line: int | None) -> list[Finding]:
    parsed = parse_version(version)
    if parsed is None:
        return [Finding("RG105", f"version {version!r} is not a valid PEP 440 version", path, line)]
    if scheme == "semver":
        if not re.match(_SEMVER, version):
            return [
                Finding(
                    "RG107",
                    f"version {version!r} is not X.Y.Z[-pre] (version-scheme = semver)",
                    path,
                    line,
                )
            ]
        return []
    if str(parsed) != version:
        return [
            Finding(
                "RG106",
                f"version {version!r} is not normalized: PEP 440 writes it {str(parsed)!r}",
                path,
                line,
            )
        ]
    return []


def _compare(
    source: Source, version_file: VersionFile, version: str, truth: str, notes: list[str]
) -> list[Finding]:
    found = read_version_file(source, version_file)
    if found is None:
        return [_missing_file(version_file, "a version file")]
    if found.imported_from is not None:
        notes.append(
            f"{version_file.path} imports {version_file.variable} from {found.imported_from}: "
            "list the file that sets it in [tool.release-guard] version-files"
        )
        return []
    if found.computed:
        notes.append(
            f"{version_file.path} computes {version_file.variable} at run time: nothing to sync"
        )
        return []
    if found.value is None:
        return [_no_version(version_file, found)]
    if found.value != version:
        return [
            Finding(
                "RG104",
                f"version {found.value!r} differs from {version!r} in {truth}",
                version_file.path,
                found.line,
            )
        ]
    return []


def _missing_file(version_file: VersionFile, role: str) -> Finding:
    return Finding("RG102", f"{role} {version_file.path} does not exist", version_file.path)


def _no_version(version_file: VersionFile, found: FoundVersion) -> Finding:
    if version_file.pattern is None:
        what = f"no top-level {version_file.variable} = '...' string"
    elif version_file.pattern == HATCH_DEFAULT_PATTERN:
        what = "hatch's default pattern finds no __version__ = '...' or VERSION = '...' line"
    else:
        what = f"nothing matches the pattern {version_file.pattern!r}"
    return Finding("RG103", f"no version found: {what}", version_file.path, found.line)
