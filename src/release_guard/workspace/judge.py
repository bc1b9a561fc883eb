"""Judging a workspace: every package at commit, a tag's package at release."""

from __future__ import annotations

from release_guard.config import Project
from release_guard.findings import Finding, InputError
from release_guard.report import Outcome
from release_guard.source import Source
from release_guard.workspace import Package, Workspace, load_workspace
from release_guard.workspace.pins import pin_findings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from release_guard.changelog.dates import Day
    from release_guard.tagdates import TagDates


def check_workspace(
    source: Source,
    root: Project,
    tag: str | None = None,
    today: Day | None = None,
    tag_from_environment: bool = False,
    tag_dates: TagDates | None = None,
) -> Outcome:
    """Every package at commit; with a tag (given, or of a CI tag build), its package's
    release rules, and only that package."""
    workspace = load_workspace(source, root)
    notes: list[str] = []
    if tag is None and tag_from_environment:
        tag = _tag_from_environment(workspace, notes)
    package = workspace.match(tag) if tag is not None else None
    if tag is not None and package is None:
        from release_guard.tags import ignored

        if not ignored(root.config, tag):
            return Outcome([workspace.unmatched(tag)], notes)
        # as the tag guard and a single project leave it: judged as a commit
        notes.append(f"tag {tag} is covered by ignore-tags: release rules not applied")
    elif package is not None:
        outcome = check_package(source, package, workspace, tag, today, tag_dates)
        return Outcome(outcome.findings, notes + outcome.notes)
    findings: list[Finding] = []
    for package in workspace.packages:
        outcome = check_package(source, package, workspace, None, today, tag_dates)
        findings += outcome.findings
        notes += outcome.notes
    findings += [f for f in pin_findings(source, workspace) if f.code not in root.config.ignore]
    return Outcome(findings, notes)


def check_package(
    source: Source,
    package: Package,
    workspace: Workspace,
    tag: str | None = None,
    today: Day | None = None,
    tag_dates: TagDates | None = None,
) -> Outcome:
    """`run_checks` on one package, its findings located in the repository."""
    from release_guard.check import run_checks

    try:
        outcome = run_checks(
            package.source(source),
            tag=tag,
            today=today,
            project=package.project,
            tag_dates=package_tag_dates(tag_dates, workspace, package),
        )
    except InputError as error:
        raise InputError(package.locate(error.finding)) from None
    return Outcome(
        [package.locate(finding) for finding in outcome.findings],
        [f"{package.name}: {note}" for note in outcome.notes],
    )


def package_tag_dates(
    tag_dates: TagDates | None, workspace: Workspace, package: Package
) -> TagDates | None:
    """The repository's tags that are this package's: another package's 1.0.0 is not its."""
    if tag_dates is None:
        return None

    def ours(tag: str) -> bool:
        matched = workspace.match(tag)
        return matched is not None and matched.path == package.path

    by_version = {
        version: kept
        for version, pairs in tag_dates.by_version.items()
        if (kept := [pair for pair in pairs if ours(pair[0])])
    }
    newest_first = tuple(tag for tag in tag_dates.newest_first if ours(tag))
    return tag_dates._replace(by_version=by_version, newest_first=newest_first)


def _tag_from_environment(workspace: Workspace, notes: list[str]) -> str | None:
    """The tag of a CI tag build when it is a release: a package's, or one ending in a
    version that follows no package's format (refused)."""
    import os

    if os.environ.get("GITHUB_REF_TYPE") != "tag":
        return None
    tag = os.environ.get("GITHUB_REF_NAME", "")
    from release_guard.tags import claimed_version

    if workspace.match(tag) is None and claimed_version(workspace.root.config, tag) is None:
        notes.append(f"tag {tag!r} is no package's release tag: release rules not applied")
        return None
    return tag


def workspace_at(
    source: Source, root: Project, commit: str, cache: dict[str, Workspace]
) -> Workspace:
    """The workspace of a tagged commit, read once for all the push's tags on that commit."""
    if commit not in cache:
        cache[commit] = load_workspace(source, root)
    return cache[commit]
