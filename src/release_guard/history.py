"""History is not re-judged: which tags of a push are new releases (docs/tag-guard.md,
"History").

A push that carries many release tags (`git push --tags` to a new remote, a mirror, a
migration) carries the project's history. The guard judges the tags dated within
HISTORY_WINDOW of the newest release tag of the push; older ones were released long ago, under
whatever layout the project had then, and are left alone. A tag's date is its tagger date when
annotated, its commit's committer date otherwise (git's own `creatordate`), read from the
objects the guard's one `git cat-file --batch` process already serves: no extra git process.
"""

from __future__ import annotations

from collections.abc import Sequence

from release_guard.source import CatFile

HISTORY_WINDOW = 7 * 24 * 3600  # seconds: releases of one push made within a week are new


def object_time(cat_file: CatFile, sha: str) -> int | None:
    """Unix time of a tag object's `tagger` line, or of a commit's `committer` line."""
    found = cat_file.get(sha)
    if found is None:
        return None
    _, kind, content = found
    field = {"tag": b"tagger ", "commit": b"committer "}.get(kind)
    if field is None:
        return None
    for line in content.split(b"\n\n", 1)[0].split(b"\n"):
        if line.startswith(field):
            # `<name> <<email>> <unix time> <zone>`: the time is the next-to-last field
            parts = line.rsplit(b" ", 2)
            return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None
    return None


def historical(cat_file: CatFile, release_tags: Sequence[tuple[str, str]]) -> set[str]:
    """The names among (tag, sha) that are history: dated more than HISTORY_WINDOW before the
    newest of them. A tag without a readable date is never history."""
    if len(release_tags) < 2:
        return set()
    times = {tag: object_time(cat_file, sha) for tag, sha in release_tags}
    newest = max((t for t in times.values() if t is not None), default=None)
    if newest is None:
        return set()
    return {tag for tag, t in times.items() if t is not None and t < newest - HISTORY_WINDOW}
