"""Workspaces: several packages in one repository, each a project of its own (docs/workspaces.md).

Packages come from a uv workspace (`[tool.uv.workspace] members`/`exclude` globs, the root too
when it has a `[project]`) and from `[[tool.release-guard.packages]]` tables of the root's
pyproject.toml. Each package is read from its own directory (a `SubTree` of the repository's
source, so the working tree and a commit read alike) by the same `load_project`, then judged
by the same `run_checks` (`judge`): its findings are located in the repository and name the
package. `pins` judges members' requirements on each other (RG109), `prepare` and `dist` are
the workspace's parts of `prepare --package` and `verify-dist`.
"""

from __future__ import annotations

import posixpath

from release_guard.config import PYPROJECT, PackageEntry, Project, builds_nothing, load_project
from release_guard.findings import Finding, InputError, input_error
from release_guard.record import Record
from release_guard.source import Source, SubTree
from release_guard.versions import VersionFile, dig

DEFAULT_TAG_FORMAT = "{name}-v{version}"
UV_LOCK = "uv.lock"
_GLOB_DEPTH = 16  # directories below a `**`
_GLOB_CHARACTERS = "*?["


class Package(Record):
    __slots__ = ("name", "path", "project", "tag_formats")

    def __init__(
        self,
        name: str,  # the distribution name as written (the directory when it has none)
        path: str,  # its directory in the repository, "." for the root
        project: Project,  # read from its directory: its paths are relative to `path`
        tag_formats: tuple[str, ...],  # the first is the one its tags are expected in
    ) -> None:
        self.name = name
        self.path = path
        self.project = project
        self.tag_formats = tag_formats

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


class Workspace(Record):
    __slots__ = ("packages", "root")

    def __init__(
        self,
        root: Project,
        packages: tuple[Package, ...],
    ) -> None:
        self.root = root
        self.packages = packages

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
        if not builds_nothing(root.pyproject):
            members["."] = None  # uv's root with a [project] it builds is a member too
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
    """The directories a uv member glob names, as uv expands it: `*`, `?` and `[...]` within
    one path segment, `**` for any number of directories (none included); directories whose
    name starts with `.` are skipped."""
    from fnmatch import fnmatchcase

    clean = _inside(pattern, "[tool.uv.workspace] glob", root)
    found = [""]
    for segment in clean.split("/"):
        if segment == ".":
            continue
        if segment == "**":
            found = list(dict.fromkeys(path for base in found for path in _below(source, base)))
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


def _below(source: Source, base: str, depth: int = 0) -> list[str]:
    """`base` and every directory under it, parents first. Bounded in depth: a symbolic link
    to a parent directory must not make a glob endless."""
    found = [base]
    if depth < _GLOB_DEPTH:
        for name, is_dir in sorted(source.list_dir(base) or []):
            if is_dir and not name.startswith("."):
                found += _below(source, posixpath.join(base, name), depth + 1)
    return found


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
        config = config._replace(
            changelog=_relative(entry.changelog, path), changelog_configured=True
        )
    if entry is not None and entry.changelog_format is not None:
        config = config._replace(changelog_format=entry.changelog_format)
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
