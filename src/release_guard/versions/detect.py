"""Which reader finds the version: chosen from `[build-system]` and the config, by table.

Also what else must carry the version when the config does not say: the package's
`__init__.py` (when it carries one), `uv.lock`, `CITATION.cff` and Sphinx's `conf.py`.
"""

from __future__ import annotations

import posixpath

from release_guard.source import Source
from release_guard.versions import (
    PYPROJECT,
    Context,
    VersionFile,
    VersionSource,
    dig,
    import_name,
    package_root,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# build-backend (its module, or a prefix of it) -> reader module of versions.sources
BACKENDS = (
    ("hatchling.", "hatch"),
    ("setuptools.", "setuptools"),
    ("flit_core.", "flit"),
    ("flit.", "flit"),
    ("poetry.", "poetry"),  # poetry.core.masonry.api, and Poetry 1's poetry.masonry.api
    ("pdm.", "pdm"),  # pdm.backend, and the older pdm.pep517.api
    ("maturin", "maturin"),
    ("mesonpy", "meson"),
)
# a backend release-guard does not know may wrap one it does: that one's table then tells
TOOL_TABLES = (
    ("poetry", "tool.poetry", "version"),
    ("pdm", "tool.pdm", "version"),
    ("flit", "tool.flit.metadata", "module"),
)
# PEP 517: a project without a build-backend is built by setuptools' legacy backend
DEFAULT_BACKEND = "setuptools.build_meta:__legacy__"
ASK = '[tool.release-guard] version-source = "vcs" (from git tags) or "path/to/file"'


def backend_of(data: dict[str, Any]) -> str:
    backend = dig(data, "build-system").get("build-backend")
    return backend if isinstance(backend, str) and backend else DEFAULT_BACKEND


def _detect(reader: str, project: Context) -> VersionSource | None:
    module = __import__(f"release_guard.versions.sources.{reader}", fromlist=["detect"])
    found: VersionSource | None = module.detect(project)
    return found


def version_source(project: Context) -> VersionSource:
    """Where the version of truth lives; ValueError for a backend config that is wrong."""
    table = project.dig("project")
    dynamic = table.get("dynamic", [])
    is_dynamic = isinstance(dynamic, list) and "version" in dynamic
    if isinstance(table.get("version"), dict):
        return _detect("pdm", project) or VersionSource(
            "missing", detail="[project].version is a table, which only PDM's old backend reads"
        )
    if "version" in table and is_dynamic:
        # PEP 621 forbids it, and build backends refuse to build it
        return VersionSource(
            "missing", detail="[project] sets version and also lists it as dynamic: keep one"
        )
    if "version" in table:  # PEP 621's static version, whatever the backend
        return VersionSource("file", VersionFile(PYPROJECT, kind="toml", key="project"))
    if table and not is_dynamic and "version" not in project.dig("tool", "poetry"):
        return VersionSource("missing", detail="[project].version is missing")
    backend = backend_of(project.data)
    module = next((module for prefix, module in BACKENDS if backend.startswith(prefix)), None)
    found = None
    if module is not None:
        found = _detect(module, project)
        if found is not None and found.kind != "missing":
            return found
    fallback = _detect("vcs", project)
    if fallback is not None:
        return fallback
    for reader, tool_table, key in TOOL_TABLES:
        if module != reader and key in project.dig(*tool_table.split(".")):
            # a backend that wraps another (Poetry, PDM, flit once built through intreehooks)
            found = _detect(reader, project) or found
            break
    if found is not None:
        return found
    where = "[project] lists version as dynamic" if is_dynamic else "no [project].version"
    known = f"the build backend {backend}" if module else f"the unknown build backend {backend}"
    return VersionSource(
        "missing", detail=f"{where}, and {known} names no version release-guard can read: set {ASK}"
    )


def project_name(data: dict[str, Any], source: Source) -> str | None:
    """The distribution name: [project], else [tool.poetry] (or PDM 0.x's [tool.pdm]), else
    setup.cfg, else setup.py."""
    for table in (dig(data, "project"), dig(data, "tool", "poetry"), dig(data, "tool", "pdm")):
        if isinstance(table.get("name"), str):
            return str(table["name"])
    from release_guard.source import read_text

    text = read_text(source, "setup.cfg", allow_empty=True)
    if text is not None:
        from release_guard.versions.files.setup_cfg import parse

        metadata = parse(text, "setup.cfg", source.describe("setup.cfg")).get("metadata", {})
        if metadata.get("name"):
            return metadata["name"]
    text = read_text(source, "setup.py", allow_empty=True)
    if text is not None:
        from release_guard.versions.files.python import parse as parse_python
        from release_guard.versions.files.setup_py import setup_string

        return setup_string(parse_python(text, "setup.py", source.describe("setup.py")), "name")
    return None


def parse_version_source(value: object) -> VersionSource:
    """`[tool.release-guard] version-source`: "vcs", a path, or {path, pattern}."""
    from release_guard.versions import clean_path
    from release_guard.versions.files import kind_for_path
    from release_guard.versions.sources.hatch import check_pattern

    if value == "vcs":
        return VersionSource("vcs", detail="version-source")
    if isinstance(value, dict) and set(value) <= {"path", "pattern"} and "pattern" in value:
        path, pattern = value.get("path"), value["pattern"]
        if not isinstance(path, str) or not isinstance(pattern, str):
            raise ValueError("version-source path and pattern must be strings")
        check_pattern(pattern, "version-source pattern")
        return VersionSource("file", VersionFile(clean_path(path, "version-source"), pattern))
    if isinstance(value, dict) and set(value) == {"path"}:
        value = value["path"]
    if not isinstance(value, str) or not value:
        raise ValueError(
            'version-source must be "vcs", a path, or { path = "...", pattern = "..." }'
        )
    path = clean_path(value, "version-source")
    kind = kind_for_path(path)
    if path == PYPROJECT or kind is None or kind in ("uv-lock", "citation"):
        raise ValueError(
            f"version-source {value!r} needs a pattern: {{ path = {value!r}, pattern = '...' }}"
        )
    return VersionSource("file", VersionFile(path, kind="" if kind == "python" else kind))


# -- which other files carry the version ---------------------------------------------------------

CARRIERS = (
    ("uv.lock", "uv-lock"),
    ("CITATION.cff", "citation"),
    ("docs/conf.py", "sphinx"),
    ("doc/conf.py", "sphinx"),
    ("docs/source/conf.py", "sphinx"),
)


def detected_version_files(project: Context) -> tuple[VersionFile, ...]:
    """The files checked when the config lists none; each may carry no version."""
    found = []
    init = detect_package_init(project.data, project.name, project.source)
    if init is not None:
        found.append(VersionFile(init, required=False))
    uv_name = canonical_name(project.name) if project.name else ""
    top = {name for name, _ in project.source.list_dir("") or []}  # "": the root, in git too
    for path, kind in CARRIERS:
        if path.split("/")[0] in top and (path in top or project.exists(path)):
            key = uv_name if kind == "uv-lock" else ""
            found.append(VersionFile(path, kind=kind, key=key, required=False))
    return tuple(found)


def canonical_name(name: str) -> str:
    """PEP 503's normal form of a distribution name, as uv.lock writes it."""
    import re

    return re.sub(r"[-_.]+", "-", name).lower()


def detect_package_init(data: dict[str, Any], name: str | None, source: Source) -> str | None:
    """The package's __init__.py: from the build backend's config, else the single package
    under src/, else the package named after the project."""
    wanted = import_name(name) if name else None
    configured = [
        package
        for package in _configured_packages(data)
        if source.read_bytes(f"{package}/__init__.py") is not None
    ]
    named = [package for package in configured if posixpath.basename(package) == wanted]
    if named or configured:
        return f"{(named or configured)[0]}/__init__.py"
    under_src = [
        entry
        for entry, is_dir in (source.list_dir("src") or [])
        if is_dir and source.read_bytes(f"src/{entry}/__init__.py") is not None
    ]
    if len(under_src) == 1:
        return f"src/{under_src[0]}/__init__.py"
    if wanted:
        for candidate in (f"src/{wanted}/__init__.py", f"{wanted}/__init__.py"):
            if source.read_bytes(candidate) is not None:
                return candidate
    return None


def _configured_packages(data: dict[str, Any]) -> list[str]:
    """Top-level package directories named in hatch's or setuptools' config."""
    found: list[str] = []
    for table in (
        dig(data, "tool", "hatch", "build", "targets", "wheel"),
        dig(data, "tool", "hatch", "build"),
    ):
        packages = table.get("packages")
        if isinstance(packages, list):
            found += [p.strip("/") for p in packages if isinstance(p, str)]
    packages = dig(data, "tool", "setuptools").get("packages")
    if isinstance(packages, list):
        root = package_root(data)
        found += [posixpath.join(root, p) for p in packages if isinstance(p, str) and "." not in p]
    return found
