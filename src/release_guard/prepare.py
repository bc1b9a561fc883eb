"""`release-guard prepare VERSION|major|minor|patch`: steps 1 and 2 of a release in one command.

Sets the new version in pyproject.toml (or the dynamic version file) and in every version file,
moves the [Unreleased] entries into a dated section, moves the changelog's link references on,
and runs the release checks on the result before anything is written (docs/adoption.md).
"""

from __future__ import annotations

import argparse
import datetime
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from release_guard.arguments import add_output_arguments, add_root_argument, project_root
from release_guard.check import run_checks
from release_guard.config import PYPROJECT, Project, VersionFile, load_project
from release_guard.edit import (
    Change,
    Overlay,
    Refusal,
    apply,
    inside_git,
    line_before,
    line_offset,
    read_text_file,
    replace_span,
    run_git,
    unified_diff,
)
from release_guard.report import Outcome, default_format, run_command
from release_guard.source import WorkTree
from release_guard.versions import read_version_file

if TYPE_CHECKING:
    from packaging.version import Version

    from release_guard.changelog.model import Changelog

PARTS = ("major", "minor", "patch")


class Plan(NamedTuple):
    version: str
    tag: str
    changes: list[Change]
    summary: list[str]  # one line per change, for people
    removed: tuple[str, ...] = ()  # news fragments the release consumes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="release-guard prepare",
        description="Set the new version everywhere and date the changelog for a release; "
        "checks the result with the release rules first, and writes nothing if it would fail.",
    )
    parser.add_argument(
        "target",
        metavar="VERSION|major|minor|patch",
        help="the new version, or the part of the current one to bump",
    )
    add_root_argument(parser)
    parser.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    parser.add_argument(
        "--date",
        type=_parse_date,
        help="release date, YYYY-MM-DD (default: today, local time)",
    )
    add_output_arguments(parser)
    args = parser.parse_args(argv)
    root = project_root(parser, args.root)
    fmt = args.format or default_format()
    day = args.date or datetime.date.today()

    def body() -> Outcome:
        return prepare(
            root, args.target, day, dry_run=args.dry_run, verbose=fmt == "text" and not args.quiet
        )

    return run_command("prepare", fmt, args.quiet, body)


def _parse_date(text: str) -> datetime.date:
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD")


def prepare(root: str, target: str, day: datetime.date, dry_run: bool, verbose: bool) -> Outcome:
    """Plan the release, judge it, then write it (unless dry_run). Refusal: nothing written.

    `verbose`: print the diff and the next steps for people; otherwise they go in the notes.
    """
    source = WorkTree(root)
    project = load_project(source)
    plan = plan_release(project, source, target, day)
    in_git = inside_git(root)
    if in_git:
        _ensure_committed(root, [change.path for change in plan.changes] + list(plan.removed))
        _ensure_new_tag(root, plan.tag)
    outcome = run_checks(Released(source, plan.changes, plan.removed), tag=plan.tag)
    if outcome.findings:
        planned = {change.path: change for change in plan.changes}
        return Outcome(
            [
                finding._replace(line=line_before(planned[finding.path], finding.line))
                if finding.path in planned and finding.line is not None
                else finding
                for finding in outcome.findings
            ],
            [*outcome.notes, f"nothing written: {plan.tag} would not pass the release checks"],
        )
    if dry_run:
        report = [unified_diff(plan.changes).rstrip("\n"), "dry run: nothing written"]
    else:
        apply(root, plan.changes)
        _remove_fragments(root, plan.removed, in_git)
        report = [*plan.summary, *_next_steps(root, plan, in_git)]
    if not verbose:
        return Outcome([], [*outcome.notes, *report])
    print("\n".join(report))
    return Outcome([], outcome.notes)


def plan_release(project: Project, source: WorkTree, target: str, day: datetime.date) -> Plan:
    """Every change the release makes, computed in memory (towncrier runs in a scratch copy)."""
    from release_guard.changelog import load

    located, changelog = load(source, project)
    if changelog is None:
        raise Refusal(
            "RG601",
            f"{located.path} does not exist: there is nothing to release",
            "create it in Keep a Changelog form (release-guard init does it)",
            located.path,
        )
    current = _current_version(project, source, changelog)
    version = new_version(target, current)
    tag = project.config.tag_for(version)
    changes: dict[str, Change] = {}
    summary: list[str] = []
    if project.version_source.kind == "static":
        changes[PYPROJECT] = _set_pyproject_version(source, version)
        summary.append(f"{PYPROJECT}: version {current} -> {version}")
    truth = project.version_source.file
    for version_file in ((truth,) if truth else ()) + project.config.version_files:
        # Read through the changes so far: two entries may name the same file.
        edited = _set_file_version(Overlay(source, list(changes.values())), version_file, version)
        if edited is not None:
            path = version_file.path
            earlier = changes.get(path)
            before = earlier.before if earlier else source.read_bytes(path)
            changes[path] = Change(path, before, edited[0])
            summary.append(f"{path}: version {edited[1]} -> {version}")
    removed: list[str] = []
    parsed = _parse_version(version)  # new_version() made sure it is valid
    if project.config.pre_releases == "unreleased" and parsed is not None and parsed.is_prerelease:
        summary.append(
            f'{changelog.path}: the entries wait in [Unreleased] (pre-releases = "unreleased")'
        )
    elif changelog.format in ("towncrier", "scriv"):
        from release_guard.changelog.build import build_with_tool

        built = build_with_tool(source, project, changelog, version, day)
        changes[changelog.path] = built.change
        removed = built.removed
        summary += built.summary
    elif changelog.format != "none":
        changelog_file = read_text_file(source, changelog.path)
        assert changelog_file is not None  # load() read it
        from release_guard.changelog.release import release_section

        changes[changelog.path], moved = release_section(
            changelog_file, changelog, version, tag, day, project.config.pre_releases
        )
        summary += moved
    return Plan(version, tag, list(changes.values()), summary, tuple(removed))


