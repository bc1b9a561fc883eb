"""Changelog dates against tag dates (RG306): the tag's own date tells a typo from a backport.

Where a released section's version has a tag in the repository, in any format the project has
used (`1.2.0`, `v1.2.0`, `name-v1.2.0`: the version a tag ends in), the section's date must be
within DATE_WINDOW days of the tag's date: the tagger date of an annotated tag, the commit date
of a lightweight one (git's `creatordate`, in the timezone it was recorded in, as the maintainer
wrote the changelog date); for an annotated tag its commit's date counts too, so a tag added
later to an old release is no finding. Every tag date comes from ONE `git for-each-ref`, which
also dates the pushed tags for the tag guard's history (release_guard.history).

Run where git and the tags are at hand: the tag guard, `check --tag` and CI (docs/rules.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from release_guard.findings import Finding

if TYPE_CHECKING:
    from release_guard.changelog.model import Changelog

DATE_WINDOW = 14  # days between a section's date and its tag's: a release prepared, then tagged


class TagDates(NamedTuple):
    """The repository's tags, read once per run."""

    by_version: Mapping[str, Sequence[tuple[str, datetime.date]]]  # version -> (tag, date)
    by_tag: Mapping[str, datetime.date]  # every tag's own date (creatordate)
    newest_first: tuple[str, ...]  # the newest release tags, as many as tag-format learning reads


NO_TAGS = TagDates({}, {}, ())


def read_tag_dates(repo_dir: str) -> TagDates:
    """Every tag's version and dates, from one `git for-each-ref`; none outside a repository
    or where git fails (a shallow CI checkout simply has fewer tags)."""
    from release_guard.findings import InputError
    from release_guard.source import git_output
    from release_guard.tagformat import NAMED_WINDOW
    from release_guard.tags import version_at_end

    try:
        listing = git_output(
            repo_dir,
            "for-each-ref",
            "--sort=-creatordate",
            # an annotated tag made later on an old commit (a retroactive tag) keeps both dates
            "--format=%(creatordate:short) %(*committerdate:short) %(refname:strip=2)",
            "refs/tags/",
            check=False,
        )
    except InputError:
        return NO_TAGS
    by_version: dict[str, list[tuple[str, datetime.date]]] = {}
    by_tag: dict[str, datetime.date] = {}
    newest_first: list[str] = []
    # split on "\n" only, as git writes: splitlines() also cuts at U+0085 or U+2028 in a name
    for line in listing.split("\n"):
        if line.count(" ") < 2:
            continue
        created, committed, tag = line.split(" ", 2)
        created_date = _iso_date(created)
        if created_date is not None:
            by_tag[tag] = created_date
        found = version_at_end(tag)
        if found is None:
            continue
        if len(newest_first) < NAMED_WINDOW:
            newest_first.append(tag)
        for day in {created, committed} - {""}:
            date = _iso_date(day)
            if date is not None:
                by_version.setdefault(found[1], []).append((tag, date))
    return TagDates(by_version, by_tag, tuple(newest_first))


def date_findings(changelog: Changelog, tag_dates: TagDates) -> list[Finding]:
    """RG306 for each dated release section whose date is far from every tag of its version."""
    findings = []
    for section in changelog.releases:
        tagged = tag_dates.by_version.get(section.version or "")
        day = section.date.day if section.date else None
        date = day.date() if day is not None else None
        if not tagged or date is None:
            continue
        tag, tag_date = min(tagged, key=lambda pair: abs((pair[1] - date).days))
        apart = abs((tag_date - date).days)
        if apart > DATE_WINDOW:
            findings.append(
                Finding(
                    "RG306",
                    f"[{section.version}] is dated {date}, but its tag {tag} was made on "
                    f"{tag_date}: {apart} days apart (at most {DATE_WINDOW})",
                    changelog.path,
                    section.line,
                )
            )
    return findings


def _iso_date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None
