"""Verify one sdist (tar.gz): its name and PKG-INFO, one top directory, required files."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from packaging.utils import InvalidSdistFilename, parse_sdist_filename
from packaging.version import Version

from release_guard.dist.archive import read_limited, tar_errors, tar_kind
from release_guard.dist.expected import Expected
from release_guard.dist.members import check_members
from release_guard.dist.metadata import check_identity, check_metadata
from release_guard.dist.report import DistReport
from release_guard.dist.required import missing_required
from release_guard.findings import Finding

if TYPE_CHECKING:
    import tarfile  # imported when an sdist is verified: it costs a wheel-only run 6 ms


def verify_sdist(path: str, shown: str, expected: Expected, notes: list[str]) -> list[Finding]:
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
        import tarfile

        with tarfile.open(path, "r:gz") as archive:
            members = archive.getmembers()
            _verify_sdist_contents(archive, members, top, name, version, expected, report, notes)
    except tar_errors() as error:
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
    unsafe = check_members([m.name for m in members], [tar_kind(m) for m in members], report)
    files: dict[str, tarfile.TarInfo] = {}
    outside: set[str] = set()
    for member in members:
        if member.name in unsafe:
            continue
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
        data = read_limited(handle) if handle is not None else None
        if data is None:
            report.add("RG410", f"{top}/PKG-INFO cannot be read or is too large")
        else:
            check_metadata(data, f"{top}/PKG-INFO", (name, version), expected, report, notes)
    for pattern in missing_required(expected.sdist_files, files):
        report.add("RG405", f"required file {pattern} is missing from the sdist (under {top}/)")
