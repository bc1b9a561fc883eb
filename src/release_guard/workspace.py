"""Workspaces: several packages in one repository, each a project of its own (docs/workspaces.md).

Packages come from a uv workspace (`[tool.uv.workspace] members`/`exclude` globs, the root too
when it has a `[project]`) and from `[[tool.release-guard.packages]]` tables of the root's
pyproject.toml. Each package is read from its own directory (a `SubTree` of the repository's
source, so the working tree and a commit read alike) by the same `load_project`, then judged
by the same `run_checks`: its findings are located in the repository and name the package.
"""

from __future__ import annotations

import datetime
import posixpath
from collections.abc import Sequence
from typing import TYPE_CHECKING, Callable, NamedTuple

from release_guard.config import PYPROJECT, PackageEntry, Project, load_project
from release_guard.findings import Finding, InputError, input_error
from release_guard.report import Outcome
from release_guard.source import Source, SubTree
from release_guard.versions import VersionFile
from release_guard.versions.sources import dig

if TYPE_CHECKING:
    from packaging.version import Version

    from release_guard.dist.expected import Expected
    from release_guard.prepare import Plan
    from release_guard.tagdates import TagDates

DEFAULT_TAG_FORMAT = "{name}-v{version}"
UV_LOCK = "uv.lock"
_GLOB_CHARACTERS = "*?["


class Package(NamedTuple):
    name: str  # the distribution name as written (the directory when it has none)
    path: str  # its directory in the repository, "." for the root
    project: Project  # read from its directory: its paths are relative to `path`
    tag_formats: tuple[str, ...]  # the first is the one its tags are expected in

    def source(self, base: Source) -> Source:
        return base if self.path == "." else SubTree(base, self.path)

    def in_repository(self, path: str) -> str:
        return path if self.path == "." else posixpath.normpath(posixpath.join(self.path, path))

    def locate(self, finding: Finding) -> Finding:
        """The finding located in the repository, naming this package; the package's files
        its message names are named from the root too."""
        path = finding.path
        message = finding.message
        if self.path != ".":
            import re

            for own in sorted(set(self.project.own_files()), key=len, reverse=True):
                named = rf"(?<![\w./-]){re.escape(own)}(?![\w/-])"
                replacement = self.in_repository(own).replace("\\", "\\\\")  # literal
                message = re.sub(named, replacement, message)
        return finding._replace(
            path=None if path is None else self.in_repository(path),
            message=message,
            package=self.name,
        )

    def with_tag_format(self, tag_format: str) -> Package:
        config = self.project.config._replace(tag_format=tag_format)
        return self._replace(project=self.project._replace(config=config))


class Workspace(NamedTuple):
    root: Project
    packages: tuple[Package, ...]

    def formats(self) -> list[str]:
        return [tag_format for package in self.packages for tag_format in package.tag_formats]

    def package_named(self, name: str) -> Package | None:
        from release_guard.versions.detect import canonical_name

        wanted = canonical_name(name)
        return next((p for p in self.packages if canonical_name(p.name) == wanted), None)

    def match(self, tag: str) -> Package | None:
        """The package whose tag-format `tag` follows, by the longest prefix; judged in the
        format it matched (a name as written or PEP 503's)."""
        best: tuple[int, Package, str] | None = None
        for package in self.packages:
            for tag_format in package.tag_formats:
                prefix, _, suffix = tag_format.partition("{version}")
                if (
                    len(tag) > len(prefix) + len(suffix)
                    and tag.startswith(prefix)
                    and tag.endswith(suffix)
                    and tag[len(prefix)].isdigit()
                    and (best is None or len(prefix) > best[0])
                ):
                    best = (len(prefix), package, tag_format)
        return best[1].with_tag_format(best[2]) if best else None

    def unmatched(self, tag: str) -> Finding:
        formats = ", ".join(self.formats())
        return Finding(
            "RG301",
            f"tag {tag} follows no package's tag-format ({formats})",
            PYPROJECT,
            hint="tag in one package's format, or exempt such tags with ignore-tags",
        )


# -- discovery ---------------------------------------------------------------------------------


