"""`release-guard check`: the version and changelog rules, and the release rules for a tag."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from release_guard.arguments import (
    add_output_arguments,
    add_root_argument,
    find_root,
    project_root,
    refuse_if_interrupted,
)
from release_guard.changelog import load
from release_guard.changelog import rules as changelog_rules
from release_guard.changelog.rules import release_rules
from release_guard.config import PYPROJECT, Project, load_project
from release_guard.findings import Finding
from release_guard.record import Record
from release_guard.report import Outcome, default_format, run_command
from release_guard.source import Source, WorkTree
from release_guard.versions.rules import VersionReport, check_versions, files_at_release

TYPE_CHECKING = False
if TYPE_CHECKING:
    from release_guard.changelog.dates import Day
    from release_guard.changelog.model import Changelog
    from release_guard.tagdates import TagDates


def run_checks(
    source: Source,
    tag: str | None = None,
    today: Day | None = None,
    tag_from_environment: bool = False,
    project: Project | None = None,
    tag_dates: TagDates | None = None,
) -> Outcome:
    """Every rule on one tree; with a tag (given, or of a CI tag build), the release rules too.

    `project` is the tree's own (or a workspace package's), when the caller has already loaded
    it; without it, a workspace's packages are judged each (release_guard.workspace); `tag_dates`, the
    repository's tags by version, when git is at hand (RG306, release_guard.tagdates)."""
    if project is None:
        project = load_project(source)
        if project.is_workspace:
            from release_guard.workspace.judge import check_workspace

            return check_workspace(source, project, tag, today, tag_from_environment, tag_dates)
    notes: list[str] = []
    if tag is None and tag_from_environment:
        tag = release_tag_from_environment(project, notes)
    versions = check_versions(project, source)
    findings = list(versions.findings)
    notes += versions.notes
    config = project.config
    if tag is not None and versions.version is not None and _is_moving_tag(project, tag, versions):
        notes.append(
            f"tag {tag} is a moving tag (the commit is at {versions.version}): "
            "release rules not applied"
        )
        tag = None
    if tag is not None and config.ignore_tags:
        from release_guard.tags import ignored

        if ignored(config, tag):  # as the tag guard and a CI tag build leave it
            notes.append(f"tag {tag} is covered by ignore-tags: release rules not applied")
            tag = None
    located, changelog = load(source, project)
    if changelog is None:
        findings.append(Finding("RG201", f"changelog {located.path} does not exist", located.path))
    elif changelog.format == "none":
        from release_guard.changelog.none import NOTE

        notes.append(NOTE)
        changelog = None
    else:
        from release_guard.changelog.dates import Day

        findings += changelog_rules.lint(changelog, today or Day.today_utc())
        if versions.version is not None:
            findings += changelog_rules.version_rules(
                changelog, versions.version, versions.path, versions.line, release=tag is not None
            )
        if tag_dates is not None and tag_dates.by_version:
            from release_guard.tagdates import date_findings

            findings += date_findings(changelog, tag_dates)
    if tag_dates is not None:
        from release_guard.tagformat import mismatch_note

        note = mismatch_note(tag_dates.newest_first, config.tag_format, project.name)
        notes += [note] if note else []
    if tag is not None:
        findings += _release_rules(project, versions, changelog, tag)
        findings += _release_files(project, source, versions, changelog, tag)
    return Outcome([f for f in findings if f.code not in config.ignore], notes)


def _is_moving_tag(project: Project, tag: str, versions: VersionReport) -> bool:
    from release_guard import tags

    assert versions.version is not None
    claimed = project.config.version_in_tag(tag) or tags.claimed_version(project.config, tag)
    return claimed is not None and tags.is_moving(claimed, versions.version)


