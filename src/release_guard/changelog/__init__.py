"""The changelog, whatever its format: one model (`model`), one reader per format (`FORMATS`),
found by `discovery`, judged by `rules`.

A new format is one module with `read(source, pyproject, path, text) -> Changelog` and one row
in `FORMATS`. Readers are imported only when their format is in use.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from release_guard.changelog.discovery import Located
    from release_guard.changelog.model import Changelog, Release
    from release_guard.config import Project
    from release_guard.source import Source

FORMATS = {
    "keep-a-changelog": "keep_a_changelog",
    "markdown": "markdown",
    "rst": "rst",
    "towncrier": "towncrier",
    "scriv": "scriv",
    "none": "none",
}


def load(source: Source, project: Project) -> tuple[Located, Changelog | None]:
    """The changelog found and read; None for it when the file does not exist."""
    from release_guard.changelog.discovery import locate

    config = project.config
    located = locate(
        source,
        project.pyproject,
        config.changelog if config.changelog_configured else None,
        config.changelog_format,
        project.name,
    )
    if located.text is None and located.format not in ("none", "towncrier", "scriv"):
        return located, None
    # __import__ with a fromlist returns the submodule: importlib costs one more module
    reader = __import__(f"release_guard.changelog.{FORMATS[located.format]}", fromlist=["read"])
    changelog: Changelog = reader.read(source, project.pyproject, located.path, located.text)
    return located, changelog


def find_release(changelog: Changelog, version: str) -> Release | None:
    """The section of exactly that version, compared as parsed versions (1.2.50 is not 1.2.5)."""
    from release_guard.pep440 import parse_versions

    releases = changelog.releases
    wanted, *parsed = parse_versions([version, *(release.version for release in releases)])
    for release, candidate in zip(releases, parsed):
        if release.version == version or (wanted is not None and candidate == wanted):
            return release
    return None


def section_for(changelog: Changelog, version: str) -> Release | None:
    """The section that documents a release: its own, or for a post-release without one
    (1.2.0.post1: a re-upload, a packaging fix) the section of the release it follows."""
    found = find_release(changelog, version)
    if found is None and ".post" in version:
        found = find_release(changelog, version.split(".post", 1)[0])
    return found
