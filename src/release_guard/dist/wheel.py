"""Verify one wheel: its name and metadata, WHEEL, RECORD, required files and top level."""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable
from fnmatch import fnmatchcase

from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
from packaging.version import Version

from release_guard.dist.archive import (
    ZIP_ERRORS,
    ZipReader,
    entries_overlap,
    inflate_budget_exceeded,
    zip_kinds,
)
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


def verify_wheel(
    path: str, shown: str, expected: Expected, notes: list[str], skipped: list[str]
) -> list[Finding]:
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
                _verify_wheel_contents(reader, (name, version), expected, report, notes, skipped)
            finally:
                reader.close()
    except ZIP_ERRORS as error:
        report.add("RG412", f"cannot read the wheel: {error}")
    return report.finish()


def _verify_wheel_contents(
    reader: ZipReader,
    identity: tuple[str, Version],
    expected: Expected,
    report: DistReport,
    notes: list[str],
    skipped: list[str],
) -> None:
    name, version = identity
    infos = reader.archive.infolist()
    kinds = zip_kinds(infos)
    unsafe = check_members([info.filename for info in infos], kinds, report)
    files = {info.filename: info for info, kind in zip(infos, kinds) if kind == "file"}
    dist_info = _find_dist_info(files, name, version, report)
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
                metadata, f"{dist_info}/METADATA", identity, expected, report, notes, skipped
            )
    if dist_info is not None:
        check_wheel_file(reader, files, dist_info, report)
    overlap = entries_overlap(reader, infos)
    too_big = inflate_budget_exceeded(infos, reader.size)
    if overlap is not None:
        # entries sharing bytes is how a small zip inflates to terabytes: hash none of them
        report.add("RG412", f"zip entries overlap each other (a zip bomb technique): {overlap}")
    elif too_big is not None:
        report.add("RG412", too_big)
    elif dist_info is not None:
        not_files = {info.filename for info, kind in zip(infos, kinds) if kind != "file"}
        check_record(reader, files, dist_info, report, not_files)
    for pattern in missing_required(expected.wheel_files, files):
        report.add("RG405", f"required file {pattern} is missing from the wheel")
    library = _library(files, unsafe, dist_info)
    check_top_level(library, expected.top_level, report)
    check_library(library, expected, report)


def _find_dist_info(
    files: dict[str, zipfile.ZipInfo], name: str, version: Version, report: DistReport
) -> str | None:
    """The .dist-info directory of this name and version, else the only one there is."""
    candidates = sorted(
        {entry.partition("/")[0] for entry in files if ".dist-info/" in entry}
        - {""}  # an absolute name is RG409's, not a .dist-info directory
    )
    candidates = [top for top in candidates if top.endswith(".dist-info")]
    if len(candidates) > 1:
        report.add(
            "RG410",
            f"the wheel has {len(candidates)} .dist-info directories ({', '.join(candidates)}): "
            "installers refuse it, a wheel is one distribution",
        )
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


def _library(files: Iterable[str], unsafe: set[str], dist_info: str | None) -> list[str]:
    """The paths the wheel installs into site-packages, as installed: its root and the
    .data directory's purelib and platlib schemes (scripts, headers, data go elsewhere)."""
    data_dir = dist_info[: -len(".dist-info")] + ".data/" if dist_info else None
    library = []
    for name in files:
        if name in unsafe or (dist_info and name.startswith(dist_info + "/")):
            continue
        if data_dir and name.startswith(data_dir):
            scheme, _, inner = name[len(data_dir) :].partition("/")
            if scheme in ("purelib", "platlib") and inner:
                library.append(inner)
            continue
        library.append(name)
    return library


def check_top_level(library: list[str], allowed: tuple[str, ...], report: DistReport) -> None:
    """Only the project's own packages and modules are installed at the top of site-packages.
    Without any name known to be the project's, only the well-known strays are reported (the
    command says the rest was not checked)."""
    tops = {name.partition("/")[0] for name in library}
    for top in sorted(tops):
        if top in ("__init__.py", "__init__.pyi"):  # whatever declared it (W006)
            report.add("RG407", f"ships {top} at the top level: it belongs to no package")
            continue
        kind = WELL_KNOWN_STRAYS.get(top.split(".")[0].lower())
        if any(fnmatchcase(top, pattern) or top.split(".")[0] == pattern for pattern in allowed):
            continue
        if not allowed and kind is None:
            continue
        is_dir = any(name.startswith(top + "/") for name in library)
        shown = top + "/" if is_dir else top
        why = (
            f"{kind} does not belong in a wheel" if kind else "it is none of the project's packages"
        )
        known = f" ({', '.join(allowed)})" if allowed else ""
        report.add("RG407", f"ships {shown} at the top level: {why}{known}")


_MODULE_SUFFIXES = (".py", ".pyi", ".so", ".pyd")


def check_library(library: list[str], expected: Expected, report: DistReport) -> None:
    """The library is there and importable: not empty (or only tests and docs), no top-level
    directory without a module (RG413), every module at an importable path (RG414)."""
    tops: dict[str, list[str]] = {}
    for name in library:
        top, slash, _ = name.partition("/")
        tops.setdefault(top if slash else "", []).append(name)
    real = [top for top in tops if WELL_KNOWN_STRAYS.get(top.lower()) is None]
    if not library:
        report.add("RG413", "the wheel installs nothing but its metadata: it is empty")
    elif not real:
        shown = ", ".join(f"{top}/" for top in sorted(tops))
        report.add("RG413", f"the wheel's library holds only {shown}: no code of the project")
    declared = {pattern.split("/")[0] for pattern in expected.wheel_files}
    for top, names in sorted(tops.items()):
        if (
            top
            and top not in declared
            and not top.endswith(".libs")  # auditwheel's / delvewheel's vendored libraries
            and not any(n.endswith(_MODULE_SUFFIXES) for n in names)
        ):
            report.add(
                "RG413", f"{top}/ at the top level holds no Python module: nothing imports it"
            )
    modules = "\n".join(name for name in library if name.endswith((".py", ".pyi")))
    if _NOT_PLAINLY_IMPORTABLE.search(modules) is None:
        return  # nearly every wheel: one regex pass instead of a check per module
    for name in modules.split("\n"):
        if not _importable(name):
            report.add("RG414", f"{name} is not at an importable path: no import can reach it")


# A line of newline-joined module paths that is not ASCII identifiers joined by "/": those
# lines get the exact check (Unicode identifiers, PEP 561 stub packages).
_NOT_PLAINLY_IMPORTABLE = re.compile(r"(?m)^(?![A-Za-z_][A-Za-z0-9_]*(?:/[A-Za-z_][A-Za-z0-9_]*)*\.pyi?$).+")


def _importable(path: str) -> bool:
    """Every directory is an identifier; so is a top-level module's name. A module inside an
    importable package may be named otherwise (`hook-lark.py`, `show-newlines.py`): tools
    and scripts load such files by path, and real wheels ship them (docs/dist.md)."""
    *directories, module = path.split("/")
    if directories and directories[0].endswith("-stubs"):  # PEP 561 stub-only package
        directories[0] = directories[0][: -len("-stubs")]
    names = directories if directories else [module.rsplit(".", 1)[0]]
    return all(part.isidentifier() for part in names)
