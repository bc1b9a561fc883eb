"""`release-guard init`: set a project up for release-guard, in one idempotent command.

Detects the version files and the changelog, writes `[tool.release-guard]` only with what
detection would get wrong, creates a Keep a Changelog file if there is none, adds the hook to
`.pre-commit-config.yaml`, writes the workflow templates and installs the tag guard. Every file
change is planned first and written atomically (release_guard.edit); docs/adoption.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from release_guard.arguments import add_output_arguments, add_root_argument, project_root
from release_guard.check import run_checks
from release_guard.config import (
    CONFIG_TABLE,
    PYPROJECT,
    Project,
    VersionFile,
    has_config_table,
    load_project,
)
from release_guard.edit import (
    Change,
    Overlay,
    Refusal,
    TextFile,
    apply,
    inside_git,
    read_text_file,
    restore_files,
    run_git,
    unified_diff,
)
from release_guard.findings import InputError
from release_guard.fit import Fit
from release_guard.report import (
    Outcome,
    default_format,
    neutralise_workflow_commands,
    run_command,
)
from release_guard.source import Source, WorkTree
from release_guard.tagformat import learn, other_packages, recent_tags, stem
from release_guard.versions.files import read_version_file
from release_guard.versions.rules import check_versions

if TYPE_CHECKING:
    from release_guard.changelog.discovery import Located
    from release_guard.changelog.model import Changelog
    from release_guard.workspace import Workspace

HOOK_ID = "release-guard"
PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
WORKFLOWS = (
    ("release.yml", ".github/workflows/release.yml"),
    ("ci.yml", ".github/workflows/ci.yml"),
)
# `--ci`: the CI service -> (template, path) of the files init writes for it
CI_FILES = {"github": WORKFLOWS, "gitlab": (("gitlab-ci.yml", ".gitlab-ci.yml"),)}
# Where a package keeps its version when __init__.py imports it from a sibling module.
VERSION_MODULES = ("__init__.py", "_version.py", "__about__.py", "version.py", "__version__.py")


class HookRepository(NamedTuple):
    """`--hook-repo URL@REV`: the hook served by a hook repository instead of `repo: local`."""

    url: str
    rev: str

    @classmethod
    def parse(cls, value: str) -> HookRepository:
        url, at, rev = value.rpartition("@")
        if not at or not url or not rev or "/" in rev:
            raise argparse.ArgumentTypeError(f"{value!r} is not URL@REV (e.g. {_example()})")
        return cls(url, rev)

    def requirement(self) -> str:
        """pip's requirement for the release-guard this repository serves at this rev."""
        return f"release-guard @ git+{self.url}@{self.rev}"


def _example() -> str:
    from release_guard import __version__
    from release_guard.resources import home_url

    return f"{home_url()}@v{__version__}"


class Plan(NamedTuple):
    changes: list[Change]
    report: list[str]  # one line per file or step, for people


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="release-guard init",
        description="Set release-guard up in this project: config (only what detection gets "
        "wrong), CHANGELOG.md, the pre-commit hook, the release and CI workflows, the tag "
        "guard. Running it again changes nothing.",
    )
    add_root_argument(parser)
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would change, write nothing"
    )
    parser.add_argument(
        "--hook-repo",
        type=HookRepository.parse,
        metavar="URL@REV",
        help="serve the pre-commit hook from this hook repository at this rev (default: a "
        "`repo: local` hook running the release-guard of the project's environment)",
    )
    parser.add_argument(
        "--ci",
        choices=sorted(CI_FILES),
        default="github",
        help="the CI service to write the pipeline for (default: github: ci.yml and release.yml)",
    )
    add_output_arguments(parser)
    args = parser.parse_args(argv)
    root = project_root(parser, args.root)
    fmt = args.format or default_format()

    def body() -> Outcome:
        verbose = fmt == "text" and not args.quiet
        return init(root, args.dry_run, verbose, args.hook_repo, args.ci)

    return run_command("init", fmt, args.quiet, body)


def init(
    root: str,
    dry_run: bool,
    verbose: bool,
    hook_repo: HookRepository | None = None,
    ci: str = "github",
) -> Outcome:
    source = WorkTree(root)
    project = load_project(source)
    plan = plan_init(project, source, root, hook_repo, ci)
    result = Overlay(source, plan.changes)
    outcome = run_checks(result)  # also proves the written config loads
    report = list(plan.report)
    if dry_run:
        report.append(_guard_state(root, dry_run=True))
        if plan.changes:
            report.insert(0, unified_diff(plan.changes).rstrip("\n"))
        report.append("dry run: nothing written")
    else:
        if inside_git(root):  # the guard would not run: say so before anything is written
            from release_guard.install import ensure_isolated_import

            ensure_isolated_import(os.path.abspath(sys.executable))
        apply(root, plan.changes, "init")
        report.append(_guard_or_roll_back(root, plan.changes))
        if plan.changes:
            report += _next_steps(plan.changes)
    if outcome.findings:
        report.append("the project itself has problems to fix before its next commit:")
    if not verbose:
        return outcome._replace(notes=[*outcome.notes, *report])
    print(neutralise_workflow_commands("\n".join(report)))
    return outcome


