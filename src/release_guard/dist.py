"""`release-guard verify-dist`: check built wheels and sdists before they are published.

Archives are read in place (zipfile, tarfile); nothing is ever extracted to disk, so a
hostile archive can only produce findings. docs/dist.md describes every check.
"""

from __future__ import annotations

import argparse
import os
import posixpath
import re
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, NamedTuple

from release_guard.findings import Finding, input_error
from release_guard.report import Outcome, default_format, run_command

if TYPE_CHECKING:
    import tarfile
    import zipfile

    from packaging.metadata import InvalidMetadata
    from packaging.version import Version

    from release_guard.config import Project
    from release_guard.source import Source

# METADATA, PKG-INFO and RECORD are read whole; anything larger is no honest metadata file.
MAX_METADATA_BYTES = 16 * 1024 * 1024
HASH_CHUNK = 1024 * 1024
# After this many findings of one code in one archive, the rest are counted, not listed:
# one wrong setting can touch every file of a 10,000-file wheel.
MAX_FINDINGS_PER_CODE = 10
SIGNATURE_FILES = ("RECORD.jws", "RECORD.p7s")
WEAK_HASHES = ("md5", "sha1")
WELL_KNOWN_STRAYS = {
    "test": "test code",
    "tests": "test code",
    "testing": "test code",
    "doc": "documentation",
    "docs": "documentation",
    "example": "examples",
    "examples": "examples",
    "bench": "benchmarks",
    "benchmarks": "benchmarks",
}


class Member(NamedTuple):
    """One archive entry, whatever the archive format."""

    name: str
    kind: str  # "file", "dir", "link" or "special" (device, fifo)
    size: int


class Expected(NamedTuple):
    """What every dist must be: built from this project, at this version, with these files."""

    name: str | None
    version: Version | None
    origin: str  # where the version comes from, for messages
    wheel_files: tuple[str, ...]
    sdist_files: tuple[str, ...]
    top_level: tuple[str, ...]  # names or globs allowed at the wheel's top; empty: unknown
    ignore: frozenset[str] = frozenset()  # codes silenced by [tool.release-guard] ignore


class DistReport:
    """Findings about one dist file; past MAX_FINDINGS_PER_CODE of a code, only a count."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.findings: list[Finding] = []
        self._counts: dict[str, int] = {}

    def add(self, code: str, message: str) -> None:
        count = self._counts.get(code, 0) + 1
        self._counts[code] = count
        if count <= MAX_FINDINGS_PER_CODE:
            self.findings.append(Finding(code, message, self.shown))

    def finish(self) -> list[Finding]:
        for code, count in self._counts.items():
            if count > MAX_FINDINGS_PER_CODE:
                more = count - MAX_FINDINGS_PER_CODE
                self.findings.append(
                    Finding(code, f"and {more} more {code} problem(s) in this file", self.shown)
                )
        return self.findings


# -- what to expect ---------------------------------------------------------------------------


def expected_from_project(
    source: Source, tag: str | None, version: str | None, notes: list[str]
) -> Expected:
    from release_guard.config import load_project
    from release_guard.versions import check_versions

    project = load_project(source)
    config = project.config
    if tag is not None:
        raw = config.version_in_tag(tag)
        if raw is None:
            raise input_error(
                "RG004",
                f"--tag {tag!r} does not follow tag-format {config.tag_format!r}, so it names no version",
                "pyproject.toml",
            )
        origin = f"tag {tag}"
    elif version is not None:
        raw, origin = version, "--version"
    else:
        report = check_versions(project, source)
        raw, origin = report.version, report.path
        if raw is None:
            notes.append(
                "no expected version (run `release-guard check`, or pass --tag or --version): "
                "only the agreement of each dist's file name and metadata is checked"
            )
    package_init = _package_init(project, source)
    return Expected(
        name=project.name,
        version=_parse_expected_version(raw, origin) if raw is not None else None,
        origin=origin,
        wheel_files=_default_wheel_files(project, source, package_init, notes),
        sdist_files=_default_sdist_files(project, source, package_init),
        top_level=_allowed_top_level(project, source, package_init),
        ignore=config.ignore,
    )


def _parse_expected_version(raw: str, origin: str) -> Version:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(raw)
    except InvalidVersion:
        raise input_error(
            "RG105", f"the expected version {raw!r} (from {origin}) is not a PEP 440 version"
        ) from None


def _package_init(project: Project, source: Source) -> str | None:
    from release_guard.config import detect_package_init

    return detect_package_init(project.pyproject, project.name, source)


def _default_wheel_files(
    project: Project, source: Source, package_init: str | None, notes: list[str]
) -> tuple[str, ...]:
    if project.config.wheel_files is not None:
        return project.config.wheel_files
    if package_init is None:
        notes.append("no package __init__.py found: list required files in wheel-files")
        return ()
    package_dir = posixpath.dirname(package_init)
    in_wheel = posixpath.basename(package_dir)
    files = [f"{in_wheel}/__init__.py"]
    if source.read_bytes(f"{package_dir}/py.typed") is not None:
        files.append(f"{in_wheel}/py.typed")
    return tuple(files)


def _default_sdist_files(
    project: Project, source: Source, package_init: str | None
) -> tuple[str, ...]:
    if project.config.sdist_files is not None:
        return project.config.sdist_files
    files = ["pyproject.toml"]
    if package_init is not None:
        files.append(package_init)
        typed = f"{posixpath.dirname(package_init)}/py.typed"
        if source.read_bytes(typed) is not None:
            files.append(typed)
    return tuple(files)


def _allowed_top_level(
    project: Project, source: Source, package_init: str | None
) -> tuple[str, ...]:
    """What may sit at the wheel's top: the package, what wheel-files names, all of src/."""
    allowed = {pattern.split("/")[0] for pattern in project.config.wheel_files or ()}
    if package_init is not None:
        allowed.add(posixpath.basename(posixpath.dirname(package_init)))
    for name, is_dir in source.list_dir("src") or []:
        stem = name if is_dir else name.split(".")[0]
        if stem and not name.endswith(".egg-info") and name != "__pycache__":
            allowed.add(stem)
    return tuple(sorted(allowed))


