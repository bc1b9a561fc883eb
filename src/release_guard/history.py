"""History is not re-judged: which tags of a push are new releases (docs/tag-guard.md,
"History").

A push that carries many release tags (`git push --tags` to a new remote, a mirror, a
migration) carries the project's history. The guard judges the tags dated within
HISTORY_WINDOW of the newest release tag of the push; older ones were released long ago, under
whatever layout the project had then, and are left alone. A tag's date is its tagger date when
annotated, its commit's committer date otherwise (git's own `creatordate`, by day), from the
one `git for-each-ref` that also gives the changelog dates their tags (release_guard.tagdates).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

HISTORY_WINDOW = 7  # days: the releases of one push made within a week of the newest are new


def historical(release_tags: Sequence[str], dates: Mapping[str, datetime.date]) -> set[str]:
    """The names among `release_tags` that are history: dated more than HISTORY_WINDOW days
    before the newest of them not dated in the future. A tag without a date is never history."""
    if len(release_tags) < 2:
        return set()
    # a tag dated in the future (a wrong clock) is judged, and sets no reference: it must not
    # turn the real releases into history
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    dated = {tag: dates[tag] for tag in release_tags if tag in dates}
    newest = max((day for day in dated.values() if day <= tomorrow), default=None)
    if newest is None:
        return set()
    oldest_new = newest - datetime.timedelta(days=HISTORY_WINDOW)
    return {tag for tag, day in dated.items() if day < oldest_new}