def plan_init(
    project: Project,
    source: WorkTree,
    root: str,
    hook_repo: HookRepository | None = None,
    ci: str = "github",
) -> Plan:
    changes: list[Change] = []
    report: list[str] = []
    branch = default_branch(root)
    tag_formats: tuple[str, ...] = ()  # a workspace's: every package's (docs/workspaces.md)
    members: list[tuple[dict[str, Any], Source]] = []  # a workspace's packages, for the gate
    tags = recent_tags(root)  # one `git for-each-ref` for every decision below
    split = None if project.is_workspace else _packages_named_by_tags(project, source, tags)
    if split is not None:
        project = split  # declared below, every package
    if project.is_workspace:
        from release_guard.workspace import load_workspace

        workspace = load_workspace(source, project)
        members = [(p.project.pyproject, p.source(source)) for p in workspace.packages]
        config_and_changelogs, formats = _workspace_config(
            project, workspace, source, root, tags, declare_all=split is not None
        )
        tag_formats = tuple(dict.fromkeys(formats))
        tag_format = tag_formats[0] if tag_formats else project.config.tag_format
    else:
        version = check_versions(project, source).version
        keys, detected = _config_keys(project, source, root, tags, version, branch)
        located = _locate_changelog(project, source)
        config_and_changelogs = [
            _config_block(project, source, keys, detected),
            _changelog(project, root, located, version),
        ]
        # What the project will be configured with: an existing block is kept as it is.
        written = {} if has_config_table(project.pyproject) else keys
        configured = written.get("tag-format", project.config.tag_format)
        assert isinstance(configured, str)
        tag_format = configured
    fit = _fit(project, source, members, branch, tag_format, hook_repo)
    fit = fit._replace(tag_formats=tag_formats)
    report.append(f"workflows fit: {fit.describe()}")
    for planned, line in (
        *config_and_changelogs,
        _pre_commit_step(source, hook_repo),
        *(_workflow(source, name, path, fit) for name, path in CI_FILES[ci]),
    ):
        if planned is not None:
            changes.append(planned)
        report.append(line)
    if ci == "github" and not _calls_back(source, changes):
        report.append(
            f"note: release.yml runs {WORKFLOWS[1][1]} as a reusable workflow: yours needs an "
            "`on: workflow_call:` trigger and must upload the `dist` artifact (docs/adoption.md)"
        )
    return Plan(changes, report)


# -- [tool.release-guard] --------------------------------------------------------------------


def _nested_projects(source: WorkTree) -> list[tuple[str, str]]:
    """(directory, `[project]` name) of the pyproject.toml files one directory down (hatch
    keeps hatchling in backend/): their release tags are theirs, not this project's."""
    from release_guard.config import parse_toml
    from release_guard.findings import InputError

    names = []
    for name, is_dir in source.list_dir(".") or []:
        if not is_dir:
            continue
        try:  # a nested file that cannot be read names no project
            text = read_text_file(source, f"{name}/{PYPROJECT}")
            table = parse_toml(text.text, name).get("project") if text is not None else None
        except InputError:
            continue
        if isinstance(table, dict) and isinstance(table.get("name"), str):
            names.append((name, table["name"]))
    return names


def _packages_named_by_tags(project: Project, source: WorkTree, tags: list[str]) -> Project | None:
    """The project as a workspace of the root and the projects one directory down whose
    release tags the recent tags include (hatch's `hatchling-v1.27.0` for backend/): such a
    repository releases several packages, each to be judged (docs/workspaces.md, "init")."""
    from release_guard.config import PackageEntry

    if project.name is None:
        return None
    nested = [
        directory
        for directory, name in _nested_projects(source)
        if _named_tag_format(tags, name) is not None
    ]
    if not nested:
        return None
    entries = (PackageEntry("."), *(PackageEntry(directory) for directory in nested))
    return project._replace(config=project.config._replace(packages=entries))


