"""News fragments waiting in a directory (towncrier, scriv): what is left, what would not build."""

from __future__ import annotations

from collections.abc import Callable

from release_guard.changelog.model import Changelog, Fragment, Unreleased
from release_guard.findings import InputError
from release_guard.source import Source, read_text


def read_fragments(
    source: Source,
    directories: list[str],
    ignored: Callable[[str], bool],
    judge: Callable[[str, str], str | None],
) -> list[Fragment]:
    """Every file in the fragment directories that is not ignored, with the reason it would
    not build (`judge(name, text)`), in name order."""
    found: list[Fragment] = []
    for directory in directories:
        for name, is_dir in sorted(
            source.list_dir("" if directory in (".", "") else directory.strip("/")) or []
        ):
            # a hidden file is no fragment by intent (pip-tools keeps the draft partial its docs
            # include, `.draft_changelog_partial.md`, among its fragments), and no tool builds it
            if ignored(name) or name.startswith("."):
                continue
            path = f"{directory.rstrip('/')}/{name}" if directory.strip("/.") else name
            if is_dir:
                if path.rstrip("/") not in {d.rstrip("/") for d in directories}:
                    found.append(Fragment(path, "is a directory, not a fragment file"))
                continue
            try:
                text = read_text(source, path, allow_empty=True)
            except InputError as error:
                found.append(Fragment(path, error.finding.message.replace(path, "", 1).strip()))
                continue
            found.append(Fragment(path, judge(name, text or "")))
    return found


def with_fragments(changelog: Changelog, directory: str, fragments: list[Fragment]) -> Changelog:
    """The compiled changelog, with the fragment directory as its (last) unreleased area."""
    waiting = list(changelog.unreleased)
    if fragments:
        waiting.append(Unreleased(None, f"{directory}/", None, (0, 0), None, fragments[0].path))
    return changelog._replace(unreleased=waiting, fragments=fragments, fragment_dir=directory)
