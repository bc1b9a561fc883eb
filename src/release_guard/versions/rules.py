"""Version rules: the version of truth is valid, and every file that carries it agrees."""

from __future__ import annotations

import re

from release_guard.findings import Finding
from release_guard.pep440 import parse_version
from release_guard.record import Record
from release_guard.versions import Carried, Reading, VersionFile
from release_guard.versions.files import PARSED_KINDS, read_version_file

TYPE_CHECKING = False
if TYPE_CHECKING:
    from release_guard.config import Project
    from release_guard.source import Source

# compiled on first use (re caches it): only projects with version-scheme = semver need it
_SEMVER = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
# files that name a release to the world: with a version from git tags, judged at release only
RELEASE_KINDS = ("citation",)
# Cargo's tables: their versions are SemVer, which maturin turns into PEP 440 at build time
_CARGO_TABLES = ("package", "workspace.package")


class VersionReport(Record):
    __slots__ = ("dates", "findings", "line", "notes", "path", "version")

    def __init__(
        self,
        version: str | None,  # the version of truth, None when there is none to judge
        path: str,  # where the version of truth lives
        line: int | None,
        findings: list[Finding],
        notes: list[str],
        dates: tuple[tuple[str, Carried], ...] = (),  # release dates files carry, for the release
    ) -> None:
        self.version = version
        self.path = path
        self.line = line
        self.findings = findings
        self.notes = notes
        self.dates = dates


def check_versions(project: Project, source: Source) -> VersionReport:
    findings: list[Finding] = []
    notes: list[str] = []
    origin = project.version_source
    if origin.kind == "vcs":
        notes.append(
            f"the version is derived from git tags ({origin.detail}): "
            "there is no version file to keep in sync"
        )
        return VersionReport(None, "pyproject.toml", None, findings, notes)
    if origin.kind == "missing" or origin.file is None:
        line = project.line_of(r"^\s*\[project\]") if project.pyproject_text else None
        message = f"no version: {origin.detail or '[project].version is missing'}"
        findings.append(Finding("RG101", message, "pyproject.toml", line))
        return VersionReport(None, "pyproject.toml", line, findings, notes)

    truth = origin.file
    if truth.path == "pyproject.toml" and truth.reader == "toml":
        from release_guard.versions.files.toml import read_parsed

        reading: Reading | None = read_parsed(project.pyproject_text, project.pyproject, truth.key)
    else:
        reading = read_version_file(source, truth)
    if reading is None:
        findings.append(_missing_file(truth, "the version source"))
        return VersionReport(None, truth.path, None, findings, notes)
    found = reading.version
    if reading.problem is not None:
        findings.append(Finding("RG101", reading.problem, truth.path, reading.line))
        return VersionReport(None, truth.path, reading.line, findings, notes)
    if found is None:
        findings.append(_no_version(truth, reading))
        return VersionReport(None, truth.path, reading.line, findings, notes)

    version = found.value
    scheme = project.config.version_scheme
    if truth.reader == "toml" and truth.key in _CARGO_TABLES:
        scheme = "semver"
    findings += _validate(version, scheme, truth.path, found.line)
    dates = [(truth.path, value) for value in reading.values if value.role == "date"]
    for version_file in project.config.version_files:
        findings += _compare(source, version_file, version, truth.path, notes, dates)
    return VersionReport(version, truth.path, found.line, findings, notes, tuple(dates))


def files_at_release(
    project: Project, source: Source, report: VersionReport, version: str, day: str | None
) -> list[Finding]:
    """At release: a release date a file carries (CITATION.cff's date-released) must be the
    changelog's date of that release (an undated release is RG302's to report). With a version
    from git tags, the files that name the release to the world (CITATION.cff) must carry the
    tag's version: between releases they were not compared, at release there is one to compare."""
    findings: list[Finding] = []
    dates = list(report.dates)
    if project.version_source.kind == "vcs":
        for version_file in project.config.version_files:
            if version_file.reader in RELEASE_KINDS:
                findings += _compare(source, version_file, version, "the tag", [], dates)
    if day is None:
        return findings
    return findings + [
        Finding(
            "RG108",
            f"date-released {value.value} differs from {day}, the changelog's date of "
            f"the release {version}",
            path,
            value.line,
        )
        for path, value in dates
        if value.value != day
    ]


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
    source: Source,
    version_file: VersionFile,
    version: str,
    truth: str,
    notes: list[str],
    dates: list[tuple[str, Carried]],
) -> list[Finding]:
    reading = read_version_file(source, version_file)
    if reading is None:
        return [_missing_file(version_file, "a version file")] if version_file.required else []
    if reading.imported_from is not None:
        notes.append(
            f"{version_file.path} imports {version_file.variable} from {reading.imported_from}: "
            "list the file that sets it in [tool.release-guard] version-files"
        )
        return []
    if reading.computed is not None:
        if version_file.required:
            notes.append(
                f"{version_file.path} computes its version {reading.computed}: nothing to sync"
            )
        return []
    if reading.problem is not None:
        return [Finding("RG103", f"{reading.problem}", version_file.path, reading.line)]
    if reading.version is None:
        return [_no_version(version_file, reading)] if version_file.required else []
    findings = []
    for carried in reading.values:
        if carried.role == "date":
            dates.append((version_file.path, carried))
        elif not _agrees(carried, version, version_file.reader in PARSED_KINDS):
            what = "version" if carried.role == "version" else "short version"
            findings.append(
                Finding(
                    "RG104",
                    f"{what} {carried.value!r} differs from {version!r} in {truth}",
                    version_file.path,
                    carried.line,
                )
            )
    return findings


def _agrees(carried: Carried, version: str, parsed: bool) -> bool:
    if carried.value == version:
        return True
    if carried.role == "short":
        return carried.value == short_version(version)
    if parsed:
        mine, theirs = parse_version(version), parse_version(carried.value)
        return mine is not None and mine == theirs
    return False


def short_version(version: str) -> str:
    """Sphinx's short X.Y version of a full one."""
    return ".".join(re.split(r"[.!+]|(?<=\d)(?=[a-z])", version)[:2])


def _missing_file(version_file: VersionFile, role: str) -> Finding:
    return Finding("RG102", f"{role} {version_file.path} does not exist", version_file.path)


def _no_version(version_file: VersionFile, reading: Reading) -> Finding:
    from release_guard.versions.sources.hatch import DEFAULT_PATTERN

    if reading.computed is not None:
        what = (
            f"it is computed {reading.computed}; set [tool.release-guard] version-source to the "
            "file that carries it"
        )
    elif reading.imported_from is not None:
        what = (
            f"{version_file.variable} is imported from {reading.imported_from}; set "
            "[tool.release-guard] version-source to the file that sets it"
        )
    elif version_file.reader == "python":
        what = f"no top-level {version_file.variable} = '...' string"
    elif version_file.pattern == DEFAULT_PATTERN:
        what = "hatch's default pattern finds no __version__ = '...' or VERSION = '...' line"
    elif version_file.pattern is not None:
        what = f"nothing matches the pattern {version_file.pattern!r}"
    else:
        what = "no version in it"
    return Finding("RG103", f"no version found: {what}", version_file.path, reading.line)