def _config_keys(
    project: Project,
    source: WorkTree,
    root: str,
    tags: list[str],
    version: str | None,
    branch: str,
) -> tuple[dict[str, object], list[str]]:
    """The keys detection alone would get wrong, and what detection found: one line a fact."""
    keys: dict[str, object] = {}
    located = _locate_changelog(project, source)
    if located.found and located.format != "none":
        # what was detected is written down, so that check reads the same file the same way
        if located.path != project.config.changelog or project.config.changelog_configured:
            keys["changelog"] = located.path
        if located.format != "keep-a-changelog":
            keys["changelog-format"] = located.format
    detected = [vf.path for vf in project.config.version_files if _carries(source, vf)]
    found = _find_version_files(project, source, version)
    if found and sorted(found) != sorted(detected):
        keys["version-files"] = found
    nested = [name for _, name in _nested_projects(source)]
    tag_format = learn(tags, project.name, nested) or project.config.tag_format
    if tag_format != project.config.tag_format:
        keys["tag-format"] = tag_format
    others = other_packages(tags, tag_format)
    if others:
        keys["ignore-tags"] = others
    if not project.config.release_branches:
        # the tag guard: release tags only on it, and on the maintenance branches they are on
        keys["release-branches"] = _release_branches(root, branch, tags, tag_format)
    changelog = _read_changelog(project, source, located)
    elsewhere = _notes_elsewhere(project, located, changelog, tags, tag_format)
    if elsewhere:
        keys.pop("changelog-format", None)
        keys["changelog"] = False
    previews = (
        [] if elsewhere else _pre_releases_unreleased(project, located, changelog, tags, tag_format)
    )
    if previews and project.config.pre_releases == "section":
        keys["pre-releases"] = "unreleased"
    facts = [f"version: {_version_origin(project, version)}"]
    facts += [f"version also in: {path}" for path in found or detected]
    facts.append(f"changelog: {located.path} ({located.format}){elsewhere}")
    if "pre-releases" in keys:
        facts.append(
            f"pre-releases ({', '.join(previews)}) have no section of their own: their entries "
            'wait in [Unreleased] (pre-releases = "unreleased")'
        )
    facts.append(f"release tags: {keys.get('tag-format', project.config.tag_format)}")
    branches = keys.get("release-branches")
    if isinstance(branches, list) and len(branches) > 1:
        facts.append(f"release branches (where the newest release tags are): {', '.join(branches)}")
    if others:
        facts.append(f"other packages' tags, ignored: {', '.join(others)}")
    return keys, facts


RELEASES_WITHOUT_NOTES = 3  # the newest releases a changelog documents none of: not kept


def _notes_elsewhere(
    project: Project,
    located: Located,
    changelog: Changelog | None,
    tags: list[str],
    tag_format: str,
) -> str:
    """When the changelog found documents none of the newest releases tagged in `tag_format`
    (pydantic-ai's docs/changelog.md is an upgrade guide; its notes are GitHub releases), the
    reason to turn the changelog rules off, for init's report; "" otherwise (too few tags to
    tell, or a section for one of them: a real changelog, whatever it lacks, stays judged)."""
    if not located.found or located.format == "none":
        return ""
    if located.text is not None and not located.text.strip():
        return "; it is empty: changelog rules off (write its releases, then remove the setting)"
    versions = _tagged_versions(project, tags, tag_format, RELEASES_WITHOUT_NOTES)
    if len(versions) < RELEASES_WITHOUT_NOTES or _documents_any(changelog, versions):
        return ""
    return (
        f"; it has no section for the {len(versions)} newest releases ({', '.join(versions)}): "
        "release notes are kept elsewhere, changelog rules off (set the changelog to judge it)"
    )


def _pre_releases_unreleased(
    project: Project,
    located: Located,
    changelog: Changelog | None,
    tags: list[str],
    tag_format: str,
) -> list[str]:
    """The newest pre-releases tagged, when the changelog has a section for none of them
    while it documents releases (black tags 26.1a1 with its entries still under
    `## Unreleased`): the project's pre-releases are `pre-releases = "unreleased"`."""
    from release_guard.pep440 import parse_versions

    if not located.found or located.format in ("none", "towncrier", "scriv"):
        return []
    versions = _tagged_versions(project, tags, tag_format, MAINTENANCE_WINDOW)
    parsed = parse_versions(versions)
    previews = [v for v, p in zip(versions, parsed) if p is not None and p.is_prerelease]
    finals = [v for v, p in zip(versions, parsed) if p is not None and not p.is_prerelease]
    if not previews or _documents_any(changelog, previews):
        return []
    return previews if not finals or _documents_any(changelog, finals) else []


def _tagged_versions(project: Project, tags: list[str], tag_format: str, limit: int) -> list[str]:
    """The versions of the newest release tags in `tag_format` (no `.devN` markers)."""
    from release_guard.tags import is_development_marker

    config = project.config._replace(tag_format=tag_format)
    versions: list[str] = []
    for tag in tags:
        version = config.version_in_tag(tag)
        if version and version not in versions and not is_development_marker(version):
            versions.append(version)
        if len(versions) == limit:
            break
    return versions


def _read_changelog(project: Project, source: Source, located: Located) -> Changelog | None:
    """The changelog found, read once for init's conclusions; None when there is none to
    read, or it cannot be read."""
    if not located.found or located.format == "none":
        return None
    from release_guard.changelog import load

    try:
        return load(source, project)[1]
    except InputError:
        return None


