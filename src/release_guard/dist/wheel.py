"""Verify one wheel: its name and metadata, WHEEL, RECORD, required files and top level."""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable
from fnmatch import fnmatchcase

from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
from packaging.version import Version

from release_guard.dist.archive import ZIP_ERRORS, ZipReader, entries_overlap, zip_kinds
from release_guard.dist.expected import Expected, as_version
from release_guard.dist.members import check_members
from release_guard.dist.metadata import check_identity, check_metadata
from release_guard.dist.record import check_record
from release_guard.dist.report import DistReport
from release_guard.dist.required import missing_required
from release_guard.findings import Finding

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


def verify_wheel(path: str, shown: str, expected: Expected, notes: list[str]) -> list[Finding]:
    report = DistReport(shown)
    try:
        name, version, _, _ = parse_wheel_filename(os.path.basename(path))
    except InvalidWheelFilename as error:
        report.add("RG402", f"not a valid wheel file name: {error}")
        return report.finish()
    check_identity(name, version, expected, report)
    try:
        with zipfile.ZipFile(path) as archive:
            reader = ZipReader(archive, path)
            try:
                _verify_wheel_contents(reader, name, version, expected, report, notes)
            finally:
                reader.close()
    except ZIP_ERRORS as error:
        report.add("RG412", f"cannot read the wheel: {error}")
    return report.finish()


def _verify_wheel_contents(
    reader: ZipReader,
    name: str,
    version: Version,
    expected: Expected,
    report: DistReport,
    notes: list[str],
) -> None:
    infos = reader.archive.infolist()
    kinds = zip_kinds(infos)
    unsafe = check_members([info.filename for info in infos], kinds, report)
    files = {info.filename: info for info, kind in zip(infos, kinds) if kind == "file"}
    dist_info = _find_dist_info(files, name, version)
    if dist_info is None:
        report.add(
            "RG410", f"the wheel has no {name.replace('-', '_')}-{version}.dist-info directory"
        )
    elif f"{dist_info}/METADATA" not in files:
        report.add("RG410", f"the wheel has no {dist_info}/METADATA")
    else:
        metadata = reader.read_small(files[f"{dist_info}/METADATA"], report)
        if metadata is not None:
            check_metadata(
                metadata, f"{dist_info}/METADATA", (name, version), expected, report, notes
            )
    if dist_info is not None:
        check_wheel_file(reader, files, dist_info, report)
    if entries_overlap(infos, reader.size):
        # entries sharing bytes is how a small zip inflates to terabytes: hash none of them
        report.add("RG412", "zip entries overlap each other (a zip bomb technique)")
    elif dist_info is not None:
        check_record(reader, files, dist_info, report)
    for pattern in missing_required(expected.wheel_files, files):
        report.add("RG405", f"required file {pattern} is missing from the wheel")
    check_top_level(files, unsafe, dist_info, expected.top_level, report)


def _find_dist_info(files: dict[str, zipfile.ZipInfo], name: str, version: Version) -> str | None:
    """The .dist-info directory of this name and version, else the only one there is."""
    candidates = sorted(
        {entry.partition("/")[0] for entry in files if ".dist-info/" in entry}
        - {""}  # an absolute name is RG409's, not a .dist-info directory
    )
    candidates = [top for top in candidates if top.endswith(".dist-info")]
    for candidate in candidates:
        stem_name, _, stem_version = candidate[: -len(".dist-info")].rpartition("-")
        if canonicalize_name(stem_name) == name and as_version(stem_version) == version:
            return candidate
    return candidates[0] if len(candidates) == 1 else None


def check_wheel_file(
    reader: ZipReader, files: dict[str, zipfile.ZipInfo], dist_info: str, report: DistReport
) -> None:
    """The WHEEL file installers read first: a 1.x Wheel-Version and Root-Is-Purelib."""
    from email.parser import BytesHeaderParser  # loaded already by packaging.metadata

    name = f"{dist_info}/WHEEL"
    data = reader.read_small(files[name], report) if name in files else None
    if data is None:
        if name not in files:
            report.add("RG410", f"the wheel has no {name}")
        return
    headers = BytesHeaderParser().parsebytes(data)
    wheel_version = str(headers.get("Wheel-Version", "")).strip()
    if not re.fullmatch(r"1\.\d+", wheel_version):
        report.add(
            "RG410", f"{name}: Wheel-Version {wheel_version or 'is missing'}; installers read 1.x"
        )
    purelib = str(headers.get("Root-Is-Purelib", "")).strip().lower()
    if purelib not in ("true", "false"):
        report.add("RG410", f"{name}: Root-Is-Purelib must be true or false")


def check_top_level(
    files: Iterable[str],
    unsafe: set[str],
    dist_info: str | None,
    allowed: tuple[str, ...],
    report: DistReport,
) -> None:
    """Only the project's own packages and modules are installed at the top of site-packages."""
    if not allowed:
        return

    names = [name for name in files if name not in unsafe] if unsafe else list(files)
    tops = {name.partition("/")[0] for name in names}
    tops.discard(dist_info or "")
    data_dir = dist_info[: -len(".dist-info")] + ".data" if dist_info else None
    if data_dir in tops:
        tops.remove(data_dir)
        tops |= {_installed_top(name) for name in names if name.startswith(data_dir + "/")}
        tops.discard("")
    strays = [
        top
        for top in sorted(tops)
        if not any(fnmatchcase(top, pattern) or top.split(".")[0] == pattern for pattern in allowed)
    ]
    for top in strays:
        is_dir = any(name.startswith(top + "/") for name in names)
        shown = top + "/" if is_dir else top
        kind = WELL_KNOWN_STRAYS.get(top.split(".")[0].lower())
        why = (
            f"{kind} does not belong in a wheel" if kind else "it is none of the project's packages"
        )
        report.add("RG407", f"ships {shown} at the top level: {why} ({', '.join(allowed)})")


def _installed_top(name: str) -> str:
    """The top-level name a .data entry installs as: only purelib and platlib count."""
    _, _, rest = name.partition("/")
    scheme, _, inner = rest.partition("/")
    return inner.split("/")[0] if scheme in ("purelib", "platlib") else ""