def load_workspace(source: Source, root: Project) -> Workspace:
    members = _member_paths(source, root)
    locked = any(name == UV_LOCK for name, _ in source.list_dir("") or [])
    packages = tuple(
        _load_package(source, root, path, entry, locked) for path, entry in members.items()
    )
    if not packages:
        raise _error("the workspace has no package: name its members, or declare packages")
    _refuse_shared_formats(packages)
    return Workspace(root, packages)


def _error(
    message: str, line_pattern: str | None = None, root: Project | None = None
) -> InputError:
    line = root.line_of(line_pattern) if root is not None and line_pattern else None
    return input_error("RG008", message, PYPROJECT, line)


def _member_paths(source: Source, root: Project) -> dict[str, PackageEntry | None]:
    """Each package's directory, with its [[tool.release-guard.packages]] table when it has one."""
    members: dict[str, PackageEntry | None] = {}
    uv = dig(root.pyproject, "tool", "uv", "workspace")
    if "workspace" in dig(root.pyproject, "tool", "uv"):
        if dig(root.pyproject, "project"):
            members["."] = None  # uv's root with a [project] is a member too
        globs = _strings(uv, "members", root)
        excluded = {
            path
            for pattern in _strings(uv, "exclude", root)
            for path in _expand(source, pattern, root)
        }
        for pattern in globs:
            found = _expand(source, pattern, root)
            if not found:
                raise _error(
                    f"[tool.uv.workspace] members glob {pattern!r} matches no directory",
                    _quoted(pattern),
                    root,
                )
            members.update((path, None) for path in found if path not in excluded)
    for entry in root.config.packages:
        path = _inside(entry.path, "[[tool.release-guard.packages]] path", root)
        members[path] = entry
    return members


def _quoted(text: str) -> str:
    import re

    return re.escape(f'"{text}"') + "|" + re.escape(f"'{text}'")


def _strings(table: dict[str, object], key: str, root: Project) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _error(f"[tool.uv.workspace] {key} must be a list of strings")
    return list(value)


def _inside(path: str, what: str, root: Project) -> str:
    normalized = posixpath.normpath(path.replace("\\", "/"))
    if posixpath.isabs(normalized) or normalized.split("/")[0] == ".." or normalized[1:2] == ":":
        raise _error(f"{what} {path!r} is outside the repository", _quoted(path), root)
    return normalized


def _expand(source: Source, pattern: str, root: Project) -> list[str]:
    """The directories a uv member glob names (`*`, `?`, `[...]` within one path segment)."""
    from fnmatch import fnmatchcase

    clean = _inside(pattern, "[tool.uv.workspace] glob", root)
    found = [""]
    for segment in clean.split("/"):
        if segment == ".":
            continue
        if not any(char in segment for char in _GLOB_CHARACTERS):
            found = [posixpath.join(base, segment) for base in found]
            continue
        found = [
            posixpath.join(base, name)
            for base in found
            for name, is_dir in sorted(source.list_dir(base) or [])
            if is_dir and fnmatchcase(name, segment) and not name.startswith(".")
        ]
    return [path for path in found if path and source.list_dir(path) is not None]


def _load_package(
    source: Source, root: Project, path: str, entry: PackageEntry | None, locked: bool
) -> Package:
    tree = source if path == "." else SubTree(source, path)
    try:
        project = root if path == "." and entry is None else load_project(tree)
    except InputError as error:
        if error.finding.code == "RG001":
            raise _error(
                f"workspace member {path} has no {PYPROJECT}", _quoted(path), root
            ) from None
        where = error.finding.path
        located = posixpath.normpath(posixpath.join(path, where)) if where else where
        raise InputError(error.finding._replace(path=located)) from None
    name = project.name
    own_format = "tag-format" in dig(project.pyproject, "tool", "release-guard")
    if entry is not None and entry.tag_format is not None:
        formats: tuple[str, ...] = (entry.tag_format,)
    elif own_format:
        formats = (project.config.tag_format,)
    elif name is None:
        raise _error(
            f"workspace member {path} has no name ([project] name) to make its tags of: "
            "give it a tag-format",
            _quoted(path),
            root,
        )
    else:
        from release_guard.versions.detect import canonical_name

        written = DEFAULT_TAG_FORMAT.replace("{name}", name)
        formats = tuple(
            dict.fromkeys((DEFAULT_TAG_FORMAT.replace("{name}", canonical_name(name)), written))
        )
    config = project.config
    shared = root.config
    config = config._replace(
        tag_format=formats[0],
        ignore=config.ignore | shared.ignore,
        ignore_tags=config.ignore_tags + shared.ignore_tags,
        release_branches=config.release_branches or shared.release_branches,
        packages=(),
    )
    if entry is not None and entry.changelog is not None:
        config = config._replace(changelog=_relative(entry.changelog, path))
    if entry is not None and entry.version_files is not None:
        truth = project.version_source.file
        files = (vf._replace(path=_relative(vf.path, path)) for vf in entry.version_files)
        config = config._replace(
            version_files=tuple(vf for vf in files if truth is None or vf.path != truth.path),
            version_files_configured=True,
        )
    if locked and path != "." and name is not None:
        config = config._replace(version_files=(*config.version_files, _lock_entry(name, path)))
    return Package(name or path, path, project._replace(config=config), formats)