def _documents_any(changelog: Changelog | None, versions: list[str]) -> bool:
    """Whether the changelog has a section for any of `versions` (True without one: nothing
    is concluded from a file that cannot be read)."""
    from release_guard.changelog import section_for

    return changelog is None or any(section_for(changelog, v) is not None for v in versions)


def _version_origin(project: Project, version: str | None) -> str:
    """Where the version of truth lives, as init reports it."""
    origin = project.version_source
    if origin.kind == "vcs":
        return f"derived from git tags ({origin.detail})"
    if origin.kind == "missing" or origin.file is None:
        return f"not found: {origin.detail}"
    truth = origin.file
    if truth.reader == "toml":
        where = f"[{truth.key}].version in {truth.path}"
    elif truth.reader == "python":
        where = f"{truth.variable} in {truth.path}"
    elif truth.reader == "setup-cfg":
        where = f"[metadata] version in {truth.path}"
    elif truth.reader == "setup-py":
        where = f"setup(version=...) in {truth.path}"
    else:
        where = f"{truth.path} (pattern {truth.pattern})"
    return f"{version} ({where})" if version else where


def _carries(source: Source, version_file: VersionFile) -> bool:
    reading = read_version_file(source, version_file)
    return reading is not None and reading.version is not None


def _workspace_config(
    project: Project,
    workspace: Workspace,
    source: WorkTree,
    root: str,
    tags: list[str],
    declare_all: bool,
) -> tuple[list[tuple[Change | None, str]], list[str]]:
    """A workspace's part of the plan: `[[tool.release-guard.packages]]` tables only for the
    packages detection gets wrong (for every package with `declare_all`: nothing else makes
    the repository a workspace), a changelog for each package without one; and the packages'
    tag formats, for release.yml's trigger."""
    from release_guard.changelog.discovery import page_named_after

    entries: list[dict[str, object]] = []
    formats: list[str] = []
    facts = []
    planned: list[tuple[Change | None, str]] = []
    for package in workspace.packages:
        tree = package.source(source)
        config = package.project.config
        version = check_versions(package.project, tree).version
        keys: dict[str, object] = {}
        located = _locate_changelog(package.project, tree)
        if located.found and located.format != "none" and located.path != config.changelog:
            keys["changelog"] = package.in_repository(located.path)
        page = (
            None if located.found or package.path == "." else page_named_after(source, package.name)
        )
        if page is not None:  # the repository's changelog directory has a page for it
            keys["changelog"] = page
            located.found = True
        detected = [vf.path for vf in config.version_files if _carries(tree, vf)]
        found = _find_version_files(package.project, tree, version)
        if found and sorted(found) != sorted(detected):
            keys["version-files"] = [package.in_repository(path) for path in found]
        tag_format = _named_tag_format(tags, package.name)
        if tag_format is None and package.path == ".":
            tag_format = _unnamed_tag_format(tags, [other.name for other in workspace.packages])
        if tag_format is not None and tag_format not in package.tag_formats:
            keys["tag-format"] = tag_format
            formats.append(tag_format)
        else:
            formats += package.tag_formats
        elsewhere = _notes_elsewhere(
            package.project,
            located,
            _read_changelog(package.project, tree, located),
            tags,
            tag_format or package.tag_formats[0],
        )
        if elsewhere:
            keys.pop("changelog", None)
            keys["changelog-format"] = "none"
        facts.append(
            f"{package.name} ({package.path}): version {version or 'not found'}, changelog "
            f"{keys.get('changelog', package.in_repository(located.path))}{elsewhere}, tags "
            f"{keys.get('tag-format', package.tag_formats[0])}"
        )
        if keys or declare_all:
            entries.append({"path": package.path, **keys})
        if not located.found:
            located.path = package.in_repository(located.path)  # created from the root
            planned.append(_changelog(package.project, root, located, version))
    root_keys: dict[str, object] = {}
    if all(package.path != "." for package in workspace.packages):
        # tags naming no package at a root that releases nothing: a release of several packages
        # at once (opentelemetry-python's v1.44.0), which is judged package by package or not
        # at all: left unjudged rather than refused as a tag of no package
        lockstep = _unnamed_tag_format(tags, [package.name for package in workspace.packages])
        if lockstep is not None and not has_config_table(project.pyproject):
            pattern = lockstep.partition("{version}")[0] + "*"
            root_keys["ignore-tags"] = [pattern]
            facts.append(
                f"tags {pattern} name no package: a release of several packages at once, "
                "not judged (ignore-tags; docs/workspaces.md)"
            )
    detected_lines = "".join(f"\n  {fact}" for fact in facts)
    if declare_all or (root_keys and not entries):
        block: tuple[Change | None, str] = _packages_block(
            source, entries, detected_lines, root_keys
        )
    elif has_config_table(project.pyproject) and project.config.packages:
        block = (
            None,
            f"{PYPROJECT}: [[tool.release-guard.packages]] exist: left as they are{detected_lines}",
        )
    elif not entries:
        block = (None, f"{PYPROJECT}: no package table needed; detected:{detected_lines}")
    else:
        block = _packages_block(source, entries, detected_lines, root_keys)
    return [block, *planned], formats