# -- glob patterns of required files ----------------------------------------------------------


def _has_glob(pattern: str) -> bool:
    return any(char in pattern for char in "*?[")


def _glob_match(parts: Sequence[str], pattern: Sequence[str]) -> bool:
    """Path segments against pattern segments: `*` stays inside a segment, `**` spans any."""
    from fnmatch import fnmatchcase

    if not pattern:
        return not parts
    if pattern[0] == "**":
        return any(_glob_match(parts[skip:], pattern[1:]) for skip in range(len(parts) + 1))
    return bool(parts) and fnmatchcase(parts[0], pattern[0]) and _glob_match(parts[1:], pattern[1:])


def missing_required(patterns: Iterable[str], files: set[str]) -> list[str]:
    """The patterns that match none of `files`."""
    missing = []
    split_files: list[list[str]] | None = None
    for pattern in patterns:
        if not _has_glob(pattern):
            if pattern not in files:
                missing.append(pattern)
            continue
        if split_files is None:
            split_files = [name.split("/") for name in files]
        pattern_parts = pattern.split("/")
        if not any(_glob_match(parts, pattern_parts) for parts in split_files):
            missing.append(pattern)
    return missing


# -- checks every archive gets ------------------------------------------------------------------


def _unsafe_reason(name: str) -> str | None:
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return "is an absolute path"
    if "\\" in name:
        return "contains a backslash, a path separator on Windows"
    if ".." in name.split("/"):
        return "escapes the archive with .."
    if "\x00" in name:
        return "contains a NUL byte"
    return None


def check_members(members: list[Member], report: DistReport) -> None:
    """Unsafe paths, links and devices, duplicates and bytecode, in one pass."""
    seen: set[str] = set()
    for member in members:
        name = member.name
        reason = _unsafe_reason(name)
        if reason is not None:
            report.add("RG409", f"entry {name!r} {reason}")
        elif member.kind in ("link", "special"):
            what = "a link" if member.kind == "link" else "a device or fifo"
            report.add("RG409", f"entry {name!r} is {what}; a dist holds regular files only")
        key = name.rstrip("/")
        if key in seen:
            report.add("RG408", f"{key} appears more than once")
        seen.add(key)
        if member.kind == "file" and (
            name.endswith((".pyc", ".pyo")) or "__pycache__" in name.split("/")
        ):
            report.add("RG406", f"ships bytecode {name}")


