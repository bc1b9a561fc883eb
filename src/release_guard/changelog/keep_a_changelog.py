"""Keep a Changelog (https://keepachangelog.com/): `## [1.2.3] - 2024-12-06` sections, with the
spec's real variants: brackets or none, `[1.2.3][]` and inline-linked headings, `[YANKED]`,
`[Unreleased]` absent, unbracketed or linked.

Reads like the Markdown reader, with releases at level 2, and records what only the style rules
judge (`Style`): headings that name no release, ### subsections, each section's link.
"""

from __future__ import annotations

from release_guard.changelog.markdown import scan
from release_guard.changelog.model import Changelog, Style
from release_guard.changelog.sections import Scan, Section, build, sections
from release_guard.source import Source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from release_guard.changelog.titles import Title

FORMAT = "keep-a-changelog"
SPEC_LINK = "keepachangelog.com"
CHANGE_TYPES = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")


def heading_shape_problem(title: str) -> tuple[str, str] | None:
    """(code, what) keeps a release heading from `[X.Y.Z] - YYYY-MM-DD` (brackets, a link and
    a trailing [YANKED] allowed); None when it has that shape. RG204 for the date, RG203 for
    the rest of the form."""
    from release_guard.changelog.titles import read_title

    return title_shape_problem(title, read_title(title))


def title_shape_problem(title: str, read: Title | None) -> tuple[str, str] | None:
    """heading_shape_problem for a title already read (`read_title(title)`)."""
    if title.count("[") != title.count("]"):
        return "RG203", "has unbalanced brackets"
    if read is None or read.version is None or read.written is None:
        return "RG203", "names no version"
    text = read.text
    at = text.index(read.written)
    if text[:at].strip(" ["):
        return "RG203", f"has {text[:at].strip()!r} before the version"
    after_version = text[at + len(read.written) :].strip()
    if not after_version:
        return "RG204", "has no date"
    if after_version[:1] not in ("-", "\u2013", "\u2014"):
        return "RG203", "does not separate version and date with ' - '"
    rest = after_version[1:].strip()
    date = read.date
    if date is None or date.start > len(text) or not rest.startswith(date.written):
        return "RG204", f"date {rest!r} is not YYYY-MM-DD"
    if date.style != "iso" or len(date.written) != 10:
        return "RG204", f"date {date.written!r} is not YYYY-MM-DD"
    tail = rest[len(date.written) :].strip()
    if tail and tail.upper() != "YANKED":
        return "RG203", f"ends with {tail!r}"
    return None


Sectioned = tuple[Scan, tuple[list[Section], int]]

# Detection reads a file of up to 400 lines whole (looks_like); the reading that follows takes
# its scan and sections over rather than reading the same text again: a workspace reads many
# changelogs, and a heading's title is the costly part.
_handed_over: list[tuple[str, Sectioned]] = []


def _taken_over(text: str) -> Sectioned | None:
    handed = _handed_over.pop() if _handed_over else None
    return handed[1] if handed is not None and handed[0] is text else None


def _sections(text: str) -> Sectioned:
    scanned = scan(text)
    return scanned, sections(scanned, level=2, absorb_untitled=False)


def parse(text: str, path: str) -> Changelog:
    handed = _taken_over(text)
    scanned, (found, level) = handed if handed is not None else _sections(text)
    releases, unreleased, others = build(scanned, found)
    owners = [section.heading.at + 1 for section in found]
    subsections = []
    owner = 0
    for heading in scanned.headings:
        if heading.level != level + 1:
            continue
        while owner + 1 < len(owners) and owners[owner + 1] < heading.at + 1:
            owner += 1
        if owners and owners[owner] < heading.at + 1:
            subsections.append((heading.at + 1, heading.title, owners[owner]))
    links = {
        section.heading.at + 1: (
            (section.title is not None and section.title.linked)
            or (section.title is not None and _label(section.heading.title) in scanned.links)
        )
        for section in found
    }
    style = Style(
        [(section.heading.at + 1, section.heading.title) for section in others],
        subsections,
        links,
    )
    return Changelog(
        path,
        FORMAT,
        "markdown",
        scanned.lines,
        releases,
        unreleased,
        scanned.links,
        style=style,
        dated=True,  # the spec dates every release
    )


def _label(title: str) -> str:
    """The bracketed label a reference link would use: `[1.0.0] - ...` -> 1.0.0."""
    if title.startswith("["):
        close = title.find("]")
        if close > 0:
            return title[1:close].strip().lower()
    return title.split(" ", 1)[0].lower()


def looks_like(text: str) -> bool:
    """Most release headings have the spec's shape: `## [1.2.3] - 2024-12-06`, or without
    brackets when the file links to the spec. A link to the spec above prose-dated headings
    (`## 1.2.3 (6th December, 2024)`) is Markdown, not Keep a Changelog."""
    declared = SPEC_LINK in text[:4096].lower()
    lines = text.split("\n", 400)
    whole = len(lines) <= 400
    head = text if whole else "\n".join(lines[:400])  # the newest releases tell the shape
    sectioned = _sections(head)
    _handed_over[:] = [(text, sectioned)] if whole else []
    found = sectioned[1][0]
    shaped = [
        title_shape_problem(section.heading.title, section.title) is None
        and (declared or section.heading.title.startswith("["))
        for section in found
        if section.title is not None and not section.title.unreleased
    ]
    if not shaped:  # no release yet: `## [Unreleased]` is the spec's own heading
        return declared or any(
            section.heading.title.lower().startswith("[unreleased]") for section in found
        )
    return sum(shaped) * 2 >= len(shaped)


def read(source: Source, pyproject: dict[str, Any], path: str, text: str | None) -> Changelog:
    return parse(text or "", path)