def _named_tag_format(tags: list[str], name: str) -> str | None:
    """The format of the recent release tags whose prefix is the package's name (`alpha/v`,
    `alpha-`), else None: another package's tags say nothing about this one's."""
    from release_guard.versions.detect import canonical_name

    learned = learn(tags, name)
    if learned is None:
        return None
    name_part = stem(learned.partition("{version}")[0])
    return learned if name_part and canonical_name(name_part) == canonical_name(name) else None


def _unnamed_tag_format(tags: list[str], names: list[str]) -> str | None:
    """The format of the recent release tags that name no package (`v{version}`), else None:
    at a workspace whose root is a package, the root's releases (pydantic-ai tags `v2.33.0`
    for the whole repository, its members versioned from the same tags)."""
    learned = learn(tags, None, names)
    return learned if learned is not None and not stem(learned.partition("{version}")[0]) else None


def _packages_block(
    source: WorkTree,
    entries: list[dict[str, object]],
    detected: str,
    root_keys: dict[str, object],
) -> tuple[Change, str]:
    """The package tables, after a [tool.release-guard] table of `root_keys` when there are
    any (the root has none: _workspace_config asks for them only then)."""
    import tomlkit

    file = read_text_file(source, PYPROJECT)
    assert file is not None  # a workspace root has its pyproject.toml
    nl = file.newline

    def lines(keys: dict[str, object]) -> str:
        return "".join(
            f"{key} = {tomlkit.item(value).as_string()}{nl}" for key, value in keys.items()
        )

    tables = [f"[{CONFIG_TABLE}]{nl}" + lines(root_keys)] if root_keys else []
    tables += [f"[[{CONFIG_TABLE}.packages]]{nl}" + lines(entry) for entry in entries]
    separator = "" if file.text.endswith("\n") else nl
    block = separator + nl + nl.join(tables)
    change = Change(PYPROJECT, source.read_bytes(PYPROJECT), file.encode(file.text + block))
    added = [f"[tool.release-guard] with {', '.join(root_keys)}"] if root_keys else []
    if entries:
        names = ", ".join(str(entry["path"]) for entry in entries)
        added.append(f"[[tool.release-guard.packages]] for {names}")
    return change, f"{PYPROJECT}: added {' and '.join(added)}{detected}"


MAINTENANCE_WINDOW = 10  # the newest release tags whose branches init looks at


def _release_branches(root: str, branch: str, tags: list[str], tag_format: str) -> list[str]:
    """The default branch, and the branches the newest release tags were made on when they
    are not on it (pytest tags 9.1.1 on its `9.1.x` branch), each number of their names a
    `*` (`*.*.x`): the next series' branch is one too. Without them the guard would refuse
    every maintenance release (RG304)."""
    prefix, _, suffix = tag_format.partition("{version}")
    releases = [t for t in tags if t.startswith(prefix) and t.endswith(suffix)]
    patterns = [branch]
    for tag in releases[:MAINTENANCE_WINDOW]:
        result = run_git(
            root,
            "for-each-ref",
            "--format=%(refname)",
            f"--contains=refs/tags/{tag}",
            "refs/heads/",
            "refs/remotes/",
        )
        if result is None or result.returncode != 0:
            continue
        names = set()
        for ref in result.stdout.split("\n"):
            if ref.startswith("refs/heads/"):
                names.add(ref[len("refs/heads/") :])
            elif ref.startswith("refs/remotes/"):
                names.add(ref[len("refs/remotes/") :].partition("/")[2])
        names.discard("HEAD")
        if names and branch not in names:
            patterns += sorted({re.sub(r"[0-9]+", "*", name) for name in names})
    return list(dict.fromkeys(patterns))


def default_branch(root: str) -> str:
    """The branch releases are cut from: origin's HEAD, else the current branch, else main."""
    for args in (("refs/remotes/origin/HEAD",), ("HEAD",)):
        result = run_git(root, "symbolic-ref", "-q", "--short", *args)
        name = result.stdout.strip() if result is not None and result.returncode == 0 else ""
        if name:
            return name[len("origin/") :] if args[0].startswith("refs/remotes/") else name
    return "main"


def _locate_changelog(project: Project, source: Source) -> Located:
    from release_guard.changelog.discovery import locate

    config = project.config
    return locate(
        source,
        project.pyproject,
        config.changelog if config.changelog_configured else None,
        config.changelog_format,
        project.name,
    )