def check_metadata(
    data: bytes,
    where: str,
    filename: tuple[str, Version],
    expected: Expected,
    report: DistReport,
    notes: list[str],
) -> None:
    """METADATA / PKG-INFO parse and validate, and name the expected project and version
    (without an expectation, the ones of the file name)."""
    from packaging.metadata import ExceptionGroup, InvalidMetadata, Metadata, parse_email
    from packaging.utils import canonicalize_name

    try:
        metadata = Metadata.from_email(data, validate=True)
        meta_name, meta_version = metadata.name, str(metadata.version)
    except ExceptionGroup as group:
        for error in group.exceptions:
            if isinstance(error, InvalidMetadata) and _newer_minor_metadata(data, error):
                notes.append(
                    f"{report.shown}: {where} uses a newer Metadata-Version than the installed "
                    "packaging knows; upgrade packaging to validate its new fields"
                )
            else:
                report.add("RG410", f"{where}: {error}")
        raw, _ = parse_email(data)
        meta_name, meta_version = raw.get("name", ""), raw.get("version", "")
    name, name_origin = (
        (expected.name, "pyproject.toml") if expected.name else (filename[0], "the file name")
    )
    version, version_origin = (
        (expected.version, expected.origin) if expected.version else (filename[1], "the file name")
    )
    if meta_name and canonicalize_name(meta_name) != canonicalize_name(name):
        report.add(
            "RG404", f"{where} names project {meta_name}, expected {name} (from {name_origin})"
        )
    if meta_version and _as_version(meta_version) != version:
        report.add(
            "RG403",
            f"{where} names version {meta_version}, expected {version} (from {version_origin})",
        )


def _newer_minor_metadata(data: bytes, error: InvalidMetadata) -> bool:
    """The core metadata spec: a newer minor Metadata-Version is a warning, not a failure."""
    from packaging.metadata import parse_email

    if error.field != "metadata-version":
        return False
    declared = parse_email(data)[0].get("metadata_version", "")
    return re.fullmatch(r"2\.\d+", declared) is not None


def _as_version(text: str) -> Version | None:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(text)
    except InvalidVersion:
        return None


def _read_limited(handle: IO[bytes]) -> bytes | None:
    data = handle.read(MAX_METADATA_BYTES + 1)
    return None if len(data) > MAX_METADATA_BYTES else data


# -- wheels -----------------------------------------------------------------------------------


def _zip_errors() -> tuple[type[BaseException], ...]:
    import zipfile
    import zlib

    # RuntimeError: an encrypted entry; NotImplementedError: an unknown compression method
    return (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        ValueError,
        RuntimeError,
        NotImplementedError,
    )


def _zip_kind(info: zipfile.ZipInfo) -> str:
    if info.is_dir():
        return "dir"
    file_type = (info.external_attr >> 16) & 0o170000
    if file_type == 0o120000:
        return "link"
    if file_type not in (0, 0o100000):
        return "special"
    return "file"


def verify_wheel(path: str, shown: str, expected: Expected, notes: list[str]) -> list[Finding]:
    import zipfile

    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    report = DistReport(shown)
    try:
        name, version, _, _ = parse_wheel_filename(os.path.basename(path))
    except InvalidWheelFilename as error:
        report.add("RG402", f"not a valid wheel file name: {error}")
        return report.finish()
    check_identity(name, version, expected, report)
    try:
        with zipfile.ZipFile(path) as archive:
            _verify_wheel_contents(archive, name, version, expected, report, notes)
    except _zip_errors() as error:
        report.add("RG412", f"cannot read the wheel: {error}")
    return report.finish()


def check_identity(name: str, version: Version, expected: Expected, report: DistReport) -> None:
    from packaging.utils import canonicalize_name

    if expected.name is not None and canonicalize_name(expected.name) != name:
        report.add("RG404", f"the file name names project {name}, not {expected.name}")
    if expected.version is not None and version != expected.version:
        report.add(
            "RG402",
            f"the file name names version {version}, expected {expected.version} "
            f"(from {expected.origin})",
        )


