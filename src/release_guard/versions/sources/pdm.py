"""pdm-backend: `[tool.pdm.version]` with source "file", "scm" or "call", and the older
`version = {use_scm = true}` / `{from = "..."}` in `[tool.pdm]` or (pdm-pep517) `[project]`."""

from __future__ import annotations

from release_guard.versions import PYPROJECT, Context, VersionFile, VersionSource, clean_path

# pdm-backend's own pattern for its file source
FILE_PATTERN = r"""__version__\s*=\s*["'](.+?)["']"""


def detect(project: Context) -> VersionSource | None:
    if isinstance(project.dig("tool", "pdm").get("version"), str):  # PDM 0.x kept metadata here
        return VersionSource("file", VersionFile(PYPROJECT, kind="toml", key="tool.pdm"))
    table = project.dig("tool", "pdm", "version")
    early = project.dig("project").get("version")
    if isinstance(early, dict):  # pdm-pep517's first form: [project] version = {use_scm = true}
        table = early
    if table.get("use_scm") is True:  # the older form, in the same place
        return VersionSource("vcs", detail="pdm use_scm")
    if "from" in table:
        table = {"source": "file", "path": table["from"]}
    source = table.get("source")
    if source == "scm":
        return VersionSource("vcs", detail="pdm scm")
    if source == "file" and isinstance(table.get("path"), str):
        path = clean_path(table["path"], "[tool.pdm.version] path")
        return VersionSource("file", VersionFile(path, FILE_PATTERN))
    if source == "call":
        return VersionSource(
            "missing",
            detail=f"[tool.pdm.version] calls {table.get('getter')!r} to compute the version, "
            "which cannot be read without running it: name the file that carries the version in "
            '[tool.release-guard] version-source = "..."',
        )
    return None