def _find_version_files(project: Project, source: Source, version: str | None) -> list[str]:
    """The files that carry a version literal: package modules, and the other files detection
    checks (uv.lock, CITATION.cff, docs conf.py); a stale one too: check reports it rather
    than init hiding it. A module that computes its version, or has none, is not listed."""
    if version is None:
        return []
    truth = project.version_source.file.path if project.version_source.file else None
    found = []
    for package in _package_dirs(source):
        for module in VERSION_MODULES:
            path = f"{package}/{module}"
            if path != truth and _carries(source, VersionFile(path)):
                found.append(path)
    found += [
        vf.path
        for vf in project.config.version_files
        if vf.reader != "python" and vf.path not in found and _carries(source, vf)
    ]
    return found


def _package_dirs(source: Source) -> list[str]:
    """Top-level import packages, under src/ or at the root."""
    packages = []
    for base in ("src", "."):
        for name, is_dir in sorted(source.list_dir(base) or []):
            path = name if base == "." else f"{base}/{name}"
            if (
                is_dir
                and name.isidentifier()
                and name not in ("tests", "test", "docs")
                and source.read_bytes(f"{path}/__init__.py") is not None
            ):
                packages.append(path)
    return packages


def _config_block(
    project: Project, source: WorkTree, keys: dict[str, object], facts: list[str]
) -> tuple[Change | None, str]:
    detected = "".join(f"\n  {fact}" for fact in facts)
    if has_config_table(project.pyproject):
        return None, f"{PYPROJECT}: [tool.release-guard] exists: left as it is{detected}"
    if not keys:
        return None, f"{PYPROJECT}: no [tool.release-guard] needed; detected:{detected}"
    import tomlkit

    # a setup.py/setup.cfg project gets a pyproject.toml of this table alone: without a
    # [build-system], builds still go through setuptools (PEP 517's default)
    file = read_text_file(source, PYPROJECT) or TextFile(PYPROJECT, "", False, "\n")
    nl = file.newline
    lines = [f"{key} = {tomlkit.item(value).as_string()}" for key, value in keys.items()]
    separator = "" if file.text.endswith("\n") or not file.text else nl
    block = f"{separator}{nl if file.text else ''}[{CONFIG_TABLE}]{nl}" + nl.join(lines) + nl
    change = Change(PYPROJECT, source.read_bytes(PYPROJECT), file.encode(file.text + block))
    return change, f"{PYPROJECT}: added [tool.release-guard] with {', '.join(keys)}{detected}"


# -- CHANGELOG.md ------------------------------------------------------------------------------

CHANGELOG_HEAD = """\
# Changelog

All notable changes to this project are documented in this file.
The format follows [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).

## [Unreleased]
"""


def _changelog(
    project: Project, root: str, located: Located, version: str | None
) -> tuple[Change | None, str]:
    """A Keep a Changelog file, only when the search found no changelog at all (never one
    beside an existing changelog, whatever its name or format)."""
    path = located.path
    if located.format == "none":
        return None, "changelog: none (changelog = false)"
    if located.found:
        return None, f"{path}: exists ({located.format})"
    text = CHANGELOG_HEAD
    from release_guard.pep440 import parse_version

    parsed = parse_version(version) if version else None
    if version is not None and parsed is not None and not parsed.is_prerelease:
        # `check` wants a section for the current version: the day it was tagged, else today.
        day = _tag_date(root, project.config.tag_for(version)) or datetime.date.today().isoformat()
        text += (
            f"\n## [{version}] - {day}\n\n"
            "- The state of the project when this changelog began; "
            "earlier changes are in the git history.\n"
        )
    return Change(path, None, text.encode("utf-8")), f"{path}: created in Keep a Changelog form"


def _tag_date(root: str, tag: str) -> str | None:
    result = run_git(root, "log", "-1", "--format=%cs", f"refs/tags/{tag}", "--")
    if result is None or result.returncode != 0:
        return None
    return result.stdout.strip() or None


# -- .pre-commit-config.yaml -------------------------------------------------------------------

_HOOK_LINE = re.compile(
    rf"""^[ \t-]*id:[ \t]*["']?{HOOK_ID}["']?[ \t]*(?:#[^\r\n]*)?\r?$""", re.MULTILINE
)
_REPOS_LINE = re.compile(r"^repos:[ \t]*(?:#[^\r\n]*)?\r?$", re.MULTILINE)
_ITEM_LINE = re.compile(r"^([ \t]*)-[ \t]")


def hook_lines(hook_repo: HookRepository | None) -> list[str]:
    """The config's repos item for the hook, without indentation.

    By default a `repo: local` hook running the project's own release-guard (the one `init`,
    `prepare` and the tag guard run): it needs no download, so it works before release-guard is
    on PyPI, and `language: system` works with every pre-commit (4.4 calls it `unsupported`).
    """
    if hook_repo is not None:
        return [
            f"- repo: {hook_repo.url}",
            f"  rev: {hook_repo.rev}",
            "  hooks:",
            f"    - id: {HOOK_ID}",
        ]
    from release_guard import __version__

    return [
        f"- repo: local  # release-guard {__version__}, from this project's environment",
        "  hooks:",
        *(f"    {line}" for line in _local_hook_text()),
    ]


