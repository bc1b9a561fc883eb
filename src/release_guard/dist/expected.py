"""What every dist must be: the project, the version and the files, taken from the project."""

from __future__ import annotations

import posixpath
from typing import NamedTuple

from packaging.version import InvalidVersion, Version

from release_guard.config import LEGACY_FILES, PYPROJECT, Project, load_project
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


def as_version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def expected_from_project(
    source: Source,
    tag: str | None,
    version: Version | None,
    notes: list[str],
    project: Project | None = None,
) -> Expected:
    """The project, version and files every dist must show: the version is the tag's, else
    the one given, else the project's own. `project`: a workspace package's, already read."""
    project = project or load_project(source)
    config = project.config
    origin = "--version"
    if tag is not None:
        origin = f"tag {tag}"
        version = as_version(config.version_in_tag(tag) or "")
        if version is None:
            raise input_error(
                "RG004",
                f"--tag {tag!r} names no PEP 440 version under tag-format {config.tag_format!r}",
                "pyproject.toml",
            )
    elif version is None:
        report = check_versions(project, source)
        origin = report.path
        version = as_version(report.version or "")
        if version is None:
            notes.append(
                "the project has no valid version (see `release-guard check`) and neither --tag "
                "nor --version was given: each dist is only checked to agree with itself"
            )
    package_init = detect_package_init(project.pyproject, project.name, source)
    return Expected(
        name=project.name,
        version=version,
        origin=origin,
        wheel_files=_default_wheel_files(project, source, package_init, notes),
        sdist_files=_default_sdist_files(project, source, package_init),
        top_level=_allowed_top_level(project, source, package_init),
        ignore=config.ignore,
    )


def _default_wheel_files(
    project: Project, source: Source, package_init: str | None, notes: list[str]
) -> tuple[str, ...]:
    if project.config.wheel_files is not None:
        return project.config.wheel_files
    if package_init is None:
        notes.append("no package __init__.py found: list required files in wheel-files")
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
    if package_init is not None:
        allowed.add(posixpath.basename(posixpath.dirname(package_init)))
    for name, is_dir in source.list_dir("src") or []:
        stem = name if is_dir else name.split(".")[0]
        if stem and not name.endswith(".egg-info") and name != "__pycache__":
            allowed.add(stem)
    return tuple(sorted(allowed))
