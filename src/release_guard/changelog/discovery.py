"""Find the changelog the way a person would, and tell its format.

Search order: `changelog` in the config; towncrier's `filename`; scriv's `output_file`;
CHANGELOG, CHANGES, HISTORY, NEWS, RELEASE-NOTES, RELEASES with .md, .rst, .txt or no
extension (any case) at the root, then in docs/, doc/, docs/*/; then a changelog directory
(`docs/history/`) holding a page named after the project. A docs page that only includes
another file is not the changelog. The format: `changelog-format` in the config, else
towncrier's or scriv's configuration naming the file, else the extension and the content.
"""

from __future__ import annotations

from release_guard.source import Source, read_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

NAMES = ("changelog", "changes", "history", "news", "release-notes", "releases")
EXTENSIONS = (".md", ".rst", ".txt", "")
DIRECTORIES = ("", "docs", "doc")
DEFAULT = "CHANGELOG.md"


class Located:
    # a plain class: a NamedTuple costs ~0.1 ms to create, on the commit path
    __slots__ = ("format", "found", "path", "text")

    def __init__(self, path: str, format: str, text: str | None, found: bool) -> None:
        self.path = path
        self.format = format
        self.text = text  # None: the file does not exist
        self.found = found  # found by the search or the config (False: the default, missing)


def locate(
    source: Source,
    pyproject: dict[str, Any],
    configured_path: str | None,
    configured_format: str | None,
    project_name: str | None = None,
) -> Located:
    if configured_format == "none":
        return Located(configured_path or DEFAULT, "none", None, True)
    path = configured_path
    tool_format: str | None = None
    if path is None:
        path, tool_format = _tool_output(source, pyproject)
    if path is None:
        path = search(source, project_name)
    if path is None:
        return Located(DEFAULT, configured_format or "keep-a-changelog", None, False)
    text = read_text(source, path, allow_empty=True)  # an empty changelog documents nothing
    fmt = configured_format or tool_format or detect_format(source, pyproject, path, text)
    return Located(path, fmt, text, True)


def _tool_output(source: Source, pyproject: dict[str, Any]) -> tuple[str | None, str | None]:
    """The file towncrier or scriv compiles the fragments into, when the project uses one."""
    tool = pyproject.get("tool", {})
    has_towncrier = "towncrier" in tool or source.read_bytes("towncrier.toml") is not None
    if has_towncrier:
        from release_guard.changelog import towncrier

        settings = towncrier.settings(source, pyproject)
        if settings is not None:
            return settings.filename, "towncrier"
    if "scriv" in tool or source.read_bytes("changelog.d/scriv.ini") is not None:
        from release_guard.changelog import scriv

        found = scriv.settings(source, pyproject)
        if found is not None:
            return found.output_file, "scriv"
    return None, None


def search(source: Source, project_name: str | None = None) -> str | None:
    for directory in DIRECTORIES:
        found = _in_directory(source, directory)
        if found is not None:
            return found
    for parent in ("docs", "doc", ""):
        for name, is_dir in sorted(source.list_dir(parent) or []):
            if not is_dir:
                continue
            directory = f"{parent}/{name}" if parent else name
            found = _in_directory(source, directory) if parent else None
            if found is None and name.lower() in NAMES:
                found = _named_after_project(source, directory, project_name)
            if found is not None:
                return found
    return None


def _in_directory(source: Source, directory: str) -> str | None:
    entries = source.list_dir(directory) or []
    # a directory named like a file (CHANGELOG.md/) is taken, to be reported as not a file;
    # one without an extension (changelog/) holds news fragments
    files = {name.lower(): name for name, is_dir in entries if not is_dir or "." in name}
    for stem in NAMES:
        for extension in EXTENSIONS:
            name = files.get(stem + extension)
            if name is None:
                continue
            path = f"{directory}/{name}" if directory else name
            if directory and _only_includes(source, path):
                continue
            return path
    return None


def page_named_after(source: Source, project_name: str) -> str | None:
    """A page named after the project in a changelog directory (docs/history/hatchling.md):
    where a repository keeps the changelog of a package that lives in a subdirectory."""
    for parent in ("docs", "doc", ""):
        for name, is_dir in sorted(source.list_dir(parent) or []):
            if is_dir and name.lower() in NAMES:
                directory = f"{parent}/{name}" if parent else name
                found = _named_after_project(source, directory, project_name, exact=True)
                if found is not None:
                    return found
    return None


def _named_after_project(
    source: Source, directory: str, project_name: str | None, exact: bool = False
) -> str | None:
    """docs/history/<project>.md: a changelog directory with one page per package."""
    entries = [name for name, is_dir in source.list_dir(directory) or [] if not is_dir]
    pages = [name for name in entries if name.lower().endswith((".md", ".rst"))]
    wanted = (project_name or "").lower().replace("_", "-")
    for name in pages:
        if name.rsplit(".", 1)[0].lower().replace("_", "-") == wanted:
            return f"{directory}/{name}"
    return f"{directory}/{pages[0]}" if len(pages) == 1 and not exact else None


def _only_includes(source: Source, path: str) -> bool:
    """A docs page that pulls the changelog in from elsewhere (`.. include::`, MyST
    `{include}`, `--8<--` snippets) and has no release headings of its own."""
    text = read_text(source, path, allow_empty=True) or ""
    if len(text) > 4096:
        return False
    lowered = text.lower()
    return any(mark in lowered for mark in (".. include::", "{include}", "--8<--"))


def detect_format(source: Source, pyproject: dict[str, Any], path: str, text: str | None) -> str:
    lowered = path.lower()
    if lowered.endswith((".md", ".markdown")) or (
        not lowered.endswith(".rst") and text is not None and _has_atx_headings(text)
    ):
        from release_guard.changelog.keep_a_changelog import looks_like

        return "keep-a-changelog" if text is None or looks_like(text) else "markdown"
    return "rst"


def _has_atx_headings(text: str) -> bool:
    return any(line.startswith(("# ", "## ")) for line in text.split("\n", 200)[:200])