def _local_hook_text() -> list[str]:
    return [
        f"- id: {HOOK_ID}",
        f"  name: {HOOK_ID}",
        "  entry: release-guard check",
        "  language: system",
        "  pass_filenames: false",
        "  always_run: true",
        "  stages: [pre-commit, pre-push, manual]",
    ]


def hook_entry(indent: str, nl: str, hook_repo: HookRepository | None = None) -> str:
    """The repos item at the indentation of the file's other items, in its line ends."""
    return nl.join(indent + line for line in hook_lines(hook_repo))


def _pre_commit_step(
    source: WorkTree, hook_repo: HookRepository | None
) -> tuple[Change | None, str]:
    """The hook added to the pre-commit config; a config init cannot edit safely (YAML
    aliases, flow style, invalid YAML: psf/black's uses aliases) is left as it is, with the
    item to add by hand, and the rest of the adoption goes on."""
    try:
        return _pre_commit_config(source, hook_repo)
    except Refusal as refusal:
        return None, (
            f"note: {PRE_COMMIT_CONFIG} left as it is: {refusal.message}; {refusal.finding.hint}"
        )


def _pre_commit_config(
    source: WorkTree, hook_repo: HookRepository | None
) -> tuple[Change | None, str]:
    file = read_text_file(source, PRE_COMMIT_CONFIG)
    if file is None:
        text = (
            "# pre-commit hooks (https://pre-commit.com)\nrepos:\n"
            + hook_entry("  ", "\n", hook_repo)
            + "\n"
        )
        return (
            Change(PRE_COMMIT_CONFIG, None, text.encode("utf-8")),
            f"{PRE_COMMIT_CONFIG}: created with the {HOOK_ID} hook",
        )
    if _HOOK_LINE.search(file.text):
        return None, f"{PRE_COMMIT_CONFIG}: already runs the {HOOK_ID} hook"
    text = _add_hook(file, hook_repo)
    _validate_yaml(file.text, text, hook_repo)
    change = Change(PRE_COMMIT_CONFIG, source.read_bytes(PRE_COMMIT_CONFIG), file.encode(text))
    return change, f"{PRE_COMMIT_CONFIG}: added the {HOOK_ID} hook"


def _add_hook(file: TextFile, hook_repo: HookRepository | None) -> str:
    """The config with the hook appended to its `repos:` list, every other byte kept."""
    nl = file.newline
    text = file.text if not file.text or file.text.endswith("\n") else file.text + nl
    repos = _REPOS_LINE.search(text)
    if repos is None:
        if re.search(r"^repos:", text, re.MULTILINE):
            raise Refusal(
                "RG605",
                f"{PRE_COMMIT_CONFIG} writes repos: in flow style, which cannot be extended "
                "without rewriting it",
                "add this item to repos by hand:\n" + hook_entry("  ", "\n", hook_repo),
                PRE_COMMIT_CONFIG,
            )
        return f"{text}repos:{nl}{hook_entry('  ', nl, hook_repo)}{nl}"
    lines = text.split("\n")  # a CRLF file's lines keep their "\r"
    after_repos = text.count("\n", 0, repos.start()) + 1
    last, indent = after_repos - 1, None
    for index in range(after_repos, len(lines)):
        line = lines[index].rstrip("\r")
        if line and line[0] not in " \t-#":
            break  # the next top-level key ends the list
        if line.strip() and not line.startswith("#"):
            last = index
            item = _ITEM_LINE.match(line)
            if item is not None and indent is None:
                indent = item.group(1)
    entry = hook_entry("  " if indent is None else indent, nl, hook_repo)
    lines.insert(last + 1, entry + nl[:-1])
    return "\n".join(lines)


def _validate_yaml(before: str, after: str, hook_repo: HookRepository | None) -> None:
    """With PyYAML at hand (pre-commit brings it), prove the edit only added the hook."""
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        return
    try:
        _refuse_aliases(yaml, before, hook_repo)
        old = yaml.safe_load(before)
    except yaml.YAMLError as error:
        raise Refusal(
            "RG605",
            f"{PRE_COMMIT_CONFIG} is not valid YAML: {error}",
            "fix it (pre-commit validate-config explains), then run init again",
            PRE_COMMIT_CONFIG,
        ) from None
    try:
        new = yaml.safe_load(after)
    except yaml.YAMLError:
        new = None
    repos = old.get("repos") if isinstance(old, dict) else None
    item = yaml.safe_load("\n".join(hook_lines(hook_repo)))[0]
    if not isinstance(old, dict) or new != {**old, "repos": [*(repos or []), item]}:
        raise Refusal(
            "RG605",
            f"cannot add the hook to {PRE_COMMIT_CONFIG} without changing its meaning",
            "add this item to repos by hand:\n" + hook_entry("  ", "\n", hook_repo),
            PRE_COMMIT_CONFIG,
        )


