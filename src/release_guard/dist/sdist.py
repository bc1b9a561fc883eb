"""Verify one sdist (tar.gz): its name and PKG-INFO, one top directory, required files."""

from __future__ import annotations

import os
import posixpath

from packaging.utils import InvalidSdistFilename, parse_sdist_filename
from packaging.version import Version

from release_guard.dist.archive import read_limited, tar_errors, tar_kind
from release_guard.dist.expected import Expected
from release_guard.dist.members import check_members
from release_guard.dist.metadata import check_identity, check_metadata
from release_guard.dist.report import DistReport
from release_guard.dist.required import missing_required
from release_guard.findings import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:
    import tarfile  # imported when an sdist is verified: it costs a wheel-only run 6 ms


def verify_sdist(
    path: str, shown: str, expected: Expected, notes: list[str], skipped: list[str]
) -> list[Finding]:
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
            _verify_sdist_contents(
                archive, members, top, (name, version), expected, report, (notes, skipped)
            )
    except tar_errors() as error:
        report.add("RG412", f"cannot read the sdist as tar.gz: {error}")
    return report.finish()


def _verify_sdist_contents(
    archive: tarfile.TarFile,
    members: list[tarfile.TarInfo],
    top: str,
    identity: tuple[str, Version],
    expected: Expected,
    report: DistReport,
    remarks: tuple[list[str], list[str]],
) -> None:
    kinds = [_sdist_kind(member, top) for member in members]
    unsafe = check_members([m.name for m in members], kinds, report)
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
            check_metadata(data, f"{top}/PKG-INFO", identity, expected, report, *remarks)
    for pattern in missing_required(expected.sdist_files, files):
        report.add("RG405", f"required file {pattern} is missing from the sdist (under {top}/)")


def _sdist_kind(member: tarfile.TarInfo, top: str) -> str:
    """As tar_kind, except that a link staying inside the sdist's top directory is an
    "in-tree link": PEP 721's data filter, which installers extract sdists with, allows it."""
    kind = tar_kind(member)
    if kind != "link":
        return kind
    if member.issym():  # relative to the link's own directory
        target = posixpath.normpath(posixpath.join(posixpath.dirname(member.name), member.linkname))
    else:  # a hard link names another member of the archive
        target = posixpath.normpath(member.linkname)
    inside = not member.linkname.startswith("/") and target.split("/")[0] == top
    return "in-tree link" if inside and target != top else kind
