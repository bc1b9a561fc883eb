"""The top-level names a project's wheel installs, as its build backend's config declares them.

Read statically from pyproject.toml: hatch (`packages`, `only-include`, `force-include`),
setuptools (`packages`, `packages.find` `include`, `py-modules`), flit (`module`), pdm
(`includes`) and poetry (`packages`). Each name is a top-level directory or module name, or
a glob of them (`acme*` from a setuptools include). docs/dist.md lists what is read.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from fnmatch import fnmatchcase

from release_guard.source import Source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def import_name(project_name: str) -> str:
    """The module name every backend derives from the project name by default."""
    return project_name.replace("-", "_").replace(".", "_").lower()


def declared_top_level(pyproject: dict[str, Any], source: Source) -> set[str]:
    """Top-level names (or globs) the backend config says the wheel installs."""
    tool = _table(pyproject, "tool")
    hatch_wheel = _table(_table(_table(_table(tool, "hatch"), "build"), "targets"), "wheel")
    hatch = _table(_table(tool, "hatch"), "build")
    setuptools = _table(tool, "setuptools")
    names: set[str] = set()
    for table in (hatch_wheel, hatch):
        names |= _last_segments(_strings(table.get("packages")))
        names |= _last_segments(_strings(table.get("only-include")))
        force = table.get("force-include")
        if isinstance(force, dict):
            names |= _first_segments(value for value in force.values() if isinstance(value, str))
    packages = setuptools.get("packages")
    if isinstance(packages, dict):  # packages.find: include patterns name what ships
        find = _table(packages, "find")
        names |= {pattern.split(".")[0] for pattern in _strings(find.get("include"))}
        names |= _found_packages(find, _table(setuptools, "package-dir"), source)
    else:
        names |= {package.split(".")[0] for package in _strings(packages)}
    names |= {module.split(".")[0] for module in _strings(setuptools.get("py-modules"))}
    flit_module = _table(_table(tool, "flit"), "module").get("name")
    if isinstance(flit_module, str):
        names.add(flit_module.split(".")[0])
    pdm_build = _table(_table(tool, "pdm"), "build")
    names |= _first_segments(_strings(pdm_build.get("includes")))
    for package in _list(_table(tool, "poetry").get("packages")):
        include = package.get("include") if isinstance(package, dict) else None
        if isinstance(include, str):
            names.add(include.split("/")[0])
    names.discard("")
    return {name[: -len(".py")] if name.endswith(".py") else name for name in names}


def _found_packages(find: dict[str, Any], package_dir: dict[str, Any], source: Source) -> set[str]:
    """What setuptools' find discovers in an explicit `where` (or the `package-dir` root,
    such as `lib/`): the directories there holding an __init__.py, less `exclude`. The project
    root itself is not searched: there, find also picks up tests/ (a real mistake, RG407)."""
    root = package_dir.get("")
    where = _strings(find.get("where")) or ([root] if isinstance(root, str) else [])
    exclude = _strings(find.get("exclude"))
    found = set()
    for directory in where:
        directory = directory.strip("/")
        if directory in ("", "."):
            continue
        for name, is_dir in source.list_dir(directory) or []:
            if (
                is_dir
                and not any(fnmatchcase(name, pattern) for pattern in exclude)
                and source.read_bytes(f"{directory}/{name}/__init__.py") is not None
            ):
                found.add(name)
    return found


def _table(data: Any, key: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    return [item for item in _list(value) if isinstance(item, str)]


def _last_segments(paths: Iterable[str]) -> set[str]:
    """hatch's `packages = ["src/acme"]` installs `acme`."""
    return {posixpath.basename(path.strip("/")) for path in paths}


def _first_segments(paths: Iterable[str]) -> set[str]:
    return {path.strip("/").split("/")[0] for path in paths}
