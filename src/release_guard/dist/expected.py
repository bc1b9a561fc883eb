"""What every dist must be: the project, the version and the files, taken from the project."""

from __future__ import annotations

import posixpath
from typing import NamedTuple

from packaging.version import Version

from release_guard.config import LEGACY_FILES, PYPROJECT, Config, Project, load_project
from release_guard.dist.packages import declared_top_level, import_name
from release_guard.findings import input_error
from release_guard.source import Source
from release_guard.versions.detect import detect_package_init
from release_guard.versions.rules import check_versions


class Expected(NamedTuple):
    """What every dist must be: built from this project, at this version, with these files."""

    name: str | None
    version: Version | None
    origin: str  # where the version comes from, for messages
    wheel_files: tuple[str, ...]
    sdist_files: tuple[str, ...]
    top_level: tuple[str, ...]  # names or globs allowed at the wheel's top; empty: unknown
    ignore: frozenset[str] = frozenset()  # codes silenced by [tool.release-guard] ignore
    name_origin: str = "pyproject.toml"  # where the name comes from, for messages


def as_version(text: str) -> Version | None:
    try:
        return Version(text)
    except ValueError:  # InvalidVersion, or a number past Python's int-string limit
        return None


def expected_from_project(
    source: Source,
    tag: str | None,
    version: Version | None,
    skipped: list[str],
    name: str | None = None,
    project: Project | None = None,
) -> Expected:
    """The project, version and files every dist must show: the version is the tag's, else
    the one given, else the project's own; the name is the one given, else the project's.
    `project`: a workspace package's, already read."""
    project = project or load_project(source)
    config = project.config
    origin = "--version"
    if tag is not None:
        origin = f"tag {tag}"
        version = _tag_version(tag, config)
    elif version is None:
        report = check_versions(project, source)
        origin = report.path
        version = as_version(report.version or "")
        if version is None:
            skipped.append(
                "the version of each dist against the project's: the project has no valid "
                "version (see `release-guard check`); pass --tag or --version (each dist is "
                "still checked to agree with itself)"
            )
    name_origin = "--name" if name else "pyproject.toml"
    name = name or project.name
    if name is None:
        skipped.append(
            "the project name of each dist: pyproject.toml has no [project] name; "
            "pass --name NAME"
        )
    package_init = detect_package_init(project.pyproject, project.name, source)
    top_level = _allowed_top_level(project, source, package_init)
    if not top_level:
        skipped.append(
            "the wheel's top-level names: no package found; list the wheel's files in "
            "wheel-files ([tool.release-guard])"
        )
    return Expected(
        name=name,
        version=version,
        origin=origin,
        wheel_files=_default_wheel_files(project, source, package_init, skipped),
        sdist_files=_default_sdist_files(project, source, package_init),
        top_level=top_level,
        ignore=config.ignore,
        name_origin=name_origin,
    )


def expected_from_arguments(
    tag: str | None, version: Version | None, name: str | None, skipped: list[str]
) -> Expected:
    """Downloaded dists, no project: what --tag (under the default tag-format), --version and
    --name say, and nothing else."""
    origin = "--version"
    if tag is not None:
        origin = f"tag {tag}"
        version = _tag_version(tag, Config(version_files=(), version_files_configured=False))
    if name is None:
        skipped.append("the project name of each dist: no pyproject.toml; pass --name NAME")
    if version is None:
        skipped.append("the version of each dist: no pyproject.toml; pass --version X.Y.Z")
    skipped.append(
        "required files and the wheel's top-level names: no pyproject.toml to take them from"
    )
    return Expected(name, version, origin, (), (), (), name_origin="--name")


def _tag_version(tag: str, config: Config) -> Version:
    version = as_version(config.version_in_tag(tag) or "")
    if version is None:
        raise input_error(
            "RG004",
            f"--tag {tag!r} names no PEP 440 version under tag-format {config.tag_format!r}",
            "pyproject.toml",
        )
    return version


def _default_wheel_files(
    project: Project, source: Source, package_init: str | None, skipped: list[str]
) -> tuple[str, ...]:
    if project.config.wheel_files is not None:
        return project.config.wheel_files
    if package_init is None:
        module = _single_module(project, source)
        if module is not None:
            return (module,)
        skipped.append(
            "required files in the wheel: no package __init__.py found; list them in "
            "wheel-files ([tool.release-guard])"
        )
        return ()
    package_dir = posixpath.dirname(package_init)
    in_wheel = posixpath.basename(package_dir)
    files = [f"{in_wheel}/__init__.py"]
    if source.read_bytes(f"{package_dir}/py.typed") is not None:
        files.append(f"{in_wheel}/py.typed")
    return tuple(files)


def _default_sdist_files(
    project: Project, source: Source, package_init: str | None
) -> tuple[str, ...]:
    if project.config.sdist_files is not None:
        return project.config.sdist_files
    # the files the project is built from: pyproject.toml, else setup.cfg / setup.py
    files = [PYPROJECT] if project.pyproject_text else []
    files += [name for name in LEGACY_FILES if not files and source.read_bytes(name) is not None]
    if package_init is not None:
        files.append(package_init)
        typed = f"{posixpath.dirname(package_init)}/py.typed"
        if source.read_bytes(typed) is not None:
            files.append(typed)
    return tuple(files)


def _allowed_top_level(
    project: Project, source: Source, package_init: str | None
) -> tuple[str, ...]:
    """What may sit at the wheel's top: the package, what wheel-files names, all of src/."""
    allowed = {pattern.split("/")[0] for pattern in project.config.wheel_files or ()}
    allowed |= declared_top_level(project.pyproject, source)
    module = _single_module(project, source)
    if module is not None:
        allowed.add(module[: -len(".py")])
    if package_init is not None:
        allowed.add(posixpath.basename(posixpath.dirname(package_init)))
    for name, is_dir in source.list_dir("src") or []:
        stem = name if is_dir else name.split(".")[0]
        if stem and not name.endswith(".egg-info") and name != "__pycache__":
            allowed.add(stem)
    return tuple(sorted(allowed))


def _single_module(project: Project, source: Source) -> str | None:
    """A one-module project's module (`acme.py`, at the root or in src/), as it lands in the
    wheel; None when there is none."""
    if project.name is None:
        return None
    module = f"{import_name(project.name)}.py"
    for directory in ("", "src/"):
        if source.read_bytes(directory + module) is not None:
            return module
    return None
