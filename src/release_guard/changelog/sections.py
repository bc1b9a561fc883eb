"""Sections of a hand-written changelog, from the headings a markup scanner found.

Markdown and reStructuredText scanners both produce a `Scan`; from there, finding the release
level, the sections, their dates and their entries is one piece of code for both.
"""

from __future__ import annotations

from bisect import bisect_left

from release_guard.changelog.dates import Date
from release_guard.changelog.model import Changelog, Release, Unreleased
from release_guard.changelog.titles import Title, read_date_line, read_title


class Heading:
    # a plain class: a NamedTuple costs ~0.1 ms to create, on the commit path
    __slots__ = ("at", "end", "level", "title")

    def __init__(self, at: int, level: int, title: str, end: int) -> None:
        self.at = at  # 0-based line of the title
        self.level = level
        self.title = title
        self.end = end  # 0-based line after the heading (after the underline of a setext one)


class Scan:
    __slots__ = ("breaks", "content", "definitions", "headings", "lines", "links")

    def __init__(
        self,
        lines: list[str],
        headings: list[Heading],
        content: bytearray,
        links: dict[str, int],
        breaks: list[int],
        definitions: list[int],
    ) -> None:
        self.lines = lines
        self.headings = headings
        self.content = content  # 1 at the index of each line that is text, not markup
        self.links = links  # lower-cased label -> 1-based line
        self.breaks = breaks  # 0-based lines of thematic breaks (---, ***)
        self.definitions = definitions  # 0-based lines of link definitions


class Section:
    __slots__ = ("body", "heading", "title")

    def __init__(self, heading: Heading, title: Title | None, body: tuple[int, int]) -> None:
        self.heading = heading
        self.title = title
        self.body = body


def release_level(titles: list[tuple[Heading, Title | None]]) -> int:
    """The heading level whose titles name the most distinct releases (ties: the shallower).

    Distinct: tox's towncrier subsections (`Features - 4.57.0`) name their release again, one
    level below it, and must not outnumber it. Then a shallower level that holds the newest
    release and ends before the chosen level begins is the releases' level: marshmallow wrote
    its older releases with another RST adornment, which docutils reads one level deeper, and
    they outnumber the newer ones. (A `###` release left under `## Unreleased`, as httpx's
    0.25.1 was, comes first and deeper: it does not take the level.)"""
    from release_guard.pep440 import parse_versions

    named: list[set[str | None]] = [set() for _ in range(7)]
    lines: list[list[int]] = [[] for _ in range(7)]  # where each level names a release
    for heading, title in titles:
        if title is not None:
            named[heading.level].add(title.version)  # None: an unreleased section
            if title.version:
                lines[heading.level].append(heading.at)
    best = max(range(1, 7), key=lambda level: (len(named[level]), -level))
    if not named[best]:
        return 2
    if not any(lines[level] for level in range(1, best)):
        return best  # the common case: no release heading above that level, nothing to parse
    written = sorted({version for versions in named for version in versions if version})
    parsed = dict(zip(written, parse_versions(written)))
    valid = [version for version in parsed.values() if version is not None]
    newest = max(valid) if valid else None
    for level in range(1, best):
        holds_newest = any(parsed.get(v or "") == newest for v in named[level])
        if holds_newest and lines[level] and lines[best] and max(lines[level]) < min(lines[best]):
            return level
    return best


def sections(
    scanned: Scan, level: int | None = None, absorb_untitled: bool = True
) -> tuple[list[Section], int]:
    """The sections at the release level, each with its title read, in file order.

    With `absorb_untitled`, a heading at the release level that names no release (`## Added`
    written one level too high) stays in the section above it, as a reader sees it."""
    titled = [
        (heading, read_title(heading.title) if level is None or heading.level == level else None)
        for heading in scanned.headings
    ]
    level = level or release_level(titled)
    found: list[Section] = []
    open_at: tuple[Heading, Title | None] | None = None
    for heading, title in titled:
        if heading.level > level:
            continue
        if (
            absorb_untitled
            and heading.level == level
            and title is None
            and open_at is not None
            and open_at[1] is not None
        ):
            continue
        if open_at is not None:
            found.append(Section(open_at[0], open_at[1], (open_at[0].end, heading.at)))
            open_at = None
        if heading.level == level:
            open_at = (heading, title)
    if open_at is not None:
        found.append(Section(open_at[0], open_at[1], (open_at[0].end, len(scanned.lines))))
    return found, level


def _trimmed(scanned: Scan, body: tuple[int, int], last: bool) -> tuple[int, int]:
    """A body stops at a thematic break; the last one also before the link definitions and
    footer that end the file (they belong to the file, not to the oldest release)."""
    start, end = body
    for marks in (scanned.breaks, scanned.definitions) if last else (scanned.breaks,):
        # both lists are in file order: the first mark at or after the start, by bisection
        # (a scan per section would be quadratic in a file with `---` between releases)
        position = bisect_left(marks, start)
        if position < len(marks) and marks[position] < end:
            return start, marks[position]
    return body


def first_entry(scanned: Scan, start: int, end: int) -> int | None:
    for index in range(start, end):
        if scanned.content[index]:
            return index + 1
    return None


def entries_end(scanned: Scan, start: int, end: int) -> int:
    """The end of a body without what trails its last entry: blank lines, comments, link
    definitions, a subsection heading left without entries."""
    while end > start and not scanned.content[end - 1]:
        end -= 1
    return end


def date_line(scanned: Scan, start: int, end: int) -> tuple[int, tuple[Date | None, bool]] | None:
    """The line right under a heading that dates it or marks it unreleased."""
    for index in range(start, min(end, start + 3)):
        if scanned.lines[index].strip():
            found = read_date_line(scanned.lines[index]) if scanned.content[index] else None
            return (index, found) if found is not None else None
    return None


def build(
    scanned: Scan, found: list[Section]
) -> tuple[list[Release], list[Unreleased], list[Section]]:
    """Releases and unreleased sections from the titled sections; the untitled ones apart."""
    releases: list[Release] = []
    unreleased: list[Unreleased] = []
    others: list[Section] = []
    for position, section in enumerate(found):
        title = section.title
        if title is None:
            others.append(section)
            continue
        start, end = _trimmed(scanned, section.body, position == len(found) - 1)
        date = title.date
        is_unreleased = title.unreleased
        entries_from = start
        under = date_line(scanned, start, end)
        if under is not None:
            index, (line_date, marks_unreleased) = under
            entries_from = index + 1
            if marks_unreleased:
                is_unreleased = True
            elif date is None:
                date = line_date
        line = section.heading.at + 1
        entry = first_entry(scanned, entries_from, end)
        end = entries_end(scanned, entries_from, end)
        if is_unreleased:
            unreleased.append(
                Unreleased(line, title.text, title.version, (entries_from, end), entry)
            )
        elif title.version is not None:
            releases.append(
                Release(
                    line,
                    title.text,
                    title.version,
                    date,
                    (entries_from, end),
                    entry,
                    title.yanked,
                    title.linked,
                )
            )
    return releases, unreleased, others


def changelog_from(scanned: Scan, path: str, fmt: str, markup: str) -> Changelog:
    found, _ = sections(scanned)
    releases, unreleased, _ = build(scanned, found)
    return Changelog(
        path,
        fmt,
        markup,
        scanned.lines,
        releases,
        unreleased,
        scanned.links,
        dated=any(release.date is not None for release in releases),
    )