def _lock_entry(name: str, path: str) -> VersionFile:
    """The member's entry in the workspace's uv.lock (uv locks every member at the root)."""
    from release_guard.versions.detect import canonical_name

    return VersionFile(
        _relative(UV_LOCK, path),
        kind="uv-lock",
        key=f"{canonical_name(name)} {path}",
        required=False,
    )


def _relative(repository_path: str, package_path: str) -> str:
    """A path of the root's config, relative to the package (`../docs/...` is fine: SubTree)."""
    return (
        repository_path if package_path == "." else posixpath.relpath(repository_path, package_path)
    )


def _refuse_shared_formats(packages: tuple[Package, ...]) -> None:
    owners: dict[tuple[str, str], Package] = {}
    for package in packages:
        for tag_format in package.tag_formats:
            prefix, _, suffix = tag_format.partition("{version}")
            other = owners.setdefault((prefix, suffix), package)
            if other is not package:
                raise input_error(
                    "RG008",
                    f"packages {other.name} ({other.path}) and {package.name} ({package.path}) "
                    f"share the tag-format {tag_format!r}: a tag could not tell them apart",
                    PYPROJECT,
                )


# -- judging -----------------------------------------------------------------------------------


def check_workspace(
    source: Source,
    root: Project,
    tag: str | None = None,
    today: datetime.date | None = None,
    tag_from_environment: bool = False,
    tag_dates: TagDates | None = None,
) -> Outcome:
    """Every package at commit; with a tag (given, or of a CI tag build), its package's
    release rules, and only that package."""
    workspace = load_workspace(source, root)
    notes: list[str] = []
    if tag is None and tag_from_environment:
        tag = _tag_from_environment(workspace, notes)
    if tag is not None:
        package = workspace.match(tag)
        if package is None:
            return Outcome([workspace.unmatched(tag)], notes)
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
    today: datetime.date | None = None,
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


# -- prepare --package ---------------------------------------------------------------------------


def plan_packages(
    source: Source,
    root: Project,
    names: Sequence[str],
    plan_release: Callable[[Project, Source], Plan],
) -> tuple[list[Plan], Callable[[Source], Outcome]]:
    """prepare's plans for the named packages (paths in the repository), and how to judge
    the tree they make: each package's release rules on its own tag."""
    from release_guard.edit import Refusal

    if not root.is_workspace:
        raise Refusal("RG601", "--package needs a workspace", "leave --package out")
    workspace = load_workspace(source, root)
    known = ", ".join(package.name for package in workspace.packages)
    if not names:
        raise Refusal(
            "RG601",
            f"a workspace releases the packages named with --package (packages: {known})",
            "release-guard prepare --package NAME VERSION|major|minor|patch",
        )
    chosen = []
    for name in dict.fromkeys(names):
        package = workspace.package_named(name)
        if package is None:
            raise Refusal(
                "RG601",
                f"no package {name!r} in the workspace (packages: {known})",
                "name one of the workspace's packages",
            )
        chosen.append(package)
    from release_guard.edit import Change, Overlay

    plans = []
    made: dict[str, Change] = {}  # by path: packages released together share uv.lock
    for package in chosen:
        try:
            plan = plan_release(
                package.project, package.source(Overlay(source, list(made.values())))
            )
        except InputError as error:  # a refusal (RG6xx) stays one, located in the repository
            error.finding = package.locate(error.finding)
            raise
        changes = []
        for change in plan.changes:
            path = package.in_repository(change.path)
            earlier = made.get(path)
            before = earlier.before if earlier else change.before
            made[path] = change._replace(path=path, before=before)
            changes.append(made[path])
        plans.append(plan._replace(changes=changes))
    # one change per file, with every package's edits: the last plan that touched it holds it
    plans = [
        plan._replace(changes=[c for c in plan.changes if made[c.path] is c]) for plan in plans
    ]

    def judge(tree: Source) -> Outcome:
        after = load_workspace(tree, load_project(tree))
        findings: list[Finding] = []
        notes: list[str] = []
        for package, plan in zip(chosen, plans):
            new = next(p for p in after.packages if p.path == package.path)
            outcome = check_package(tree, new, after, plan.tag)
            findings += outcome.findings
            notes += outcome.notes
        released = {package.name for package in chosen}
        notes += [
            f"{pin.message}: widen it and release it too (--package {pin.package})"
            for pin in pin_findings(tree, after)
            if pin.package is not None
            and any(f"excludes {name} " in pin.message for name in released)
        ]
        return Outcome(findings, notes)

    return plans, judge


