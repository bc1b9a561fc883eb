"""`verify-dist` in a workspace: each dist against the package its file name names."""

from __future__ import annotations

from collections.abc import Sequence

from release_guard.config import PYPROJECT, Project
from release_guard.findings import Finding, input_error
from release_guard.report import Outcome
from release_guard.source import Source
from release_guard.workspace import load_workspace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable

    from packaging.version import Version

    from release_guard.dist.expected import Expected


def verify_workspace_dists(
    source: Source,
    root: Project,
    dists: list[str],
    findings: list[Finding],
    tag: str | None,
    version: Version | None,
    verify_each: Callable[[Sequence[str], Expected, list[str], list[str]], list[Finding]],
    summary: Callable[[Sequence[str], Expected], str],
) -> Outcome:
    """Each dist verified against the package its file name names; with a tag, that tag's
    package at the tag's version (a dist of another package is refused: RG404)."""
    import os

    from release_guard.dist.command import shown_path
    from release_guard.dist.expected import expected_from_project

    workspace = load_workspace(source, root)
    tagged = None
    if tag is not None:
        tagged = workspace.match(tag)
        if tagged is None:
            raise input_error(
                "RG004", f"--tag {tag}: {workspace.unmatched(tag).message}", PYPROJECT
            )
    by_package: dict[str, list[str]] = {}
    names = ", ".join(package.name for package in workspace.packages)
    for path in dists:
        package = workspace.package_named(_dist_name(os.path.basename(path)))
        stray = tagged is not None and (package is None or package.path != tagged.path)
        if package is None or stray:
            owner = f"a dist of {package.name}" if package else f"names no package ({names})"
            message = f"{owner}, not of {tag}'s package" if tagged else owner
            findings.append(
                Finding(
                    "RG404",
                    message,
                    shown_path(path),
                    package=tagged.name if tagged else None,
                    hint="verify each package's dists on their own (build only the tagged package)",
                )
            )
            continue
        by_package.setdefault(package.path, []).append(path)
    notes: list[str] = []
    skipped: list[str] = []
    for package in workspace.packages:
        mine = by_package.get(package.path)
        if not mine:
            continue
        package_notes: list[str] = []
        package_skipped: list[str] = []
        expected = expected_from_project(
            package.source(source),
            tag if tagged is not None and package.path == tagged.path else None,
            version,
            package_skipped,
            project=package.project,
        )
        found = [
            f._replace(package=package.name)
            for f in verify_each(mine, expected, package_notes, package_skipped)
            if f.code not in expected.ignore
        ]
        findings += found
        notes += [f"{package.name}: {summary(mine, expected)}"]
        notes += [f"{package.name}: {note}" for note in package_notes]
        skipped += [f"{package.name}: {what}" for what in package_skipped]
    return Outcome(findings, notes, list(dict.fromkeys(skipped)))


def _dist_name(filename: str) -> str:
    """The project a dist's file name names: `name-version-...whl`, `name-version.tar.gz`."""
    if filename.endswith(".tar.gz"):
        return filename[: -len(".tar.gz")].rpartition("-")[0]
    return filename.partition("-")[0]