def _verify_wheel_contents(
    archive: zipfile.ZipFile,
    name: str,
    version: Version,
    expected: Expected,
    report: DistReport,
    notes: list[str],
) -> None:
    infos = archive.infolist()
    members = [Member(info.filename, _zip_kind(info), info.file_size) for info in infos]
    check_members(members, report)
    files = {info.filename: info for info in infos if _zip_kind(info) == "file"}
    dist_info = _find_dist_info(files, name, version)
    if dist_info is None:
        report.add(
            "RG410", f"the wheel has no {name.replace('-', '_')}-{version}.dist-info directory"
        )
    elif f"{dist_info}/METADATA" not in files:
        report.add("RG410", f"the wheel has no {dist_info}/METADATA")
    else:
        metadata = _read_member(archive, files[f"{dist_info}/METADATA"], report)
        if metadata is not None:
            check_metadata(
                metadata, f"{dist_info}/METADATA", (name, version), expected, report, notes
            )
    if dist_info is not None:
        check_record(archive, files, dist_info, report)
    for pattern in missing_required(expected.wheel_files, set(files)):
        report.add("RG405", f"required file {pattern} is missing from the wheel")
    check_top_level(files, dist_info, expected.top_level, report)


def _find_dist_info(files: dict[str, zipfile.ZipInfo], name: str, version: Version) -> str | None:
    """The .dist-info directory of this name and version, else the only one there is."""
    from packaging.utils import canonicalize_name

    candidates = sorted(
        {
            top
            for top, slash, _ in (f.partition("/") for f in files)
            if slash and top.endswith(".dist-info")
        }
    )
    for candidate in candidates:
        stem_name, _, stem_version = candidate[: -len(".dist-info")].rpartition("-")
        if canonicalize_name(stem_name) == name and _as_version(stem_version) == version:
            return candidate
    return candidates[0] if len(candidates) == 1 else None


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, report: DistReport
) -> bytes | None:
    try:
        with archive.open(info) as handle:
            data = _read_limited(handle)
    except _zip_errors() as error:
        report.add("RG412", f"cannot read {info.filename}: {error}")
        return None
    if data is None:
        report.add("RG410", f"{info.filename} is larger than {MAX_METADATA_BYTES} bytes")
    return data


class RecordRow(NamedTuple):
    algorithm: str
    digest: str
    size: int | None


def check_record(
    archive: zipfile.ZipFile, files: dict[str, zipfile.ZipInfo], dist_info: str, report: DistReport
) -> None:
    """Every file is listed in RECORD with its right sha256 and size, and nothing else is."""
    record_name = f"{dist_info}/RECORD"
    if record_name not in files:
        report.add("RG411", f"the wheel has no {record_name}")
        return
    data = _read_member(archive, files[record_name], report)
    if data is None:
        return
    rows = _parse_record(data, record_name, report)
    if rows is None:
        return
    unlisted = {record_name, *(f"{dist_info}/{name}" for name in SIGNATURE_FILES)}
    for name, info in files.items():
        if name in unlisted:
            continue
        row = rows.pop(name, None)
        if row is None:
            report.add("RG411", f"{name} is in the wheel but not in RECORD")
        else:
            _check_record_row(archive, info, row, report)
    rows.pop(record_name, None)
    for name in rows:
        report.add("RG411", f"RECORD lists {name}, which is not in the wheel")


def _parse_record(data: bytes, record_name: str, report: DistReport) -> dict[str, RecordRow] | None:
    import csv

    try:
        lines = data.decode("utf-8").splitlines()
        table = list(csv.reader(lines))
    except (UnicodeDecodeError, csv.Error) as error:
        report.add("RG411", f"{record_name} is not a UTF-8 CSV file: {error}")
        return None
    rows: dict[str, RecordRow] = {}
    for number, fields in enumerate(table, 1):
        if not fields:
            continue
        if len(fields) != 3:
            report.add("RG411", f"{record_name} line {number} has {len(fields)} fields, not 3")
            continue
        name, hash_field, size_field = fields
        if name in rows:
            report.add("RG411", f"{record_name} lists {name} twice")
        algorithm, _, digest = hash_field.partition("=")
        size = int(size_field) if size_field.isdigit() else None
        rows[name] = RecordRow(algorithm, digest, size)
    return rows


def _check_record_row(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, row: RecordRow, report: DistReport
) -> None:
    import hashlib

    name = info.filename
    if not row.digest:
        report.add("RG411", f"RECORD has no hash for {name}")
        return
    if row.algorithm in WEAK_HASHES or row.algorithm not in hashlib.algorithms_guaranteed:
        report.add("RG411", f"RECORD hashes {name} with {row.algorithm!r}; use sha256")
        return
    if row.size != info.file_size:
        report.add(
            "RG411",
            f"RECORD gives {name} size {row.size}, the archive holds {info.file_size} bytes",
        )
        return  # hashing a file whose size is already wrong would only cost time
    digest = _stream_digest(archive, info, row.algorithm, report)
    if digest is not None and digest != row.digest:
        report.add("RG411", f"the {row.algorithm} hash of {name} differs from RECORD's")