# -- verify-dist ---------------------------------------------------------------------------------


def verify_workspace_dists(
    source: Source,
    root: Project,
    dists: list[str],
    findings: list[Finding],
    tag: str | None,
    version: Version | None,
    verify_each: Callable[[Sequence[str], Expected, list[str]], list[Finding]],
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
    for package in workspace.packages:
        mine = by_package.get(package.path)
        if not mine:
            continue
        package_notes: list[str] = []
        expected = expected_from_project(
            package.source(source),
            tag if tagged is not None and package.path == tagged.path else None,
            version,
            package_notes,
            package.project,
        )
        found = [
            f._replace(package=package.name)
            for f in verify_each(mine, expected, package_notes)
            if f.code not in expected.ignore
        ]
        findings += found
        notes += [f"{package.name}: {summary(mine, expected)}"]
        notes += [f"{package.name}: {note}" for note in package_notes]
    return Outcome(findings, notes)


def _dist_name(filename: str) -> str:
    """The project a dist's file name names: `name-version-...whl`, `name-version.tar.gz`."""
    if filename.endswith(".tar.gz"):
        return filename[: -len(".tar.gz")].rpartition("-")[0]
    return filename.partition("-")[0]


# -- dependencies between members (RG109) --------------------------------------------------------


def pin_findings(source: Source, workspace: Workspace) -> list[Finding]:
    """RG109 where a member's requirement on another member excludes that member's version."""
    import re

    from release_guard.versions.detect import canonical_name

    members = {canonical_name(package.name): package for package in workspace.packages}
    versions: dict[str, str | None] = {}
    findings = []
    for package in workspace.packages:
        for requirement in _requirements(package.project):
            named = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
            needed = members.get(canonical_name(named.group(1))) if named else None
            if needed is None or needed is package:
                continue
            if needed.path not in versions:
                versions[needed.path] = _version_of(source, needed)
            version = versions[needed.path]
            if version is None or _allows(requirement, version):
                continue
            line = package.project.line_of(re.escape(requirement))
            message = (
                f"{package.name} requires {requirement!r}, which excludes {needed.name} {version}"
            )
            findings.append(package.locate(Finding("RG109", message, PYPROJECT, line)))
    return findings


def _requirements(project: Project) -> list[str]:
    table = dig(project.pyproject, "project")
    lists = [table.get("dependencies", [])]
    lists += list(dig(table, "optional-dependencies").values())
    return [
        item
        for items in lists
        if isinstance(items, list)
        for item in items
        if isinstance(item, str)
    ]


def _version_of(source: Source, package: Package) -> str | None:
    from release_guard.versions.rules import check_versions

    return check_versions(package.project, package.source(source)).version


def _allows(requirement: str, version: str) -> bool:
    """Whether the requirement's specifier admits `version`; an unparsable requirement, or
    version, is not this rule's to judge."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.version import InvalidVersion, Version

    try:
        return Requirement(requirement).specifier.contains(Version(version), prereleases=True)
    except (InvalidRequirement, InvalidVersion):
        return True
