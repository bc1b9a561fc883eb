"""flit_core: a dynamic version is the module's `__version__` (a literal, as flit reads it
first); the module is `[tool.flit.module] name`, else the project's import name."""

from __future__ import annotations

from release_guard.versions import Context, VersionFile, VersionSource, import_name


def detect(project: Context) -> VersionSource | None:
    module = project.dig("tool", "flit", "module").get("name")
    if not isinstance(module, str):
        module = project.dig("tool", "flit", "metadata").get("module")  # flit's older table
    if not isinstance(module, str):
        module = import_name(project.name) if project.name else None
    if not module:
        return None
    path = module.replace(".", "/")
    candidates = [
        f"{root}{path}{tail}" for root in ("src/", "") for tail in ("/__init__.py", ".py")
    ]
    found = next((candidate for candidate in candidates if project.exists(candidate)), None)
    return VersionSource("file", VersionFile(found or candidates[0]))