def _stream_digest(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, algorithm: str, report: DistReport
) -> str | None:
    """The urlsafe base64 digest, read in chunks: a huge entry costs time, never memory."""
    import base64
    import hashlib

    hasher = hashlib.new(algorithm)
    try:
        with archive.open(info) as handle:
            for chunk in iter(lambda: handle.read(HASH_CHUNK), b""):
                hasher.update(chunk)
    except _zip_errors() as error:
        report.add("RG412", f"cannot read {info.filename}: {error}")
        return None
    return base64.urlsafe_b64encode(hasher.digest()).rstrip(b"=").decode()


def check_top_level(
    files: Iterable[str], dist_info: str | None, allowed: tuple[str, ...], report: DistReport
) -> None:
    """Only the project's own packages and modules are installed at the top of site-packages."""
    if not allowed:
        return
    from fnmatch import fnmatchcase

    data_dir = dist_info[: -len(".dist-info")] + ".data" if dist_info else None
    strays: set[str] = set()
    for name in files:
        if _unsafe_reason(name) is not None:
            continue  # RG409 already condemns it
        top = _installed_top(name, dist_info, data_dir)
        if top is None or top in strays:
            continue
        module = top.split(".")[0]
        if not any(fnmatchcase(top, pattern) or module == pattern for pattern in allowed):
            strays.add(top)
    for top in sorted(strays):
        is_dir = any(name.startswith(top + "/") for name in files)
        shown = top + "/" if is_dir else top
        kind = WELL_KNOWN_STRAYS.get(top.split(".")[0].lower())
        why = (
            f"{kind} does not belong in a wheel" if kind else "it is none of the project's packages"
        )
        report.add("RG407", f"ships {shown} at the top level: {why} ({', '.join(allowed)})")


def _installed_top(name: str, dist_info: str | None, data_dir: str | None) -> str | None:
    """The top-level name an entry installs as; None for metadata and data-scheme files."""
    top, _, rest = name.partition("/")
    if top == dist_info:
        return None
    if top == data_dir:
        scheme, _, inner = rest.partition("/")
        if scheme in ("purelib", "platlib") and inner:
            return inner.split("/")[0]
        return None
    return top


# -- sdists -----------------------------------------------------------------------------------


def _tar_kind(member: tarfile.TarInfo) -> str:
    if member.isfile():
        return "file"
    if member.isdir():
        return "dir"
    if member.issym() or member.islnk():
        return "link"
    return "special"


def _tar_errors() -> tuple[type[BaseException], ...]:
    import tarfile
    import zlib

    return (tarfile.TarError, zlib.error, OSError, EOFError, ValueError)


def verify_sdist(path: str, shown: str, expected: Expected, notes: list[str]) -> list[Finding]:
    import tarfile

    from packaging.utils import InvalidSdistFilename, parse_sdist_filename

    report = DistReport(shown)
    filename = os.path.basename(path)
    try:
        name, version = parse_sdist_filename(filename)
    except InvalidSdistFilename as error:
        report.add("RG402", f"not a valid sdist file name: {error}")
        return report.finish()
    check_identity(name, version, expected, report)
    top = filename[: -len(".tar.gz")]
    try:
        with tarfile.open(path, "r:gz") as archive:
            members = archive.getmembers()
            _verify_sdist_contents(archive, members, top, name, version, expected, report, notes)
    except _tar_errors() as error:
        report.add("RG412", f"cannot read the sdist as tar.gz: {error}")
    return report.finish()


