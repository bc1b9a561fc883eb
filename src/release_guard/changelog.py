"""Keep a Changelog: the parser every command shares, and the rules that hold at every commit."""

from __future__ import annotations

import datetime  # already loaded by tomllib: free
import re
from typing import TYPE_CHECKING, NamedTuple

from release_guard.findings import Finding
from release_guard.pep440 import parse_versions

if TYPE_CHECKING:
    from release_guard.pep440 import ParsedVersion

SUBSECTIONS = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
_SECTION = re.compile(
    r"^\[(?P<label>[^\]]+)\]"
    r"(?:[ \t]+[-\u2013\u2014][ \t]+(?P<date>[^\s\[]+))?"
    r"(?:[ \t]+\[(?P<yanked>YANKED)\])?$",
    re.IGNORECASE,
)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LINK_REFERENCE = re.compile(r"^ {0,3}\[(?P<label>[^\]]+)\]:[ \t]*\S")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")  # \d would take any Unicode digit


class Section(NamedTuple):
    """A `## ` section; `version` is None for [Unreleased]."""

    line: int  # 1-based line of the heading
    label: str
    version: str | None
    date: str | None
    yanked: bool
    body: tuple[int, int]  # 0-based [start, end) line indexes of the body

    @property
    def is_unreleased(self) -> bool:
        return self.version is None


class Changelog(NamedTuple):
    path: str
    lines: list[str]
    sections: list[Section]
    malformed: list[tuple[int, str]]  # ## headings that are no section: (line, text)
    subsections: list[tuple[int, str]]  # ### headings inside sections: (line, title)
    link_references: dict[str, int]  # lower-cased label -> line
    content_lines: frozenset[int]  # 0-based indexes of lines that are text, not markup

    @property
    def unreleased(self) -> Section | None:
        return next((s for s in self.sections if s.is_unreleased), None)

    def releases(self) -> list[Section]:
        return [s for s in self.sections if not s.is_unreleased]

    def first_entry_line(self, section: Section) -> int | None:
        """1-based line of the first entry in a section: text, not a ### heading or a comment."""
        start, end = section.body
        for index in range(start, end):
            if index in self.content_lines:
                return index + 1
        return None

    def body_text(self, section: Section) -> str:
        """The section's body for release notes: leading blank lines trimmed, and every
        trailing line that is no text (blank lines, link reference definitions, comments such
        as `<!-- links -->`, a ### heading left without entries)."""
        start, end = section.body
        while end > start and end - 1 not in self.content_lines:
            end -= 1
        lines = self.lines[start:end]
        while lines and not lines[0].strip():
            lines.pop(0)
        return "\n".join(lines)


def parse(text: str, path: str) -> Changelog:
    # split on "\n" only: str.splitlines() also breaks on form feeds and U+2028, which would
    # shift every line number after them
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    sections: list[Section] = []
    malformed: list[tuple[int, str]] = []
    subsections: list[tuple[int, str]] = []
    link_references: dict[str, int] = {}
    content: set[int] = set()
    fence: str | None = None
    in_comment = False
    open_section: tuple[int, str, str | None, str | None, bool, int] | None = None

    def close(end: int) -> None:
        if open_section is not None:
            line, label, version, date, yanked, start = open_section
            sections.append(Section(line, label, version, date, yanked, (start, end)))

    for index, line in enumerate(lines):
        if fence is not None:
            content.add(index)
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
            content.add(index)
            continue
        if in_comment or line.lstrip().startswith("<!--"):
            in_comment = "-->" not in line
            continue
        heading = _HEADING.match(line)
        if heading and len(heading.group(1)) == 2:
            close(index)
            open_section = None
            title = heading.group(2) or ""
            match = _SECTION.match(title)
            if match is None:
                malformed.append((index + 1, title))
                continue
            label = match.group("label").strip()
            unreleased = label.lower() == "unreleased"
            open_section = (
                index + 1,
                label,
                None if unreleased else label,
                match.group("date"),
                match.group("yanked") is not None,
                index + 1,
            )
            continue
        if heading and len(heading.group(1)) == 3:
            if open_section is not None:
                subsections.append((index + 1, heading.group(2) or ""))
            continue
        reference = _LINK_REFERENCE.match(line)
        if reference:
            link_references.setdefault(reference.group("label").strip().lower(), index + 1)
            continue
        if line.strip() and not (heading and len(heading.group(1)) == 1):
            content.add(index)
    close(len(lines))
    return Changelog(
        path, lines, sections, malformed, subsections, link_references, frozenset(content)
    )


def find_release(changelog: Changelog, version: str) -> Section | None:
    """The section of exactly that version, compared as parsed versions (1.2.50 is not 1.2.5)."""
    releases = changelog.releases()
    wanted, *parsed = parse_versions([version, *(section.version or "" for section in releases)])
    for section, candidate in zip(releases, parsed):
        if section.version == version or (wanted is not None and candidate == wanted):
            return section
    return None


