"""A dist's identity: the project and version its file name and its core metadata
(METADATA, PKG-INFO) name, against the expected ones; the metadata validated (RG402-RG404,
RG410)."""

from __future__ import annotations

import re

from packaging.metadata import ExceptionGroup, InvalidMetadata, Metadata, parse_email
from packaging.utils import canonicalize_name
from packaging.version import Version

from release_guard.dist.expected import Expected, as_version
from release_guard.dist.report import DistReport


def check_identity(name: str, version: Version, expected: Expected, report: DistReport) -> None:
    """The project and version of the file name."""
    if expected.name is not None and canonicalize_name(expected.name) != name:
        report.add("RG404", f"the file name names project {name}, not {expected.name}")
    if expected.version is not None and version != expected.version:
        report.add(
            "RG402",
            f"the file name names version {version}, expected {expected.version} "
            f"(from {expected.origin})",
        )


def check_metadata(
    data: bytes,
    where: str,
    filename: tuple[str, Version],
    expected: Expected,
    report: DistReport,
    notes: list[str],
    skipped: list[str],
) -> None:
    """METADATA / PKG-INFO parse and validate, render their long description as PyPI does,
    and name the expected project and version (without an expectation, the file name's)."""
    try:
        metadata = Metadata.from_email(data, validate=True)
        meta_name, meta_version = metadata.name, str(metadata.version)
        check_long_description(
            metadata.description, metadata.description_content_type, where, report, skipped
        )
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
        (expected.name, expected.name_origin) if expected.name else (filename[0], "the file name")
    )
    version, version_origin = (
        (expected.version, expected.origin) if expected.version else (filename[1], "the file name")
    )
    if meta_name and canonicalize_name(meta_name) != canonicalize_name(name):
        report.add(
            "RG404", f"{where} names project {meta_name}, expected {name} (from {name_origin})"
        )
    if meta_version and as_version(meta_version) != version:
        report.add(
            "RG403",
            f"{where} names version {meta_version}, expected {version} (from {version_origin})",
        )


def _newer_minor_metadata(data: bytes, error: InvalidMetadata) -> bool:
    """The core metadata spec: a newer minor Metadata-Version is a warning, not a failure."""
    if error.field != "metadata-version":
        return False
    declared = parse_email(data)[0].get("metadata_version", "")
    return re.fullmatch(r"2\.\d+", declared) is not None


def check_long_description(
    description: str | None,
    content_type: str | None,
    where: str,
    report: DistReport,
    skipped: list[str],
) -> None:
    """The long description renders as PyPI renders it (as `twine check` does, with
    readme_renderer, an optional dependency imported only here). PyPI refuses an upload
    whose reStructuredText does not render; Markdown and plain text always render."""
    if not description or not description.strip():
        return
    mime = (content_type or "text/x-rst").split(";")[0].strip().lower()
    if mime != "text/x-rst":
        return
    try:
        import io

        from readme_renderer.rst import render
    except ImportError:
        skipped.append(
            "rendering the long description as PyPI does: readme_renderer is not installed; "
            "install release-guard[render]"
        )
        return
    messages = io.StringIO()
    if render(description, stream=messages) is None:
        first = next((line for line in messages.getvalue().splitlines() if line.strip()), "")
        report.add(
            "RG410",
            f"{where}: the long description (text/x-rst) does not render on PyPI: "
            f"{first.replace('<string>', 'line')}",
        )