# -- versions ----------------------------------------------------------------------------------


def _current_version(project: Project, source: WorkTree, changelog: Changelog) -> str | None:
    """The version being replaced; None when there is none yet (a first release from git tags)."""
    origin = project.version_source
    if origin.kind == "static" and isinstance(origin.static_version, str):
        return origin.static_version
    if origin.kind == "file" and origin.file is not None:
        found = read_version_file(source, origin.file)
        if found is not None and found.value is not None:
            return found.value
        raise Refusal(
            "RG601",
            f"the version file {origin.file.path} carries no version to replace",
            "fix it first: release-guard check says what is wrong",
            origin.file.path,
        )
    if origin.kind == "vcs":
        # The tag is the version: the newest release in the changelog is the one to bump.
        parsed = (_parse_version(release.version) for release in changelog.releases)
        valid = [version for version in parsed if version is not None]
        return str(max(valid)) if valid else None
    raise Refusal(
        "RG601",
        "the project has no version to replace ([project].version is missing or not a string)",
        'set [project] version = "X.Y.Z" first',
        PYPROJECT,
    )


def _parse_version(text: str) -> Version | None:
    """packaging's own Version: bumping needs its release numbers, not just its ordering."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(text)
    except InvalidVersion:
        return None


def new_version(target: str, current: str | None) -> str:
    """The version `target` names: a part to bump, or an explicit version greater than current.

    Bumping a pre-release releases it when the bump allows: `minor` of 0.2.0rc1 is 0.2.0,
    `patch` of 0.2.1.dev0 is 0.2.1 (as poetry and bump tools do).
    """
    parsed = _parse_version(current) if current is not None else None
    if current is not None and parsed is None:
        raise Refusal(
            "RG602",
            f"the current version {current!r} is not a valid PEP 440 version",
            "fix it first: release-guard check says what is wrong",
        )
    if target in PARTS:
        if parsed is None:
            raise Refusal(
                "RG601",
                f"there is no released version to bump by {target}",
                "name the first version: release-guard prepare 0.1.0",
            )
        return _bump(parsed, target)
    explicit = target[1:] if re.match(r"[vV]\d", target) else target
    wanted = _parse_version(explicit)
    if wanted is None:
        raise Refusal(
            "RG602",
            f"{target!r} is neither a PEP 440 version nor one of {', '.join(PARTS)}",
            "name the version, e.g. release-guard prepare 1.2.0, or a part: major, minor, patch",
        )
    if wanted.local is not None:
        raise Refusal(
            "RG602",
            f"{explicit} is a local version (+{wanted.local}): indexes such as PyPI refuse them",
            f"release the public version, {wanted.public}",
        )
    if parsed is not None and not wanted > parsed:
        raise Refusal(
            "RG602",
            f"{explicit} is not greater than the current version {current}",
            f"choose a version above {current}, or bump a part: release-guard prepare patch",
        )
    return explicit


def _bump(version: Version, part: str) -> str:
    major, minor, patch = (*version.release, 0, 0)[:3]
    pre = version.is_prerelease
    if part == "major":
        release = (major, 0, 0) if pre and (minor, patch) == (0, 0) else (major + 1, 0, 0)
    elif part == "minor":
        release = (major, minor, 0) if pre and patch == 0 else (major, minor + 1, 0)
    else:
        release = (major, minor, patch) if pre else (major, minor, patch + 1)
    epoch = f"{version.epoch}!" if version.epoch else ""
    return epoch + ".".join(str(number) for number in release)


def _set_pyproject_version(source: WorkTree, version: str) -> Change:
    """[project].version set with tomlkit, keeping the string's quote style and every other byte."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError
    from tomlkit.items import String

    file = read_text_file(source, PYPROJECT)
    assert file is not None  # load_project read it
    try:
        document = tomlkit.parse(file.text)
        table = document["project"]
        old = table["version"]
        table["version"] = String.from_raw(version, type_=old.type)
        text = document.as_string()
    except (TOMLKitError, KeyError, AttributeError, ValueError) as error:
        raise Refusal(
            "RG605",
            f"cannot edit [project].version in {PYPROJECT}: {error}",
            "set the version by hand, then run release-guard check",
            PYPROJECT,
        ) from None
    if not _only_value_changed(file.text, text, str(old), version):
        raise Refusal(
            "RG605",
            f"setting the version would reformat other parts of {PYPROJECT}",
            "set the version by hand, then run release-guard check",
            PYPROJECT,
        )
    return Change(PYPROJECT, source.read_bytes(PYPROJECT), file.encode(text))