def _refuse_aliases(yaml: Any, text: str, hook_repo: HookRepository | None) -> None:
    """Refuse a config that uses YAML aliases, read as parser events (linear, nothing built):
    comparing documents expands every alias, and nested ones double at each level (an "alias
    bomb" of 30 lines is a billion nodes)."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + 1
            raise Refusal(
                "RG605",
                f"{PRE_COMMIT_CONFIG} uses YAML aliases (line {line}): init does not expand "
                "them to prove its edit",
                "add this item to repos by hand:\n" + hook_entry("  ", "\n", hook_repo),
                PRE_COMMIT_CONFIG,
                line,
            )


# -- workflows ---------------------------------------------------------------------------------


def _fit(
    project: Project,
    source: WorkTree,
    members: list[tuple[dict[str, Any], Source]],
    branch: str,
    tag_format: str,
    hook_repo: HookRepository | None,
) -> Fit:
    """The workflows' fit: in a workspace, the gate runs the tools any package uses, on a
    Python every package allows."""
    from release_guard import __version__
    from release_guard.fit import gate_tools, python_for

    projects = [(project.pyproject, source), *members]
    requires = []
    for pyproject, _ in projects:
        table = pyproject.get("project")
        requires.append(table.get("requires-python") if isinstance(table, dict) else None)
    pin = hook_repo.requirement() if hook_repo is not None else f"release-guard=={__version__}"
    return Fit(
        branch=branch,
        tag_format=tag_format,
        python=python_for(*requires),
        gate=frozenset().union(*(gate_tools(pyproject, tree) for pyproject, tree in projects)),
        release_guard=pin,
    )


def _workflow(source: WorkTree, name: str, path: str, fit: Fit) -> tuple[Change | None, str]:
    from release_guard.fit import render
    from release_guard.resources import shipped_bytes

    template = render(name, shipped_bytes(name), fit)
    existing = source.read_bytes(path)
    if existing is None:
        return Change(path, None, template), f"{path}: created from release-guard's template"
    if existing == template:
        return None, f"{path}: is release-guard's template, fitted to this project"
    return None, f"{path}: exists and differs from release-guard's template: left as it is"


def _calls_back(source: WorkTree, changes: list[Change]) -> bool:
    """Whether the CI workflow release.yml calls can be called: ours, or one with workflow_call."""
    path = WORKFLOWS[1][1]
    planned = next((change.after for change in changes if change.path == path), None)
    text = planned if planned is not None else source.read_bytes(path)
    return text is None or b"workflow_call" in text


# -- the tag guard -----------------------------------------------------------------------------


def _guard_state(root: str, dry_run: bool) -> str:
    """Install the pre-push tag guard unless it is there already; what was done."""
    if not inside_git(root):
        return "tag guard: not a git repository: run `release-guard install` after `git init`"
    from release_guard import install as guard

    directory = guard.hooks_dir(root)
    python = os.path.abspath(sys.executable)
    installed = guard.find_installed(directory)
    if installed is not None:
        with open(installed, "rb") as handle:
            current = handle.read()
        if current == guard.render(python, guard.recorded_previous(installed)):
            return f"tag guard: installed at {os.path.relpath(installed, root)}"
    if dry_run:
        return "tag guard: would be installed (release-guard install)"
    return "tag guard: " + "; ".join(guard.install(directory, python))


def _guard_or_roll_back(root: str, changes: list[Change]) -> str:
    """Install the tag guard; when that fails, the files init wrote are put back (created
    ones removed), so a failed init leaves the project as it found it, or names exactly
    what it could not put back."""
    try:
        return _guard_state(root, dry_run=False)
    except InputError as error:
        left = restore_files(root, changes)
        reason = error.finding.message
        if left:
            raise Refusal(
                "RG606",
                f"installing the tag guard failed ({reason}); init wrote {len(changes)} "
                f"file(s) and could NOT put back: {', '.join(left)}",
                "restore those files from git (git checkout -- FILE) or delete the new "
                "ones, fix the cause and run release-guard init again",
            ) from None
        raise Refusal(
            "RG606",
            f"installing the tag guard failed ({reason}); the {len(changes)} file(s) init "
            "had written were put back",
            "fix the cause and run release-guard init again",
        ) from None


def _next_steps(changes: list[Change]) -> list[str]:
    import shlex

    paths = " ".join(shlex.quote(change.path) for change in changes)
    return [
        "",
        "Next:",
        "  pre-commit install    # the hook at every commit",
        f"  git add {paths}",
        '  git commit -m "Adopt release-guard"',
    ]