def _release_rules(
    project: Project, versions: VersionReport, changelog: Changelog | None, tag: str
) -> list[Finding]:
    config = project.config
    version = versions.version
    if version is None and project.version_source.kind == "vcs":
        version = config.version_in_tag(tag)  # the tag is the version
        if version is None:
            from release_guard.tags import version_at_end

            found = version_at_end(tag)
            expected = f" (expected tag {config.tag_for(found[1])})" if found else ""
            return [
                Finding(
                    "RG301",
                    f"tag {tag} does not follow tag-format {config.tag_format}, "
                    f"so it names no version{expected}",
                    PYPROJECT,
                )
            ]
    if version is None:
        # RG101..RG105 already explain why there is no version; the changelog is still
        # judged for the version the tag names
        named = config.version_in_tag(tag)
        if changelog is None or named is None:
            return []
        return release_rules(changelog, named, config.pre_releases)
    findings = []
    expected = config.tag_for(version)
    if tag != expected:
        mismatch = (
            f"tag {tag} does not follow tag-format {config.tag_format}"
            if config.version_in_tag(tag) is None
            else f"tag {tag} does not match version {version} in {versions.path}"
        )
        findings.append(
            Finding(
                "RG301",
                f"{mismatch} (expected tag {expected} for version {version})",
                versions.path,
                versions.line,
            )
        )
    if changelog is not None:
        findings += release_rules(changelog, version, config.pre_releases)
    return findings


def _release_files(
    project: Project,
    source: Source,
    versions: VersionReport,
    changelog: Changelog | None,
    tag: str,
) -> list[Finding]:
    """What files say about the release itself (CITATION.cff's version and date)."""
    from release_guard.changelog import section_for

    version = versions.version
    if version is None and project.version_source.kind == "vcs":
        version = project.config.version_in_tag(tag)
    if version is None:
        return []
    section = section_for(changelog, version) if changelog is not None else None
    day = section.date.day if section is not None and section.date is not None else None
    return files_at_release(project, source, versions, version, day.isoformat() if day else None)


def release_tag_from_environment(project: Project, notes: list[str]) -> str | None:
    """The tag of a CI tag build (GitHub Actions, GitLab CI), when it names a release
    (release_guard.tags): by tag-format, or by ending in a version (then refused with the
    expected tag)."""
    if os.environ.get("GITHUB_REF_TYPE") == "tag":
        tag = os.environ.get("GITHUB_REF_NAME", "")
    elif os.environ.get("CI_COMMIT_TAG"):  # GitLab sets it in tag pipelines only
        tag = os.environ["CI_COMMIT_TAG"]
    else:
        return None
    from release_guard.tags import claimed_version, why_no_release

    if claimed_version(project.config, tag) is None:
        reason = why_no_release(project.config, tag)
        notes.append(f"tag {tag!r} {reason}: release rules not applied")
        return None
    return tag


class Options(Record):
    __slots__ = ("format", "quiet", "root", "tag")

    def __init__(
        self,
        root: str | None = None,
        tag: str | None = None,
        format: str | None = None,
        quiet: bool = False,
    ) -> None:
        self.root = root
        self.tag = tag
        self.format = format
        self.quiet = quiet


def parse_options(argv: Sequence[str]) -> Options:
    import argparse

    parser = argparse.ArgumentParser(
        prog="release-guard check",
        description="Check that the versions agree and the changelog is in order; "
        "with a tag (or in a CI tag build), that the commit is ready to release.",
    )
    add_root_argument(parser)
    parser.add_argument("--tag", help="apply the release rules for this tag, e.g. v1.2.0")
    add_output_arguments(parser)
    args = parser.parse_args(argv)
    return Options(project_root(parser, args.root), args.tag, args.format, args.quiet)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    # The pre-commit hook runs a bare `release-guard check`: argparse, and the shutil it
    # imports, would be ~3 ms of a commit-time budget of ~30 ms.
    options = parse_options(arguments) if arguments else Options()
    root = options.root if options.root is not None else find_root(".")
    refuse_if_interrupted(root)

    def body() -> Outcome:
        from release_guard.guard_note import git_dir, guard_note
        from release_guard.tomlcache import keeping_parsed_toml

        tag_dates = None
        # The tags' dates only in CI (and at push): at commit time git would cost too much, and
        # a tag judged by hand may be a scratch tag of today on a copy of an old release.
        if os.environ.get("CI"):
            from release_guard.tagdates import read_tag_dates

            tag_dates = read_tag_dates(root)
        with keeping_parsed_toml(git_dir(root)):
            outcome = run_checks(
                WorkTree(root), options.tag, tag_from_environment=True, tag_dates=tag_dates
            )
        notes = list(outcome.notes)
        if options.tag is not None and tag_dates is None:
            notes.append("changelog dates against tag dates (RG306) are judged at push and in CI")
        note = guard_note(root)
        if note is not None:
            notes.append(note)
        return outcome._replace(notes=notes)

    return run_command("check", options.format or default_format(), options.quiet, body)