def lint(changelog: Changelog, today: datetime.date) -> list[Finding]:
    """The rules that hold at every commit, whatever the project's version.

    `today` is the UTC date: a release dated one day later is not yet "in the future",
    since somewhere on Earth that day has begun.
    """
    path = changelog.path
    findings = [
        Finding(
            "RG203",
            f"heading '## {text}' is neither [Unreleased] nor '[X.Y.Z] - YYYY-MM-DD'",
            path,
            line,
        )
        for line, text in changelog.malformed
    ]
    if changelog.unreleased is None:
        findings.append(Finding("RG202", "no '## [Unreleased]' section", path, 1))
    else:
        findings += _misplaced_unreleased(changelog)
    latest_allowed = today + datetime.timedelta(days=1)
    seen: dict[object, Section] = {}
    above: tuple[ParsedVersion, Section] | None = None
    above_date: tuple[datetime.date, Section] | None = None
    releases = changelog.releases()
    for section, version in zip(releases, parse_versions([s.version or "" for s in releases])):
        if version is None:
            findings.append(
                Finding(
                    "RG213",
                    f"[{section.version}] is not a valid PEP 440 version",
                    path,
                    section.line,
                )
            )
        elif version in seen:
            findings.append(
                Finding(
                    "RG205",
                    f"[{section.version}] repeats the version of line {seen[version].line}",
                    path,
                    section.line,
                )
            )
        else:
            seen[version] = section
            if above is not None and version >= above[0]:
                findings.append(
                    Finding(
                        "RG206",
                        f"[{section.version}] is listed below [{above[1].version}] (line {above[1].line}); "
                        "versions must descend",
                        path,
                        section.line,
                    )
                )
            above = (version, section)
        date = _date(section)
        if isinstance(date, str):
            findings.append(Finding("RG204", f"[{section.version}] {date}", path, section.line))
            continue
        if date > latest_allowed:
            findings.append(
                Finding(
                    "RG208",
                    f"[{section.version}] is dated {date} in the future",
                    path,
                    section.line,
                )
            )
        if above_date is not None and date > above_date[0]:
            findings.append(
                Finding(
                    "RG207",
                    f"[{section.version}] is dated {date}, after [{above_date[1].version}] "
                    f"above it ({above_date[0]})",
                    path,
                    section.line,
                )
            )
        above_date = (date, section)
    first_of: dict[tuple[int, str], int] = {}  # (section heading line, title) -> line
    headings = [section.line for section in changelog.sections]
    owner_index = 0
    for line, title in changelog.subsections:  # both lists are in file order
        if title not in SUBSECTIONS:
            findings.append(
                Finding(
                    "RG209",
                    f"subsection '### {title}' is not one of {', '.join(SUBSECTIONS)}",
                    path,
                    line,
                )
            )
        while owner_index + 1 < len(headings) and headings[owner_index + 1] < line:
            owner_index += 1
        earlier = first_of.setdefault((headings[owner_index], title), line)
        if earlier != line:
            findings.append(
                Finding(
                    "RG214",
                    f"subsection '### {title}' repeats the one of line {earlier} in its section",
                    path,
                    line,
                )
            )
    # "where the file uses them": link references to sections, not to issues or elsewhere
    if any(section.label.lower() in changelog.link_references for section in changelog.sections):
        for section in changelog.sections:
            if section.label.lower() not in changelog.link_references:
                findings.append(
                    Finding(
                        "RG210",
                        f"[{section.label}] has no link reference, while other sections have one",
                        path,
                        section.line,
                    )
                )
    return findings


def _misplaced_unreleased(changelog: Changelog) -> list[Finding]:
    """[Unreleased] is one section, above every release: the release rules read only it."""
    findings = []
    first: Section | None = None
    for section in changelog.sections:
        if not section.is_unreleased:
            if first is None:
                first = section
            continue
        if section is not changelog.unreleased:
            assert changelog.unreleased is not None
            message = f"[{section.label}] repeats the section of line {changelog.unreleased.line}"
            findings.append(Finding("RG205", message, changelog.path, section.line))
        elif first is not None:
            message = (
                f"[{section.label}] is listed below [{first.label}] (line {first.line}); "
                "it belongs above every release"
            )
            findings.append(Finding("RG206", message, changelog.path, section.line))
    return findings


def is_dated(section: Section) -> bool:
    """Whether the section carries a real YYYY-MM-DD calendar date."""
    return isinstance(_date(section), datetime.date)


def _date(section: Section) -> datetime.date | str:
    """The release date, or a message saying what is wrong with it."""
    if section.date is None:
        return "has no date"
    match = _DATE.match(section.date)
    if match is None:
        return f"date {section.date!r} is not YYYY-MM-DD"
    try:
        return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return f"date {section.date} is not a real calendar date"