def _only_value_changed(before: str, after: str, old: str, new: str) -> bool:
    """The edit is confined to one value on one line: the guarantee tomlkit is trusted with."""
    prefix = _common_length(before, after)
    suffix = min(_common_length(before[::-1], after[::-1]), min(len(before), len(after)) - prefix)
    removed, added = before[prefix : len(before) - suffix], after[prefix : len(after) - suffix]
    return "\n" not in removed + added and len(removed) <= len(old) and len(added) <= len(new)


def _common_length(first: str, second: str) -> int:
    """Length of the common prefix of two strings."""
    for index, (a, b) in enumerate(zip(first, second)):
        if a != b:
            return index
    return min(len(first), len(second))


def _set_file_version(
    source: Overlay, version_file: VersionFile, version: str
) -> tuple[bytes, str] | None:
    """The file's new bytes, with exactly its version value replaced, and the old value; None
    when there is nothing to replace (missing file, no value or a computed one: check reports
    those on the result)."""
    found = read_version_file(source, version_file)
    if found is None or found.value is None or found.line is None:
        return None
    file = read_text_file(source, version_file.path)
    assert file is not None
    start = file.text.find(found.value, line_offset(file.text, found.line))
    if start < 0:
        raise Refusal(
            "RG605",
            f"cannot locate the version {found.value!r} written in {version_file.path}",
            "write it as a plain string literal, or set it by hand",
            version_file.path,
            found.line,
        )
    text = replace_span(file.text, start, start + len(found.value), version)
    return file.encode(text), found.value


# -- git -----------------------------------------------------------------------------------------


class Released(Overlay):
    """The tree as the release leaves it: the changes made, the consumed fragments gone."""

    def __init__(self, base: WorkTree, changes: Sequence[Change], removed: Sequence[str]) -> None:
        super().__init__(base, changes)
        self.removed = set(removed)

    def read_bytes(self, path: str) -> bytes | None:
        return None if path in self.removed else super().read_bytes(path)

    def list_dir(self, path: str) -> list[tuple[str, bool]] | None:
        entries = super().list_dir(path)
        if entries is None:
            return None
        prefix = "" if path in (".", "") else path.rstrip("/") + "/"
        return [(name, is_dir) for name, is_dir in entries if prefix + name not in self.removed]


def _remove_fragments(root: str, paths: Sequence[str], in_git: bool) -> None:
    """Consume the news fragments as towncrier and scriv do: `git rm`, or a plain removal."""
    if not paths:
        return
    import os

    if in_git:
        run_git(root, "rm", "--quiet", "--force", "--ignore-unmatch", "--", *paths)
    for path in paths:
        full = os.path.join(root, *path.split("/"))
        if os.path.exists(full):
            os.remove(full)


def _ensure_committed(root: str, paths: list[str]) -> None:
    """Refuse when a file to change has uncommitted changes: the release commit would sweep
    them in, and `git checkout` could no longer undo prepare cleanly."""
    result = run_git(root, "status", "--porcelain", "--untracked-files=all", "--", *paths)
    if result is None or result.returncode != 0:
        raise Refusal(
            "RG006",
            f"git status failed: {(result.stderr if result else 'git not found').strip()}",
            "check the repository, or run prepare outside git",
        )
    dirty = [line[3:] for line in result.stdout.splitlines() if line.strip()]
    if dirty:
        raise Refusal(
            "RG604",
            f"uncommitted changes in {', '.join(dirty)}",
            "commit them (or git stash) first: the release commit must hold only the release",
            dirty[0],
        )


def _ensure_new_tag(root: str, tag: str) -> None:
    result = run_git(root, "rev-parse", "--quiet", "--verify", f"refs/tags/{tag}")
    if result is not None and result.returncode == 0:
        raise Refusal(
            "RG603",
            f"the tag {tag} already exists",
            "choose another version; a released tag is never moved",
        )


def _next_steps(root: str, plan: Plan, in_git: bool) -> list[str]:
    paths = " ".join(_shell_quote(change.path) for change in plan.changes)
    branch_result = run_git(root, "symbolic-ref", "--quiet", "--short", "HEAD") if in_git else None
    branch = branch_result.stdout.strip() if branch_result and branch_result.returncode == 0 else ""
    push = f"git push origin {branch} {plan.tag}" if branch else f"git push origin {plan.tag}"
    return [
        "",
        f"Prepared {plan.version}. Next:",
        f'  git commit -m "release: {plan.tag}" -- {paths}',
        f"  git tag {plan.tag}",
        f"  {push}",
    ]


def _shell_quote(path: str) -> str:
    import shlex

    return shlex.quote(path)