def _verify_sdist_contents(
    archive: tarfile.TarFile,
    members: list[tarfile.TarInfo],
    top: str,
    name: str,
    version: Version,
    expected: Expected,
    report: DistReport,
    notes: list[str],
) -> None:
    check_members([Member(m.name, _tar_kind(m), m.size) for m in members], report)
    files: dict[str, tarfile.TarInfo] = {}
    outside: set[str] = set()
    for member in members:
        if _unsafe_reason(member.name) is not None:
            continue  # RG409 already condemns it
        inside, slash, rest = member.name.partition("/")
        if inside != top:
            outside.add(inside)
        elif slash and rest and member.isfile():
            files[rest] = member
    for entry in sorted(outside):
        report.add("RG407", f"{entry} is outside the sdist's top directory {top}/")
    pkg_info = files.get("PKG-INFO")
    if pkg_info is None:
        report.add("RG410", f"the sdist has no {top}/PKG-INFO")
    else:
        handle = archive.extractfile(pkg_info)
        data = _read_limited(handle) if handle is not None else None
        if data is None:
            report.add("RG410", f"{top}/PKG-INFO cannot be read or is too large")
        else:
            check_metadata(data, f"{top}/PKG-INFO", (name, version), expected, report, notes)
    for pattern in missing_required(expected.sdist_files, set(files)):
        report.add("RG405", f"required file {pattern} is missing from the sdist (under {top}/)")


# -- the command ------------------------------------------------------------------------------


def collect_dists(paths: Sequence[str], root: str) -> tuple[list[str], list[Finding]]:
    """The dist files to verify: those given (a directory stands for its dists), else dist/."""
    findings: list[Finding] = []
    found: list[str] = []
    for path in paths or [os.path.join(root, "dist")]:
        if os.path.isdir(path):
            in_dir = sorted(
                os.path.join(path, entry)
                for entry in os.listdir(path)
                if entry.endswith((".whl", ".tar.gz")) and os.path.isfile(os.path.join(path, entry))
            )
            if not in_dir:
                findings.append(
                    Finding("RG401", "no wheel or sdist in this directory", shown_path(path) + "/")
                )
            found += in_dir
        elif os.path.isfile(path):
            found.append(path)
        elif paths:
            findings.append(Finding("RG412", "no such file", shown_path(path)))
        else:
            findings.append(
                Finding("RG401", "no dist/ directory: nothing was built", shown_path(path) + "/")
            )
    return found, findings


def shown_path(path: str) -> str:
    """The path as a message shows it: relative to the current directory when inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative.replace(os.sep, "/")


def _verify_each(dists: Sequence[str], expected: Expected, notes: list[str]) -> list[Finding]:
    findings: list[Finding] = []
    for path in dists:
        shown = shown_path(path)
        if path.endswith(".whl"):
            findings += verify_wheel(path, shown, expected, notes)
        elif path.endswith(".tar.gz"):
            findings += verify_sdist(path, shown, expected, notes)
        else:
            findings.append(
                Finding("RG402", "not a wheel (.whl) or an sdist (.tar.gz, PEP 625)", shown)
            )
    return findings


def _summary(dists: Sequence[str], expected: Expected) -> str:
    wheels = sum(path.endswith(".whl") for path in dists)
    what = f"{_count(wheels, 'wheel')} and {_count(len(dists) - wheels, 'sdist')}"
    if expected.version is None:
        return f"verified {what} of {expected.name}"
    return f"verified {what} of {expected.name} {expected.version} (from {expected.origin})"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def main(argv: Sequence[str] | None = None) -> int:
    from release_guard.check import add_output_arguments, find_root

    parser = argparse.ArgumentParser(
        prog="release-guard verify-dist",
        description="Verify built wheels and sdists before publishing: version, project name, "
        "required files, stray or unsafe entries, metadata and the wheel's RECORD.",
    )
    parser.add_argument(
        "dists",
        nargs="*",
        metavar="DIST",
        help="wheel, sdist or directory of them (default: every *.whl and *.tar.gz in dist/)",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--tag", help="expect the version this release tag names, e.g. v1.2.0")
    which.add_argument("--version", help="expect this version (default: the project's)")
    parser.add_argument(
        "--root", help="project directory (default: the nearest one with a pyproject.toml)"
    )
    add_output_arguments(parser)
    args = parser.parse_args(argv)
    root = args.root if args.root is not None else find_root(".")
    if not os.path.isdir(root):
        parser.error(f"--root {root}: not a directory")

    def body() -> Outcome:
        from release_guard.source import WorkTree

        notes: list[str] = []
        expected = expected_from_project(WorkTree(root), args.tag, args.version, notes)
        dists, findings = collect_dists(args.dists, root)
        findings += _verify_each(dists, expected, notes)
        if dists:
            notes.insert(0, _summary(dists, expected))
        return Outcome([f for f in findings if f.code not in expected.ignore], notes)

    return run_command("verify-dist", args.format or default_format(), args.quiet, body)
